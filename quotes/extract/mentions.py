"""Words, noun phrases and names, with offsets.

The sieves ask this module two questions: which noun phrase stands next to a cue
verb, and what canonical name and type does a mention have. The tokens they read
come from :mod:`.tokens`.
"""
from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Sequence

import regex

from ..lang import en
from ..types import Span
from .tokens import Token

DETERMINERS = frozenset("the a an this that these those his her its their our".split())
# Capitalised words that open sentences but never names.
NOT_NAMES = frozenset(
    "the a an and but or so yet still also meanwhile however instead later earlier "
    "then now today yesterday tomorrow tonight monday tuesday wednesday thursday friday "
    "saturday sunday last next this that these those there here when while after before "
    "as if in on at by for from with without of to into over under about since until "
    "although though because some many most several few all both each every other "
    "his her its their our my your we i he she they it you who what where why how "
    "asked speaking writing according in an earlier statement".split()
)
AUX_ADVERBS = frozenset(
    "also then later again once previously recently has have had would will could "
    "should may might did does do just only further separately simply "
    "repeatedly reportedly flatly quickly immediately often frequently "
    "publicly privately bluntly angrily".split()
)
SPEAKER_DETS = DETERMINERS | frozenset(
    "one another some two three four several many most both each all other".split())
# Words that end a determiner phrase after a quote ("said one aide in an interview").
_WEEKDAYS = en.WEEKDAYS
_DET_PHRASE_STOP = frozenset(
    "who whom whose which that in on during after before when while as with at last this "
    "yesterday today earlier later will would can could should may might must shall was were is are has have "
    "had".split()) | _WEEKDAYS
NAME_PARTICLES = frozenset("al al- bin ibn de da del della di van von der la le du dos el".split())


@functools.lru_cache(maxsize=1 << 16)  # pure, and called for the same few thousand words again and again
def fold(s: str) -> str:
    if s.isascii():
        return s.lower().strip()  # the same: ASCII has no decompositions, no combining marks, no ’
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("’", "'").lower().strip()


def strip_possessive(word: str) -> str:
    """``word`` without a possessive ending ("’s", "'s", "’", "'"), unless that is all of it."""
    last = word[-1:]
    if last == "s":
        return word[:-2] if len(word) > 2 and word[-2] in "’'" else word
    if last == "’" or last == "'":
        return word[:-1] if len(word) > 1 else word
    return word


def _np_word(tok: Token) -> bool:
    lw = tok.lower
    if tok.is_cap:
        return True
    return lw in en.NP_INNER_WORDS or lw in en.TITLES or lw in NAME_PARTICLES or lw.startswith("al-")


def _skip_adverbs_back(toks: Sequence[Token], j: int, lo: int) -> int:
    """The last token at or before ``j`` (not left of ``lo``) that is not an auxiliary or adverb
    ("also", "flatly"): what stands between a subject and its verb."""
    while j >= 0:
        t = toks[j]
        if t.start < lo or t.is_cap or not (t.lower in AUX_ADVERBS or t.lower.endswith("ly")):
            break
        j -= 1
    return j


# (The functions below read each token once per step, into a local: a token sequence is
# lazy (:class:`Tokens`) and every ``toks[k]`` is a call.)

def np_before(text: str, toks: Sequence[Token], i: int, lo: int) -> Span | None:
    """The noun phrase ending just before token ``i`` (exclusive), not reaching left of ``lo``.

    Skips auxiliaries and adverbs between subject and verb ("Trump also said").
    """
    j = _skip_adverbs_back(toks, i - 1, lo)
    if j < 0:
        return None
    t = toks[j]
    if t.start < lo:
        return None
    paren_end = None
    if t.text == ")":
        # "Sen. Richard J. Durbin (D-Ill.)": keep the parenthesis, read the name before it
        k = j - 1
        while k >= 0 and j - k < 12:
            tk = toks[k]
            if tk.start < lo or tk.text == "(":
                break
            k -= 1
        if k < 0 or toks[k].text != "(":
            return None
        paren_end = t.end
        j = k - 1
        if j < 0:
            return None
        t = toks[j]
        if t.start < lo:
            return None
    if t.lower in en.PRONOUNS or t.lower == "who":
        # "who" stays the mention; the resolver reads it as the phrase before its comma
        return Span.of(text, t.start, t.end)
    if t.text == "." and j > 0 and _abbrev_dot(toks, j):
        j -= 1  # "… Jr." ends the phrase with its dot left out
    end_j = j
    k = j
    while k >= 0:
        t = toks[k]
        if t.start < lo or not ((t.is_word and _np_word(t)) or (t.text == "." and _abbrev_dot(toks, k))) \
                or (k < end_j and t.lower in _WEEKDAYS):
            break  # "met Bo Li on Monday and praised": a weekday is never part of a name
        k -= 1
    first = k + 1
    if k >= 0 and toks[k].start >= lo and toks[k].lower in DETERMINERS:
        first = k
    # trim connecting words at the left edge ("of", "and")
    while first <= end_j and toks[first].lower in ("of", "and", "for", "at", "on"):
        first += 1
    # drop sentence-opening adverbs ("Meanwhile Trump")
    while first <= end_j:
        low = toks[first].lower
        if low not in NOT_NAMES or low in DETERMINERS:
            break
        first += 1
    if first > end_j:
        return None
    # a phrase must hold a name or a head noun; "the" alone is nothing
    words = toks[first:end_j + 1]
    if not any(t.is_cap or t.lower in en.NP_INNER_WORDS or t.lower in en.TITLES for t in words
               if t.lower not in DETERMINERS):
        return None
    # the last word of a phrase is its head: "of" or a determiner cannot end it
    while end_j >= first and words[end_j - first].lower in ("of", "and", "the", "for", "at", "on"):
        end_j -= 1
    if end_j < first:
        return None
    return Span.of(text, words[0].start, paren_end or words[end_j - first].end)


_ABBREV_WORDS = frozenset("mr mrs ms dr sen rep gov gen lt col sgt capt cmdr adm rev prof st jr sr".split())


def _abbrev_dot(toks: Sequence[Token], k: int) -> bool:
    """Is the full stop at token ``k`` the end of a title or an initial ("Col.", "J.")
    glued to the word before it and followed by a capitalised word?"""
    if k == 0:
        return False
    prev = toks[k - 1]
    if prev.end != toks[k].start:
        return False
    if not (prev.lower in _ABBREV_WORDS or (len(prev.text) == 1 and prev.is_cap)):
        return False
    return k + 1 < len(toks) and toks[k + 1].is_cap


# Reporting verbs that are far more often nouns ("secretary of state", "a campaign post"):
# cues only right after a speaker-like word.
_NOUNISH_CUES = frozenset(
    "state states report reports call calls post posts point points note notes comment comments "
    "charge charges counter counters label labels dub dubs tweet tweets joke jokes promise promises "
    "demand demands claim claims vow vows pledge pledges laugh laughs cry cries shout shouts read reads "
    "add adds ask asks remark remarks sigh sighs echo echoes tout touts quip quips reply replies boast "
    "boasts mention mentions muse wonder bark snap".split())


_PREPS = frozenset("of to for with from by at on in into about as than".split())
_NOUN_DETS = frozenset("of the a an his her their its our my your these those some many all most few".split())


def is_cue_verb(toks: Sequence[Token], k: int) -> bool:
    """Is token ``k`` a reporting verb, not a noun ("his comments", "the report")?"""
    t = toks[k]
    low = t.lower
    if low not in en.CUE_VERBS:
        return False
    if k == 0:
        return True
    prev = toks[k - 1]
    if t.is_cap and prev.text not in ".!?\"“”:;":
        return False  # "the United States needs", "Secretary of State"
    pl = prev.lower
    if low in _NOUNISH_CUES and prev.is_cap and not pl.endswith("s") and k > 1 \
            and (toks[k - 2].lower in _NOUN_DETS or toks[k - 2].text[:1].isdigit()):
        return False  # "32% of Republican claims", "the Trump tweets" (but "the Saudis state")
    if low in _NOUNISH_CUES:
        if not (pl in en.PRONOUNS or pl in ("who", "and", "also", "then", "which", "that") or pl.endswith("ly")
                or (prev.is_cap and pl not in NOT_NAMES) or prev.text in ",\"“”’'—–-"
                or (prev.is_word and pl not in _PREPS and any(
                    t.lower in DETERMINERS for t in toks[max(0, k - 5):k - 1])
                    and (k + 1 >= len(toks) or toks[k + 1].text in ",:.;\"“‘'" or toks[k + 1].lower == "that"))):
            # "the statement read, “…”" but not "his recent remarks about …"
            return False  # "secretary of state", "a poll report", "the moral point"
    if pl in ("the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that",
              "these", "those", "such", "no", "any", "some", "so-", "so") or pl.endswith(("’s", "'s")):
        return False
    return True


def det_phrase_before(text: str, toks: Sequence[Token], i: int, lo: int, max_len: int = 7) -> Span | None:
    """A phrase opened by a determiner right before token ``i``: "the progressive heavyweights"."""
    j = i - 1
    n = 0
    while j >= 0 and n < max_len:
        t = toks[j]
        if t.start < lo or not t.is_word:
            break
        low = t.lower
        if low in SPEAKER_DETS:
            return Span.of(text, t.start, toks[i - 1].end) if j < i - 1 else None
        if low in en.CUE_VERBS or low in ("who", "that", "which", "and", "but", "or"):
            return None
        j -= 1
        n += 1
    return None


def _place_before(toks: Sequence[Token], k: int, lo: int) -> int:
    """If the comma at token ``k`` follows a place after a preposition ("in Columbus,"), the
    preposition's index; else -1."""
    m = k - 1
    while m >= 0 and k - m <= 4 and toks[m].is_cap and toks[m].start >= lo:
        m -= 1
    if 0 <= m < k - 1 and toks[m].start >= lo and toks[m].lower in ("in", "at", "from", "near", "outside"):
        return m
    return -1


def speaker_before(text: str, toks: Sequence[Token], i: int, lo: int) -> Span | None:
    """The speaker phrase before a cue verb at token ``i``: a name, a pronoun, a
    determiner phrase, or a phrase followed by an apposition ("Htay Oo, its acting
    chairman, told")."""
    j = _skip_adverbs_back(toks, i - 1, lo)
    if j < 0:
        return None
    t = toks[j]
    if t.start < lo:
        return None
    if t.text == ",":
        k = j - 1
        verb_inside = False
        while k >= 0 and j - k < 16:
            tk = toks[k]
            if tk.start < lo or tk.text == ",":
                break
            verb_inside = verb_inside or tk.lower in en.CUE_VERBS
            k -= 1
        if k >= 0 and toks[k].start >= lo and toks[k].text == ",":
            chunk = toks[k + 1]
            m = _place_before(toks, k, lo) if j - k <= 3 and chunk.is_cap else -1
            if m > 0:
                # "Clinton, at a town hall in Columbus, Ohio, said": the state ends the aside;
                # with no aside opened before it, the place belongs to the subject ("a woman in
                # Worcester, Massachusetts, told him")
                return speaker_before(text, toks, k + 1, lo) or det_phrase_before(text, toks, m, lo) \
                    or np_before(text, toks, m, lo)
            if verb_inside and chunk.lower not in ("who", "which") and not chunk.lower.endswith("ing"):
                return None  # "…, Sanders said, told": a clause, not an aside
            if chunk.is_cap and chunk.lower not in NOT_NAMES and toks[j - 1].text != ",":
                # ", Gov. John Kasich (R-OH), said": the chunk itself is the speaker
                np = np_before(text, toks, j, chunk.start)
                if np is not None and np.start == chunk.start:
                    return np
            # an apposition or aside ("Htay Oo, its acting chairman, told"): the phrase before it
            return speaker_before(text, toks, k, lo) if k > 0 and toks[k - 1].text != "," else None
        return None
    np = np_before(text, toks, j + 1, lo)
    if np is None or not (np.text[:1].isupper() or np.text.split()[0].lower() in SPEAKER_DETS
                          or np.text.lower() in en.PRONOUNS):
        np = det_phrase_before(text, toks, j + 1, lo) or np
    if np is None:
        return None
    # the phrase right before the verb may be an object inside the subject's phrase
    return _participle_subject(text, toks, np, lo) or _adjunct_subject(text, toks, np, lo) \
        or _apposition_subject(text, toks, np, lo) or np


_APPOSITION_PREPS = frozenset("of from at for with in".split())


def _apposition_subject(text: str, toks: Sequence[Token], np: Span, lo: int) -> Span | None:
    """"Giani Gurudev Singh, a speaker from the Sikh community said": the phrase is the object
    of a preposition inside an apposition whose closing comma is missing; the name before the
    apposition's comma is the subject."""
    k = _index_at(toks, np.start) - 1
    if k < 3 or toks[k].lower not in _APPOSITION_PREPS or toks[k].start < lo:
        return None
    j = k - 1
    while j > 0 and k - j <= 5 and toks[j].start >= lo and toks[j].is_word and not toks[j].is_cap:
        j -= 1  # "a speaker", "an official"
    if toks[j].text != "," or toks[j + 1].lower not in ("a", "an", "the") or j + 1 >= k:
        return None
    name = np_before(text, toks, j, lo)
    return name if name is not None and name.text[:1].isupper() and name.text.lower() not in en.PRONOUNS else None


_ADJUNCT_PREPS = frozenset("in during at on over throughout".split())  # not "since", "after": conjunctions too


def _adjunct_subject(text: str, toks: Sequence[Token], np: Span, lo: int) -> Span | None:
    """"Beck, who has in the past described", "Trump in his announcement speech called": the
    phrase is the object of an adverbial preposition; the subject comes before it."""
    k = _index_at(toks, np.start) - 1
    if k < 1 or toks[k].lower not in _ADJUNCT_PREPS or toks[k].start < lo:
        return None
    subj = speaker_before(text, toks, k, lo)
    if subj is None or subj.text.lower() not in en.PRONOUNS and subj.text.lower() != "who" \
            and not subj.text[:1].isupper():
        return None
    # only auxiliaries and adverbs between the subject and the adjunct ("who has in the past")
    return subj if _index_at(toks, subj.end) - 1 >= _skip_adverbs_back(toks, k - 1, lo) else None


_PLACE_PREPS = frozenset("through across along around outside inside near toward towards past behind under "
                         "over".split())


def _start(t: Token) -> int:
    return t.start


def _index_at(toks: Sequence[Token], offset: int) -> int:
    """The index of the first token starting at or after ``offset``."""
    starts = getattr(toks, "starts", None)  # a lazy Tokens keeps its offsets as a plain list
    return bisect.bisect_left(starts, offset) if starts is not None else bisect.bisect_left(toks, offset, key=_start)


def _participle_subject(text: str, toks: Sequence[Token], np: Span, lo: int) -> Span | None:
    """"Protesters marching through the streets chanted": the phrase is the participle's
    object; the subject comes before the participle."""
    k = _index_at(toks, np.start) - 1
    if k >= 0 and (toks[k].lower in _PREPS or toks[k].lower in _PLACE_PREPS) and k - 1 >= 0:
        k -= 1  # "marching through the streets"
    if k < 1 or not toks[k].lower.endswith("ing") or toks[k].is_cap or toks[k].lower in en.CUE_VERBS:
        return None
    subj = np_before(text, toks, k, lo) or det_phrase_before(text, toks, k, lo)
    return subj if subj is not None and subj.end == toks[k - 1].end else None


def np_after(text: str, toks: Sequence[Token], i: int, hi: int, loose: bool = True) -> Span | None:
    """The noun phrase starting at token ``i``, not reaching past ``hi``.

    Stops at a comma, so "said X, who replaced Y" gives X.
    """
    n = len(toks)
    if i >= n:
        return None
    t = toks[i]
    if t.end > hi:
        return None
    low = t.lower
    if low in en.PRONOUNS:
        return Span.of(text, t.start, t.end)
    if loose and low in SPEAKER_DETS and low not in ("his", "her", "its", "their", "our", "this", "that"):
        k = i + 1
        while k < n and k - i <= 8:
            tk = toks[k]
            if tk.end > hi or not tk.is_word or tk.lower in _DET_PHRASE_STOP \
                    or (tk.lower in en.CUE_VERBS and k > i + 1) or (k > i + 1 and tk.lower in AUX_ADVERBS):
                break  # "the letter further explains": the adverb goes with the verb; right after the
                # determiner a reporting word is a noun ("the state governor", "the report")
            k += 1
        while k - 1 > i and toks[k - 1].lower in ("of", "and", "the", "for", "to", "from", "a", "as"):
            k -= 1
        if k - 1 > i:
            return Span.of(text, t.start, toks[k - 1].end)
        return None
    j = i + 1 if low in DETERMINERS else i
    k = j
    while k < n:
        tk = toks[k]
        if k > j and tk.is_word and not tk.is_cap and tk.end <= hi and _role_before_name(toks, k, hi):
            k += 1  # "University don Herman Manyora", "former Portugal striker Nuno Gomes"
            continue
        if tk.end > hi or not ((tk.is_word and _np_word(tk)) or (tk.text == "." and _abbrev_dot(toks, k))) \
                or (k > j and tk.lower in _WEEKDAYS):
            break  # "said Maria Okafor on Monday": a weekday is never part of a name
        k += 1
    while k - 1 >= j:
        low = toks[k - 1].lower
        if low not in ("of", "and", "the", "for", "at", "on", "u.s") or low == "u.s":
            break
        k -= 1
    if k <= j:
        return None
    words = toks[j:k]
    if not any(w.is_cap or w.lower in en.NP_INNER_WORDS or w.lower in en.TITLES for w in words):
        return None
    return Span.of(text, t.start, words[-1].end)


def _role_before_name(toks: Sequence[Token], k: int, hi: int) -> bool:
    """Is the lower-case word at ``k`` a role between a capitalised modifier and a full name
    ("University don Herman Manyora")? It is when it is a person's role noun, a name of two
    capitalised words follows it and a capitalised word stands before it."""
    if k + 2 >= len(toks) or not toks[k - 1].is_cap or toks[k].lower not in en.PERSON_NOUNS:
        return False
    a, b = toks[k + 1], toks[k + 2]
    return a.end <= hi and b.end <= hi and a.is_cap and b.is_cap and a.is_word and b.is_word \
        and a.lower not in NOT_NAMES and b.lower not in _WEEKDAYS


@functools.lru_cache(maxsize=1 << 14)  # pure; the functions below are called for every mention again and again
def split_role(mention: str) -> tuple[str, str | None]:
    """'Foreign Ministry spokesman Seyyed Abbas Mousavi' -> ('Seyyed Abbas Mousavi', 'Foreign Ministry spokesman').

    The name is the run of capitalised words after the last lower-case title word.
    """
    words = mention.split()
    last_title = -1
    for idx, w in enumerate(words):
        lw = w.lower().strip(",.")
        if (lw in en.TITLES or lw in en.NP_INNER_WORDS) and not w[:1].isupper() and lw not in NAME_PARTICLES \
                and lw not in ("of", "the", "for", "and", "at", "on", "to", "from", "in"):
            last_title = idx
    if 0 <= last_title < len(words) - 1:
        name_words = words[last_title + 1:]
        if all(w[:1].isupper() or w.lower() in NAME_PARTICLES or w.lower().startswith("al-") for w in name_words):
            return " ".join(name_words), " ".join(words[: last_title + 1])
    # capitalised titles: "President Barack Obama", "Sen. Ted Cruz", "Transport Minister Oluwaseun Brandt"
    last = -1
    for idx, w in enumerate(words[:-1]):
        if w.lower().strip(".,") in _TITLE_WORDS:
            last = idx
    if last >= 0:
        rest = words[last + 1:]
        if all(w[:1].isupper() or w.lower() in NAME_PARTICLES or w.lower().startswith("al-") for w in rest):
            return " ".join(rest), " ".join(words[: last + 1])
    # a title of a body before a name: "President of the Republic Pedro Castillo", "Minister of
    # Foreign Affairs Ana Ruiz": the name is what follows the body's last word
    if any(w.lower().strip(".,") in _TITLE_WORDS for w in words[:2]) and len(words) > 3 and words[1].lower() in ("of", "for"):
        body_end = max((idx for idx, w in enumerate(words) if fold(w) in _BODY_WORDS), default=-1)
        rest = words[body_end + 1:]
        if body_end > 1 and len(rest) >= 2 and all(w[:1].isupper() or w.lower() in NAME_PARTICLES for w in rest):
            return " ".join(rest), " ".join(words[: body_end + 1])
    # any other role word before a full name: "9/11 widow Terry Strada", "master of ceremonies Asab Al-Tabchi"
    last = max((idx for idx, w in enumerate(words) if not w[:1].isupper() and w.lower() not in NAME_PARTICLES),
               default=-1)
    if 0 <= last < len(words) - 2 and words[last].lower() not in ("of", "the", "for", "and", "at", "on", "to",
                                                                   "from", "in", "a", "an"):
        return " ".join(words[last + 1:]), " ".join(words[: last + 1])
    return mention, None


# the last word of a body in a title ("Minister of Foreign Affairs", "President of the Republic")
_BODY_WORDS = en.ORG_HEADS | en.COUNTRIES | frozenset("republic state affairs interior defence defense justice "
                                                      "finance health education labour labor".split())
# titles that end a role in front of a name ("former", "late" only qualify the next title)
_TITLE_WORDS = frozenset(t.strip(".") for t in en.TITLES) - {"former", "late", "first", "then-candidate"}


_CONTRACTED = regex.compile(r"[’'](?:s|re|ll|ve|d)$")


_LINK_WORDS = frozenset("of and the for at on in to".split())


def _opener(word: str) -> bool:
    """A determiner, or a capitalised function word that opens a sentence ("Although"), but
    not an acronym ("US")."""
    low = _CONTRACTED.sub("", word.lower())  # "Here’s"
    return low in DETERMINERS or (low in en.FUNCTION_WORDS and word[:1].isupper()
                                   and not (len(word) > 1 and word.isupper()) and low not in en.PRONOUNS)


_PARTY_TAG = regex.compile(r"\s*\([^()\n]{1,24}\)\s*$")


@functools.lru_cache(maxsize=1 << 14)
def clean_name(mention: str) -> str:
    """The canonical form of a mention: determiners, possessives and titles off."""
    words = _PARTY_TAG.sub("", mention).replace("\n", " ").split()  # "Rep. John Mica (R-Fla.)"
    while len(words) > 1 and _opener(words[0]):
        words = words[1:]  # "the", and a sentence's opening word glued to a name ("Although Scott")
    while len(words) > 1 and (fold(words[-1]) in _WEEKDAYS or fold(words[-1]) in _LINK_WORDS):
        words = words[:-1]  # "The Congress Monday warned", "Bo Li on Monday"
    if not words:
        return mention.strip()
    words[-1] = strip_possessive(words[-1])
    name, _role = split_role(" ".join(words))
    return name.strip(" ,.;:")


@functools.lru_cache(maxsize=1 << 14)
def entity_type(name: str, mention: str | None = None) -> str:
    low = fold(name)
    if low in en.PRONOUNS:
        return "person" if en.PRONOUNS[low] == "person" else "unknown"
    if low in en.COUNTRIES or low.removeprefix("the ") in en.COUNTRIES:
        return "country"
    words = low.split()
    if any(w in en.ORG_HEADS for w in words) or (mention and any(
            w in en.ORG_HEADS for w in fold(mention).split()[-1:])):
        return "organization"
    if words and all(w.isupper() for w in name.split()) and len(name) <= 6:
        return "organization"  # KCNA, WPK, NATO
    parts = name.split()
    caps = [w for w in parts if w[:1].isupper()]
    particles = [w for w in parts if w.lower() in NAME_PARTICLES or w.lower().startswith(("al-", "el-", "bin-"))]
    if caps and len(caps) + len(particles) == len(parts):
        return "person"  # Bashar al-Assad, Ursula von der Leyen
    return "unknown"


def is_pronoun(s: str) -> bool:
    return fold(s) in en.PRONOUNS
