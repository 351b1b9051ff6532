"""Compare two benchmark runs: ``python -m benchmarks.compare a.json b.json``.

Prints every number both runs hold, side by side, with b/a; for times and
memory (lower is better) the change is flagged the other way round.
"""
from __future__ import annotations

import json
import sys
from typing import Any

LOWER_IS_BETTER = ("wall_s", "cpu_s", "peak_rss_mb", "_ms", "store_build_s", "store_mb")


def flatten(res: dict[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, run in res.get("runs", {}).items():
        for field, v in run.items():
            if isinstance(v, (int, float)) and field != "exit":
                out[f"{key}: {field}"] = v
    for section in ("ratios", "store"):
        for k, v in (res.get(section) or {}).items():
            if isinstance(v, (int, float)):
                out[f"{section}: {k}"] = v
    return out


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    fa, fb = flatten(a), flatten(b)
    lines = [f"a: {a.get('corpus', {}).get('name')} ({a.get('corpus', {}).get('articles')} articles), "
             f"b: {b.get('corpus', {}).get('name')} ({b.get('corpus', {}).get('articles')} articles)", "",
             "| measure | a | b | b/a | |", "| --- | ---: | ---: | ---: | --- |"]
    for k in [k for k in fa if k in fb]:
        x, y = fa[k], fb[k]
        r = y / x if x else float("nan")
        lower = any(k.endswith(s) for s in LOWER_IS_BETTER)
        better = (r < 1) if lower else (r > 1)
        mark = "" if abs(r - 1) < 0.05 or r != r else ("better" if better else "worse")
        lines.append(f"| {k} | {x:g} | {y:g} | {r:.2f} | {mark} |")
    only = sorted(set(fa) ^ set(fb))
    if only:
        lines += ["", "in one run only: " + ", ".join(only)]
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m benchmarks.compare a.json b.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as fa, open(argv[1], encoding="utf-8") as fb:
        print("\n".join(compare(json.load(fa), json.load(fb))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
