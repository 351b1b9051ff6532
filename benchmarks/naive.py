"""The naive extractor: the baseline a user could write in ten minutes.

One regex pairs double quote marks, one finds a capitalised name next to
"said"; every quote gets the nearest such name in its paragraph window. The
records are written as JSON lines. It is the speed reference for
``benchmarks.run`` (our engines are reported as ratios to it), not a
competitor in accuracy.

    python -m benchmarks.naive DIR OUT.jsonl
"""
from __future__ import annotations

import json
import os
import re
import sys
from typing import IO, Iterator

QUOTE = re.compile(r"[\"“]([^\"“”\n]{1,2000})[\"”]")
SAID = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)*),? said\b|\bsaid ([A-Z][a-z]+(?: [A-Z][a-z]+)*)")
MARKS = re.compile(r"[\"“”‘’'«»„]")
WINDOW = 200


def files(root: str) -> Iterator[str]:
    """Regular files under ``root``, sorted, hidden entries skipped (as ``quotes extract``)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [os.path.join(dirpath, n) for n in filenames if not n.startswith(".")]
    return iter(sorted(found))


def extract(text: str) -> list[dict]:
    speakers = [(m.start(), m.group(1) or m.group(2)) for m in SAID.finditer(text)]
    out = []
    for m in QUOTE.finditer(text):
        near = [name for pos, name in speakers if abs(pos - m.start()) < WINDOW]
        out.append({"start": m.start(), "end": m.end(), "text": m.group(1),
                    "speaker": near[0] if near else None})
    return out


def run(root: str, out: IO[str]) -> tuple[int, int]:
    """Extract every file under ``root`` into ``out``; returns (documents, quotes)."""
    docs = quotes = 0
    for path in files(root):
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        for record in extract(text):
            record["document"] = path
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            quotes += 1
        docs += 1
    return docs, quotes


def scan(root: str) -> tuple[int, int]:
    """The bare regex scan for quote marks: read every file, count its marks."""
    docs = marks = 0
    for path in files(root):
        with open(path, encoding="utf-8", errors="replace") as fh:
            marks += len(MARKS.findall(fh.read()))
        docs += 1
    return docs, marks


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "--scan":
        docs, n = scan(argv[1])
        print(json.dumps({"documents": docs, "marks": n}))
        return 0
    if len(argv) != 2:
        print("usage: python -m benchmarks.naive DIR OUT.jsonl | --scan DIR -", file=sys.stderr)
        return 2
    with open(argv[1], "w", encoding="utf-8") as out:
        docs, n = run(argv[0], out)
    print(json.dumps({"documents": docs, "quotes": n}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
