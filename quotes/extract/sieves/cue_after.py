"""Sieves that read a cue after the quote: "“…,” said X", "“…,” X said", "“…,” X, the former
chairman, said", "“…” that …, said X" later in the sentence, "“…,” according to X", and an
agency's "X quoted Y as saying" on either side of the quote."""
from __future__ import annotations

from ...lang import en
from ...types import Span
from ..context import Decision, DocContext
from ..mentions import NOT_NAMES, np_after, speaker_before
from .common import ING_CUES, cue_at, past_parenthesis, skip_adverbs


_TERMINATORS = frozenset(".!?;")


def _tail_tokens(ctx: DocContext, qi: int, limit: int = 14) -> list[int]:
    """Token indices after quote ``qi``, up to the next quote, paragraph end or sentence end."""
    q = ctx.quotes[qi]
    para = ctx.paragraphs[ctx.end_paragraph_index(q)]
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
    return (len(low) == 1 and prev.is_cap) or low in en.NAME_ABBREVIATIONS


def _generic_cue(tok) -> bool:
    """A past-tense or present verb right after a speaker behind a quote ("Trump barked")."""
    low = tok.lower
    return low in en.CUE_VERBS or low in en.IRREGULAR_PAST or (
        not tok.is_cap and tok.is_word and (low.endswith("ed") or low.endswith("s"))
        and low not in en.NOT_GENERIC_CUES)


def _bare_attribution(ctx: DocContext, cue_k: int, limit: int) -> bool:
    """After "… said", does the sentence end without a clause of its own ("said in an interview."
    yes, "replied to him that it was …" no)?"""
    rest = [ctx.toks[k] for k in range(cue_k + 1, limit)]
    if len(rest) > 14:
        return False
    if rest and rest[0].is_word and rest[0].lower not in en.ADJUNCT_OPENERS \
            and ctx.toks[cue_k].lower not in en.CUES_TAKING_OBJECT:
        return False  # "Carly Fiorina said Ted Cruz …": a clause of its own follows
    return not any(t.lower in en.CLAUSE_AFTER_CUE or t.lower in en.CUE_VERBS
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
    if toks[first].lower in ING_CUES:
        return None  # "…,” telling reporters: an object, never an inverted speaker
    if cue_at(ctx, first) or (generic_ok and not toks[first].is_cap and _generic_cue(toks[first]) and len(words) > 1
                               and toks[words[1]].is_cap and toks[words[1]].lower not in en.PRONOUNS):
        np = np_after(text, toks, first + 1, hi) or _name_ahead(ctx, first + 1, limit)
        if np is not None and not np.text[:1].isupper():
            np = _named_in_apposition(ctx, np, limit) or np  # "said the group’s founder, Malik Osei"
        if np is not None and not (np.text.lower() in en.PRONOUNS and toks[first].lower not in en.CUE_VERBS):
            conf = 0.95 if cue_at(ctx, first) else 0.7
            return Decision("trailing_cue", np, Span.of(text, toks[first].start, toks[first].end), conf)
        return None
    np = np_after(text, toks, first, hi) or (_name_ahead(ctx, first, limit, reach=4) if generic_ok else None)
    if np is None or np.text.split()[0].lower() in en.NOT_AFTER_QUOTE:
        return None  # "“…” and Donald Trump said", "“…” of the campaign": another clause, not a credit
    last_mark = q.content.text.rstrip()[-1:]
    if last_mark == "," or (last_mark in "!?" and not toks[first].is_cap):  # not a new sentence
        np = _split_trailing_verb(ctx, np)
    np = _named_by(ctx, np, limit)  # "his son named Keith explained"
    r = skip_adverbs(ctx, ctx.tok_index(np.end), limit)
    after = past_parenthesis(ctx, r, limit)  # a party tag: "Rep. John Mica (R-Fla.) said"
    if after is not None:
        r = skip_adverbs(ctx, after, limit)
    if r + 1 < limit and toks[r].lower in en.PASSIVE_AUXILIARIES and toks[r + 1].lower in en.QUOTED_CUES:
        # "“…,” the minister was quoted by the Press Trust of India as saying."
        return Decision("trailing_cue", np, Span.of(text, toks[r + 1].start, toks[r + 1].end), 0.9)
    if r < limit and toks[r].lower in en.PLACE_PREPOSITIONS and np.text.split()[0].lower() in en.ARTICLES:
        # "a narrator in the Clinton ad asks": a place or source after a determiner phrase
        k = r + 1
        while k < limit and k - r <= 5 and toks[k].is_word and not cue_at(ctx, k) \
                and toks[k].lower not in en.FINITE_VERBS and toks[k].lower not in en.CLAUSE_LINKS:
            k += 1
        if k < limit and k - r <= 5 and cue_at(ctx, k) and toks[k].lower in en.STRONG_CUES:
            r = k
    if r < limit and toks[r].text == "," and not generic_ok:
        # an apposition: "X, the former chairman, said"
        k = r + 1
        while k < limit and toks[k].text != "," and k - r < 18:
            k += 1
        if k >= limit:
            return None
        r = skip_adverbs(ctx, k + 1, limit)
    elif r < limit and toks[r].text == ",":
        # asides: "X, the former chairman, said", "Harry Bond, 30, of Raleigh, N.C., who was polled, said"
        k = r
        while k < limit and k - r < 30:
            if toks[k].text == ",":
                nxt = skip_adverbs(ctx, k + 1, limit)
                if nxt < limit and cue_at(ctx, nxt):
                    break
            k += 1
        if k >= limit or k - r >= 30:
            return None
        r = skip_adverbs(ctx, k + 1, limit)
    if r >= limit:
        return None
    cue = toks[r]
    named = np.text[:1].isupper() or np.text.lower() in en.PRONOUNS
    det = np.text.split()[0].lower() in en.DESCRIPTION_OPENERS
    if cue_at(ctx, r) or (generic_ok and _generic_cue(cue) and (named or (det and (cue.lower.endswith("ed")
                                                                     or cue.lower in en.IRREGULAR_PAST)))):
        if ended and toks[first].is_cap and not _bare_attribution(ctx, r, limit):
            return None  # a new sentence with a clause of its own: "She replied that …"
        conf = 0.95 if cue_at(ctx, r) else 0.75
        if ended:
            conf -= 0.1
        return Decision("trailing_cue", np, Span.of(text, cue.start, cue.end), conf)
    return None


def _named_by(ctx: DocContext, np: Span, limit: int) -> Span:
    """"his son named Keith", "a woman called Maria Lopez": the name the phrase gives."""
    k = ctx.tok_index(np.end)
    if k + 1 < limit and ctx.lowers[k] in en.NAMING_WORDS and ctx.toks[k + 1].is_cap:
        name = np_after(ctx.text, ctx.toks, k + 1, ctx.toks[limit - 1].end, loose=False)
        if name is not None and name.text.lower() not in en.PRONOUNS:
            return name
    return np


def _named_in_apposition(ctx: DocContext, np: Span, limit: int) -> Span | None:
    """A description followed by the name it describes: "the group’s founder and president,
    Malik Osei" -> "Malik Osei"."""
    k = ctx.tok_index(np.end)
    if k + 1 >= limit or ctx.words[k] != ",":
        return None
    name = np_after(ctx.text, ctx.toks, k + 1, ctx.toks[limit - 1].end, loose=False)
    if name is None or not name.text[:1].isupper() or name.text.lower() in en.PRONOUNS:
        return None
    return name


def sentence_end_cue(ctx: DocContext, qi: int) -> Decision | None:
    """A quote that opens its sentence, credited by a clause later in it: "“…” that Sanders
    can catch Clinton, said Steve Elmendorf, …" / "“…” that would respond, Judge Ann Wolverton wrote."."""
    q = ctx.quotes[qi]
    s, e = ctx.sentence_of(q.span.start)
    if ctx.text[s:q.span.start].strip() or e - q.span.end > 400:
        return None
    toks, text = ctx.toks, ctx.text
    outside = ctx.outside_tokens(q.span.end, e)
    cues = [k for k in outside if cue_at(ctx, k)]
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
        if not commas or any(toks[k].lower in en.CLAUSE_LINKS or toks[k].lower in en.MODALS or not toks[k].is_word
                             for k in range(commas[-1] + 1, first)):
            return None  # the phrase must open the last clause: ", Justice Department counsel Ann Wolverton"
    if np is None or not (np.text[:1].isupper() or np.text.lower() in en.PRONOUNS):
        return None
    return Decision("sentence_end_cue", np, Span.of(text, toks[cue].start, toks[cue].end), 0.7,
                    ["a later clause of the sentence the quote opens credits it"])


def _split_trailing_verb(ctx: DocContext, np: Span) -> Span:
    """Behind “…,” / “…!”: a determiner phrase read past its verb ("the vice-presidential nominee
    riffed" before "on …", "the audience screamed back"): hand the past-tense verb back, so
    that it can be read as the cue."""
    toks = ctx.toks
    a, b = ctx.tok_index(np.start), ctx.tok_index(np.end)
    if b - a < 3 or toks[a].lower not in en.DESCRIPTION_OPENERS:
        return np
    v = b - 1
    while v > a + 1 and (toks[v].lower in en.VERB_PARTICLES or toks[v].lower.endswith("ly")):
        v -= 1  # "screamed back", "replied angrily"
    verb = toks[v]
    if verb.is_cap or v < a + 2 or not (verb.lower.endswith("ed") or verb.lower in en.IRREGULAR_PAST) \
            or not _generic_cue(verb):
        return np
    if b < len(toks) and toks[b].is_word and toks[b].lower not in en.ADJUNCT_OPENERS:
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


def quoted_as(ctx: DocContext, qi: int) -> Decision | None:
    """Xinhua quoted Foreign Ministry spokesman Wang Wenbin as saying: “…”  /  “…,” Reuters quoted
    a senior official as saying: the words are the one quoted, not the agency's (the agency is
    the outlet: :mod:`..outlets`)."""
    q = ctx.quotes[qi]
    s, e = ctx.sentence_of(q.span.start)
    toks, text, lowers = ctx.toks, ctx.text, ctx.lowers
    ks = ctx.outside_tokens(s, e)
    for n, k in enumerate(ks):
        if lowers[k] not in en.QUOTED_AS_VERBS or k + 1 >= len(lowers):
            continue
        np = np_after(text, toks, k + 1, e)
        if np is None:
            continue
        j = ctx.tok_index(np.end)
        if j + 1 < len(lowers) and lowers[j] == "as" and lowers[j + 1] in en.QUOTED_AS_CUES:
            return Decision("quoted_as", np, Span.of(text, toks[j + 1].start, toks[j + 1].end), 0.85,
                            [f"'{toks[k].text} {np.text} as {toks[j + 1].text}': the words are the one quoted"])
    return None
