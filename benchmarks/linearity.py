"""Does extraction time grow linearly with input size? (A benchmark, not a test.)

    .venv/bin/python benchmarks/linearity.py                 # all cases, 3 doublings from 16 KB
    .venv/bin/python benchmarks/linearity.py --base 64000 --steps 2 --cases prose_one_document
    .venv/bin/python benchmarks/linearity.py --big           # ONE document of 5 MB and of 50 MB
    .venv/bin/python benchmarks/linearity.py --big --sizes 5e6,25e6,50e6 --engine stanza --cli

``--big`` runs each size in a fresh process and reports its time and peak RSS (issue 19:
50 MB must take under 10 times the time of 5 MB, in under 1 GB, with the rules engine): the
extractor on one document in process (``extract``), and with ``--cli`` the whole command
on that document as one JSONL line (``quotes extract big.jsonl``: reading, extraction,
the store and its full-text index), measured with ``os.wait4``.

For each case the rules extractor runs on inputs of size base, 2*base, 4*base, ... and the
table shows the seconds and the ratio to the previous size: about 2 is linear, about 4 is
quadratic. A case stops doubling once one run takes longer than --max-seconds. The last
column is the verdict on the worst ratio (linear: <= 2.6).

Cases: many short articles in a batch (the normal workload, one document each), the same
prose as ONE document, and adversarial single documents (quote marks, capitalised words,
runs of punctuation, one huge word). With ``../shared`` present, PolNeAR articles are used as
the prose instead of generated text.
"""
from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import Callable

from quotes.extract.pipeline import Extractor, settle_for_a_long_run
from quotes.types import Document

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POLNEAR = SHARED / "data" / "polnear" / "train" / "text"
NAMES = ["Jane Smith", "Bob Jones", "Ana Pérez", "Li Wei", "Omar Haddad"]


def generated_article(i: int, rnd: random.Random) -> str:
    paras = [f"Council report {i}"]
    for k in range(rnd.randint(3, 8)):
        name, other = rnd.sample(NAMES, 2)
        paras.append(f"“We will look at item {k} of plan {i},” {name} said on Monday. "
                     f"The minister, who spoke to Reuters, called it “a fair deal” for all.")
        paras.append(f"{other} told reporters that the budget was “balanced.” Others disagreed.")
    return "\n\n".join(paras) + "\n"


def articles(size: int) -> list[str]:
    """Articles adding up to about ``size`` characters (PolNeAR when available)."""
    out, total = [], 0
    files = sorted(POLNEAR.glob("*.txt")) if POLNEAR.is_dir() else []
    rnd = random.Random(1)
    i = 0
    while total < size:
        text = files[i % len(files)].read_text(encoding="utf-8") if files else generated_article(i, rnd)
        out.append(text)
        total += len(text)
        i += 1
    return out


def repeat(unit: str) -> Callable[[int], list[str]]:
    return lambda size: [unit * max(1, size // len(unit))]


CASES: dict[str, Callable[[int], list[str]]] = {
    "prose_batch": articles,  # many documents
    "prose_one_document": lambda size: ["\n\n".join(articles(size))],
    "straight_quote_marks": repeat('"'),
    "opening_marks_only": repeat("“"),
    "capitalised_words": repeat("Word "),
    "one_long_word": repeat("a"),
    "commas": repeat(","),
    "dashes": repeat("—-"),
    "full_stops": repeat("."),
    "quote_said_one_paragraph": repeat("“Yes,” he said. "),
}


def timed(ex: Extractor, texts: list[str]) -> tuple[float, int]:
    """Seconds to extract all texts: the best of up to 5 runs while runs are under 1 s."""
    docs = [Document.from_text(t) for t in texts]
    best, n = float("inf"), 0
    for _ in range(5):
        start = time.perf_counter()
        n = sum(len(ex.extract(d)) for d in docs)
        best = min(best, time.perf_counter() - start)
        if best > 1.0:
            break
    return best, n


BIG_CASES = ("prose_one_document", "quote_said_one_paragraph")
# what --big runs unless --cases says otherwise: news text. A quote every 16 characters
# (quote_said_one_paragraph) is linear too, but at about 1 ms and 4 KB a quote (the quotes
# themselves): 3 million quotes at 50 MB are an hour and over 10 GB, so it is asked for by name.
BIG_DEFAULT = ("prose_one_document",)


def _child(case: str, size: int, engine: str) -> None:
    """In a fresh process: build the document, extract it once, print what it cost (JSON)."""
    import json
    import resource

    parts = CASES[case](size)
    text = parts[0] if len(parts) == 1 else "".join(parts)  # (no second copy of a 50 MB text)
    del parts
    ex = Extractor(engine=engine)
    ex.load()
    ex.extract("warm up: “yes,” he said.")
    settle_for_a_long_run()  # as `quotes extract` does
    doc = Document.from_text(text)
    start, cpu = time.perf_counter(), time.process_time()
    found = ex.extract(doc)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "cpu": cpu, "quotes": len(found), "chars": len(text), "peak": peak}))


def _cli(case: str, size: int, engine: str, tmp: Path) -> dict:
    """``quotes extract`` on the document as one JSONL line, in a child process (os.wait4)."""
    import json
    import os
    import subprocess
    import sys

    src, db = tmp / f"{case}-{size}.jsonl", tmp / f"{case}-{size}.db"
    src.write_text(json.dumps({"id": "big", "text": "".join(CASES[case](size))}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "quotes.cli", "extract", str(src), "--engine", engine,
                             "--db", str(db), "-q", "--timeout", "0"], stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if status:
        raise SystemExit(f"quotes extract failed ({status}): {err[-500:]}")
    src.unlink()
    for p in tmp.glob(f"{db.name}*"):
        p.unlink()
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak": usage.ru_maxrss * 1024}


def big(sizes: list[int], engine: str, cli: bool, cases: list[str]) -> None:
    import json
    import subprocess
    import sys
    import tempfile

    print(f"one document, {engine} engine; each size in a fresh process")
    head = f"{'case':<26} {'what':<8} " + " ".join(f"{n / 1e6:>17,g} MB {'':>10}" for n in sizes)
    print(head + "  verdict")
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            rows: dict[str, list[dict]] = {"extract": [], "cli": []}
            for n in sizes:
                done = subprocess.run([sys.executable, __file__, "--child", case, str(n), engine],
                                      capture_output=True, text=True, check=True)
                rows["extract"].append(json.loads(done.stdout.splitlines()[-1]))
                if cli:
                    rows["cli"].append(_cli(case, n, engine, Path(tmp)))
            for what, got in rows.items():
                if not got:
                    continue
                cells = [f"{g['seconds']:6.1f}s ({g['cpu']:.1f}s CPU) {g['peak'] / 2 ** 20:5,.0f} MB" for g in got]
                # CPU time: on a shared machine wall time is also the other processes
                ratio = got[-1]["cpu"] / got[0]["cpu"] if got[0]["cpu"] > 0 else 0
                size_ratio = sizes[-1] / sizes[0]
                ok = ratio < size_ratio and got[-1]["peak"] < 2 ** 30  # issue 19's done-when
                verdict = (f"x{ratio:.1f} CPU time for x{size_ratio:.0f} size, peak {got[-1]['peak'] / 2 ** 20:,.0f} MB: "
                           + ("near-linear, under 1 GB" if ok else "SUPERLINEAR or too big"))
                print(f"{case:<26} {what:<8} " + " ".join(f"{c:>30}" for c in cells) + f"  {verdict}", flush=True)


def main() -> None:
    import sys

    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=int, default=16_000, help="first input size in characters")
    ap.add_argument("--steps", type=int, default=3, help="how many doublings")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="stop doubling a case after a run this long")
    ap.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    ap.add_argument("--big", action="store_true", help="one document of each of --sizes, in fresh processes: "
                                                          "time and peak RSS")
    ap.add_argument("--sizes", default="5e6,50e6", help="--big: document sizes in characters (default 5e6,50e6)")
    ap.add_argument("--engine", default="rules", choices=("rules", "stanza"), help="--big: the engine")
    ap.add_argument("--cli", action="store_true", help="--big: also the whole `quotes extract` on a JSONL line")
    args = ap.parse_args()
    if args.big:
        big([int(float(x)) for x in args.sizes.split(",")], args.engine, args.cli,
            [c for c in args.cases if c in BIG_CASES] if args.cases != list(CASES) else list(BIG_DEFAULT))
        return
    ex = Extractor(engine="rules")
    ex.extract("warm up: “yes,” he said.")
    print(f"{'case':<26} " + " ".join(f"{args.base * 2 ** k:>16,}" for k in range(args.steps + 1)) + "  verdict")
    for name in args.cases:
        cells, ratios, previous = [], [], None
        for k in range(args.steps + 1):
            seconds, quotes = timed(ex, CASES[name](args.base * 2 ** k))
            ratio = seconds / previous if previous and previous > 0.05 else None  # tiny times are noise
            if ratio is not None:
                ratios.append(ratio)
            cells.append(f"{seconds:7.2f}s" + (f" x{ratio:4.1f}" if ratio else "      "))
            previous = seconds
            if seconds > args.max_seconds:
                break
        worst = max(ratios, default=0.0)
        verdict = "linear" if worst <= 2.6 else f"SUPERLINEAR (x{worst:.1f} per doubling)"
        print(f"{name:<26} " + " ".join(f"{c:>16}" for c in cells) + f"  {verdict}", flush=True)


if __name__ == "__main__":
    main()
