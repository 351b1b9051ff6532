"""Attribution sieves: small named rules that link a quote to a speaker mention.

As in CoreNLP's quote attribution, each sieve looks only at the quotes no
earlier sieve decided, and stamps its name on what it decides; the name is
stored as provenance. The order is one configuration string,
:data:`DEFAULT_SIEVES`, which ``--sieves`` overrides.

A sieve returns a :class:`~quotes.extract.context.Decision` (the speaker *mention*
and the cue); turning the mention into a canonical speaker is the resolver's
job (:mod:`quotes.extract.resolve`).
"""
from __future__ import annotations

from typing import Callable

import regex

from ..context import Decision, DocContext
from ...lang import en
from ..mentions import AUX_ADVERBS, DETERMINERS, NOT_NAMES, is_cue_verb, np_after, np_before, speaker_before
from ...types import Span

Sieve = Callable[[DocContext, int], "Decision | None"]

DEFAULT_SIEVES = ("transcript,trailing_cue,sentence_end_cue,colon_intro,leading_cue,according_to,next_paragraph_cue,"
                  "byline,reporting_clause,sentence_subject,name_line,continuation,previous_subject,nearest_event")

_TRANSCRIPT = regex.compile(r"[\"“]?\s*(\p{Lu}[\p{Lu}\.\-’' ]{1,40}?)\s*:\s")
_TERMINATORS = frozenset(".!?;")
_INTRO_END = regex.compile(r"[,:]\s*$|\bthat\s*$|^\s*$")  # "X said, “…”", "said that “…”"
_OPEN_END = regex.compile(r"[,—–\-]\s*$")  # a quote that stops mid-sentence
_ING_CUES = frozenset(w for w in en.CUE_VERBS if w.endswith("ing"))
_WEAK_LEADING = frozenset("called calls calling describe described describes dubbed labeled labelled".split())


# Reporting verbs whose object is the one spoken to, never the speaker ("told her supporters").
_OBJECT_CUES = frozenset("told tells tell asked asks ask warned warns urged urges".split())
_PREPOSITIONS = frozenset("to for with from by at on of in into about against toward towards".split())
_MODALS = frozenset("will would should could might may can must shall".split())
_CLAUSE_LINKS = frozenset("and or but who which that while as when because since if than".split())


class UnknownSieveError(ValueError):
    pass


def _tail_tokens(ctx: DocContext, qi: int, limit: int = 14) -> list[int]:
    """Token indices after quote ``qi``, up to the next quote, paragraph end or sentence end."""
    q = ctx.quotes[qi]
    para = ctx.paragraphs[ctx.paragraph_index(q.span.start)]
    end = para.end
    quotes = ctx.quotes
    for j in range(qi + 1, len(quotes)):  # (no copy of the rest of the list: this runs for every quote)
        other = quotes[j]
        if other.depth == 0 and other.span.start >= q.span.end:
            end = min(end, other.span.start)
            break
    out = []
    words = ctx.words
    for k in range(ctx.tok_index(q.span.end), ctx.tok_index(end)):
        if words[k] in _TERMINATORS and not _abbrev_before(ctx, k):
            break
        out.append(k)
        if len(out) >= limit:
            break
    return out


def _abbrev_before(ctx: DocContext, k: int) -> bool:
    if ctx.toks[k].text != "." or k == 0:
        return False
    if k + 1 < len(ctx.toks) and ctx.toks[k + 1].text in ",)":
        return True  # "Rep. Glenn Thompson, R-Pa., said": a full stop before a comma ends no sentence
    prev = ctx.toks[k - 1]
    if prev.end != ctx.toks[k].start:
        return False
    low = prev.lower
    return (len(low) == 1 and prev.is_cap) or low in {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen",
                                                      "rev", "lt", "col", "sgt", "capt", "prof", "st", "jr", "sr"}


def _cue_at(ctx: DocContext, k: int) -> bool:
    return ctx.lowers[k] in en.CUE_VERBS and is_cue_verb(ctx.toks, k)  # most words are no verb of the list


_IRREGULAR_PAST = frozenset("went shot cut spoke broke chimed began put fired wrote told said".split())


def _generic_cue(tok) -> bool:
    """A past-tense or present verb right after a speaker behind a quote ("Trump barked")."""
    low = tok.lower
    return low in en.CUE_VERBS or low in _IRREGULAR_PAST or (
        not tok.is_cap and tok.is_word and (low.endswith("ed") or low.endswith("s"))
        and low not in ("was", "has", "is", "as", "this", "its", "his", "does", "goes", "gets"))


def _skip_adverbs(ctx: DocContext, r: int, limit: int) -> int:
    toks = ctx.toks
    while r < limit and not toks[r].is_cap and (toks[r].lower in AUX_ADVERBS or toks[r].lower.endswith("ly")):
        r += 1
    return r


_ADJUNCT_OPENERS = frozenset(
    "in on at during to of after before with from about as when while last this earlier later recently "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight then again also "
    "simply flatly bluntly".split())


def _bare_attribution(ctx: DocContext, cue_k: int, limit: int) -> bool:
    """After "… said", does the sentence end without a clause of its own ("said in an interview."
    yes, "replied to him that it was …" no)?"""
    rest = [ctx.toks[k] for k in range(cue_k + 1, limit)]
    if len(rest) > 14:
        return False
    if rest and rest[0].is_word and rest[0].lower not in _ADJUNCT_OPENERS and ctx.toks[cue_k].lower not in (
            "told", "tells", "asked", "asks", "wrote", "writes"):
        return False  # "Carly Fiorina said Ted Cruz …": a clause of its own follows
    return not any(t.lower in ("that", "he", "she", "they", "it", "i", "we") or t.lower in en.CUE_VERBS
                   for t in rest)


def trailing_cue(ctx: DocContext, qi: int) -> Decision | None:
    """“…,” said X  /  “…,” X said  /  “…,” X, the former chairman, said  /  “…!” Trump barked."""
    tail = _tail_tokens(ctx, qi, limit=30)
    q = ctx.quotes[qi]
    toks, text = ctx.toks, ctx.text
    texts = ctx.words
    words = [k for k in tail if texts[k] not in ",—–-()"]
    if not words:
        return None
    first = words[0]
    ended = q.closed and q.content.text.rstrip().endswith(".")  # the quote ended its sentence
    # verbs outside the cue list count only behind a quote that closes with its own punctuation
    generic_ok = ended or q.content.text.rstrip()[-1:] in ",?!…—-"
    hi = toks[tail[-1]].end
    limit = tail[-1] + 1
    # said X
    if toks[first].lower in _ING_CUES:
        return None  # "…,” telling reporters: an object, never an inverted speaker
    if _cue_at(ctx, first) or (generic_ok and not toks[first].is_cap and _generic_cue(toks[first]) and len(words) > 1
                               and toks[words[1]].is_cap and toks[words[1]].lower not in en.PRONOUNS):
        np = np_after(text, toks, first + 1, hi) or _name_ahead(ctx, first + 1, limit)
        if np is not None and not (np.text.lower() in en.PRONOUNS and toks[first].lower not in en.CUE_VERBS):
            conf = 0.95 if _cue_at(ctx, first) else 0.7
            return Decision("trailing_cue", np, Span.of(text, toks[first].start, toks[first].end), conf)
        return None
    np = np_after(text, toks, first, hi) or (_name_ahead(ctx, first, limit, reach=4) if generic_ok else None)
    if np is None or np.text.split()[0].lower() in _NOT_AFTER_QUOTE:
        return None  # "“…” and Donald Trump said", "“…” of the campaign": another clause, not a credit
    last_mark = q.content.text.rstrip()[-1:]
    if last_mark == "," or (last_mark in "!?" and not toks[first].is_cap):  # not a new sentence
        np = _split_trailing_verb(ctx, np)
    r = _skip_adverbs(ctx, ctx.tok_index(np.end), limit)
    after = _past_parenthesis(ctx, r, limit)  # a party tag: "Rep. John Mica (R-Fla.) said"
    if after is not None:
        r = _skip_adverbs(ctx, after, limit)
    if r < limit and toks[r].lower in ("in", "at", "from", "on") and np.text.split()[0].lower() in ("a", "an", "the"):
        # "a narrator in the Clinton ad asks": a place or source after a determiner phrase
        k = r + 1
        while k < limit and k - r <= 5 and toks[k].is_word and not _cue_at(ctx, k) \
                and toks[k].lower not in _FINITE and toks[k].lower not in _CLAUSE_LINKS:
            k += 1
        if k < limit and k - r <= 5 and _cue_at(ctx, k) and toks[k].lower in en.STRONG_CUES:
            r = k
    if r < limit and toks[r].text == "," and not generic_ok:
        # an apposition: "X, the former chairman, said"
        k = r + 1
        while k < limit and toks[k].text != "," and k - r < 18:
            k += 1
        if k >= limit:
            return None
        r = _skip_adverbs(ctx, k + 1, limit)
    elif r < limit and toks[r].text == ",":
        # asides: "X, the former chairman, said", "Harry Bond, 30, of Raleigh, N.C., who was polled, said"
        k = r
        while k < limit and k - r < 30:
            if toks[k].text == ",":
                nxt = _skip_adverbs(ctx, k + 1, limit)
                if nxt < limit and _cue_at(ctx, nxt):
                    break
            k += 1
        if k >= limit or k - r >= 30:
            return None
        r = _skip_adverbs(ctx, k + 1, limit)
    if r >= limit:
        return None
    cue = toks[r]
    named = np.text[:1].isupper() or np.text.lower() in en.PRONOUNS
    det = np.text.split()[0].lower() in ("the", "a", "an", "one", "another")
    if _cue_at(ctx, r) or (generic_ok and _generic_cue(cue) and (named or (det and (cue.lower.endswith("ed")
                                                                     or cue.lower in _IRREGULAR_PAST)))):
        if ended and toks[first].is_cap and not _bare_attribution(ctx, r, limit):
            return None  # a new sentence with a clause of its own: "She replied that …"
        conf = 0.95 if _cue_at(ctx, r) else 0.75
        if ended:
            conf -= 0.1
        return Decision("trailing_cue", np, Span.of(text, cue.start, cue.end), conf)
    return None


def _past_parenthesis(ctx: DocContext, k: int, limit: int, reach: int = 10) -> int | None:
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


def sentence_end_cue(ctx: DocContext, qi: int) -> Decision | None:
    """A quote that opens its sentence, credited by a clause later in it: "“…” that Sanders
    can catch Clinton, said Steve Elmendorf, …" / "“…” that would respond, Judge Ann Wolverton wrote."."""
    q = ctx.quotes[qi]
    s, e = ctx.sentence_of(q.span.start)
    if ctx.text[s:q.span.start].strip() or e - q.span.end > 400:
        return None
    toks, text = ctx.toks, ctx.text
    outside = ctx.outside_tokens(q.span.end, e)
    cues = [k for k in outside if _cue_at(ctx, k)]
    if len(cues) != 1 or toks[cues[0]].lower not in en.STRONG_CUES:
        return None
    cue = cues[0]
    if any(o.span.start > q.span.end and o.span.start < toks[cue].start for o in ctx.quotes[qi + 1:qi + 3]):
        return None
    hi = toks[outside[-1]].end
    before = [k for k in outside if k < cue]
    if before and toks[before[-1]].text == ",":  # "…, said Steve Elmendorf"
        np = np_after(text, toks, cue + 1, hi)
    else:  # "…, Justice Department counsel Ann Wolverton wrote"
        np = speaker_before(text, toks, cue, toks[before[0]].start if before else q.span.end)
        if np is None:
            return None
        commas = [k for k in before if toks[k].text == ","]
        first = ctx.tok_index(np.start)
        if not commas or any(toks[k].lower in _CLAUSE_LINKS or toks[k].lower in _MODALS or not toks[k].is_word
                             for k in range(commas[-1] + 1, first)):
            return None  # the phrase must open the last clause: ", Justice Department counsel Ann Wolverton"
    if np is None or not (np.text[:1].isupper() or np.text.lower() in en.PRONOUNS):
        return None
    return Decision("sentence_end_cue", np, Span.of(text, toks[cue].start, toks[cue].end), 0.7,
                    ["a later clause of the sentence the quote opens credits it"])


_PARTICLES = frozenset("back out in up on again".split())
# words that open a new clause or phrase after a quote: what follows them does not credit it
_NOT_AFTER_QUOTE = frozenset("and but while or nor of at to which who whom whose".split())


def _split_trailing_verb(ctx: DocContext, np: Span) -> Span:
    """Behind “…,” / “…!”: a determiner phrase read past its verb ("the vice-presidential nominee
    riffed" before "on …", "the audience screamed back"): hand the past-tense verb back, so
    that it can be read as the cue."""
    toks = ctx.toks
    a, b = ctx.tok_index(np.start), ctx.tok_index(np.end)
    if b - a < 3 or toks[a].lower not in ("the", "a", "an", "one", "another"):
        return np
    v = b - 1
    while v > a + 1 and (toks[v].lower in _PARTICLES or toks[v].lower.endswith("ly")):
        v -= 1  # "screamed back", "replied angrily"
    verb = toks[v]
    if verb.is_cap or v < a + 2 or not (verb.lower.endswith("ed") or verb.lower in _IRREGULAR_PAST) \
            or not _generic_cue(verb):
        return np
    if b < len(toks) and toks[b].is_word and toks[b].lower not in _ADJUNCT_OPENERS:
        return np  # "the embattled senator …": the -ed word is inside the phrase
    return Span.of(ctx.text, np.start, toks[v - 1].end)


def _name_ahead(ctx: DocContext, k: int, limit: int, reach: int = 7) -> Span | None:
    """After an inverted cue, a phrase that runs to a name within a few words:
    "said master of ceremonies Asab Al-Tabchi, a Syrian engineer" -> "master of ceremonies Asab Al-Tabchi"."""
    toks = ctx.toks
    for j in range(k, min(limit, k + reach)):
        t = toks[j]
        if not t.is_word and not (t.text in "./" and j > k):  # "said 9/11 widow Terry Strada"
            return None
        if t.is_cap and t.lower not in NOT_NAMES:
            np = np_after(ctx.text, toks, j, toks[limit - 1].end, loose=False)
            if np is not None:
                return Span.of(ctx.text, toks[k].start, np.end)
            return None
    return None


def colon_intro(ctx: DocContext, qi: int) -> Decision | None:
    """X said: “…”  /  Clinton: “…”  /  … issued the following statement: ¶ “…”."""
    q = ctx.quotes[qi]
    text, toks = ctx.text, ctx.toks
    pi = ctx.paragraph_index(q.span.start)
    para = ctx.paragraphs[pi]
    j = _skip_space_back(text, q.span.start, para.start)
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
        if _cue_at(ctx, k):
            d = _subject_decision(ctx, ks, k, "colon_intro", 0.85)
            if d is not None:
                return d
            break
    np = np_before(text, toks, ctx.tok_index(colon), s)
    if np is None or not np.text[:1].isupper() or np.text.isupper():
        np = np_after(text, toks, ks[0], colon)
    if np is not None and ctx.tok_index(np.end) >= ks[-1] - 4 and not np.text.isupper():
        return Decision("colon_intro", np, None, 0.8, ["a name before a colon"])
    subj = _clause_subject(ctx, s, colon)
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
        if k > 0 and lowers[k - 1] in _MODALS:
            continue  # "he expected Americans will say “no”": a hypothetical, not the speech reported
        if _cue_at(ctx, k) and lowers[k] not in _WEAK_LEADING:
            between = text[toks[k].end:ctx.quotes[qi].span.start]
            if not _INTRO_END.search(between) and len(between) > 40:
                return None
            return _subject_decision(ctx, before, k, "leading_cue", 0.9)
    return None


_NEGATED = frozenset("can't won't don't doesn't didn't isn't wasn't not".split())


def _clause_not_phrase(np: Span) -> bool:
    """Is a would-be speaker phrase a clause ("that he won’t", "the main goal of the effort is")?"""
    words = np.text.lower().replace("’", "'").split()
    return words[0] == "that" or any(w in _FINITE or w in _MODALS or w in _NEGATED for w in words)


def _subject_decision(ctx: DocContext, before: list[int], k: int, name: str, conf: float) -> Decision | None:
    toks, text = ctx.toks, ctx.text
    s, e = ctx.sentence_of(toks[k].start)
    cue = Span.of(text, toks[k].start, toks[k].end)
    lo = s
    if toks[k].lower in _ING_CUES and k > 0 and toks[k - 1].text == ",":
        # "Nefzi said, adding": the speaker of the reporting verb before it
        for ev in reversed(ctx.events_between(s, toks[k].start)):
            return Decision(name, ev.speaker, cue, conf - 0.05, ["speaker of the clause it continues"])
    if (toks[k].lower in _ING_CUES and k > 0 and toks[k - 1].text == ",") or (
            k > 0 and toks[k - 1].lower in ("and", "but", "then", "to")):
        # "…, stating that", "and warned": the speaker is the clause's subject
        subj = _clause_subject(ctx, s, toks[k].start)
        if subj is not None:
            return Decision(name, subj, cue, conf - 0.05, ["subject of the reporting clause"])
    np = speaker_before(text, toks, k, lo)
    if np is not None and toks[k].lower in _ING_CUES:
        a = ctx.tok_index(np.start)
        if a > 0 and toks[a - 1].lower != "with" and (toks[a - 1].lower in _PREPOSITIONS or (
                toks[a - 1].is_word and not toks[a - 1].is_cap and toks[a - 1].lower not in _CLAUSE_LINKS
                and toks[a - 1].lower not in en.CUE_VERBS)):
            # "issued a statement saying", "started the debate saying": the phrase is the verb's object
            # ("with Sen. John McCain calling it …": McCain is the one calling)
            np = None  # "a message to Maduro expressing": the phrase is an object, not the speaker
            subj = _clause_subject(ctx, s, toks[k].start)
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
    if toks[k].lower in en.STRONG_CUES and toks[k].lower not in _OBJECT_CUES and k + 1 < len(toks) \
            and toks[k + 1].lower not in (
            "that", "this", "these", "those", "it", "he", "she", "they", "we", "i", "you"):
        np = np_after(text, toks, k + 1, e)
        after = ctx.tok_index(np.end) if np is not None else 0
        if np is not None and not (after < len(toks) and toks[after].is_word and not toks[after].is_cap):
            return Decision(name, np, cue, conf - 0.05)  # "said Trump, …" but not "said NAFTA has …"
    subj = _clause_subject(ctx, s, toks[k].start)
    if subj is not None:
        return Decision(name, subj, cue, conf - 0.15, ["subject of the sentence"])
    return None


_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                          "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
                          "eighty ninety hundred thousand million several many few".split())
_NOT_VERB = frozenset("of and or but to in on at for with from by as than who which that whose "
                      "de del van von al bin before after during since until while when where whether if "
                      "because though although".split())
# Words that open a sentence without being its subject.
_OPENERS = frozenset("given even soon later earlier before after when while although though because since "
                     "if as once until despite also still meanwhile however yet instead moreover".split())


def _clause_subject(ctx: DocContext, start: int, end: int) -> Span | None:
    """The subject of a sentence (see :func:`_find_clause_subject`), computed once per span."""
    return ctx.clause_subject_cached((start, end), lambda: _find_clause_subject(ctx, start, end))


_SUBJECT_DETS = frozenset("the a an his her its their our this".split())
_FINITE = frozenset("is was are were has had have will would can could may might must should does did "
                    "says said began made took gave came got saw knew thought found kept left held brought "
                    "felt sent ran won lost met paid went wrote told spoke".split())


def _named(span: Span) -> bool:
    """Does the phrase hold a name ("Maria Lopez", "the Harbour Ministry"), not just a
    capitalised determiner ("The storm")?"""
    words = span.text.split()
    if words and words[0].lower() in _SUBJECT_DETS:
        words = words[1:]
    return any(w[:1].isupper() for w in words)


def _common_noun_subject(ctx: DocContext, k0: int, end: int) -> Span | None:
    """A short determiner phrase of common nouns right before a finite verb: "The lawsuit
    contends", "The billionaire businessman began", "Her economic plan promises"."""
    toks = ctx.toks
    if toks[k0].lower not in _SUBJECT_DETS:
        return None
    k = k0 + 1
    while k < len(toks) and k - k0 <= 4 and toks[k].is_word and not toks[k].is_cap \
            and toks[k].lower not in _FINITE and toks[k].lower not in _NOT_VERB and toks[k].lower not in en.CUE_VERBS \
            and not toks[k].lower.endswith("ed"):
        k += 1
    if k == k0 + 1 or k >= len(toks) or toks[k].start >= end:
        return None
    verb = toks[k].lower
    if not (verb in _FINITE or verb in en.CUE_VERBS or verb.endswith("ed")):
        return None
    return Span.of(ctx.text, toks[k0].start, toks[k - 1].end)


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
        if t.lower in _NUMBER_WORDS:
            continue  # "Eight years ago, he supported …"
        nxt = toks[k0 + 1] if k0 + 1 < len(toks) else None
        if t.lower in _OPENERS or (t.lower.endswith("ly") and nxt is not None and (
                nxt.text == "," or nxt.lower in _OPENERS)):
            continue  # "Even before Sanders spoke, his campaign sent …", "Shortly after …", not "Carly Fiorina"
        if nxt is not None and ((t.lower in en.MONTHS and nxt.text[:1].isdigit())
                                or (t.is_cap and t.lower.endswith("ed") and nxt.lower == "by")):
            continue  # a dateline "July 25 (UPI) — …", "Led by the speaker, the rally …"
        np = np_after(text, toks, k0, end, loose=False)
        if np is None:
            np = _common_noun_subject(ctx, k0, end)
        if np is None:
            continue
        if fallback is None and k0 == starts[0]:
            fallback = np
        nk = ctx.tok_index(np.end)
        nk = _past_parenthesis(ctx, nk, len(toks)) or nk  # "Gov. Pat McCrory (R) blamed"
        if nk + 1 < len(toks) and toks[nk].lower in ("on", "last", "this") and toks[nk + 1].lower in en.WEEKDAYS:
            nk += 2  # "Gov. Mike Pence on Thursday blamed"
        nk = _skip_adverbs(ctx, nk, len(toks))
        if nk < len(toks) and toks[nk].start < end + 1 and toks[nk].is_word and not toks[nk].is_cap \
                and toks[nk].lower not in _NOT_VERB:
            return np
    return fallback


def according_to(ctx: DocContext, qi: int) -> Decision | None:
    """“…,” according to X  /  According to X, “…”."""
    q = ctx.quotes[qi]
    s, e = ctx.sentence_of(q.span.start)
    toks, text = ctx.toks, ctx.text
    lowers = ctx.lowers
    for k in ctx.outside_tokens(s, e):
        if lowers[k] == "according" and k + 2 < len(lowers) and lowers[k + 1] == "to":
            np = np_after(text, toks, k + 2, e)
            if np is not None:
                return Decision("according_to", np, Span.of(text, toks[k].start, toks[k + 1].end), 0.85)
    return None


def next_paragraph_cue(ctx: DocContext, qi: int) -> Decision | None:
    """A quote that ends its paragraph with a comma; the next paragraph opens with "X said"."""
    q = ctx.quotes[qi]
    pi = ctx.paragraph_index(q.span.start)
    para = ctx.paragraphs[pi]
    if pi + 1 >= len(ctx.paragraphs) or _skip_space(ctx.text, q.span.end, para.end) < para.end:
        return None
    if not _OPEN_END.search(q.content.text):
        return None
    nxt = ctx.paragraphs[pi + 1]
    ks = ctx.outside_tokens(nxt.start, min(nxt.end, nxt.start + 160))[:10]
    toks, text = ctx.toks, ctx.text
    for pos, k in enumerate(ks):
        if _cue_at(ctx, k):
            if pos == 0:
                np = np_after(text, toks, k + 1, nxt.end)
            else:
                np = speaker_before(text, toks, k, nxt.start)
            if np is not None:
                return Decision("next_paragraph_cue", np, Span.of(text, toks[k].start, toks[k].end), 0.85)
            return None
    return None


def _skip_space(text: str, i: int, end: int) -> int:
    """The first offset at or after ``i`` (before ``end``) that is not white space."""
    while i < end and text[i].isspace():
        i += 1
    return i


def _skip_space_back(text: str, i: int, start: int) -> int:
    """The offset just after the last non-space character before ``i`` (not before ``start``)."""
    while i > start and text[i - 1].isspace():
        i -= 1
    return i


def reporting_clause(ctx: DocContext, qi: int) -> Decision | None:
    """A quote inside reported speech: the subject of the nearest reporting verb before it."""
    q = ctx.quotes[qi]
    s, e = ctx.sentence_of(q.span.start)
    toks = ctx.toks
    if ctx.has_cue_word(s, q.span.start):
        before = _before_tokens(ctx, qi)
        for k in reversed(before):
            if _cue_at(ctx, k):
                return _subject_decision(ctx, before, k, "reporting_clause", 0.8)
    # a cue after the quote in the same sentence: "… “…” , Trump told reporters"
    after = ctx.outside_tokens(q.span.end, e, first=12)
    for k in after[:12]:
        if _cue_at(ctx, k) and toks[k].lower in en.STRONG_CUES:
            d = _subject_decision(ctx, after, k, "reporting_clause", 0.7)
            if d is not None and d.mention is not None and d.mention.start >= q.span.end:
                return d
    return None


def transcript(ctx: DocContext, qi: int) -> Decision | None:
    """WALLACE: “…” or a quoted transcript paragraph opening with SPEAKER:."""
    q = ctx.quotes[qi]
    m = _TRANSCRIPT.match(q.content.text)
    if m and m.group(1).strip().isupper() and len(m.group(1).strip()) > 1:
        st = q.content.start + m.start(1)
        return Decision("transcript", Span.of(ctx.text, st, st + len(m.group(1).rstrip())), None, 0.9)
    para = ctx.paragraphs[ctx.paragraph_index(q.span.start)]
    m = _TRANSCRIPT.match(ctx.text, para.start, min(q.span.start + 1, para.start + 60))
    if m and m.group(1).strip().isupper() and len(m.group(1).strip()) > 1:
        return Decision("transcript", Span.of(ctx.text, m.start(1), m.start(1) + len(m.group(1).rstrip())),
                        None, 0.85)
    return None


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
        ppi = ctx.paragraph_index(prev.span.start)
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
        subj = _clause_subject(ctx, s, e)
        if subj is None:
            continue
        words = subj.text.split()
        if len(words) >= 2 and all(w[:1].isupper() for w in words) and not spoken & {w.lower() for w in words} \
                and not any(w.lower() in NOT_NAMES or w.lower() in en.TITLES for w in words):
            return True
    return False


def sentence_subject(ctx: DocContext, qi: int) -> Decision | None:
    """A partial quote in a sentence with no reporting verb: the sentence's subject
    ("Sanders credited Clinton's victory to “…”")."""
    if ctx.kinds[qi] != "partial":
        return None
    q = ctx.quotes[qi]
    s, _ = ctx.sentence_of(q.span.start)
    subj = _clause_subject(ctx, s, q.span.start)
    if subj is None:
        return None
    return Decision("sentence_subject", subj, None, 0.5, ["subject of the sentence holding the quote"])


_BYLINE = regex.compile(en.CREDIT_DASH + r"\s*(?=\p{Lu})")


def byline(ctx: DocContext, qi: int) -> Decision | None:
    """A quote credited by a dash after it: "“…” ― Ana Ruiz" on its line, or a paragraph
    "- Bernie Sanders." after it (quote cards, lists of quotes, vox pops). A partial quote
    inside a sentence is never credited so ("… called him “my African American.” ¶ - Reuters.")."""
    if ctx.kinds[qi] == "partial":
        return None
    q = ctx.quotes[qi]
    pi = ctx.paragraph_index(q.span.start)
    para = ctx.paragraphs[pi]
    start = _skip_space(ctx.text, q.span.end, para.end)
    if start < para.end:
        if not _BYLINE.match(ctx.text, start, min(para.end, start + 12)):
            return None
        # the credit ends with its line, or where the next quote opens ("” ― Ana Ruiz “…")
        end = min(x for x in (ctx.text.find("\n", start, para.end), para.end,
                              *(o.span.start for o in ctx.quotes[qi + 1:qi + 2])) if x > start)
        if end - start > 200:
            return None
    elif pi + 1 < len(ctx.paragraphs):
        nxt = ctx.paragraphs[pi + 1]
        if not _BYLINE.match(nxt.text) or len(nxt.text) > 200:
            return None
        start, end = nxt.start, nxt.end
    else:
        return None
    m = _BYLINE.match(ctx.text, start, start + 12)
    if not m:
        return None
    np = np_after(ctx.text, ctx.toks, ctx.tok_index(m.end()), end, loose=False)
    if np is None:
        return None
    return Decision("byline", np, None, 0.8, ["a dash line naming who said it"])


_NAME_LINE = regex.compile(
    r"(?P<name>\p{Lu}[\p{L}\-’'.]+(?:\s+(?:\p{Lu}[\p{L}\-’'.]*|de|la|del|van|von|bin|al)){1,3})"
    r"(?:,\s*(?:\d{1,3}|\p{Lu}[\p{L}.’'\-]*(?:\s+\p{Lu}[\p{L}.’'\-]*){0,3})){0,3}[:.]?", regex.V1)


def name_line(ctx: DocContext, qi: int) -> Decision | None:
    """Vox pops and interview lists: a short paragraph that is only a name ("Ana Ruiz, 24, Phoenix")
    introduces the quote paragraph after it."""
    q = ctx.quotes[qi]
    pi = ctx.paragraph_index(q.span.start)
    if pi == 0 or _skip_space_back(ctx.text, q.span.start, ctx.paragraphs[pi].start) > ctx.paragraphs[pi].start:
        return None
    prev = ctx.paragraphs[pi - 1]
    if prev.end - prev.start > 80:
        return None
    m = _NAME_LINE.fullmatch(ctx.text, prev.start, prev.end)
    if not m or any(ctx.lowers[k] in en.CUE_VERBS for k in ctx.outside_tokens(prev.start, prev.end)):
        return None
    if m.group("name").split()[0].lower() in NOT_NAMES:
        return None  # "With Clinton, …": a headline, not a name
    return Decision("name_line", Span.of(ctx.text, m.start("name"), m.end("name")), None, 0.7,
                    ["a paragraph naming the speaker before the quote"])


def previous_subject(ctx: DocContext, qi: int) -> Decision | None:
    """A quote standing alone as a paragraph, with no cue: the subject of the sentence before it
    ("Valastro praised Christie’s leadership …" ¶ “…”)."""
    q = ctx.quotes[qi]
    pi = ctx.paragraph_index(q.span.start)
    para = ctx.paragraphs[pi]
    j = _skip_space_back(ctx.text, q.span.start, para.start)
    if j > para.start:
        # mid-paragraph: only a quote opening a sentence after a plain sentence of its own
        if ctx.text[j - 1] not in ".!?" or ctx.sentence_index(j - 1) == ctx.sentence_index(q.span.start):
            return None
        s, e = ctx.sentence_of(j - 1)
        if s < para.start or any(o.span.start >= s and o.span.start < e for o in ctx.quotes) \
                or ctx.events_between(s, j):
            return None  # a sentence with a quote or a speech event of its own: not a plain introduction
        subj = _clause_subject(ctx, s, j)
        if subj is None or len(subj.text.split()) < 2 or not _named(subj):
            return None
        return Decision("previous_subject", subj, None, 0.45, ["subject of the sentence before the quote"])
    if pi == 0:
        return None
    prev = ctx.paragraphs[pi - 1]
    if prev.text.rstrip()[-1:] in "”\"":
        return None  # a quote before: continuation's business
    s, _ = ctx.sentence_of(max(prev.start, prev.end - 1))
    subj = _clause_subject(ctx, s, prev.end)
    if subj is None or not (_named(subj) or subj.text.lower() in en.PRONOUNS):
        return None
    return Decision("previous_subject", subj, None, 0.45, ["subject of the sentence before the quote"])


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


SIEVES: dict[str, Sieve] = {
    "transcript": transcript,
    "trailing_cue": trailing_cue,
    "sentence_end_cue": sentence_end_cue,
    "colon_intro": colon_intro,
    "leading_cue": leading_cue,
    "according_to": according_to,
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
    """Fill ``ctx.decisions`` in place, sieve by sieve, skipping what is decided."""
    for _name, sieve in parse_config(config):
        for qi, q in enumerate(ctx.quotes):
            if ctx.decisions[qi] is not None or ctx.kinds[qi] in ("scare", "title") or q.depth:
                continue
            d = sieve(ctx, qi)
            if d is not None:
                ctx.decisions[qi] = d
