"""Identity across documents on real international news: does a quote's speaker depend on what
else is stored, or on the order? (issue 18, "done when")

    .venv/bin/python -m benchmarks.worldwide_identity [--data ../shared/data/worldwide-dev] [--engine rules]

Extracts each article of ``DATA/text`` once, then stores the articles

* into ONE database in sorted order (one ``write_batch``, as ``quotes extract DIR`` writes),
* into ONE database in reverse order (one ``add`` per article),
* each into a database of its own,

and compares every quote's speaker in the two shared databases with its speaker when its
article is alone: the speaker's name, whether it is shared across documents or its document's
own, and which of its document's other quotes it shares a speaker with. Prints the figures as
JSON; ``differences`` must be 0.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from quotes.extract.pipeline import Extractor
from quotes.sources.reader import read_sources
from quotes.store import Store

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "worldwide-dev"
_SPEAKERS = ("select d.path, q.start, q.\"end\", s.id, s.name, s.document_id is null from quotes q "
             "join documents d on d.id = q.document_id join attributions a on a.quote_id = q.id "
             "left join speakers s on s.id = a.speaker_id")


def speakers(store: Store) -> dict[tuple[str, int, int], tuple[str | None, bool | None, frozenset]]:
    """Each quote (path, start, end): its speaker's name, whether the speaker is shared, and
    the other quotes of its document with the same speaker."""
    rows = [tuple(r) for r in store.execute(_SPEAKERS)]
    group: dict[tuple[str, int | None], set[tuple[int, int]]] = {}
    for path, start, end, sid, _, _ in rows:
        if sid is not None:
            group.setdefault((path, sid), set()).add((start, end))
    out = {}
    for path, start, end, sid, name, shared in rows:
        mates = frozenset(group.get((path, sid), set()) - {(start, end)}) if sid is not None else frozenset()
        out[(path, start, end)] = (name, None if sid is None else bool(shared), mates)
    return out


def differences(alone: dict, together: dict) -> list[dict[str, Any]]:
    out = []
    for where in sorted(set(alone) | set(together)):
        a, t = alone.get(where), together.get(where)
        if a != t:
            out.append({"document": Path(where[0]).name, "start": where[1], "end": where[2],
                        "alone": a and {"speaker": a[0], "shared": a[1]},
                        "together": t and {"speaker": t[0], "shared": t[1]}})
    return out


def run(data: Path, engine: str = "rules", work: Path | None = None) -> dict[str, Any]:
    texts = sorted((data / "text").glob("*.txt"))
    extractor = Extractor(engine=engine)
    docs = [(doc, extractor.extract(doc)) for doc in read_sources([str(p) for p in texts])]
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        root = Path(tmp)
        alone: dict = {}
        for n, (doc, found) in enumerate(docs):
            store = Store(str(root / f"alone{n}.db"))
            store.add(doc, found, engine)
            alone.update(speakers(store))
            store.close()
        forwards = Store(str(root / "sorted.db"))
        forwards.write_batch(docs, engine)
        backwards = Store(str(root / "reversed.db"))
        for doc, found in reversed(docs):
            backwards.add(doc, found, engine)
        sorted_, reversed_ = speakers(forwards), speakers(backwards)
        shared = {s["id"] for s in forwards.speakers() if s["document"] is None}
        linked = [s for s in forwards.speakers() if s["id"] in shared and len(
            {p for (p, _, _), v in sorted_.items() if v[0] == s["name"] and v[1]}) > 1]
        forwards.close()
        backwards.close()
    diff_sorted, diff_reversed = differences(alone, sorted_), differences(alone, reversed_)
    return {
        "articles": len(docs), "quotes": len(alone), "engine": engine,
        "attributed": sum(1 for v in alone.values() if v[0] is not None),
        "shared_speakers": len(shared),
        "speakers_linking_documents": [s["name"] for s in linked],
        "differences_sorted": len(diff_sorted), "differences_reversed": len(diff_reversed),
        "differences": len(diff_sorted) + len(diff_reversed),
        "examples": (diff_sorted + diff_reversed)[:10],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--engine", default="rules", choices=("rules", "stanza"))
    args = ap.parse_args(argv)
    if not (args.data / "text").is_dir():
        print(f"no articles at {args.data / 'text'}", file=sys.stderr)
        return 2
    result = run(args.data, args.engine)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0 if result["differences"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
