"""Extraction time alone: no interpreter start, no file reads, no store. (A benchmark, not a test.)

    .venv/bin/python -m benchmarks.extract_cpu                       # rules engine, PolNeAR train
    .venv/bin/python -m benchmarks.extract_cpu --engines rules,stanza --repeat 3
    .venv/bin/python -m benchmarks.extract_cpu --profile 25          # cProfile of one rules pass

The texts are read into memory first; then ``Extractor(engine=E).extract`` runs over every
one of them, ``--repeat`` times, and the best pass is reported as CPU seconds (user+sys of
this process), wall seconds and articles per CPU second. The first pass is reported too: its
per-word caches (names, roles, types) start empty, as in a ``quotes extract`` run, which makes
one pass only. The corpus is PolNeAR train (``../shared/data/polnear/train/text``) when
present, else ``samples/*.txt``.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from quotes.extract.pipeline import Extractor
from quotes.types import Document

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"


def load_corpus(directory: Path | None, limit: int | None) -> list[Document]:
    """The texts as documents, read once (bytes kept as they are: no newline translation)."""
    if directory is None:
        directory = POLNEAR if POLNEAR.is_dir() else ROOT / "samples"
    paths = sorted(directory.glob("*.txt"))[:limit]
    return [Document.from_text(p.read_text(encoding="utf-8", errors="replace"), path=str(p)) for p in paths]


def one_pass(ex: Extractor, docs: list[Document]) -> tuple[float, float, int]:
    """(cpu seconds, wall seconds, quotes) of one extraction pass over ``docs``."""
    cpu0, wall0 = time.process_time(), time.perf_counter()
    n = 0
    for doc in docs:
        n += len(ex.extract(doc))
    return time.process_time() - cpu0, time.perf_counter() - wall0, n


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=None, help="directory of .txt files")
    ap.add_argument("--engines", default="rules", help="comma-separated: rules,stanza")
    ap.add_argument("--repeat", type=int, default=3, help="passes per engine; the best is reported")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--profile", type=int, metavar="N", default=0,
                    help="instead of timing, profile one rules pass and print the top N functions")
    args = ap.parse_args(argv)
    docs = load_corpus(args.corpus, args.limit)
    if args.profile:
        ex = Extractor(engine="rules")
        prof = cProfile.Profile()
        prof.runcall(one_pass, ex, docs)
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)
        return
    print(f"{len(docs)} articles, best of {args.repeat} passes")
    print("| engine | CPU s | wall s | articles/CPU s | quotes | first pass CPU s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for engine in args.engines.split(","):
        ex = Extractor(engine=engine)
        one_pass(ex, docs[:5])  # warm up: model load, regex caches
        runs = [one_pass(ex, docs) for _ in range(args.repeat)]
        cpu, wall, n = min(runs)
        print(f"| {engine} | {cpu:.2f} | {wall:.2f} | {len(docs) / cpu:.0f} | {n} | {runs[0][0]:.2f} |")


if __name__ == "__main__":
    main()
