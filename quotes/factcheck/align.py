"""How a claim's words line up with one stored quote's words, and whether chance alone
would explain it as well (:func:`chance`, ``MAX_CHANCE``)."""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Sequence

from ..store.search import Lengths, TermStats


MIN_SIMILARITY = 0.6  # altered: 2*matched / (claim words + stored words in the window)


@dataclass(frozen=True)
class _Align:
    match: str  # exact | truncated | extended | altered
    similarity: float
    first: int  # stored word range matched (inclusive)
    last: int
    changes: tuple[tuple[str, int, int, int, int], ...]  # (op, c_lo, c_hi, s_lo, s_hi) word indices
    note: str | None = None
    coverage: float = 1.0  # share of the claim's words, or of the stored span's, that match
    whole: float = 1.0  # share of the claim's words, or of the whole stored quote's, that match
    spread: int = 0  # how many more (or fewer) words the claim has than the stored span
    shared: tuple[str, ...] = ()  # the claim's words that match, in order
    framed: bool = True  # the claim lines up with the whole stored quote (no words cut or added at an end)

    @property
    def rank(self) -> tuple[float, int, float]:
        """What candidates are ranked by, best first when sorted descending.

        First the share of matched words (one changed word costs as much as one
        added word, so "He was very meadow." is the stored "He was very happy."
        altered, not "He was very" extended); then, on a tie, the span as long
        as the claim (a claim of n words with one word changed is the stored
        quote of n words, not a longer one with a word added); then the share of
        the whole stored quote that matches (a quote the claim covers beats a
        longer one holding the same words). The similarity shown stays the
        Dice score."""
        return (round(self.coverage, 3), -self.spread, round(self.whole, 3))


def _align(claim: Sequence[str], stored: Sequence[str]) -> _Align | None:
    """How the claim's words line up with one stored quote's words, or None."""
    n, m = len(claim), len(stored)
    if not n or not m:
        return None
    ops = _positional(claim, stored)
    if ops is None:
        ops = _split_end_replaces(SequenceMatcher(None, claim, stored, autojunk=False).get_opcodes())
    i, j = 0, len(ops)
    while i < j and ops[i][0] in ("insert", "delete"):
        i += 1
    while j > i and ops[j - 1][0] in ("insert", "delete"):
        j -= 1
    core = ops[i:j]
    if not core:
        return None
    ends = ops[:i] + ops[j:]
    extended = any(op == "delete" for op, *_ in ends)  # claim-only words at an end
    truncated = any(op == "insert" for op, *_ in ends)  # stored-only words at an end
    shared = tuple(k for op, a1, a2, _, _ in core if op == "equal" for k in claim[a1:a2])
    matched = len(shared)
    window = core[-1][4] - core[0][3]
    first, last = core[0][3], core[-1][4] - 1
    inner = [(op, a1, a2, b1, b2) for op, a1, a2, b1, b2 in core if op != "equal"]
    similarity = 2 * matched / (n + window) if (n + window) else 0.0
    framed = not extended and not truncated
    shape = {"shared": shared, "framed": framed, "whole": matched / max(n, m)}
    if not inner:
        if not extended:
            return _Align("exact" if not truncated else "truncated", 1.0, first, last, (), None, 1.0,
                          **shape)
        if matched >= 3 and 2 * matched >= n or matched == m and matched >= 3:
            note = "the claim starts inside the stored quote and runs past its end" if truncated else None
            adds = tuple(("added", a1, a2, _edge(b1, b2, core), _edge(b1, b2, core))
                         for op, a1, a2, b1, b2 in ends if op == "delete")
            return _Align("extended", 2 * matched / (n + m if not truncated else n + window),
                          first, last, adds, note, matched / max(n, window), spread=n - window, **shape)
        return None
    # one word changed in a quote of as many words: altered however short ("Your walrus" for
    # "Your Honor"); whether one shared word says enough is for _believed to judge
    swapped = framed and matched >= 1 and len(inner) == 1 and inner[0][0] == "replace" and \
        inner[0][2] - inner[0][1] == 1 == inner[0][4] - inner[0][3]
    if (matched < 2 or 2 * matched < n or similarity < MIN_SIMILARITY) and not swapped:
        return None
    changes = []
    for op, a1, a2, b1, b2 in inner:
        kind = {"replace": "changed", "delete": "added", "insert": "dropped"}[op]
        changes.append((kind, a1, a2, b1, b2))
    for op, a1, a2, b1, b2 in ends:
        if op == "delete":
            at = _edge(b1, b2, core)
            changes.append(("added", a1, a2, at, at))
    note = "part of a longer stored quote" if truncated else None
    return _Align("altered", similarity, first, last, tuple(sorted(changes, key=lambda c: c[1])), note,
                  matched / max(n, window), spread=abs(n - window), **shape)


MAX_SWAPS = 2


def _positional(claim: Sequence[str], stored: Sequence[str]) -> list | None:
    """Word-for-word opcodes when the claim has as many words as the stored
    quote and at most ``MAX_SWAPS`` of them differ, else None. (The longest-
    block matching can line a repeated word up with the wrong copy: "That's
    trombone, terrible," against "That's terrible, terrible," is one word
    changed, not one added and one cut.)"""
    if len(claim) != len(stored):
        return None
    differ = [k for k, (a, b) in enumerate(zip(claim, stored)) if a != b]
    if len(differ) > MAX_SWAPS:
        return None
    ops, pos = [], 0
    for k in differ:
        if ops and ops[-1][0] == "replace" and ops[-1][2] == k:
            ops[-1] = ("replace", ops[-1][1], k + 1, ops[-1][3], k + 1)
        else:
            if k > pos:
                ops.append(("equal", pos, k, pos, k))
            ops.append(("replace", k, k + 1, k, k + 1))
        pos = k + 1
    if pos < len(claim):
        ops.append(("equal", pos, len(claim), pos, len(claim)))
    return ops


def _edge(b1: int, b2: int, core: list) -> int:
    """Where claim-only words at an end attach in the stored words."""
    return core[0][3] if b1 <= core[0][3] else core[-1][4]


def _split_end_replaces(ops: list) -> list:
    """A long 'replace' at either end: the claim's words there change as many of the stored
    words next to the matched core, and the rest is a cut (the stored quote goes on) or an
    extension (the claim goes on). A claim ends past the stored quote only where the stored
    quote has no words left: a claim that changes the last word of a stored quote that goes
    on ("... act of aggression" for "... act of violence, having ...") is altered, not
    extended."""
    def split(op: tuple, at_end: bool) -> list:
        tag, a1, a2, b1, b2 = op
        if tag != "replace" or max(a2 - a1, b2 - b1) <= 3:
            return [op]
        k = min(a2 - a1, b2 - b1)
        if at_end:  # the changed words touch the core, the rest runs on after them
            rest = [("delete", a1 + k, a2, b1 + k, b1 + k)] if a2 - a1 > k else \
                [("insert", a1 + k, a1 + k, b1 + k, b2)] if b2 - b1 > k else []
            return [("replace", a1, a1 + k, b1, b1 + k)] + rest
        rest = [("delete", a1, a2 - k, b1, b1)] if a2 - a1 > k else \
            [("insert", a1, a1, b1, b2 - k)] if b2 - b1 > k else []
        return rest + [("replace", a2 - k, a2, b2 - k, b2)]

    if len(ops) < 2:
        return ops
    return split(ops[0], False) + ops[1:-1] + split(ops[-1], True)


# altered: at most this many stored quotes expected to line up as well by chance (see chance());
# calibrated on PolNeAR (benchmarks/verify_polnear.py prints the false-altered rate of random claims)
MAX_CHANCE = 0.2  # the claim lines up with a whole stored quote
MAX_CHANCE_ONE_WORD = 0.05  # ... sharing only one word with it (two-word claims)
MAX_CHANCE_IN_SPAN = 0.01  # the claim lines up with a span of a longer quote


def _bar(a: _Align) -> float:
    if not a.framed:
        return MAX_CHANCE_IN_SPAN
    return MAX_CHANCE_ONE_WORD if len(a.shared) == 1 else MAX_CHANCE


def chance(a: _Align, claim: Sequence[str], m: int, stats: TermStats, lengths: Lengths | None = None) -> float:
    """About how many stored quotes would line up with ``claim`` (its word
    keys) as well as ``a`` does (against a stored quote of ``m`` words) by
    chance alone: an E-value, as in sequence search. A stored word is taken
    to be ``key`` with probability q = (share of quotes holding it) / (mean
    words per quote), and "as well" means as many of the claim's words, any of
    them, in place: the sum over every set of that many claim words of the
    product of their q (so a claim word no stored quote holds adds nothing,
    and a common one the claim does not share still counts: "the banana"
    lines up by chance with fewer quotes than "the said").

    * the claim lines up with the whole stored quote (``a.framed``): quotes of
      ``m`` words, times that sum, times the ways to place the shared words
      among a longer quote's (C(max(n, m), M) / C(n, M); 1 when the claim has
      as many words as the quote: the words are then in place);
    * the claim lines up with a span of a longer quote: every word of the store
      could start the span (quotes x mean words), times that sum, times the
      ways to place the shared words in the span (C(span - 1, M - 1)).

    Without ``lengths`` the result is an upper bound (every quote taken to be
    ``m`` words long, the mean length taken as 1); a word not looked up in
    ``stats`` is taken to be in every quote."""
    k = len(a.shared)
    n = len(claim)
    mean = max(1.0, lengths.mean) if lengths is not None else 1.0
    lined = _subsets(tuple(_per_word(claim, stats, mean)))[k]
    e = float(max(1, stats.quotes)) * lined
    if a.framed:
        share = lengths.share(m) if lengths is not None else 1.0
        return e * share * _comb_ratio(max(n, m), n, k)
    span = a.last - a.first + 1
    return e * mean * _comb_ratio(max(span - 1, 0), 0, max(k - 1, 0))


def _per_word(claim: Sequence[str], stats: TermStats, mean: float) -> list[float]:
    """q for each claim word (1 / mean for a word not looked up: it may be in every quote)."""
    out = []
    for key in claim:
        share = stats.share(key)
        out.append((1.0 if share is None else share) / mean)
    return out


@functools.lru_cache(maxsize=4)  # one claim's q's are asked about once per candidate
def _subsets(qs: tuple[float, ...]) -> tuple[float, ...]:
    """For each k, the sum over every set of k of the ``qs`` of their product
    (the elementary symmetric polynomials e_0 .. e_n)."""
    e = [1.0] + [0.0] * len(qs)
    for i, q in enumerate(qs, 1):
        for j in range(i, 0, -1):
            e[j] += e[j - 1] * q
    return tuple(e)


def _comb_ratio(big: int, small: int, k: int) -> float:
    """C(big, k) / C(small, k) (C(small, k) taken as 1 when ``small`` < ``k``), in floats."""
    def log_comb(n: int, r: int) -> float:
        if r < 0 or r > n:
            return 0.0
        return math.lgamma(n + 1) - math.lgamma(r + 1) - math.lgamma(n - r + 1)

    return math.exp(min(700.0, log_comb(big, k) - log_comb(small, k)))
