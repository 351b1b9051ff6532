"""Does the stored speaker hold the title a claim names (issue 18)?

A claim may name no one, only a title or role: "the Prime Minister said …", ``--speaker
"the foreign ministry spokesman"``. When the store credits the quote to a named person, that is
no misattribution if the document gives that person the title: "Prime Minister Jacinda
Ardern", "Jacinda Ardern, the prime minister, …", or a stored mention of the speaker whose role
is the title (the extractor linked "the Prime Minister said" to the person it names).

The evidence is read in the quote's document only, next to the person's name:

* the words right before a name (or its last word, the surname): "Prime Minister Jacinda
  Ardern", "New Zealand's Foreign Ministry spokesman Wang Wenbin", "The prime minister,
  Jacinda Ardern" (a title with a comma before the name only when it opens its clause);
* an apposition right after it that ends on a title: "Ardern, the prime minister," or
  "Ardern (Prime Minister)";
* the stored mentions of the speaker in that document: their role and their words.

A title fits when every word of the claimed title (or of one the claimed phrase stands for in
``en.ROLE_SYNONYMS``: "the head of government" is a prime minister, a premier, a chancellor
or a president) is among those words, and those words hold no qualifier the claim lacks
(``en.TITLE_QUALIFIERS``: a "Deputy Prime Minister" is not "the Prime Minister", nor a
"former president" "the President"). Spokesman, spokeswoman and spokesperson are one word.
"the premier" is not "the Prime Minister": a state's premier is not the country's prime
minister.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from sqlalchemy import select

from ..lang import en
from ..store.identity import ROLE, identity
from ..store.keys import fold
from ..store.schema import documents, speaker_mentions

_SPOKES = "spokesperson"
_ONE_SPOKES = frozenset({"spokesman", "spokeswoman", "spokesperson"})
_DROP = en.DETERMINERS_AND_LINKS | {"his", "her", "its", "their"}
# words a title phrase may hold besides capitalised words ("New Zealand's Foreign Ministry")
_TITLE_ISH = (en.ROLE_WORDS | en.TITLES | en.ROLE_PHRASE_WORDS | en.GENERIC_NAME_WORDS | en.SPOKES_WORDS
              | en.ROLE_ADJECTIVES | en.ORG_HEADS | en.TITLE_QUALIFIERS) - {"and"}
_HEADS = en.ROLE_WORDS | en.TITLES | en.SPOKES_WORDS | {_SPOKES}
_CLAUSE_END = re.compile(r"[.!?;:\n()\"\u201c\u201d\u00ab\u00bb\u2014\u2013]")
_WORD = re.compile(r"[\w'\u2019.-]+")
_APPOSITION = re.compile(r"\s*(?:,|\()\s*([^,.;:!?()\n\"\u201c\u201d]{1,80}?)\s*(?=[,.;:!?)\n])")
MAX_WORDS = 8


def _norm(word: str) -> str:
    w = fold(word).rstrip(".")
    if w.endswith("'s") and len(w) > 2:  # "New Zealand's", "the ministry's"
        w = w[:-2]
    w = w.rstrip("'")
    return _SPOKES if w in _ONE_SPOKES else w


def _words(phrase: str) -> list[str]:
    return [w for w in (_norm(t) for t in _WORD.findall(phrase)) if w and w not in _DROP]


def claimed_title(speaker: str) -> tuple[str, list[list[str]]] | None:
    """The title a claimed speaker names when it names no one, and the word sets that fit it
    (its own words, and those of the titles it stands for); None for a name."""
    phrase = " ".join(speaker.split())
    bare = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE)
    synonyms = en.ROLE_SYNONYMS.get(fold(bare), ())
    if identity(phrase, "person").evidence != ROLE and not synonyms:
        return None
    fits = [_words(bare)] + [_words(t) for t in synonyms]
    fits = [f for f in fits if f]
    return (bare, fits) if fits else None


def fits(fits_: list[list[str]], slot: Iterable[str]) -> bool:
    """Do the words of a title next to a name hold one of the claimed titles, and no
    qualifier it lacks?"""
    have = set(slot)
    return any(set(f) <= have and not (have & en.TITLE_QUALIFIERS) - set(f) for f in fits_)


def _allowed(token: str) -> bool:
    # never "and": "Prime Minister Jacinda Ardern and Grant Robertson" gives Robertson no title
    return token[:1].isupper() or _norm(token) in _TITLE_ISH or fold(token) in _DROP - {"and"}


def _before(text: str, start: int) -> tuple[int, str] | None:
    """The title-like words right before a name at ``start``: (offset, words)."""
    lo = max(0, start - 160)
    head = text[lo:start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(head)), default=0)
    head = head[cut:]
    comma = head.rstrip().endswith(",") and head.endswith((", ", ","))
    if comma:  # "The prime minister, Jacinda Ardern": the title must open its clause
        head = head.rstrip()[:-1]
    k = head.rfind(",") + 1
    base, head = lo + cut + k, head[k:]
    tokens = list(_WORD.finditer(head))
    kept = []
    for m in reversed(tokens):
        if not _allowed(m.group()) or len(kept) == MAX_WORDS:
            break
        kept.append(m)
    if not kept or (comma and len(kept) < len(tokens)):
        return None
    return base + kept[-1].start(), " ".join(m.group() for m in reversed(kept))


def _after(text: str, end: int) -> tuple[int, str] | None:
    """An apposition right after a name at ``end`` that ends on a title: (its end, words)."""
    m = _APPOSITION.match(text, end)
    if not m:
        return None
    tokens = _WORD.findall(m.group(1))
    if not tokens or len(tokens) > MAX_WORDS or not all(_allowed(t) for t in tokens):
        return None
    if _norm(tokens[-1]) not in _HEADS:
        return None
    return m.end(1), m.group(1)


def _near_name(text: str, name: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of every title next to the name or its surname in the text."""
    names = [name] + (name.split()[-1:] if len(name.split()) > 1 else [])
    out = []
    for needle in dict.fromkeys(names):
        for m in re.finditer(r"(?<![\w-])" + re.escape(needle) + r"(?![\w-])", text):
            before = _before(text, m.start())
            if before:
                out.append((before[0], m.end(), before[1]))
            after = _after(text, m.end())
            if after:
                out.append((m.start(), after[0], after[1]))
    return out


def holder_note(store: Any, claimed: str, hit: Any) -> str | None:
    """The note for a claim that names only a title the store's named speaker holds in the
    quote's document; None when the claim names someone, or the document never gives the
    speaker that title (then the store credits a different speaker: misattributed)."""
    title = claimed_title(claimed)
    if title is None or hit.speaker is None or hit.speaker_type not in ("person", "unknown"):
        return None
    bare, fits_ = title
    doc = hit.document.document_id
    text = store._first(select(documents.c.text).where(documents.c.id == doc))[0]
    slots = [(s, e, words, False) for s, e, words in _near_name(text, hit.speaker)]
    if hit.speaker_id is not None:  # the store's own mentions of the speaker, with their roles
        rows = store._rows(select(speaker_mentions.c.start, speaker_mentions.c.end, speaker_mentions.c.text,
                                  speaker_mentions.c.role)
                           .where(speaker_mentions.c.document_id == doc,
                                  speaker_mentions.c.speaker_id == hit.speaker_id))
        slots += [(s, e, f"{role or ''} {said}", True) for s, e, said, role in rows]
    for start, end, words, stored in sorted(slots):
        if fits(fits_, _words(words)):
            said = " ".join(text[start:end].split())
            where = (f"the store links '{said}' at {start}-{end} to {hit.speaker}" if stored
                     else f"the document names '{said}' at {start}-{end}")
            return (f"unresolved: the claim names only the title '{bare}'; the store credits "
                    f"{hit.speaker}, who holds it in this document ({where})")
    return None


def never_holds(claimed: str, speaker: str | None) -> str | None:
    """What a misattributed verdict adds when the claim names only a title."""
    title = claimed_title(claimed)
    if title is None or speaker is None:
        return None
    return f"the document never names {speaker} with the title '{title[0]}'"
