"""Find the stored quotes a claimed text could come from, fast.

Two steps: normalised *words* (what claims and stored quotes are compared
on), and *candidate search* (which few stored quotes are worth aligning).

Normalisation is one character to one character (``len(normalize(s)) ==
len(s)``), so a word found in the normalised text has the same offsets in
the original: curly and straight quote marks, every dash, every kind of
whitespace and letter case all compare equal, and offsets stay sacred.
Accents are folded per word (``Nicolás`` == ``Nicolas``).

On SQLite, candidates come from the FTS5 index of revision 0002
(``quote_search``): a phrase query for claims that appear word for word,
plus a ranked OR query over the claim's rarest words (document frequencies
from ``quote_search_terms``, see :class:`TermStats`) for altered or stitched
ones, and for claims of at most ``SHORT`` words a query for the claim with
each word in turn left out, stop words included (:func:`gapped_ids`). Words
held by more than ``COMMON`` quotes never drive a search on their own: on a
large store that costs seconds and narrows nothing. Elsewhere the claim's
longest words narrow the quotes with LIKE/ILIKE.

:func:`quote_lengths` samples how long stored quotes are, for
:func:`quotes.factcheck.align.chance`.
"""
from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import func, or_, select, text

from .keys import like_escape
from .schema import quotes

log = logging.getLogger(__name__)

FTS_TABLE = "quote_search"
FTS_TERMS = "quote_search_terms"

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u2035`\u00b4\u02bc"
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"
_TABLE = {**{ord(c): "'" for c in _SINGLE}, **{ord(c): '"' for c in _DOUBLE},
          **{ord(c): "-" for c in _DASHES}, ord("\u03c2"): "\u03c3"}  # final sigma as sigma

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_FTS_TOKEN = re.compile(r"[^\W_]+")

# Words too common to narrow anything; they still count in the alignment.
STOPWORDS = frozenset(
    """
    a an and are as at be been but by for from had has have he her his i if in into is it
    its me my not of on or our she so that the their them there they this to was we were
    what when which who will with would you your
    """.split()
)


_SPACES = {c: " " for c in range(0x3001) if chr(c).isspace() and c != 0x20}
_TRANSLATE = {**_TABLE, **_SPACES}


def _char(c: str) -> str:
    if c.isspace():
        return " "
    mapped = _TABLE.get(ord(c))
    if mapped is not None:
        return mapped
    low = c.lower()
    return low if len(low) == 1 else c  # "İ".lower() is two characters: keep it


def normalize(text: str) -> str:
    """``text`` with quote marks, dashes, whitespace and case unified,
    character for character (same length, same offsets)."""
    fast = text.translate(_TRANSLATE).lower()
    if len(fast) == len(text):
        return fast
    return "".join(_char(c) for c in text)


def fold_word(word: str) -> str:
    """A normalised word without accents (the comparison key)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Word:
    """A word of a text: its comparison key and its offsets in that text."""

    key: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words of ``text`` (letters/digits, inner apostrophes kept)."""
    norm = normalize(text)
    return [Word(fold_word(m.group()), m.start(), m.end()) for m in WORD.finditer(norm)]


def word_keys(text: str) -> list[str]:
    """Just the comparison keys of ``words(text)`` (cheaper: no offsets)."""
    return [fold_word(w) for w in WORD.findall(normalize(text))]


def fts_terms(keys: Iterable[str]) -> list[str]:
    """The FTS5 (unicode61) tokens of some word keys, in order."""
    out: list[str] = []
    for key in keys:
        out.extend(_FTS_TOKEN.findall(key))
    return out


# ------------------------------------------------------------------ search

class Reader:
    """One open connection of a store, with the store's read helpers
    (``execute``, ``_rows``, ``_first``), so a lookup of many small queries
    connects once."""

    def __init__(self, conn: Any):
        self.conn = conn
        self.engine = conn.engine

    def execute(self, sql: str, **params: Any) -> list[Any]:
        return list(self.conn.execute(text(sql), params))

    def _rows(self, stmt: Any) -> list[Any]:
        return list(self.conn.execute(stmt))

    def _first(self, stmt: Any) -> Any:
        return self.conn.execute(stmt).first()


@contextmanager
def reading(store: Any) -> Iterator[Reader]:
    """A :class:`Reader` over one connection of ``store`` (migrated first)."""
    if isinstance(store, Reader):
        yield store
        return
    store._ensure()
    with store._errors(), store.engine.connect() as conn:
        yield Reader(conn)


def uses_fts(store: Any) -> bool:
    return store.engine.dialect.name == "sqlite"


def phrase_ids(store: Any, keys: Sequence[str], limit: int = 1000) -> list[int]:
    """Quotes whose text holds the words ``keys`` contiguously (as FTS5 tokens)."""
    terms = fts_terms(keys)
    if not terms:
        return []
    if not uses_fts(store):
        return like_ids(store, keys, limit)
    query = '"' + " ".join(terms) + '"'
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q"
    rows = store.execute(sql + " LIMIT :n", q=query, n=limit + 1)
    if len(rows) > limit:  # a common phrase: rank, so the shortest (exact) quotes come first
        rows = store.execute(sql + " ORDER BY rank LIMIT :n", q=query, n=limit)
    return [int(r[0]) for r in rows]


SHORT = 5  # claims of at most this many words get the wider search of :func:`gapped_ids`
COMMON = 20_000  # a part of a claim held by more quotes than this is not searched for


@dataclass(frozen=True)
class TermStats:
    """How common some words are among the stored quotes: ``quotes`` (about
    how many are stored) and ``docs`` (FTS5 token -> how many quotes hold it)."""

    quotes: int
    docs: dict[str, int]

    def count(self, key: str) -> int | None:
        """How many quotes hold the word ``key`` (its rarest FTS5 token), None if not looked up."""
        tokens = _FTS_TOKEN.findall(key)
        if not tokens or any(t not in self.docs for t in tokens):
            return None
        return min(self.docs[t] for t in tokens)

    def share(self, key: str) -> float | None:
        """The share of stored quotes holding ``key``, at least one quote's
        (None if not looked up)."""
        n = self.count(key)
        return None if n is None else min(1.0, max(n, 1) / max(1, self.quotes))


def term_stats(store: Any, keys: Iterable[str], known: TermStats | None = None) -> TermStats | None:
    """:class:`TermStats` for the FTS5 tokens of ``keys`` (adding to ``known``),
    from ``quote_search_terms``; None where there is no FTS5 index. A common
    word is slow to count on a large store (its whole posting list is read):
    ask only for the words you need."""
    if not uses_fts(store):
        return None
    docs = dict(known.docs) if known else {}
    wanted = [t for t in dict.fromkeys(fts_terms(keys)) if t not in docs]
    if wanted:
        params = {f"t{i}": t for i, t in enumerate(wanted)}
        marks = ", ".join(f":t{i}" for i in range(len(wanted)))
        found = {r[0]: int(r[1]) for r in store.execute(
            f"SELECT term, doc FROM {FTS_TERMS} WHERE term IN ({marks})", **params)}
        docs.update({t: found.get(t, 0) for t in wanted})
    if known is not None:
        total = known.quotes
    else:  # the largest id: as good as a count, and instant on a large store
        total = int(store.execute("SELECT coalesce(max(id), 0) FROM quotes")[0][0])
    return TermStats(total, docs)


def content_terms(keys: Sequence[str]) -> list[str]:
    """The FTS5 tokens of ``keys`` that narrow a search (stop words and single
    letters left out, unless nothing else is left)."""
    wanted = list(dict.fromkeys(fts_terms(keys)))
    return [t for t in wanted if t not in STOPWORDS and len(t) > 1] or wanted


def ranked_ids(store: Any, keys: Sequence[str], limit: int = 100, terms: int = 6,
               stats: TermStats | None = None, common: int | None = None) -> list[int]:
    """Quotes sharing at least two of the claim's rarest words (or its one
    known word), best (bm25) first. Pairs keep the query cheap on a large
    store: each AND meets two short posting lists, and a claim with one word
    changed still shares most pairs with its source. A pair (or lone word)
    whose words are all held by more than ``common`` quotes (default
    ``COMMON``) is left out: ranking such a match costs seconds on a large
    store and narrows nothing. ``stats`` saves looking up the words'
    frequencies again."""
    common = COMMON if common is None else common
    if not fts_terms(keys):
        return []
    if not uses_fts(store):
        return like_ids(store, keys, limit)
    content = content_terms(keys)
    if stats is None or any(t not in stats.docs for t in content):
        stats = term_stats(store, content, stats)
    freq = stats.docs if stats else {}
    known = sorted((t for t in content if freq.get(t)), key=lambda t: (freq[t], t))[:terms]
    if not known or freq[known[0]] > common:
        return []
    if len(known) == 1:
        query = f'"{known[0]}"'
    else:  # known is rarest first: a pair's first word is its rarer one
        query = " OR ".join(f'("{a}" AND "{b}")' for a, b in itertools.combinations(known, 2)
                            if freq[a] <= common)
    rows = store.execute(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY rank LIMIT :n",
        q=query, n=limit,
    )
    return [int(r[0]) for r in rows]


@dataclass(frozen=True)
class Lengths:
    """How long stored quotes are, from a sample: ``mean`` words per quote,
    and ``share(n)``, the share of quotes of exactly ``n`` words."""

    mean: float
    counts: dict[int, int]
    sampled: int

    def share(self, n: int) -> float:
        # one more than seen: a length the sample missed is rare, not impossible
        return (self.counts.get(n, 0) + 1) / (self.sampled + 1)


LENGTH_SAMPLE = 1000
_RUN = 50  # sampled ids come in runs (one seek each), spread over all ids


def quote_lengths(store: Any, total: int, sample: int = LENGTH_SAMPLE) -> Lengths:
    """:class:`Lengths` from about ``sample`` quotes, in runs of consecutive
    ids spread evenly over ``1..total`` (the same sample for the same store)."""
    runs = max(1, sample // _RUN)
    counts: dict[int, int] = {}
    seen = words_seen = 0
    for k in range(runs):
        lo = 1 + (k * max(0, total - _RUN)) // runs
        for r in store.execute("SELECT text FROM quotes WHERE id >= :lo AND id < :hi", lo=lo, hi=lo + _RUN):
            n = len(word_keys(r[0]))
            counts[n] = counts.get(n, 0) + 1
            seen += 1
            words_seen += n
    return Lengths(words_seen / seen if seen else 1.0, counts, seen)


def gapped_ids(store: Any, keys: Sequence[str], stats: TermStats | None, limit: int = 100,
               common: int = COMMON) -> list[int]:
    """For a short claim: quotes holding all of its words but one, in its
    order, stop words included (\"This is trombone!\" finds \"This is
    fantastic!\" although only its stop words are left), best (bm25, which
    ranks short quotes first) first.

    One FTS5 query ORs, for each word of the claim, the rest of the claim as
    phrases (the runs of words on either side of the one left out). A part
    whose every token is held by more than ``common`` quotes is skipped: on a
    large store it costs a long posting-list merge, and a match on so common a
    word alone would say nothing. ``stats`` must count every word of ``keys``."""
    if not uses_fts(store) or stats is None or len(keys) < 2:
        return []
    parts = []
    for k in range(len(keys)):
        runs = [fts_terms(keys[:k]), fts_terms(keys[k + 1:])]
        runs = [r for r in runs if r]
        tokens = [t for r in runs for t in r]
        counts = [stats.docs.get(t, 0) for t in tokens]
        if not tokens or min(counts) == 0 or min(counts) > common:
            continue
        parts.append(" AND ".join('"' + " ".join(r) + '"' for r in runs))
    if not parts:
        return []
    query = " OR ".join(f"({p})" for p in dict.fromkeys(parts))
    rows = store.execute(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY rank LIMIT :n",
        q=query, n=limit,
    )
    return [int(r[0]) for r in rows]


def like_ids(store: Any, keys: Sequence[str], limit: int = 100, longest: int = 3) -> list[int]:
    """Fallback narrowing without FTS: quotes containing any of the claim's
    longest words (case-insensitive LIKE; ILIKE on PostgreSQL)."""
    picked = sorted({k for k in fts_terms(keys) if k not in STOPWORDS} or set(fts_terms(keys)),
                    key=lambda k: (-len(k), k))[:longest]
    if not picked:
        return []
    tests = [func.lower(quotes.c.text).like(f"%{like_escape(w)}%", escape="\\") for w in picked]
    stmt = select(quotes.c.id).where(or_(*tests)).order_by(quotes.c.id).limit(limit * 5)
    return [int(r.id) for r in store._rows(stmt)]


def candidate_ids(store: Any, keys: Sequence[str], limit: int = 100) -> list[int]:
    """Phrase matches first, then ranked matches; no duplicates."""
    found = phrase_ids(store, keys, limit=limit)
    found += ranked_ids(store, keys, limit=limit)
    log.debug("%d candidates for %d words", len(set(found)), len(keys))
    return list(dict.fromkeys(found))
