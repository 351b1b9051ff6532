"""From the tagger's three BIO layers of one sentence to attributions: each stretch of content
with its cue and its source, in word indices.

    "A, he said, B": two stretches of content around one cue are one attribution;
    a sentence with no tagged source takes its most source-like word, grown to its neighbours;
    a source cut after a function word ("The regime of") runs on to the cue.
"""
from __future__ import annotations

from dataclasses import dataclass

O, B, I = 0, 1, 2
# Words that may stand between two stretches of one content besides its cue and source
GLUE = frozenset(",;:—–-\"“”'‘’()`") | {"''", "``", "--"}
# A source ending with one of these was cut short
OPEN_END = frozenset({"of", "the", "a", "an", "for", "from", "in", "at", "on", "to", "and", "'s", "’s", "by", "with"})


@dataclass(frozen=True)
class Attribution:
    """Word-index spans ``(i, j)`` (j exclusive) of one attribution in a sentence."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None


def spans_of(tags: list[int]) -> list[tuple[int, int]]:
    """BIO tags -> (i, j) spans; a stray I opens a span."""
    out, start = [], None
    for k, t in enumerate(tags):
        if t == B or (t == I and start is None):
            if start is not None:
                out.append((start, k))
            start = k
        elif t == O and start is not None:
            out.append((start, k))
            start = None
    if start is not None:
        out.append((start, len(tags)))
    return out


def fallback_source(probs, cue: tuple[int, int], lowest: float = 0.1, grow: float = 0.05) -> tuple[int, int] | None:
    """No source tagged: the most source-like word, if likely enough, grown while its neighbours
    stay above ``grow`` (and not into the cue)."""
    ps = probs[:, 2, 1] + probs[:, 2, 2]
    k = int(ps.argmax())
    if ps[k] < lowest:
        return None
    i = k
    while i > 0 and ps[i - 1] >= grow:
        i -= 1
    j = k + 1
    while j < len(ps) and ps[j] >= grow and not (cue[0] <= j < cue[1]):
        j += 1
    return i, j


def _extend_source(ws: list[str], src: tuple[int, int], cue: tuple[int, int] | None,
                   content: tuple[int, int]) -> tuple[int, int]:
    """A source cut after a function word runs on to the cue or the content when they follow
    within six words, all of them words (no punctuation between)."""
    i, j = src
    if ws[j - 1].lower() not in OPEN_END:
        return src
    following = [x for x in ((cue[0] if cue else None), content[0]) if x is not None and x >= j]
    if not following:
        return src
    stop = min(following)
    if stop - j <= 6 and all(ws[k][:1].isalnum() for k in range(j, stop)):
        return i, stop
    return src


def group(ws: list[str], content: list[int], cues: list[int], sources: list[int], probs=None) -> list[Attribution]:
    """The attributions of one sentence from its words ``ws`` and the three tag layers; with
    ``probs`` a content with a cue and no tagged source takes the fallback source."""
    spans_c, spans_k, spans_s = spans_of(content), spans_of(cues), spans_of(sources)
    role: list[str | None] = [None] * len(ws)
    for i, j in spans_k:
        for k in range(i, j):
            role[k] = "cue"
    for i, j in spans_s:
        for k in range(i, j):
            role[k] = role[k] or "source"
    # content stretches separated only by one cue, a source and punctuation are one ("A, he said, B")
    groups: list[list[tuple[int, int]]] = []
    for c in spans_c:
        if groups and len(groups[-1]) == 1:
            pi, pj = groups[-1][-1]
            n_cues = sum(1 for k in spans_k if pj <= k[0] < c[0])
            before = groups[-2][-1][1] if len(groups) > 1 else 0
            cue_before = any(role[k] == "cue" for k in range(before, pi))
            if n_cues == 1 and not cue_before and \
                    all(role[k] in ("cue", "source") or ws[k] in GLUE for k in range(pj, c[0])):
                groups[-1].append(c)
                continue
        groups.append([c])
    out = []
    for g in groups:
        cs, ce = g[0][0], g[-1][1]
        # the cue: one between the stretches, else the nearest (one before the content preferred)
        inside = [k for k in spans_k if cs <= k[0] < ce]
        if inside:
            cue = inside[0]
        else:
            near = [(abs(k[1] - cs) if k[1] <= cs else abs(k[0] - ce) + 0.5, k) for k in spans_k]
            cue = min(near)[1] if near else None
        src = None
        if spans_s:
            anchor = cue if cue else (cs, ce)
            near = []
            for s in spans_s:
                # a source inside the content is rarely its own
                penalty = 100 if (cs <= s[0] and s[1] <= ce and not any(s[0] >= a and s[1] <= b for a, b in spans_k)
                                  and not inside) else 0
                distance = anchor[0] - s[1] if s[1] <= anchor[0] else s[0] - anchor[1] + 0.5
                near.append((penalty + distance, s))
            src = min(near)[1]
        elif probs is not None and cue is not None:
            src = fallback_source(probs, cue)
        if src is not None:
            src = _extend_source(ws, src, cue, (cs, ce))
        out.append(Attribution((cs, ce), cue, src))
    return out
