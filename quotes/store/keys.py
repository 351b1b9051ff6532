"""Folded lookup keys for speaker and outlet names.

``fold_key("President Nicolás  Maduro") == "nicolas maduro"``: lower-case,
accents stripped, leading titles removed, punctuation dropped, a hyphen read as
a space (``fold_key("Kim Jong-un") == fold_key("Kim Jong Un") == "kim jong un"``),
whitespace collapsed. Keys are what the store indexes and what ``--speaker``
matches; ``fold`` keeps the hyphen, so that a hyphenated word is still one word
where a rule reads words ("Secretary-General" is one title, "Jean-Pierre" one name).
"""
from __future__ import annotations

import functools
import re
import unicodedata

TITLES = frozenset(
    """
    mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father
    president vice prime minister premier chancellor secretary general gen
    sen senator rep representative gov governor mayor judge justice
    king queen prince princess pope sheikh ayatollah col colonel lt capt captain
    sgt sergeant adm admiral cmdr commander maj major
    """.split()
)
PRONOUNS = frozenset(
    """
    i me we us you he him his she her hers they them their theirs it its
    who whom this that these those one someone somebody
    """.split()
)
DETERMINERS = frozenset("the a an this that these those his her its their our my your".split())

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_DROP = re.compile(r"[^\w\s'&-]+")


def fold(text: str) -> str:
    """Lower-case, strip accents, drop punctuation (keep ' & -), collapse space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.translate(_QUOTES).lower()
    bare = _DROP.sub(lambda m: "" if m.group() == "." else " ", bare)
    return " ".join(bare.split())


@functools.lru_cache(maxsize=1 << 16)  # names repeat: the store folds each quote's speaker
def fold_key(name: str) -> str:
    """The lookup key of a name: ``fold`` with each hyphen a space, minus leading titles and
    a final 's. ``fold_key(name) == fold_key(name.replace("-", " "))`` for every name:
    "al-Assad" and "al Assad", "Jean-Pierre" and "Jean Pierre" have one key (revision 0010
    refolded the keys stored before).

    If nothing but titles remain (``"the President"``), the whole folded name
    is the key, so it is never empty for a name with a letter or digit.
    """
    words = fold(name).replace("-", " ").split()
    if words and words[0] == "the":
        words = words[1:]
    i = 0
    while i < len(words) - 1 and words[i] in TITLES:
        i += 1
    words = words[i:]
    if words and words[-1].endswith("'s") and len(words[-1]) > 2:
        words[-1] = words[-1][:-2]  # "Guaidó's" names Guaidó
    key = " ".join(words)
    return key or " ".join(fold(name).replace("-", " ").split())


@functools.lru_cache(maxsize=1 << 16)
def is_name(mention: str) -> bool:
    """True when a mention looks like a proper name (worth keeping as an alias):
    not a pronoun, not a "the ..." description, with a capital letter."""
    words = fold(mention).split()
    if not words or any(c.isdigit() for c in mention):
        return False
    if len(words) == 1 and words[0] in PRONOUNS:
        return False
    if words[0] in DETERMINERS:
        return False
    return any(c.isupper() for c in mention)


def like_escape(text: str, escape: str = "\\") -> str:
    """Escape LIKE wildcards so user input only ever matches literally."""
    return text.replace(escape, escape * 2).replace("%", escape + "%").replace("_", escape + "_")
