"""What several sieves read: a reporting verb at a token, adverbs and a short parenthesis to
step over, white space around a quote."""
from __future__ import annotations

from ...lang import en
from ..context import DocContext
from ..mentions import AUX_ADVERBS, is_cue_verb


ING_CUES = frozenset(w for w in en.CUE_VERBS if w.endswith("ing"))


def cue_at(ctx: DocContext, k: int) -> bool:
    return ctx.lowers[k] in en.CUE_VERBS and is_cue_verb(ctx.toks, k)  # most words are no verb of the list


def skip_adverbs(ctx: DocContext, r: int, limit: int) -> int:
    toks = ctx.toks
    while r < limit and not toks[r].is_cap and (toks[r].lower in AUX_ADVERBS or toks[r].lower.endswith("ly")):
        r += 1
    return r


def past_parenthesis(ctx: DocContext, k: int, limit: int, reach: int = 10) -> int | None:
    """If token ``k`` opens a short parenthesis ("(R-Fla.)"), the index of the token after it."""
    toks = ctx.toks
    if k >= limit or toks[k].text != "(":
        return None
    for j in range(k + 1, min(limit, k + reach)):
        if toks[j].text == ")":
            return j + 1
        if toks[j].text == "(":
            return None
    return None


def skip_space(text: str, i: int, end: int) -> int:
    """The first offset at or after ``i`` (before ``end``) that is not white space."""
    while i < end and text[i].isspace():
        i += 1
    return i


def skip_space_back(text: str, i: int, start: int) -> int:
    """The offset just after the last non-space character before ``i`` (not before ``start``)."""
    while i > start and text[i - 1].isspace():
        i -= 1
    return i
