"""Can a phrase name a speaker? The one check every rule that proposes a speaker goes through.

A speaker is a person, a group or an organisation named by a noun phrase. Sentence openers,
function words, dates, numbers and clause fragments are none ("It", "Within", "January",
"2021", "Constitution does not", "letter further"); nor is a single capitalised word that the
same article writes in lower case wherever it does not open a sentence ("More", "Insiders"):
there its capital comes from its position, not from a name. An empty speaker is better than a
wrong one.
"""
from __future__ import annotations

import functools

import regex

from ..lang import en
from .mentions import fold, strip_possessive

_KEY_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}’'\-\.]*")

_WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}’'\-\.]*")
_CONTRACTION = regex.compile(r"(?i)[’'](?:s|re|ll|ve|d|m)$")


@functools.lru_cache(maxsize=1 << 14)
def _words(name: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(name))


def _bare(word: str) -> str:
    """The word folded, with a possessive or a contraction off ("It’s" -> "it")."""
    return fold(_CONTRACTION.sub("", strip_possessive(word)))


@functools.lru_cache(maxsize=1 << 14)
def why_not_a_name(name: str) -> str | None:
    """Why ``name`` (a cleaned speaker name) cannot name a speaker, or None when it can.
    Reads only the name: see :func:`why_not_a_speaker` for the article's own evidence."""
    words = _words(name)
    if not words:
        return "no word"
    bare = [_bare(w) for w in words]
    if any(len(w) > 1 and w.isupper() for w in words):
        return None  # an acronym: "US", "ATM", "IT" (what a function word in capitals would be)
    if all(b in en.FUNCTION_WORDS or b in en.PRONOUNS for b in bare):
        return "a function word"
    if all(b in en.MONTHS or b in en.WEEKDAYS or b.isdigit() or b in en.NUMBER_WORDS
           or b in en.FUNCTION_WORDS for b in bare):
        return "a date or a number"
    if any(not w[:1].isupper() and b in en.CLAUSE_WORDS for w, b in zip(words, bare)):
        return "a clause fragment"
    if bare[0] in en.FUNCTION_WORDS and bare[0] not in en.DESCRIPTION_OPENERS and words[0][:1].isupper() \
            and bare[0] not in en.PRONOUNS:
        return "a sentence opener"  # "Though the ruling", "Within this framework"
    return None


def why_not_a_speaker(name: str, lower_only: frozenset[str] | set[str] = frozenset(),
                      capitalised_inside: frozenset[str] | set[str] = frozenset()) -> str | None:
    """:func:`why_not_a_name`, with the article's own evidence for a single capitalised word:
    a name when the article capitalises it inside a sentence ("Will called for …"), none when
    it writes it in lower case everywhere but at the start of a sentence (``lower_only``)."""
    words = _words(name)
    one = len(words) == 1 and words[0][:1].isupper()
    if one and words[0].lower() in capitalised_inside and not is_pronoun_word(words[0]):
        return None
    why = why_not_a_name(name)
    if why is None and one and (words[0].lower() in lower_only or _bare(words[0]) in lower_only):
        return "a common word capitalised at a sentence start"
    return why


def is_pronoun_word(word: str) -> bool:
    return _bare(word) in en.PRONOUNS


def is_group(phrase: str) -> bool:
    """"the Palestinians", "the Smiths": a people or a family, never "he" or "she"."""
    words = phrase.split()
    return len(words) == 2 and fold(words[0]) == "the" and words[1][:1].isupper() and words[1].endswith("s") \
        and not words[1].endswith(("ss", "’s", "'s"))


def is_plural_list(phrase: str) -> bool:
    """"David Tashiya, Elly Hinaivali and Malakia Shiweda": several people, never "he" or "she"
    (but "Deputy Youth and Sports Minister Ti Lian Ker" is one)."""
    parts = [p.strip() for p in regex.split(r",|\band\b|&", phrase) if p.strip()]
    if len(parts) < 2:
        return False
    return all(p[:1].isupper() and not any(fold(w).strip(".") in en.TITLES or fold(w) in en.ORG_HEADS
                                           for w in p.split()) for p in (parts[0], parts[-1]))


def gender(phrase: str) -> str | None:
    """"female" or "male" when the phrase holds a word of one ("Mrs", "widow", "businessman")."""
    words = {fold(w).rstrip(",") for w in phrase.split()}
    female, male = bool(words & en.FEMALE_WORDS), bool(words & en.MALE_WORDS)
    if female != male:
        return "female" if female else "male"
    return None


@functools.lru_cache(maxsize=1 << 16)
def stem(w: str) -> str:
    w = strip_possessive(fold(w)).strip(".,")
    for suf in ("ns", "n", "s"):
        if len(w) > 4 and w.endswith(suf) and not w.endswith("ss"):
            return w[: -len(suf)]
    return w


@functools.lru_cache(maxsize=1 << 14)
def key_tokens(name: str) -> frozenset[str]:
    stop = en.DETERMINERS_AND_LINKS
    return frozenset(stem(w) for w in _KEY_WORD.findall(name)
                     if fold(w) not in stop and fold(w) not in en.TITLES)


def same_speaker(a: str, b: str) -> bool:
    ka, kb = key_tokens(a), key_tokens(b)
    return bool(ka and kb) and (ka <= kb or kb <= ka)
