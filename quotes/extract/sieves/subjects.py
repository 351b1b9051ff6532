"""The subject of a sentence or clause, for the sieves that credit a quote to it (and for the
resolver: who "the statement" or "the party" is)."""
from __future__ import annotations

from ...lang import en
from ...types import Span
from ..context import DocContext
from ..mentions import AUX_ADVERBS, DETERMINERS, NOT_NAMES, np_after
from .common import past_parenthesis, skip_adverbs


def clause_subject(ctx: DocContext, start: int, end: int) -> Span | None:
    """The subject of a sentence (see :func:`_find_clause_subject`), computed once per span."""
    return ctx.clause_subject_cached((start, end), lambda: _find_clause_subject(ctx, start, end))


def is_named(span: Span) -> bool:
    """Does the phrase hold a name ("Maria Lopez", "the Harbour Ministry"), not just a
    capitalised determiner ("The storm")?"""
    words = span.text.split()
    if words and words[0].lower() in en.SUBJECT_DETERMINERS:
        words = words[1:]
    return any(w[:1].isupper() for w in words)


def _common_noun_subject(ctx: DocContext, k0: int, end: int) -> Span | None:
    """A short determiner phrase of common nouns right before a finite verb: "The lawsuit
    contends", "The billionaire businessman began", "Her economic plan promises"."""
    toks = ctx.toks
    if toks[k0].lower not in en.SUBJECT_DETERMINERS:
        return None
    k = k0 + 1
    while k < len(toks) and k - k0 <= 4 and toks[k].is_word and not toks[k].is_cap \
            and toks[k].lower not in en.FINITE_VERBS and toks[k].lower not in en.NOT_VERBS \
            and toks[k].lower not in en.CUE_VERBS and not toks[k].lower.endswith("ed"):
        k += 1
    if k == k0 + 1 or k >= len(toks) or toks[k].start >= end:
        return None
    verb = toks[k].lower
    if not (verb in en.FINITE_VERBS or verb in en.CUE_VERBS or verb.endswith("ed")):
        return None
    return Span.of(ctx.text, toks[k0].start, toks[k - 1].end)


# Heads of a group that do not end in -s ("Opposition leadership said", "Kenyan police warned")
_GROUP_HEADS = frozenset("police staff people media leadership government military clergy youth".split())
# Words in -s that are no plural noun ("Obama always says")
_NOT_PLURALS = frozenset("always sometimes perhaps afterwards nevertheless besides thus towards was has does "
                         "as its this".split())


def _with_plural_head(ctx: DocContext, np: Span, end: int) -> Span:
    """A name that only modifies the plural noun after it names no one: "Aid groups warned",
    "Opposition parties said", "Trump supporters chanted", "White House officials said": the
    subject is the whole phrase, up to its verb."""
    toks = ctx.toks
    k = k1 = ctx.tok_index(np.end)
    if np.text.endswith(("'s", "’s", "s'", "s’")) or (k < len(toks) and toks[k].lower in ("'s", "’s")):
        return np  # "Mr. Obama's eyes welled up": a possessor, read as the sieves always have
    while k < len(toks) and k - k1 < 2 and toks[k].is_word and not toks[k].is_cap and toks[k].start < end \
            and toks[k].lower not in en.FINITE_VERBS and toks[k].lower not in en.NOT_VERBS \
            and toks[k].lower not in en.CUE_VERBS and toks[k].lower not in AUX_ADVERBS \
            and toks[k].lower not in _NOT_PLURALS \
            and not toks[k].lower.endswith(("ed", "ly")):
        k += 1
    if k == k1 or k >= len(toks) or toks[k].start > end:  # (the verb may be where the span ends)
        return np
    head, verb = toks[k - 1].lower, toks[k].lower
    plural = head in _GROUP_HEADS or (head.endswith("s") and not head.endswith(("ss", "us", "is")))
    if plural and (verb in en.FINITE_VERBS or verb in en.CUE_VERBS or verb.endswith("ed")):
        return Span.of(ctx.text, np.start, toks[k - 1].end)
    return np


def _find_clause_subject(ctx: DocContext, start: int, end: int) -> Span | None:
    """The subject of a sentence: the first noun phrase, at the sentence start or after a comma,
    that a verb follows ("In early 2018, the party sent …", "Here in Columbia, Sanders stepped …")."""
    toks, text = ctx.toks, ctx.text
    ks = ctx.outside_tokens(start, end)
    if not ks:
        return None
    words = ctx.words
    starts = [ks[0]] + [ks[i + 1] for i in range(len(ks) - 1) if words[ks[i]] in ",—–"]
    fallback = None
    for k0 in starts:
        t = toks[k0]
        if t.lower in en.PRONOUNS and t.lower != "it":
            return Span.of(text, t.start, t.end)
        if t.lower in NOT_NAMES and t.lower not in DETERMINERS:
            continue
        if t.lower.endswith("ing") and t.is_cap and k0 == starts[0]:
            continue  # "Appearing before supporters, Suu Kyi said …"
        if t.lower in en.NUMBER_WORDS:
            continue  # "Eight years ago, he supported …"
        nxt = toks[k0 + 1] if k0 + 1 < len(toks) else None
        if t.lower in en.SENTENCE_OPENERS or (t.lower.endswith("ly") and nxt is not None and (
                nxt.text == "," or nxt.lower in en.SENTENCE_OPENERS)):
            continue  # "Even before Sanders spoke, his campaign sent …", "Shortly after …", not "Carly Fiorina"
        if nxt is not None and ((t.lower in en.MONTHS and nxt.text[:1].isdigit())
                                or (t.is_cap and t.lower.endswith("ed") and nxt.lower == "by")):
            continue  # a dateline "July 25 (UPI) — …", "Led by the speaker, the rally …"
        np = np_after(text, toks, k0, end, loose=False)
        if np is not None:
            np = _with_plural_head(ctx, np, end)
        if np is None:
            np = _common_noun_subject(ctx, k0, end)
        if np is None:
            continue
        if fallback is None and k0 == starts[0]:
            fallback = np
        nk = ctx.tok_index(np.end)
        nk = past_parenthesis(ctx, nk, len(toks)) or nk  # "Gov. Pat McCrory (R) blamed"
        if nk + 1 < len(toks) and toks[nk].lower in en.WEEKDAY_PREPOSITIONS and toks[nk + 1].lower in en.WEEKDAYS:
            nk += 2  # "Gov. Mike Pence on Thursday blamed"
        nk = skip_adverbs(ctx, nk, len(toks))
        if nk < len(toks) and toks[nk].start < end + 1 and toks[nk].is_word and not toks[nk].is_cap \
                and toks[nk].lower not in en.NOT_VERBS:
            return np
    return fallback
