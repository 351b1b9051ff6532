#!/usr/bin/env python3
"""Regenerate the golden files ``samples/NAME.expected.json`` from the rules extractor.

    .venv/bin/python scripts/regen_golden.py            # all samples
    .venv/bin/python scripts/regen_golden.py a_curly_split   # some of them
    .venv/bin/python scripts/regen_golden.py --check    # only report differences

Use it for *deliberate* changes of behaviour, then read the diff (``git diff samples/``)
entry by entry before committing: a golden file is a hand-checked statement of what is
right, not a snapshot of what the code happens to do.

Known defects: ``samples/known_defects.json`` lists the expected quotes that the current
extractor gets wrong (``{"file": ..., "start": ..., "end": ..., "reason": ...}``). Their
hand-corrected entries are kept as they are in the expected file, and whatever the
extractor predicts overlapping them is dropped, so a regeneration never writes a known
wrong answer into the golden data. When a defect is fixed, its test XPASSes (strict) and
fails: remove the entry from known_defects.json then.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEFECTS = SAMPLES / "known_defects.json"

sys.path.insert(0, str(ROOT))

from quotes.extract.pipeline import Extractor  # noqa: E402
from quotes.types import Document  # noqa: E402


def doc_path(name: str) -> str:
    return f"samples/{name}.txt"


def read_sample(name: str) -> Document:
    raw = (SAMPLES / f"{name}.txt").read_bytes()
    import hashlib
    return Document.from_text(raw.decode("utf-8"), path=doc_path(name), sha256=hashlib.sha256(raw).hexdigest())


def predict(ex: Extractor, name: str) -> list[dict]:
    doc = read_sample(name)
    return [q.to_dict(doc, None) for q in ex.extract(doc)]


def known_defects() -> list[dict]:
    if not DEFECTS.exists():
        return []
    return json.loads(DEFECTS.read_text(encoding="utf-8"))


def merge(name: str, predicted: list[dict], old: list[dict], defects: list[dict]) -> list[dict]:
    """The predicted quotes, with every known-defect entry replaced by its hand-corrected one.

    A prediction with the same span as a defect entry is dropped, and so are the wrong spans a
    defect entry lists under ``"drop"`` (e.g. the two halves of a quote the finder split)."""
    keep, drop = [], set()
    for d in defects:
        if d["file"] != f"{name}.txt":
            continue
        hit = [q for q in old if q["start"] == d["start"] and q["end"] == d["end"]]
        if not hit:
            raise SystemExit(f"{name}: known defect at {d['start']}-{d['end']} has no entry in the expected file")
        keep.extend(hit)
        drop.add((d["start"], d["end"]))
        drop.update(tuple(x) for x in d.get("drop", []))
    out = [p for p in predicted if (p["start"], p["end"]) not in drop] + keep
    out.sort(key=lambda q: (q["start"], -q["end"]))
    return out


def dump(objs: list[dict]) -> str:
    return json.dumps(objs, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="*", help="sample names (default: all samples/*.txt)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file would change")
    args = ap.parse_args(argv)
    names = args.names or sorted(p.stem for p in SAMPLES.glob("*.txt"))
    ex = Extractor(engine="rules")
    defects = known_defects()
    changed = 0
    for name in names:
        name = name.removesuffix(".txt")
        target = SAMPLES / f"{name}.expected.json"
        old = json.loads(target.read_text(encoding="utf-8")) if target.exists() else []
        new = merge(name, predict(ex, name), old, defects)
        if new != old:
            changed += 1
            print(f"{'would change' if args.check else 'wrote'} {target.relative_to(ROOT)} "
                  f"({len(old)} -> {len(new)} quotes)")
            if not args.check:
                target.write_text(dump(new), encoding="utf-8")
    if not changed:
        print("golden files up to date")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
