"""Sieves that read the document around the quote: the speaker of the quote before it (a
quotation continued), the nearest speech event."""
from __future__ import annotations

from ...lang import en
from ...types import Span
from ..context import Decision, DocContext
from ..mentions import NOT_NAMES
from .subjects import clause_subject


def continuation(ctx: DocContext, qi: int) -> Decision | None:
    """A quote with no cue of its own inherits the speaker of the quote before it, in the same
    quotation, paragraph or the next one, unless another speaker intervenes."""
    q = ctx.quotes[qi]
    pi = ctx.paragraph_index(q.span.start)
    for pj in range(qi - 1, -1, -1):
        prev = ctx.quotes[pj]
        d = ctx.decisions[pj]
        if prev.depth or ctx.kinds[pj] in ("scare", "title"):
            continue
        same_group = prev.group == q.group
        ppi = ctx.end_paragraph_index(prev)
        if not same_group and pi - ppi > 1:
            return None
        if d is None or d.mention is None:
            if same_group:
                continue
            return None
        # events in the previous quote's own attribution sentence don't intervene
        skip_sent = ctx.sentence_of(d.cue.start) if d.cue is not None else None
        intervening = [ev for ev in ctx.events_between(prev.span.end, q.span.start)
                       if not (d.mention and ev.speaker == d.mention)
                       and ctx.sentence_of(ev.cue.start) != skip_sent]
        if intervening and not same_group:
            return None
        if not same_group and _new_subject_between(ctx, prev.span.end, q.span.start, d.mention):
            return None
        conf = min(d.confidence, 0.8 if same_group else (0.7 if ppi == pi else 0.6))
        return Decision("continuation", d.mention, d.cue, conf, [f"continues quote at {prev.span.start}"],
                        inherited_from=pj)
    return None


def _new_subject_between(ctx: DocContext, start: int, end: int, speaker: Span) -> bool:
    """Does a whole sentence between two quotes have a newly named person as its subject
    ("Jane Roe, 45, a teacher from Ohio, is voting for him.")? Then the quote after it does
    not simply continue the one before."""
    i = ctx.sentence_index(start)
    n = len(ctx.sentences)
    spoken = {w.lower() for w in speaker.text.split()}
    while i < n:
        s, e = ctx.sentences[i]
        i += 1
        if e > end:
            break
        if s < start:
            continue
        subj = clause_subject(ctx, s, e)
        if subj is None:
            continue
        words = subj.text.split()
        if len(words) >= 2 and all(w[:1].isupper() for w in words) and not spoken & {w.lower() for w in words} \
                and not any(w.lower() in NOT_NAMES or w.lower() in en.TITLES for w in words):
            return True
    return False


def nearest_event(ctx: DocContext, qi: int) -> Decision | None:
    """Last resort: the speaker of the nearest speech event before the quote, within two paragraphs."""
    q = ctx.quotes[qi]
    pi = ctx.paragraph_index(q.span.start)
    lo = ctx.paragraphs[max(0, pi - 1)].start
    evs = ctx.events_between(lo, q.span.start)
    if not evs:
        return None
    ev = evs[-1]
    return Decision("nearest_event", ev.speaker, ev.cue, 0.4, ["nearest speech event before the quote"])
