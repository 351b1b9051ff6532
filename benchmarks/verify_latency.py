"""Verify latency on a synthetic store of 1,000,000 quotes.

    .venv/bin/python -m benchmarks.verify_latency [--quotes 1000000] [--claims 200] [--db PATH]

Words are drawn from the PolNeAR word distribution when ../shared is there
(else a Zipf-distributed synthetic vocabulary); quote lengths are log-normal
around 18 words; 20 quotes per document, each written into the document
text at its offsets. Rows go in with ``executemany`` in large transactions
(the FTS5 triggers of revision 0002 index them as they land). Then ~200
claims (exact, one word changed, truncated, stitched, unknown) are verified
and the latency p50/p99 printed as JSON. Targets: p50 < 300 ms, p99 < 1 s.

Then ``--short-claims`` more (drawn after the first ones, so those stay the
same): a stored quote of 2-5 words with one word changed (``short``: verify
searches such claims wider, stop words included) and 2-5 of the commonest
words (``common``: the slowest kind of short claim to search); reported
apart (``short_*``) and in the ``all_*`` figures.
"""
from __future__ import annotations

import argparse
import collections
import json
import math
import random
import re
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from quotes.store.search import words
from quotes.store import Store
from quotes.factcheck.verify import verify

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear"
PER_DOC = 20
BATCH = 50_000


def vocabulary(rng: random.Random) -> tuple[list[str], list[float]]:
    counts: collections.Counter[str] = collections.Counter()
    files = sorted((DATA / "train" / "text").glob("*.txt")) if DATA.is_dir() else []
    for f in files[:400]:
        counts.update(re.findall(r"[A-Za-z][a-z']*", f.read_text(encoding="utf-8", errors="replace")))
    if len(counts) < 1000:  # synthetic Zipf vocabulary
        letters = "etaoinshrdlcumwfgypbvk"
        vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 10))) for _ in range(30000)]
        weights = [1 / (r + 1) for r in range(len(vocab))]
        return vocab, list(_cumulate(weights))
    vocab, freq = zip(*counts.most_common())
    return list(vocab), list(_cumulate(freq))


def _cumulate(xs):
    total = 0.0
    for x in xs:
        total += x
        yield total


def build(db: str, n_quotes: int, rng: random.Random) -> float:
    vocab, cum = vocabulary(rng)
    store = Store(db)
    store.upgrade()  # schema + FTS triggers
    store.close()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("BEGIN")
    con.executemany("INSERT INTO speakers (id, name, key, type) VALUES (?, ?, ?, 'person')",
                    [(i, f"Speaker {i}", f"speaker {i}") for i in range(1, 5001)])
    con.execute("COMMIT")
    t0 = time.perf_counter()
    qid = 0
    doc_id = 0
    while qid < n_quotes:
        docs, qs, atts = [], [], []
        for _ in range(BATCH // PER_DOC):
            if qid >= n_quotes:
                break
            doc_id += 1
            parts, pos = [], 0
            for _ in range(min(PER_DOC, n_quotes - qid)):
                qid += 1
                length = max(2, min(80, int(math.exp(rng.gauss(math.log(16), 0.6)))))
                ws = rng.choices(vocab, cum_weights=cum, k=length)
                text = " ".join(ws)
                text = text[0].upper() + text[1:] + ","
                sp = rng.randint(1, 5000)
                chunk = f"\u201c{text}\u201d Speaker {sp} said. "
                start = pos
                cue = pos + len(text) + 2 + len(f" Speaker {sp} ")
                qs.append((qid, doc_id, start, start + len(text) + 2, start + 1, start + 1 + len(text),
                           text, "direct", 1))
                atts.append((qid, qid, sp, cue, cue + 4, "said"))
                parts.append(chunk)
                pos += len(chunk)
            day = 1 + doc_id % 28
            docs.append((doc_id, f"synthetic/{doc_id}.txt", f"{doc_id:064x}", "".join(parts),
                         f"2019-{1 + doc_id % 12:02d}-{day:02d}"))
        con.execute("BEGIN")
        con.executemany("INSERT INTO documents (id, path, sha256, text, date, engine) "
                        "VALUES (?, ?, ?, ?, ?, 'synthetic')", docs)
        con.executemany('INSERT INTO quotes (id, document_id, start, "end", content_start, content_end, '
                        "text, kind, closed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", qs)
        con.executemany("INSERT INTO attributions (id, quote_id, speaker_id, cue_start, cue_end, cue_text, "
                        "confidence) VALUES (?, ?, ?, ?, ?, ?, 0.9)", atts)
        con.execute("COMMIT")
    con.execute("INSERT INTO quote_search(quote_search) VALUES ('optimize')")
    con.close()
    return time.perf_counter() - t0


def claims(db: str, n: int, rng: random.Random) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    top = con.execute("SELECT max(id) FROM quotes").fetchone()[0]

    def text() -> str:
        while True:
            t = con.execute("SELECT text FROM quotes WHERE id = ?", (rng.randint(1, top),)).fetchone()[0]
            if len(words(t)) >= 6:
                return t

    out = []
    for k in range(n):
        kind = ("exact", "altered", "truncated", "stitched", "unknown")[k % 5]
        t = text()
        ws = words(t)
        if kind == "exact":
            out.append((kind, t))
        elif kind == "altered":
            w = ws[rng.randrange(len(ws))]
            out.append((kind, t[:w.start] + "xylophone" + t[w.end:]))
        elif kind == "truncated":
            out.append((kind, t[ws[len(ws) // 3].start:ws[-2].end]))
        elif kind == "stitched":
            u = text()
            wu = words(u)
            out.append((kind, t[:ws[len(ws) // 2].end] + " " + u[wu[len(wu) // 2].start:]))
        else:
            out.append((kind, " ".join(rng.sample(["quantum", "marmalade", "zeppelin", "okapi",
                                                   "fjord", "quokka", "nebula", "tundra"], 6))))
    con.close()
    return out


def short_claims(db: str, n: int, rng: random.Random) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    top = con.execute("SELECT max(id) FROM quotes").fetchone()[0]
    common = [r[0] for r in con.execute(
        "SELECT text FROM quotes WHERE id <= 2000")]  # the commonest words of a sample
    counts = collections.Counter(w.key for t in common for w in words(t))
    frequent = [w for w, _ in counts.most_common(30)]
    out = []
    for k in range(n):
        if k % 2 == 0:
            while True:
                t = con.execute("SELECT text FROM quotes WHERE id = ?", (rng.randint(1, top),)).fetchone()[0]
                ws = words(t)
                if 2 <= len(ws) <= 5:
                    break
            w = ws[rng.randrange(len(ws))]
            out.append(("short", t[:w.start] + "xylophone" + t[w.end:]))
        else:
            out.append(("common", " ".join(rng.sample(frequent, rng.randint(2, 5)))))
    con.close()
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quotes", type=int, default=1_000_000)
    ap.add_argument("--claims", type=int, default=200)
    ap.add_argument("--db", default=None, help="Reuse this store if it exists (default: a temp file).")
    ap.add_argument("--short-claims", type=int, default=100)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    db = args.db or str(Path(tempfile.mkdtemp(prefix="verify_latency_")) / "quotes.db")
    build_s = None
    if not Path(db).exists():
        build_s = build(db, args.quotes, rng)
    store = Store(db)
    tests = claims(db, args.claims, rng)
    shorts = short_claims(db, args.short_claims, rng) if args.short_claims else []
    verify(store, tests[0][1])  # warm up: migrations check, page cache
    times: dict[str, list[float]] = collections.defaultdict(list)
    right = collections.Counter()
    verdicts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for kind, claim in tests + shorts:
        t = time.perf_counter()
        got = verify(store, claim)[0].verdict
        times[kind].append(time.perf_counter() - t)
        expected = "not found" if kind in ("unknown", "common") else "altered" if kind == "short" else kind
        right[kind] += got == expected
        verdicts[kind][got] += 1
    every = [x for kind, xs in times.items() if kind not in ("short", "common") for x in xs]
    everything = [x for xs in times.values() for x in xs]
    n_quotes = store.execute("SELECT count(*) FROM quotes")[0][0]
    print(json.dumps({
        "quotes": n_quotes,
        "build_seconds": None if build_s is None else round(build_s, 1),
        "claims": len(every),
        "p50_ms": round(1000 * statistics.median(every), 1),
        "p99_ms": round(1000 * pct(every, 0.99), 1),
        "max_ms": round(1000 * max(every), 1),
        "all_claims": len(everything),
        "all_p50_ms": round(1000 * statistics.median(everything), 1),
        "all_p99_ms": round(1000 * pct(everything, 0.99), 1),
        "all_max_ms": round(1000 * max(everything), 1),
        "by_kind_p50_ms": {k: round(1000 * statistics.median(v), 1) for k, v in times.items()},
        "by_kind_p99_ms": {k: round(1000 * pct(v, 0.99), 1) for k, v in times.items()},
        "expected_verdict_share": {k: round(right[k] / len(v), 3) for k, v in times.items()},
        "verdicts": {k: dict(v) for k, v in verdicts.items()},
        "db": db,
    }, indent=2))


if __name__ == "__main__":
    main()
