"""Sieves that read the sentence before the quote: "X said: “…”", "X told Reuters, “…”", a
quote inside reported speech ("X said the plan was “…”"), the subject of a sentence that holds a
partial quote."""
from __future__ import annotations

import regex

from ...lang import en
from ...types import Span
from ..context import Decision, DocContext
from ..mentions import np_after, np_before, speaker_before
from .common import ING_CUES, cue_at, skip_space_back
from .subjects import clause_subject


_INTRO_END = regex.compile(r"[,:]\s*$|\bthat\s*$|^\s*$")  # "X said, “…”", "said that “…”"


def colon_intro(ctx: DocContext, qi: int) -> Decision | None:
    """X said: “…”  /  Clinton: “…”  /  … issued the following statement: ¶ “…”."""
    q = ctx.quotes[qi]
    text, toks = ctx.text, ctx.toks
    pi = ctx.paragraph_index(q.span.start)
    para = ctx.paragraphs[pi]
    j = skip_space_back(text, q.span.start, para.start)
    if j > para.start:
        if text[j - 1] != ":":
            return None
        colon = j - 1
    elif pi > 0 and ctx.paragraphs[pi - 1].text.rstrip().endswith(":"):
        colon = ctx.paragraphs[pi - 1].end - 1
    else:
        return None
    s, _ = ctx.sentence_of(colon)
    ks = ctx.outside_tokens(s, colon)
    if not ks:
        return None
    put = _as_x_put_it(ctx, ks[-7:] + [ctx.tok_index(colon)], "colon_intro")
    if put is not None:
        return put
    for k in reversed(ks):
        if cue_at(ctx, k):
            d = _subject_decision(ctx, ks, k, "colon_intro", 0.85)
            if d is not None:
                return d
            break
    np = np_before(text, toks, ctx.tok_index(colon), s)
    if np is None or not np.text[:1].isupper() or np.text.isupper():
        np = np_after(text, toks, ks[0], colon)
    if np is not None and ctx.tok_index(np.end) >= ks[-1] - 4 and not np.text.isupper():
        return Decision("colon_intro", np, None, 0.8, ["a name before a colon"])
    subj = clause_subject(ctx, s, colon)
    if subj is not None:
        return Decision("colon_intro", subj, None, 0.6, ["subject of the sentence before the colon"])
    return None


def _before_tokens(ctx: DocContext, qi: int, last: int | None = None) -> list[int]:
    """Token indices outside quotes in the quote's sentence, before it (only the ``last`` few)."""
    q = ctx.quotes[qi]
    s, _ = ctx.sentence_of(q.span.start)
    return ctx.outside_tokens(s, q.span.start, last=last)


def _as_x_put_it(ctx: DocContext, window: list[int], sieve: str) -> Decision | None:
    """"as X put it, “…”" / "As X, the No. 2 in the party, put it: “…”" (``window`` ends at the mark)."""
    toks, text = ctx.toks, ctx.text
    if len(window) < 3 or toks[window[-1]].text not in ",:" or toks[window[-2]].lower != "it" \
            or toks[window[-3]].lower not in ("put", "puts"):
        return None
    k = window[-3]
    s = ctx.sentence_of(toks[k].start)[0]
    np = speaker_before(text, toks, k, s)
    if np is None and k > 0 and toks[k - 1].text == ",":
        # an apposition between the name and the verb: the name after "as"
        for j in range(k - 2, max(ctx.tok_index(s), k - 20) - 1, -1):
            if toks[j].lower == "as":
                np = np_after(text, toks, j + 1, toks[k - 1].start)
                break
    if np is None:
        return None
    return Decision(sieve, np, Span.of(text, toks[k].start, toks[window[-2]].end), 0.85)


def leading_cue(ctx: DocContext, qi: int) -> Decision | None:
    """X said: “…”  /  X said, “…”  /  X told Reuters: “…”  /  said X: “…”."""
    before = _before_tokens(ctx, qi, last=8)
    if not before:
        return None
    toks, text = ctx.toks, ctx.text
    # the last few tokens before the quote: [NP] CUE [object / adverbials] [,:] [that]
    window = before[-8:]
    put = _as_x_put_it(ctx, window, "leading_cue")
    if put is not None:
        return put
    lowers = ctx.lowers
    for k in reversed(window):
        if k > 0 and lowers[k - 1] in en.MODALS:
            continue  # "he expected Americans will say “no”": a hypothetical, not the speech reported
        if cue_at(ctx, k) and lowers[k] not in en.WEAK_LEADING_CUES:
            between = text[toks[k].end:ctx.quotes[qi].span.start]
            if not _INTRO_END.search(between) and len(between) > 40:
                return None
            return _subject_decision(ctx, before, k, "leading_cue", 0.9)
    return None


def _clause_not_phrase(np: Span) -> bool:
    """Is a would-be speaker phrase a clause ("that he won’t", "the main goal of the effort is")?"""
    words = np.text.lower().replace("’", "'").split()
    return words[0] == "that" or any(w in en.FINITE_VERBS or w in en.MODALS or w in en.NEGATIONS for w in words)


def _subject_decision(ctx: DocContext, before: list[int], k: int, name: str, conf: float) -> Decision | None:
    toks, text = ctx.toks, ctx.text
    s, e = ctx.sentence_of(toks[k].start)
    cue = Span.of(text, toks[k].start, toks[k].end)
    lo = s
    if toks[k].lower in ING_CUES and k > 0 and toks[k - 1].text == ",":
        # "Nefzi said, adding": the speaker of the reporting verb before it
        for ev in reversed(ctx.events_between(s, toks[k].start)):
            return Decision(name, ev.speaker, cue, conf - 0.05, ["speaker of the clause it continues"])
    if (toks[k].lower in ING_CUES and k > 0 and toks[k - 1].text == ",") or (
            k > 0 and toks[k - 1].lower in en.SUBJECT_CONTINUERS):
        # "…, stating that", "and warned": the speaker is the clause's subject
        subj = clause_subject(ctx, s, toks[k].start)
        if subj is not None:
            return Decision(name, subj, cue, conf - 0.05, ["subject of the reporting clause"])
    np = speaker_before(text, toks, k, lo)
    if np is not None and toks[k].lower in ING_CUES:
        a = ctx.tok_index(np.start)
        if a > 0 and toks[a - 1].lower != "with" and (toks[a - 1].lower in en.PREPOSITIONS or (
                toks[a - 1].is_word and not toks[a - 1].is_cap and toks[a - 1].lower not in en.CLAUSE_LINKS
                and toks[a - 1].lower not in en.CUE_VERBS)):
            # "issued a statement saying", "started the debate saying": the phrase is the verb's object
            # ("with Sen. John McCain calling it …": McCain is the one calling)
            np = None  # "a message to Maduro expressing": the phrase is an object, not the speaker
            subj = clause_subject(ctx, s, toks[k].start)
            if subj is not None:
                return Decision(name, subj, cue, conf - 0.05, ["subject of the reporting clause"])
    if np is not None and np.text[:5].lower() == "that " and np.text[5:6].isupper():
        a = ctx.tok_index(np.start)
        if a == 0 or toks[a - 1].lower not in en.CUE_VERBS:
            # "so heated that New Jersey Gov. Chris Christie said", but not "it does say that Japan agrees"
            np = Span.of(text, np.start + 5, np.end)
    if np is not None and _clause_not_phrase(np):
        return None  # "the race can’t just be about", "that he won’t": a clause, no speaker
    if np is not None:
        return Decision(name, np, cue, conf)
    if toks[k].lower in en.STRONG_CUES and toks[k].lower not in en.OBJECT_CUES and k + 1 < len(toks) \
            and toks[k + 1].lower not in en.NOT_SPEAKER_AFTER_CUE:
        np = np_after(text, toks, k + 1, e)
        after = ctx.tok_index(np.end) if np is not None else 0
        if np is not None and not (after < len(toks) and toks[after].is_word and not toks[after].is_cap):
            return Decision(name, np, cue, conf - 0.05)  # "said Trump, …" but not "said NAFTA has …"
    subj = clause_subject(ctx, s, toks[k].start)
    if subj is not None:
        return Decision(name, subj, cue, conf - 0.15, ["subject of the sentence"])
    return None


def reporting_clause(ctx: DocContext, qi: int) -> Decision | None:
    """A quote inside reported speech: the subject of the nearest reporting verb before it."""
    q = ctx.quotes[qi]
    s, e = ctx.sentence_of(q.span.start)
    toks = ctx.toks
    if ctx.has_cue_word(s, q.span.start):
        before = _before_tokens(ctx, qi)
        for k in reversed(before):
            if cue_at(ctx, k):
                return _subject_decision(ctx, before, k, "reporting_clause", 0.8)
    # a cue after the quote in the same sentence: "… “…” , Trump told reporters"
    after = ctx.outside_tokens(q.span.end, e, first=12)
    for k in after[:12]:
        if cue_at(ctx, k) and toks[k].lower in en.STRONG_CUES:
            d = _subject_decision(ctx, after, k, "reporting_clause", 0.7)
            if d is not None and d.mention is not None and d.mention.start >= q.span.end:
                return d
    return None


def sentence_subject(ctx: DocContext, qi: int) -> Decision | None:
    """A partial quote in a sentence with no reporting verb: the sentence's subject
    ("Sanders credited Clinton's victory to “…”")."""
    if ctx.kinds[qi] != "partial":
        return None
    q = ctx.quotes[qi]
    s, _ = ctx.sentence_of(q.span.start)
    subj = clause_subject(ctx, s, q.span.start)
    if subj is None:
        return None
    return Decision("sentence_subject", subj, None, 0.5, ["subject of the sentence holding the quote"])
