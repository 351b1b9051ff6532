"""Coverage-guided fuzzing of reader + extractor + store with atheris (not part of CI).

Run (about five minutes; needs ``pip install atheris`` into .venv):

    .venv/bin/python fuzz/fuzz_pipeline.py -max_total_time=300 -rss_limit_mb=4096 fuzz/corpus

Each input is raw bytes, decoded as a file would be (``quotes.sources.reader.decode``) or, when
it starts with ``{``, as one JSONL record; the text goes through the rules extractor and
into an in-memory store. A ReadError is a fine outcome; any other exception, a span that
does not slice the text, or a stored quote that reads back differently is a crash, and
atheris writes the input to ``crash-<sha1>``. Keep each one as a case in
tests/test_regressions.py.
"""
from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    from quotes.errors import ReadError
    from quotes.extract.pipeline import Extractor
    from quotes.sources.reader import decode, read_sources
    from quotes.store import Store
    from quotes.types import Document

EXTRACTOR = Extractor(engine="rules")
_DIR = tempfile.mkdtemp(prefix="quotes-fuzz-")
STORE = Store(os.path.join(_DIR, "fuzz.db"))
_JSONL = os.path.join(_DIR, "one.jsonl")
_SEEN = [0]


def documents(data: bytes) -> list[Document]:
    if data[:1] == b"{":
        with open(_JSONL, "wb") as fh:
            fh.write(data)
        return [d for d in read_sources([_JSONL]) if isinstance(d, Document)]
    try:
        return [Document.from_text(decode(data, "fuzz"), path="fuzz")]
    except ReadError:
        return []


def check(data: bytes) -> None:
    for doc in documents(data):
        found = EXTRACTOR.extract(doc)
        for q in found:
            for span in (q.span, q.content, q.cue, q.speaker and q.speaker.mention, q.outlet and q.outlet.mention):
                if span is not None and doc.text[span.start:span.end] != span.text:
                    raise AssertionError(f"span {span} does not slice the text")
        _SEEN[0] += 1
        stored = Document.from_text(doc.text, path=f"fuzz-{_SEEN[0]}")
        doc_id, _ = STORE.add(stored, found, "rules")
        back = list(STORE.quotes(document=doc_id))
        want = [q.to_dict(stored, i) for q, i in zip(found, STORE.quote_ids(doc_id))]
        if back and [b["text"] for b in back] != [w["text"] for w in want]:
            raise AssertionError("stored quotes read back differently")


def main() -> None:
    atheris.Setup(sys.argv, check)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
