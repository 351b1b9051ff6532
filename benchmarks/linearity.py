"""Does extraction time grow linearly with input size? (A benchmark, not a test.)

    .venv/bin/python benchmarks/linearity.py                 # all cases, 3 doublings from 16 KB
    .venv/bin/python benchmarks/linearity.py --base 64000 --steps 2 --cases prose_one_document

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

from quotes.extract.pipeline import Extractor
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", type=int, default=16_000, help="first input size in characters")
    ap.add_argument("--steps", type=int, default=3, help="how many doublings")
    ap.add_argument("--max-seconds", type=float, default=60.0, help="stop doubling a case after a run this long")
    ap.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    args = ap.parse_args()
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
