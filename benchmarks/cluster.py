"""Throughput of `quotes cluster-extract` (Dask local cluster) against `quotes extract`.

    .venv/bin/python -m benchmarks.cluster [--articles N] [--engine rules|stanza] [--json out.json]
        [--no-postgresql]

Corpus: the PolNeAR train texts (../shared/data/polnear/train/text), written to a temporary
JSONL (``id`` = file name), else the project's samples/*.txt repeated to 200 articles.
Every run starts from an empty database and is a child process timed from the outside
(interpreter start, cluster start, model load and writes included):

  extract   --workers 1 / 2   `quotes extract CORPUS.jsonl --db SQLITE --workers N`
  cluster   --workers 1 / 2   `quotes cluster-extract CORPUS.jsonl --db URL --workers N`
                              into SQLite and, when a throwaway server starts, PostgreSQL

After each run the stored documents and quotes are counted; every run must store the
same numbers (printed, so a mismatch shows). A second `cluster-extract` over the same
store (a rerun: everything skipped) is timed too. Timings are only reported here.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
QUOTES = [sys.executable, "-c", "from quotes.cli import main; main()"]


def write_corpus(path: Path, limit: int | None) -> int:
    files = sorted(TRAIN.glob("*.txt")) if TRAIN.is_dir() else []
    if not files:
        samples = sorted((ROOT / "samples").glob("*.txt"))
        files = [samples[i % len(samples)] for i in range(200)]
    if limit:
        files = files[:limit]
    with open(path, "w", encoding="utf-8") as f:
        for i, p in enumerate(files):
            f.write(json.dumps({"id": f"{i:05d}-{p.name}", "text": p.read_text(encoding="utf-8")},
                               ensure_ascii=False) + "\n")
    return len(files)


def counts(url: str) -> tuple[int, int]:
    from quotes.store import Store

    store = Store(url)
    out = (store.execute("select count(*) from documents")[0][0], store.execute("select count(*) from quotes")[0][0])
    store.close()
    return out


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    r = subprocess.run(QUOTES + args, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if r.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({r.returncode}): {r.stderr[-500:]}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=None, help="Only the first N articles.")
    ap.add_argument("--engine", choices=("rules", "stanza"), default="rules")
    ap.add_argument("--json", default=None, help="Write the results here too.")
    ap.add_argument("--no-postgresql", action="store_true", help="SQLite only.")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="quotes-bench-cluster-"))
    corpus = tmp / "corpus.jsonl"
    n = write_corpus(corpus, args.articles)
    print(f"corpus: {n} articles, {corpus.stat().st_size / 1e6:.1f} MB, engine {args.engine}, "
          f"{os.cpu_count()} cores", flush=True)

    server = None
    if not args.no_postgresql:
        sys.path.insert(0, str(ROOT / "tests"))
        from conftest_pg import _start

        server, reason = _start()
        if server is None:
            print(f"PostgreSQL: skipped ({reason})")

    results = []

    def record(name: str, workers: int, db: str, url: str, seconds: float) -> None:
        docs, quotes = counts(url)
        row = {"run": name, "workers": workers, "db": db, "seconds": round(seconds, 2),
               "articles_per_s": round(n / seconds, 1), "documents": docs, "quotes": quotes}
        results.append(row)
        print(f"{name:<22} {workers:>2} {db:<10} {seconds:8.2f} s {n / seconds:8.1f} articles/s "
              f"({docs} documents, {quotes} quotes)", flush=True)

    print(f"{'run':<22} {'w':>2} {'db':<10} {'wall':>10} {'throughput':>18}")
    try:
        for workers in (1, 2):
            db = str(tmp / f"extract{workers}.db")
            s = timed(["extract", str(corpus), "--db", db, "--engine", args.engine, "-q", "--workers", str(workers)])
            record("quotes extract", workers, "sqlite", db, s)
        for workers in (1, 2):
            targets = [("sqlite", str(tmp / f"cluster{workers}.db"))]
            if server is not None:
                targets.append(("postgresql", server.create_database(f"bench_{workers}")))
            for name, url in targets:
                s = timed(["cluster-extract", str(corpus), "--db", url, "--engine", args.engine, "-q",
                           "--workers", str(workers)])
                record("quotes cluster-extract", workers, name, url, s)
                if workers == 2:
                    s = timed(["cluster-extract", str(corpus), "--db", url, "--engine", args.engine, "-q",
                               "--workers", str(workers)])
                    record("  rerun (all skipped)", workers, name, url, s)
    finally:
        if server is not None:
            server.stop()
            shutil.rmtree(server.root, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"articles": n, "engine": args.engine, "results": results}, indent=2))


if __name__ == "__main__":
    main()
