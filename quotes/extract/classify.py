"""What kind of quotation: direct speech, a partial quote, a title or a scare quote."""
from __future__ import annotations

import regex

from .context import DocContext
from ..lang import en
from .segment import bmp_twin

_CREDITED = regex.compile(r"\s*,?\s*by\s+\p{Lu}", regex.V1)
# "“…” ― Ana Ruiz" to the end of its line (or up to the next quote): a quote card or vox pop
_DASH_CREDIT = regex.compile(
    r"[^\S\n]*" + en.CREDIT_DASH + r"[^\S\n]*\p{Lu}[\p{L}\p{M}.’'\-]*(?:[^\S\n]+(?:\p{Lu}[\p{L}\p{M}.’'\-]*|de|da|del|la|van|von|bin|al)){0,4}"
    r"[^\S\n.]*\.?[^\S\n]*(?:\n|\Z|(?=[“\"]))", regex.V1)
_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}’'\-\.]*")


def _words(s: str, word: regex.Pattern = _WORD) -> list[str]:
    return word.findall(s)


# The rules below count a quote's words only up to eight: its first nine are all they read
# (a long quote is not read to its end).
_ENOUGH_WORDS = 9
_WORDS_READ_FIRST = 120  # characters: about 20 words


def _first_words(s: str, limit: int = _ENOUGH_WORDS, word: regex.Pattern = _WORD) -> list[str]:
    """The first ``limit`` words of ``s`` (``word``: :data:`_WORD` or its ``re`` twin)."""
    words = word.findall(s, 0, _WORDS_READ_FIRST)
    if len(words) > limit:
        return words[:limit]  # the next word starts inside the part read: these are whole
    return words if len(s) <= _WORDS_READ_FIRST else word.findall(s)[:limit]


def _title_cased(words: list[str]) -> bool:
    """Does every word but the small ones ("of", "the") open with a capital or a digit (and is
    there one such word)?"""
    content = False
    for w in words:
        if w.lower() in en.TITLE_SMALL_WORDS:
            continue
        if not (w[:1].isupper() or w[:1].isdigit()):
            return False
        content = True
    return content


def _has_cue_before(ctx: DocContext, qi: int) -> bool:
    q = ctx.quotes[qi]
    s, _ = ctx.sentence_of(q.span.start)
    return ctx.has_cue_word(s, q.span.start)


def _has_cue_after(ctx: DocContext, qi: int, n: int = 6) -> bool:
    q = ctx.quotes[qi]
    _, e = ctx.sentence_of(q.span.start)
    ks = ctx.outside_tokens(q.span.end, e, first=n)
    lowers = ctx.lowers
    return any(lowers[k] in en.CUE_VERBS for k in ks)


def _headline(ctx: DocContext) -> bool:
    """Is the first paragraph a title-cased headline? Computed once per document."""
    cached = getattr(ctx, "_headline", None)
    if cached is None:
        first = ctx.paragraphs[0].text if ctx.paragraphs else ""
        cached = len(first) <= 300 and _title_cased(_words(first))
        ctx._headline = cached
    return cached


def classify(ctx: DocContext, qi: int) -> str:
    q = ctx.quotes[qi]
    text = ctx.text
    word, credited = (bmp_twin(_WORD), bmp_twin(_CREDITED)) if ctx.bmp else (_WORD, _CREDITED)
    words = _first_words(q.content.text, word=word)
    n = len(words)  # the number of words, or _ENOUGH_WORDS for any more
    s, e = ctx.sentence_of(q.span.start)
    prefix = text[s:q.span.start]
    starts_sentence = not prefix.strip() or prefix.rstrip().endswith(":")
    before_words = _words(text[max(s, q.span.start - 40):q.span.start], word)
    prev_word = before_words[-1].lower() if before_words else ""
    headline = ctx.paragraph_index(q.span.start) == 0 and _headline(ctx)
    if prev_word in ("so-called", "so") and n <= 4:
        return "scare"  # the so-called “final offer”
    if prev_word in ("read", "reads", "watched", "titled", "entitled") and n >= 2 and _title_cased(
            words if n < _ENOUGH_WORDS else _words(q.content.text, word)):
        return "title"  # He has read “The Long Road Home”
    if q.depth:
        return "partial" if n >= 5 else "scare"
    if headline:
        return "partial" if n > 3 else "scare"  # North Korea Sends Maduro ‘Invariable Support’
    if credited.match(text, q.span.end, q.span.end + 40):
        return "title"  # “Posthumous books could come with …,” by Boston Globe's Joseph P. Kahn
    line_start = text.rfind("\n", s, q.span.start) + 1  # (a line break before s changes nothing below)
    if n >= 2 and not text[max(s, line_start):q.span.start].strip() \
            and _DASH_CREDIT.match(text, q.span.end, q.span.end + 80):
        return "direct"  # “Maybe we can build a wall around him.” ― Steve Quinlan
    if prefix.rstrip().endswith(",") and (prev_word in en.CUE_VERBS or prev_word == "it") and words \
            and words[0][:1].isupper() and q.content.text.rstrip()[-1:] in ".!?…" and n >= 2:
        return "direct"  # Noah said, “It’s like a lawyer.” / as X put it, “We could not hold him.”
    if n <= 8 and _title_cased(words) and not starts_sentence:
        if prev_word in en.TITLE_CUES or prev_word in ("on", "of", "with") or prev_word.endswith(("’s", "'s")):
            return "title"  # an interview with “Fox and Friends”, CNN’s “New Day”
        if (prev_word == "the" or n >= 2) and not _has_cue_before(ctx, qi) and not _has_cue_after(ctx, qi):
            return "title"
    if n <= 2 and starts_sentence and not _has_cue_before(ctx, qi) and not _has_cue_after(ctx, qi, 8) \
            and q.content.text.rstrip()[-1:] not in ",.!?":
        return "scare"  # "Related:" standing alone
    if n <= 3 and not starts_sentence:
        if prev_word in en.TITLE_CUES and _title_cased(words):
            return "title"
        if _has_cue_before(ctx, qi):
            return "partial"
        if q.content.text.rstrip()[-1:] in ",.!?" and _has_cue_after(ctx, qi, 4):
            return "direct"  # “No,” she said — a short utterance mid-sentence
        return "scare"
    if starts_sentence and words and (words[0][:1].isupper() or q.content.text.rstrip()[-1:] in ",.!?"):
        return "direct"
    if starts_sentence and n >= 4:
        return "direct"
    return "partial"
