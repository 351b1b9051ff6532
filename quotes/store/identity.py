"""Which speakers are one entity across documents (issue 18).

A quote's speaker arrives as the name the extractor resolved inside its document: "Carlos
Duarte", "Duarte" (an article that never gives the first name), "the Prime Minister",
"police". Resolution inside a document is the extractor's; across documents the store links
two speakers only on evidence that the name itself identifies one entity:

* **a full name**: two or more name words ("Carlos Duarte", "Xoli Mbele", "R Ashoka");
  titles and roles before it are no part of it ("Spokesperson Wang Wenbin" is "wang wenbin");
* **an organisation's or a country's proper name**: a name word that is neither a title, nor a
  word every country's institutions share, nor a common noun ("Iranian Foreign Ministry",
  "Joburg Central police", "FIFA", "Portugal"; not "Foreign Ministry", "Police",
  "Judicial Service Commission");
* **a name with its organisation**: a first name or surname alone, with an organisation that
  is itself a proper name ("Geng" of the "Chinese Foreign Ministry").

Never a first name or a surname alone, a title or role without a name ("the minister",
"Prime Minister", "FRMF president"), a common noun ("police", "family", "official",
"government") or a description ("the same official", "his family"). Such a speaker is its
document's own: its key carries the document's id (``"police #17"``), so no other document's
quote ever joins it, and adding a document never moves a stored quote (only ``quotes speakers
merge`` does, and it records that it did).

:func:`identity` is a function of the name, its type and its organisation alone: the same
quote gets the same identity whatever else is stored, in whatever order. Which of the above a
name is is read on its words as written (a hyphenated word is one word: "Jean-Pierre" alone is a
first name alone); its key folds a hyphen like a space (:func:`~quotes.store.keys.fold_key`), so
"Kim Jong-un" and "Kim Jong Un" are one speaker.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..lang import en
from .keys import PRONOUNS, TITLES, fold, fold_key

# evidence: the words ``explain`` and ``quotes speakers`` say it with
FULL_NAME = "full name"
ORGANISATION = "organisation's name"
COUNTRY = "country's name"
NAME_AND_ORGANISATION = "name and organisation"
SHARED = (FULL_NAME, ORGANISATION, COUNTRY, NAME_AND_ORGANISATION)
ONE_NAME = "first name or surname alone"
ROLE = "title or role without a name"
COMMON_NOUN = "common noun"
DESCRIPTION = "description of someone unnamed"
NOT_A_NAME = "not a name"

_ROLES = en.ROLE_WORDS | TITLES
_GENERIC = en.GENERIC_NAME_WORDS
_SCOPE = re.compile(r" #(\d+)$")
_TOKEN_EDGE = re.compile(r"^[^\w&]+|[^\w&'’.]+$|[.]+$")


@dataclass(frozen=True)
class Identity:
    """Where a speaker's quotes belong. ``shared``: its ``key`` is the same in every document
    that gives this evidence; else the key is made the document's own (:func:`scoped`)."""

    key: str
    shared: bool
    evidence: str


def scoped(key: str, document_id: int) -> str:
    """The key of a document's own speaker: ``"police #17"`` (``#`` is never in a folded key)."""
    return f"{key} #{document_id}"


def scope_of(key: str) -> int | None:
    """The document a speaker key belongs to, or None for a key every document shares."""
    m = _SCOPE.search(key)
    return int(m.group(1)) if m else None


def base_key(key: str) -> str:
    """A store key without its document scope."""
    return _SCOPE.sub("", key)


def token_words(key: str) -> list[str]:
    """The words of a store key that ``list --speaker WORD`` finds it by (the speaker word
    index): every word of a document's own key or a name-and-organisation key, the words of
    a multi-word key; none for a shared one-word key (found by its key)."""
    plain = base_key(key).replace("(", " ").replace(")", " ")
    words = list(dict.fromkeys(plain.split()))
    if key == plain and len(words) < 2:
        return []
    return words


def _word_kind(token: str, seen_name: bool, person: bool) -> str:
    """name | initial | role | generic | particle | lower | digit | describe."""
    if any(c.isdigit() for c in token):
        return "digit"
    w = fold(token)
    if w.endswith("'s") and len(w) > 2:
        w = w[:-2]
    w = w.rstrip("'")
    if not w:
        return "particle"
    if w in en.NAME_PARTICLES:
        return "particle"
    if not any(c.isupper() for c in token):  # "police", "official"; "al-Assad" is a name
        if w in _ROLES:
            return "role"
        if w in _GENERIC:
            return "generic"
        return "lower"
    if person and seen_name:
        return "name"  # after a name, "May", "King" and "Major" are surnames
    if w in _ROLES:
        return "role"
    letters = [c for c in token if c.isalpha()]
    if len(letters) <= 2 and all(c.isupper() for c in letters) and person:
        return "initial"  # "R Ashoka", "BZ Zameer", "J. K."
    if w in _GENERIC:
        return "generic"
    return "name"


@functools.lru_cache(maxsize=1 << 16)  # names repeat: every quote of a speaker asks
def identity(name: str, kind: str = "unknown", affiliation: str | None = None) -> Identity:
    """What a speaker's name says about who it is, and so whether documents share it."""
    key = fold_key(name)
    tokens = [t for t in (_TOKEN_EDGE.sub("", t) for t in name.split()) if t]
    if tokens and fold(tokens[0]) == "the":
        tokens = tokens[1:]
    if not tokens or not key:
        return Identity(key, False, NOT_A_NAME)
    lead = fold(tokens[0])
    if lead in en.DESCRIPTION_WORDS or (len(tokens) == 1 and lead in PRONOUNS):
        return Identity(key, False, DESCRIPTION if lead not in PRONOUNS or len(tokens) > 1 else NOT_A_NAME)
    person = kind not in ("organization", "country")
    kinds: list[str] = []
    seen = False
    for t in tokens:
        k = _word_kind(t, seen, person)
        seen = seen or k == "name"
        kinds.append(k)
    if "digit" in kinds:
        return Identity(key, False, NOT_A_NAME)
    names = kinds.count("name")
    if "lower" in kinds:  # "letter further", "the same official", "Constitution does not"
        return Identity(key, False, DESCRIPTION)
    if person:
        if kinds[-1] in ("role", "generic") and names < 2:  # "Foreign Minister", "Family"
            return Identity(key, False, ROLE if kinds[-1] == "role" else COMMON_NOUN)
        if _full(kinds):
            return Identity(_core(tokens, kinds) or key, True, FULL_NAME)
        if names == 1:
            if kind == "unknown" and len(tokens) == 1 and _acronym(tokens[0]):
                return Identity(key, True, ORGANISATION)  # "FIFA", "KCNA"
            if affiliation:
                org = identity(affiliation, "organization")
                if org.shared:
                    word = _name_word(tokens[kinds.index("name")])
                    return Identity(f"{word} ({org.key})", True, NAME_AND_ORGANISATION)
            return Identity(key, False, ONE_NAME)
        return Identity(key, False, _unnamed(kinds))
    # an organisation or a country: one word of its own says which
    if kinds[-1] == "role":  # "Foreign Ministry spokesman"
        return Identity(key, False, ROLE)
    if names or any(k == "initial" for k in kinds):
        return Identity(key, True, COUNTRY if kind == "country" else ORGANISATION)
    return Identity(key, False, _unnamed(kinds))


def _full(kinds: list[str]) -> bool:
    """Two name words, or an initial and a name word last ("R Ashoka")."""
    names = kinds.count("name")
    return names >= 2 or (names == 1 and "initial" in kinds and kinds[-1] == "name")


def _core(tokens: list[str], kinds: list[str]) -> str:
    """The key of a full name without the titles and roles before it: the words after the last
    role or generic word, leading particles off ("Deputy Prime Minister of Mongolia
    S.Amarsaikhan": "mongolia samarsaikhan"), when they still make a full name; else from the
    first name word on ("Spokesperson Wang Wenbin": "wang wenbin")."""
    cut = max((i for i, k in enumerate(kinds) if k in ("role", "generic")), default=-1) + 1
    while cut < len(kinds) and kinds[cut] == "particle":
        cut += 1
    if not _full(kinds[cut:]):
        cut = next(i for i, k in enumerate(kinds) if k in ("name", "initial"))
    return fold_key(" ".join(tokens[cut:]))


def _name_word(token: str) -> str:
    """The key of the one name word of a name with its organisation, without the particles a
    hyphen joins to it: "al-Assad" is "assad", as "al Assad" (a particle, then the name) is."""
    words = fold_key(token).split()
    while len(words) > 1 and words[0] in en.NAME_PARTICLES:
        words = words[1:]
    return " ".join(words)


def _unnamed(kinds: list[str]) -> str:
    if "role" in kinds:
        return ROLE
    return COMMON_NOUN if "generic" in kinds else NOT_A_NAME


def _acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters) and fold(token) not in _ROLES


def describe(evidence: str | None, key: str) -> str:
    """Why a speaker is shared or its document's own, in words (``explain``)."""
    shown = base_key(key)
    if evidence in SHARED:
        return f"the {evidence} '{shown}'"
    if evidence is None:
        return f"the key '{shown}' (stored before revision 0007, which made names that identify no one per document)"
    return f"'{shown}' is a {evidence}"
