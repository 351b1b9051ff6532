"""Words, noun phrases and names, with offsets.

The sieves ask this module three questions: what are the tokens of a stretch
of text, which noun phrase stands next to a cue verb, and what canonical name
and type does a mention have.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

from .lang import en
from .types import Span

_TOKEN = regex.compile(
    r"(?:\p{Lu}\.){2,}"                      # U.S. U.N.
    r"|[\p{L}\p{N}]+(?:[’'\-\.][\p{L}\p{N}]+)*"  # words, Korea’s, al-Assad, d’état
    r"|[^\s\p{L}\p{N}]",                     # one punctuation mark
    regex.V1,
)

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
_DET_PHRASE_STOP = frozenset(
    "who whom whose which that in on during after before when while as with at last this "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today earlier later".split())
NAME_PARTICLES = frozenset("al al- bin ibn de da del della di van von der la le du dos el".split())


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    end = len(text) if end is None else end
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("’", "'").lower().strip()


def strip_possessive(word: str) -> str:
    for suf in ("’s", "'s", "’", "'"):
        if word.endswith(suf) and len(word) > len(suf):
            return word[: -len(suf)]
    return word


def _np_word(tok: Token) -> bool:
    lw = tok.lower
    if tok.is_cap:
        return True
    return lw in en.NP_INNER_WORDS or lw in en.TITLES or lw in NAME_PARTICLES or lw.startswith("al-")


def np_before(text: str, toks: list[Token], i: int, lo: int) -> Span | None:
    """The noun phrase ending just before token ``i`` (exclusive), not reaching left of ``lo``.

    Skips auxiliaries and adverbs between subject and verb ("Trump also said").
    """
    j = i - 1
    while j >= 0 and toks[j].start >= lo and (toks[j].lower in AUX_ADVERBS or toks[j].lower.endswith("ly")) \
            and not toks[j].is_cap:
        j -= 1
    if j < 0 or toks[j].start < lo:
        return None
    paren_end = None
    if toks[j].text == ")":
        # "Sen. Richard J. Durbin (D-Ill.)": keep the parenthesis, read the name before it
        k = j - 1
        while k >= 0 and toks[k].start >= lo and toks[k].text != "(" and j - k < 12:
            k -= 1
        if k < 0 or toks[k].text != "(":
            return None
        paren_end = toks[j].end
        j = k - 1
        if j < 0 or toks[j].start < lo:
            return None
    if toks[j].lower in en.PRONOUNS or toks[j].lower in ("who",):
        # "who" stays the mention; the resolver reads it as the phrase before its comma
        return Span.of(text, toks[j].start, toks[j].end)
    if toks[j].text == "." and j > 0 and _abbrev_dot(toks, j):
        j -= 1  # "… Jr." ends the phrase with its dot left out
    end_j = j
    k = j
    while k >= 0 and toks[k].start >= lo and ((toks[k].is_word and _np_word(toks[k]))
                                              or (toks[k].text == "." and _abbrev_dot(toks, k))):
        k -= 1
    first = k + 1
    if k >= 0 and toks[k].start >= lo and toks[k].lower in DETERMINERS:
        first = k
    # trim connecting words at the left edge ("of", "and")
    while first <= end_j and toks[first].lower in ("of", "and", "for", "at", "on") :
        first += 1
    # drop sentence-opening adverbs ("Meanwhile Trump")
    while first <= end_j and toks[first].lower in NOT_NAMES and toks[first].lower not in DETERMINERS:
        first += 1
    if first > end_j:
        return None
    # a phrase must hold a name or a head noun; "the" alone is nothing
    words = [t for t in toks[first:end_j + 1]]
    if not any(t.is_cap or t.lower in en.NP_INNER_WORDS or t.lower in en.TITLES for t in words
               if t.lower not in DETERMINERS):
        return None
    # the last word of a phrase is its head: "of" or a determiner cannot end it
    while end_j >= first and toks[end_j].lower in ("of", "and", "the", "for", "at", "on"):
        end_j -= 1
    if end_j < first:
        return None
    return Span.of(text, toks[first].start, paren_end or toks[end_j].end)


_ABBREV_WORDS = frozenset("mr mrs ms dr sen rep gov gen lt col sgt capt cmdr adm rev prof st jr sr".split())


def _abbrev_dot(toks: list[Token], k: int) -> bool:
    """Is the full stop at token ``k`` the end of a title or an initial ("Col.", "J.")
    glued to the word before it and followed by a capitalised word?"""
    if k == 0 or toks[k - 1].end != toks[k].start:
        return False
    prev = toks[k - 1]
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


def is_cue_verb(toks: list[Token], k: int) -> bool:
    """Is token ``k`` a reporting verb, not a noun ("his comments", "the report")?"""
    low = toks[k].lower
    if low not in en.CUE_VERBS:
        return False
    if toks[k].is_cap and k > 0 and toks[k - 1].text not in ".!?\"“”:;":
        return False  # "the United States needs", "Secretary of State"
    if low in _NOUNISH_CUES and k > 0:
        prev = toks[k - 1]
        pl = prev.lower
        if not (pl in en.PRONOUNS or pl in ("who", "and", "also", "then", "which", "that") or pl.endswith("ly")
                or (prev.is_cap and prev.lower not in NOT_NAMES) or prev.text in ",\"“”’'—–-"
                or (prev.is_word and pl not in _PREPS and any(
                    t.lower in DETERMINERS for t in toks[max(0, k - 5):k - 1])
                    and (k + 1 >= len(toks) or toks[k + 1].text in ",:.;\"“‘'" or toks[k + 1].lower == "that"))):
            # "the statement read, “…”" but not "his recent remarks about …"
            return False  # "secretary of state", "a poll report", "the moral point"
    if k > 0:
        prev = toks[k - 1]
        pl = prev.lower
        if pl in ("the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "that",
                  "these", "those", "such", "no", "any", "some", "so-", "so") or pl.endswith(("’s", "'s")):
            return False
    return True


def det_phrase_before(text: str, toks: list[Token], i: int, lo: int, max_len: int = 7) -> Span | None:
    """A phrase opened by a determiner right before token ``i``: "the progressive heavyweights"."""
    j = i - 1
    n = 0
    while j >= 0 and toks[j].start >= lo and toks[j].is_word and n < max_len:
        low = toks[j].lower
        if low in SPEAKER_DETS:
            return Span.of(text, toks[j].start, toks[i - 1].end) if j < i - 1 else None
        if low in en.CUE_VERBS or low in ("who", "that", "which", "and", "but", "or"):
            return None
        j -= 1
        n += 1
    return None


def speaker_before(text: str, toks: list[Token], i: int, lo: int) -> Span | None:
    """The speaker phrase before a cue verb at token ``i``: a name, a pronoun, a
    determiner phrase, or a phrase followed by an apposition ("Htay Oo, its acting
    chairman, told")."""
    j = i - 1
    while j >= 0 and toks[j].start >= lo and not toks[j].is_cap and (
            toks[j].lower in AUX_ADVERBS or toks[j].lower.endswith("ly")):
        j -= 1
    if j < 0 or toks[j].start < lo:
        return None
    if toks[j].text == ",":
        k = j - 1
        verb_inside = False
        while k >= 0 and toks[k].start >= lo and toks[k].text != "," and j - k < 16:
            verb_inside = verb_inside or toks[k].lower in en.CUE_VERBS
            k -= 1
        if k >= 0 and toks[k].start >= lo and toks[k].text == "," and verb_inside \
                and toks[k + 1].lower not in ("who", "which") and not toks[k + 1].lower.endswith("ing"):
            return None  # "…, Sanders said, told": a clause, not an aside
        if k >= 0 and toks[k].start >= lo and toks[k].text == ",":
            chunk = toks[k + 1]
            if chunk.is_cap and chunk.lower not in NOT_NAMES and toks[j - 1].text != "," :
                # ", Gov. John Kasich (R-OH), said": the chunk itself is the speaker
                np = np_before(text, toks, j, toks[k + 1].start)
                if np is not None and np.start == chunk.start:
                    return np
            # an apposition or aside ("Htay Oo, its acting chairman, told"): the phrase before it
            return speaker_before(text, toks, k, lo) if k > 0 and toks[k - 1].text != "," else None
        return None
    np = np_before(text, toks, j + 1, lo)
    if np is not None and (np.text[:1].isupper() or np.text.split()[0].lower() in SPEAKER_DETS
                           or np.text.lower() in en.PRONOUNS):
        return np
    return det_phrase_before(text, toks, j + 1, lo) or np


def np_after(text: str, toks: list[Token], i: int, hi: int, loose: bool = True) -> Span | None:
    """The noun phrase starting at token ``i``, not reaching past ``hi``.

    Stops at a comma, so "said X, who replaced Y" gives X.
    """
    if i >= len(toks) or toks[i].end > hi:
        return None
    t = toks[i]
    if t.lower in en.PRONOUNS:
        return Span.of(text, t.start, t.end)
    if loose and t.lower in SPEAKER_DETS and t.lower not in ("his", "her", "its", "their", "our", "this", "that"):
        k = i + 1
        while k < len(toks) and toks[k].end <= hi and toks[k].is_word and k - i <= 8 \
                and toks[k].lower not in _DET_PHRASE_STOP and toks[k].lower not in en.CUE_VERBS:
            k += 1
        while k - 1 > i and toks[k - 1].lower in ("of", "and", "the", "for", "to", "from", "a"):
            k -= 1
        if k - 1 > i:
            return Span.of(text, t.start, toks[k - 1].end)
        return None
    j = i
    if toks[j].lower in DETERMINERS:
        j += 1
    k = j
    while k < len(toks) and toks[k].end <= hi and ((toks[k].is_word and _np_word(toks[k]))
                                                   or (toks[k].text == "." and _abbrev_dot(toks, k))):
        k += 1
    while k - 1 >= j and toks[k - 1].lower in ("of", "and", "the", "for", "at", "on", "u.s"):
        if toks[k - 1].lower == "u.s":
            break
        k -= 1
    if k <= j:
        return None
    words = toks[j:k]
    if not any(w.is_cap or w.lower in en.NP_INNER_WORDS or w.lower in en.TITLES for w in words):
        return None
    return Span.of(text, toks[i].start, toks[k - 1].end)


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
    return mention, None


# titles that end a role in front of a name ("former", "late" only qualify the next title)
_TITLE_WORDS = frozenset(t.strip(".") for t in en.TITLES) - {"former", "late", "first", "then-candidate"}


def clean_name(mention: str) -> str:
    """The canonical form of a mention: determiners, possessives and titles off."""
    words = mention.replace("\n", " ").split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    if not words:
        return mention.strip()
    words[-1] = strip_possessive(words[-1])
    name, _role = split_role(" ".join(words))
    return name.strip(" ,.;:")


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
