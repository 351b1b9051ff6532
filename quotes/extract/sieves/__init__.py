"""Attribution sieves: small named rules that link a quote to a speaker mention.

As in CoreNLP's quote attribution, each sieve looks only at the quotes no
earlier sieve decided, and stamps its name on what it decides; the name is
stored as provenance. The order is one configuration string,
:data:`DEFAULT_SIEVES`, which ``--sieves`` overrides.

A sieve returns a :class:`~quotes.extract.context.Decision` (the speaker *mention*
and the cue); turning the mention into a canonical speaker is the resolver's
job (:mod:`quotes.extract.resolve`).

The sieves live by the construction they read: :mod:`.cue_after` (a cue after the quote),
:mod:`.cue_before` (the sentence before it), :mod:`.paragraph` (a neighbouring paragraph or
line), :mod:`.document` (earlier quotes and speech events); :mod:`.subjects` and
:mod:`.common` hold what several of them read. A new sieve is a function ``(ctx, qi) ->
Decision | None`` in the module of what it reads, named in :data:`SIEVES` (and in
:data:`DEFAULT_SIEVES` to run by default); the words it reads go to ``quotes/lang/en.py``.
"""
from __future__ import annotations

from typing import Callable

from ...lang import en
from ...types import Span
from ..context import Decision, DocContext
from ..mentions import clean_name, fold
from ..names import is_pronoun_word, why_not_a_speaker
from .cue_after import according_to, quoted_as, sentence_end_cue, trailing_cue
from .cue_before import colon_intro, leading_cue, reporting_clause, sentence_subject
from .document import continuation, nearest_event
from .paragraph import byline, name_line, next_paragraph_cue, previous_subject, transcript

Sieve = Callable[[DocContext, int], "Decision | None"]


DEFAULT_SIEVES = ("transcript,quoted_as,trailing_cue,sentence_end_cue,colon_intro,leading_cue,according_to,next_paragraph_cue,"
                  "byline,reporting_clause,sentence_subject,name_line,continuation,previous_subject,nearest_event")


class UnknownSieveError(ValueError):
    pass


SIEVES: dict[str, Sieve] = {
    "transcript": transcript,
    "trailing_cue": trailing_cue,
    "sentence_end_cue": sentence_end_cue,
    "colon_intro": colon_intro,
    "leading_cue": leading_cue,
    "according_to": according_to,
    "quoted_as": quoted_as,
    "next_paragraph_cue": next_paragraph_cue,
    "reporting_clause": reporting_clause,
    "sentence_subject": sentence_subject,
    "continuation": continuation,
    "nearest_event": nearest_event,
    "byline": byline,
    "name_line": name_line,
    "previous_subject": previous_subject,
}


def parse_config(config: str | None) -> list[tuple[str, Sieve]]:
    names = [n.strip() for n in (config or DEFAULT_SIEVES).split(",") if n.strip()]
    unknown = [n for n in names if n not in SIEVES]
    if unknown:
        raise UnknownSieveError(f"unknown sieve(s): {', '.join(unknown)}; known: {', '.join(SIEVES)}")
    return [(n, SIEVES[n]) for n in names]


def run_sieves(ctx: DocContext, config: str | None = None) -> None:
    """Fill ``ctx.decisions`` in place, sieve by sieve, skipping what is decided. A decision
    whose mention names nobody ("More", "Within this") is no decision: a later sieve may
    find the speaker."""
    for _name, sieve in parse_config(config):
        for qi, q in enumerate(ctx.quotes):
            if ctx.decisions[qi] is not None or ctx.kinds[qi] in ("scare", "title") or q.depth:
                continue
            d = sieve(ctx, qi)
            if d is not None and not _names_nobody(ctx, d.mention):
                ctx.decisions[qi] = d


def _names_nobody(ctx: DocContext, mention: Span | None) -> bool:
    words = mention.text.split() if mention is not None else []
    if not words:
        return False
    first = fold(words[0])
    if is_pronoun_word(words[0]) or first in ("who", "whom") or first in en.INDEFINITE_DETERMINERS:
        return False
    return why_not_a_speaker(clean_name(mention.text), capitalised_inside=ctx.capitalised_inside) is not None
