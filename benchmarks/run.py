"""The benchmark suite: how fast, how big, against which references.

    .venv/bin/python -m benchmarks.run [--corpus DIR] [--json out.json]
        [--engines rules,stanza] [--workers 2] [--quick] [--store-quotes 1000000]
        [--only store] [--paragraph-scope]

Corpus: PolNeAR train texts (../shared/data/polnear/train/text) when present,
else the project's samples/*.txt repeated to 1,000 articles. ``--quick`` takes
the first 100 articles and a 100,000-quote store.

Everything that is "end to end" runs as a child process (``quotes extract DIR
--db tmp --engine E``: interpreter start, model load and database writes
included) and is measured with ``os.wait4``: wall time, CPU time (user+sys)
and the child's peak RSS (for ``--workers N``: the largest single process).

References, over the same texts:
  scan       a bare regex scan for quote marks (the limit for any extractor)
  naive      benchmarks/naive.py: a quote regex plus a "X said" regex, JSON lines out
  tokenizer  stanza's tokenizer over every whole article, as a user would naively run it
             (with the stanza engine's torch threads: QUOTES_TORCH_THREADS, default 1)

``--paragraph-scope`` adds the stanza engine with its model run over every paragraph that
holds a quote (``QUOTES_STANZA_SCOPE=paragraphs``), to show what the windows save.

Store: insert rate via ``Store.add_many`` (one transaction per ``--store-batch`` documents, 100),
``Store.write_batch`` (what ``quotes extract`` does: one transaction per 200 documents,
a savepoint per document) and ``Store.add`` (one transaction per document); ``quotes list
--speaker`` and ``quotes verify`` latency on a synthetic store of ``--store-quotes`` quotes.
The bulk rate is given over the whole build and over its last tenth (the rate at full size).
Each engine runs with reported speech off (the default) and on (``--indirect``; ``--no-indirect``
skips those runs); the quotes column counts every kind, the indirect column the reported speech.
The machine's load average is recorded at the start and the end: other work on it shows
in the wall times, less in the CPU rates.

``--only store`` runs the store part alone (no corpus, no extraction runs).

Results print as a table and go to ``--json`` (compare two runs with
``python -m benchmarks.compare a.json b.json``). Timings are only ever
reported here, never asserted in tests.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
POLNEAR = SHARED / "data" / "polnear" / "train" / "text"
PY = sys.executable
QUOTES = str(Path(PY).with_name("quotes"))
MODELS = ROOT / "quotes" / "stanza_models"
# Children run as a user's installed package does: from compiled bytecode (pip compiles it at
# install). A PYTHONDONTWRITEBYTECODE=1 in the benchmark's own environment would make every
# child compile the editable package from source again (about 0.1 s per run).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


# ------------------------------------------------------------------ processes

def measure(cmd: list[str], env: dict[str, str] | None = None, stdout: Any = subprocess.DEVNULL) -> dict[str, Any]:
    """Run ``cmd`` as a child; its wall time, CPU time and peak RSS (MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=env or CHILD_ENV, cwd=ROOT)
    err = b""
    if proc.stderr is not None:
        err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: kilobytes
        "exit": proc.returncode,
    }
    if proc.returncode != 0:
        out["stderr"] = err.decode("utf-8", "replace")[-800:]
    return out


def rates(m: dict[str, Any], docs: int, nbytes: int) -> dict[str, Any]:
    m["articles_per_s"] = round(docs / m["wall_s"], 2) if m["wall_s"] else None
    m["mb_per_s"] = round(nbytes / 1e6 / m["wall_s"], 3) if m["wall_s"] else None
    m["cpu_articles_per_s"] = round(docs / m["cpu_s"], 2) if m["cpu_s"] else None
    return m


# ------------------------------------------------------------------ corpus

def prepare_corpus(arg: str | None, quick: bool, limit: int | None, tmp: Path) -> tuple[Path, str]:
    """The directory to benchmark (a temp copy when a subset or repetition is needed)."""
    if arg:
        src, name = Path(arg), arg
    elif POLNEAR.is_dir():
        src, name = POLNEAR, "PolNeAR train"
    else:
        src, name = None, "samples/ x1000"
    n = 100 if quick else limit
    if src is not None:
        files = sorted(p for p in src.rglob("*") if p.is_file() and not p.name.startswith("."))
        if n is None or n >= len(files):
            return src, name
        out = tmp / "corpus"
        out.mkdir()
        for p in files[:n]:
            shutil.copyfile(p, out / p.name)
        return out, f"{name} (first {n})"
    samples = sorted((ROOT / "samples").glob("*.txt"))
    out = tmp / "corpus"
    out.mkdir()
    total = n or 1000
    for i in range(total):
        p = samples[i % len(samples)]
        shutil.copyfile(p, out / f"{i:05d}_{p.name}")
    return out, f"samples/ repeated to {total}"


def corpus_size(d: Path) -> tuple[int, int]:
    files = [p for p in d.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return len(files), sum(p.stat().st_size for p in files)


# ------------------------------------------------------------------ children

def child_tokenize(corpus: str) -> int:
    """stanza's tokenizer over every whole article (the naive neural baseline).

    torch runs with the stanza engine's intra-op threads (``QUOTES_TORCH_THREADS``, default
    1), so the two neural runs compare like with like; torch's own default (one thread per
    core) is many times slower as soon as anything else runs on the machine (measured: 100
    PolNeAR articles, load average 3.5: 17.9 s with 1 thread, 85 s with 2).
    """
    import stanza
    import torch

    torch.set_num_threads(int(os.environ.get("QUOTES_TORCH_THREADS", "1")))

    try:
        nlp = stanza.Pipeline(lang="en", processors="tokenize", dir=str(MODELS), download_method=None,
                              logging_level="ERROR", use_gpu=False)
    except Exception:  # a model directory whose resources need the explicit tokenizer path
        from quotes.extract.stanza_engine import load_pipeline

        nlp = load_pipeline(MODELS)
    n = 0
    for p in sorted(Path(corpus).rglob("*")):
        if p.is_file() and not p.name.startswith("."):
            doc = nlp(p.read_text(encoding="utf-8", errors="replace"))
            n += len(doc.sentences)
    print(json.dumps({"sentences": n}))
    return 0


# ------------------------------------------------------------------ synthetic store

FIRST = ("Maria John Ahmed Li Olga Pedro Aisha Tom Yuki Ivan Sara Omar Nina Paul Chen Lena Raj Ana Mark "
         "Fatima").split()
LAST = ("Garcia Smith Khan Wei Petrova Silva Bello Brown Sato Ivanov Cohen Haddad Novak Martin Zhang "
        "Fischer Patel Costa Jones Okafor Rossi Kim Nguyen Dubois Larsen Moreau Santos Weber Ali Park").split()
OUTLETS = "Reuters,Associated Press,BBC,CNN,Fox News,The New York Times,Al Jazeera,AFP,NPR,Bloomberg".split(",")
WORDS = ("the government will not accept any deal that harms workers and we are ready to talk about "
         "jobs taxes health care security borders schools prices energy climate trade election vote").split()


def synthetic_people(n: int, rng: random.Random) -> list[str]:
    people: list[str] = []
    seen = set()
    while len(people) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if len(seen) >= len(FIRST) * len(LAST):
            name = f"{name} {len(people)}"  # more speakers than name pairs: number them
        if name not in seen:
            seen.add(name)
            people.append(name)
    return people


def synthetic_batch(start: int, ndocs: int, per_doc: int, people: list[str], rng: random.Random):
    from quotes.types import Document, Outlet, Quote, Span, Speaker

    out = []
    for d in range(start, start + ndocs):
        parts: list[str] = []
        quotes = []
        pos = 0
        for _ in range(per_doc):
            person = rng.choice(people)
            said = rng.choice(("said", "told", "added"))
            outlet = rng.random() < 0.2 and rng.choice(OUTLETS)
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 24)))
            sentence = f"\u201c{body.capitalize()},\u201d {person} {said}" + (f" {outlet}" if outlet else "") + ". "
            q0 = pos
            qlen = len(body) + 3
            sp0 = q0 + qlen + 1
            cue0 = sp0 + len(person) + 1
            parts.append(sentence)
            pos += len(sentence)
            quotes.append((q0, qlen, sp0, person, cue0, said, outlet))
        text = "".join(parts)
        found = []
        for q0, qlen, sp0, person, cue0, said, outlet in quotes:
            o = None
            if outlet:
                o0 = cue0 + len(said) + 1
                o = Outlet(outlet, Span.of(text, o0, o0 + len(outlet)))
            found.append(Quote(
                span=Span.of(text, q0, q0 + qlen), content=Span.of(text, q0 + 1, q0 + qlen - 2),
                kind="direct", speaker=Speaker(person, "person", Span.of(text, sp0, sp0 + len(person))),
                cue=Span.of(text, cue0, cue0 + len(said)), outlet=o, sieve="trailing_cue", confidence=0.95,
                explanation=("synthetic",)))
        out.append((Document.from_text(text, path=f"synthetic/{d:07d}.txt"), found))
    return out


def bench_store(tmp: Path, nquotes: int, rng: random.Random, batch_docs: int = 100) -> dict[str, Any]:
    from quotes.store import Store

    per_doc = 10
    people = synthetic_people(max(100, nquotes // 200), rng)
    res: dict[str, Any] = {"store_quotes": nquotes, "speakers": len(people),
                           "bulk_documents_per_transaction": batch_docs}

    # one transaction per document (Store.add; what `quotes extract` did before it wrote batches)
    st = Store(str(tmp / "per_doc.db"))
    st.current()
    st._ensure()
    items = synthetic_batch(0, 200, per_doc, people, rng)
    t, c = time.perf_counter(), time.process_time()
    for doc, found in items:
        st.add(doc, found, "synthetic")
    res["insert_per_document_quotes_per_s"] = round(len(items) * per_doc / (time.perf_counter() - t))
    # CPU time of this process (SQLite runs in it): what a busy machine's wall time hides
    res["insert_per_document_quotes_per_cpu_s"] = round(len(items) * per_doc / (time.process_time() - c))
    st.close()

    # what `quotes extract` does: Store.write_batch, one transaction per 200 documents, each
    # document in a savepoint of its own and written as `add` would (same rows, same ids)
    st = Store(str(tmp / "batches.db"))
    st._ensure()
    items = synthetic_batch(0, 3000, per_doc, people, random.Random(11))  # (rng: the big store's data as before)
    t, c = time.perf_counter(), time.process_time()
    for i in range(0, len(items), 200):
        st.write_batch(items[i:i + 200], "synthetic")
    res["insert_extract_batches_quotes_per_s"] = round(len(items) * per_doc / (time.perf_counter() - t))
    res["insert_extract_batches_quotes_per_cpu_s"] = round(len(items) * per_doc / (time.process_time() - c))
    st.close()

    # the big store, in bulk (one transaction per batch of documents)
    big = tmp / "store.db"
    st = Store(str(big))
    st._ensure()
    done = 0
    insert_time = insert_cpu = 0.0
    last = [0, 0.0, 0.0]  # the last tenth of the store (quotes, wall, CPU): the rate at full size
    while done < nquotes:
        items = synthetic_batch(done // per_doc, batch_docs, per_doc, people, rng)
        t, c = time.perf_counter(), time.process_time()
        st.add_many(items, "synthetic")
        dt, dc = time.perf_counter() - t, time.process_time() - c
        insert_time += dt
        insert_cpu += dc
        if done >= nquotes * 0.9:
            last = [last[0] + batch_docs * per_doc, last[1] + dt, last[2] + dc]
        done += batch_docs * per_doc
    res["store_quotes"] = done
    res["insert_bulk_quotes_per_s"] = round(done / insert_time)
    res["insert_bulk_quotes_per_cpu_s"] = round(done / insert_cpu)
    if last[0]:
        res["insert_bulk_last_tenth_quotes_per_s"] = round(last[0] / last[1])
        res["insert_bulk_last_tenth_quotes_per_cpu_s"] = round(last[0] / last[2])
    res["store_build_s"] = round(insert_time, 1)
    res["store_mb"] = round(sum(p.stat().st_size for p in tmp.glob("store.db*")) / 1e6, 1)

    # speaker lookups, in process (the query `quotes list --speaker` runs and streams)
    queries = [rng.choice(people) for _ in range(150)] + [rng.choice(people).split()[-1] for _ in range(50)]
    lat = []
    rows = 0
    list(st.quotes(speaker=queries[0]))  # warm the page cache
    for q in queries:
        t = time.perf_counter()
        rows += sum(1 for _ in st.quotes(speaker=q))
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    res["list_speaker_p50_ms"] = round(statistics.median(lat), 2)
    res["list_speaker_p99_ms"] = round(lat[int(len(lat) * 0.99) - 1], 2)
    res["list_speaker_rows_per_query"] = round(rows / len(queries), 1)
    st.close()

    # the same, as the command a user types (interpreter start included), a few times
    cli = []
    for q in queries[:5]:
        m = measure([QUOTES, "list", "--speaker", q, "--db", str(big), "--format", "jsonl"])
        cli.append(m["wall_s"] * 1000)
    res["list_speaker_cli_p50_ms"] = round(statistics.median(cli), 1)

    # quotes verify (written by another engineer): measured only if the command exists
    probe = subprocess.run([QUOTES, "verify", "--help"], capture_output=True, cwd=ROOT)
    if probe.returncode != 0:
        res["verify"] = "missing"
    else:
        try:
            from quotes.factcheck.verify import verify
        except ImportError:
            verify = None
        vlat = []
        if verify is not None:
            st = Store(str(big))
            claims = []
            for _ in range(40):
                doc, found = synthetic_batch(rng.randrange(done // per_doc), 1, 1, people, rng)[0]
                claims.append(found[0].content.text)
            for c in claims:
                t = time.perf_counter()
                verify(st, c)
                vlat.append((time.perf_counter() - t) * 1000)
            st.close()
            vlat.sort()
            res["verify_p50_ms"] = round(statistics.median(vlat), 1)
            res["verify_p99_ms"] = round(vlat[int(len(vlat) * 0.99) - 1], 1)
        m = measure([QUOTES, "verify", claims[0] if vlat else "we are ready to talk", "--db", str(big)])
        res["verify_cli_ms"] = round(m["wall_s"] * 1000, 1)
        res["verify_cli_exit"] = m["exit"]
    return res


# ------------------------------------------------------------------ main

def extract_cmd(corpus: Path, db: Path, engine: str, workers: int, indirect: bool = False) -> list[str]:
    cmd = [QUOTES, "extract", str(corpus), "--db", str(db), "--engine", engine, "-q"]
    return cmd + (["--workers", str(workers)] if workers > 1 else []) + (["--indirect"] if indirect else [])


def run(args: argparse.Namespace) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="quotes-bench-"))
    rng = random.Random(7)
    try:
        say = (lambda *a: print(*a, file=sys.stderr, flush=True)) if not args.silent else (lambda *a: None)
        res: dict[str, Any] = {
            "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform(), "loadavg_start": os.getloadavg()},
            "corpus": {"name": "-", "articles": 0, "mb": 0},
            "runs": {},
        }
        if args.only == "store":
            say(f"store of {args.store_quotes:,} quotes ...")
            res["store"] = bench_store(tmp, args.store_quotes, rng, args.store_batch)
            res["machine"]["loadavg_end"] = os.getloadavg()
            return res
        corpus, name = prepare_corpus(args.corpus, args.quick, args.limit, tmp)
        docs, nbytes = corpus_size(corpus)
        res["corpus"] = {"name": name, "articles": docs, "mb": round(nbytes / 1e6, 2)}
        runs = res["runs"]
        say(f"corpus: {name}: {docs} articles, {nbytes / 1e6:.2f} MB")
        # compile the package's bytecode once, as installing it does, before anything is timed
        subprocess.run([PY, "-c", "import quotes.cli, quotes.scale.parallel, quotes.store.snapshot, benchmarks.naive"],
                       env=CHILD_ENV, cwd=ROOT, check=True)
        res["machine"]["bytecode"] = "compiled before the runs, as an installed package is"

        say("scan ...")
        runs["scan"] = rates(measure([PY, "-m", "benchmarks.naive", "--scan", str(corpus), "-"]), docs, nbytes)
        say("naive ...")
        runs["naive"] = rates(measure([PY, "-m", "benchmarks.naive", str(corpus), str(tmp / "naive.jsonl")]),
                              docs, nbytes)
        engines = [e for e in args.engines.split(",") if e]
        for engine in engines:
            # each engine with reported speech off (the default) and on (--indirect, issue 17)
            for indirect in (False, True) if not args.no_indirect else (False,):
                for workers in sorted({1, args.workers}):
                    key = (engine if workers == 1 else f"{engine} --workers {workers}") + (" --indirect" if indirect else "")
                    say(f"{key} ...")
                    db = tmp / f"{engine}-{workers}-{int(indirect)}.db"
                    runs[key] = rates(measure(extract_cmd(corpus, db, engine, workers, indirect)), docs, nbytes)
                    if db.exists():
                        from quotes.store import Store

                        st = Store(str(db))
                        runs[key]["quotes"] = st.execute("select count(*) from quotes")[0][0]
                        if indirect:
                            runs[key]["indirect"] = st.execute("select count(*) from quotes where kind = 'indirect'")[0][0]
                        st.close()
        if "stanza" in engines and args.paragraph_scope:
            # the stanza engine as it was before windows: the model over every quote paragraph
            key = "stanza (paragraph scope)"
            say(f"{key} ...")
            db = tmp / "stanza-paragraphs.db"
            env = dict(CHILD_ENV, QUOTES_STANZA_SCOPE="paragraphs")
            runs[key] = rates(measure(extract_cmd(corpus, db, "stanza", 1), env=env), docs, nbytes)
            if db.exists():
                from quotes.store import Store

                st = Store(str(db))
                runs[key]["quotes"] = st.execute("select count(*) from quotes")[0][0]
                st.close()
        if "stanza" in engines and not args.no_tokenizer:
            say("stanza tokenizer over whole articles ...")
            runs["tokenizer"] = rates(measure([PY, "-m", "benchmarks.run", "--child-tokenize", str(corpus)]),
                                      docs, nbytes)
        if args.store_quotes:
            say(f"store of {args.store_quotes:,} quotes ...")
            res["store"] = bench_store(tmp, args.store_quotes, rng, args.store_batch)
        res["ratios"] = ratios(runs, args.workers)
        res["machine"]["loadavg_end"] = os.getloadavg()
        return res
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ratios(runs: dict[str, Any], workers: int) -> dict[str, float]:
    out = {}

    def ratio(a: str, b: str, field: str = "articles_per_s") -> float | None:
        x, y = runs.get(a, {}).get(field), runs.get(b, {}).get(field)
        return round(x / y, 3) if x and y else None

    for engine in ("rules", "stanza"):
        for ref in ("naive", "tokenizer", "scan"):
            r = ratio(engine, ref)
            if r is not None:
                out[f"{engine} / {ref}"] = r
                out[f"{engine} / {ref} (cpu)"] = ratio(engine, ref, "cpu_articles_per_s")
        r = ratio(f"{engine} --workers {workers}", engine)
        if r is not None:
            out[f"{engine} workers {workers} / 1"] = r
        r = ratio(f"{engine} --indirect", engine)
        if r is not None:
            out[f"{engine} --indirect / off"] = r
    scoped = "stanza (paragraph scope)"
    if ratio(scoped, "tokenizer") is not None:
        out[f"{scoped} / tokenizer"] = ratio(scoped, "tokenizer")
        out[f"{scoped} / tokenizer (cpu)"] = ratio(scoped, "tokenizer", "cpu_articles_per_s")
    return out


def table(res: dict[str, Any]) -> str:
    m, c = res["machine"], res["corpus"]
    lines = [f"machine: {m['cores']} cores, Python {m['python']}, load average "
             f"{m['loadavg_start'][0]:.1f} at start, {m.get('loadavg_end', [0])[0]:.1f} at end",
             f"corpus: {c['name']}: {c['articles']} articles, {c['mb']} MB", "",
             "| run | articles/s | MB/s | wall s | CPU s | articles/CPU-s | peak RSS MB | quotes | indirect |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key, r in res["runs"].items():
        flag = "" if r["exit"] == 0 else f" (exit {r['exit']})"
        lines.append(f"| {key}{flag} | {r['articles_per_s']} | {r['mb_per_s']} | {r['wall_s']} | {r['cpu_s']} | "
                     f"{r['cpu_articles_per_s']} | {r['peak_rss_mb']} | {r.get('quotes', '')} | {r.get('indirect', '')} |")
    if res.get("ratios"):
        lines += ["", "| ratio (articles/s) | value |", "| --- | ---: |"]
        lines += [f"| {k} | {v} |" for k, v in res["ratios"].items()]
    if res.get("store"):
        lines += ["", "| store | value |", "| --- | ---: |"]
        lines += [f"| {k} | {v} |" for k, v in res["store"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", help="Directory of articles (default: PolNeAR train, else samples x1000).")
    ap.add_argument("--json", help="Write the results here as JSON.")
    ap.add_argument("--engines", default="rules,stanza", help="Comma-separated engines (default rules,stanza).")
    ap.add_argument("--workers", type=int, default=2, help="Also run extract with this many workers (1: no).")
    ap.add_argument("--quick", action="store_true", help="100 articles and a 100,000-quote store.")
    ap.add_argument("--limit", type=int, help="Only the first N articles of the corpus.")
    ap.add_argument("--store-quotes", type=int, default=None,
                    help="Size of the synthetic store (default 1,000,000; --quick 100,000; 0: skip).")
    ap.add_argument("--store-batch", type=int, default=100,
                    help="Documents (of 10 quotes) per add_many transaction building the store (default 100).")
    ap.add_argument("--no-tokenizer", action="store_true", help="Skip the whole-article tokenizer reference.")
    ap.add_argument("--no-indirect", action="store_true", help="Skip the runs with reported speech on (--indirect).")
    ap.add_argument("--paragraph-scope", action="store_true",
                    help="Also run the stanza engine with the model over whole quote paragraphs "
                         "(QUOTES_STANZA_SCOPE=paragraphs) instead of windows around doubtful points.")
    ap.add_argument("--only", choices=("all", "store"), default="all",
                    help="store: only the synthetic store benchmark (inserts, list --speaker, verify).")
    ap.add_argument("--silent", action="store_true", help="No progress lines on stderr.")
    ap.add_argument("--child-tokenize", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_tokenize:
        return child_tokenize(args.child_tokenize)
    if args.store_quotes is None:
        args.store_quotes = 100_000 if args.quick else 1_000_000
    res = run(args)
    print(table(res))
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    failed = [k for k, r in res["runs"].items() if r["exit"] != 0]
    for k in failed:
        print(f"error: {k} exited {res['runs'][k]['exit']}: {res['runs'][k].get('stderr', '').strip()}",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
