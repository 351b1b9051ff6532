"""Which stored quotes a claim could come from: candidates found through the store's
full-text search (:mod:`quotes.store.search`), loaded, aligned with the claim, and made
into hits with their attribution, provenance and context."""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Iterable, Sequence

from sqlalchemy import select

from ..store import queries
from ..store.schema import attributions, documents, quotes
from ..store.search import (SHORT, TermStats, Word, content_terms, gapped_ids, phrase_ids, quote_lengths,
                            ranked_ids, term_stats, word_keys, words)
from ..types import INDIRECT, Span
from .align import _Align, _align, _bar, chance
from .context import context_around
from .verdicts import Hit, Provenance


MIN_PIECE = 2  # stitched: words per piece
CANDIDATES = 100


@dataclass(frozen=True)
class _Row:
    """A candidate quote as loaded from the store (no document text yet)."""

    id: int
    document_id: int
    start: int
    end: int
    content_start: int
    text: str
    kind: str
    speaker_id: int | None
    keys: tuple[str, ...]

    @property
    def words(self) -> list[Word]:
        return words(self.text)


def _load_rows(store: Any, ids: Sequence[int]) -> list[_Row]:
    if not ids:
        return []
    stmt = (
        select(quotes.c.id, quotes.c.document_id, quotes.c.start, quotes.c.end,
               quotes.c.content_start, quotes.c.text, quotes.c.kind, attributions.c.speaker_id)
        .select_from(quotes.outerjoin(attributions, attributions.c.quote_id == quotes.c.id))
        .where(quotes.c.id.in_(list(ids)))
    )
    out = []
    for r in store._rows(stmt):
        out.append(_Row(r.id, r.document_id, r.start, r.end, r.content_start, r.text, r.kind,
                        r.speaker_id, tuple(word_keys(r.text))))
    order = {qid: i for i, qid in enumerate(ids)}
    return sorted(out, key=lambda r: order.get(r.id, len(order)))


def _hits(store: Any, rows: Iterable[tuple[_Row, int, int]]) -> dict[tuple[int, int, int], Hit]:
    """Full hits (attribution, provenance, context) for ``(row, first, last)``
    stored-word ranges, loading each document's text once."""
    rows = list(rows)
    ids = list({r.id for r, _, _ in rows})
    info = {d["id"]: d for d in (_quote_info(store, ids) if ids else [])}
    doc_cache: dict[int, Any] = {}
    out = {}
    for row, first, last in rows:
        if row.document_id not in doc_cache:
            doc_cache[row.document_id] = store._first(
                select(documents).where(documents.c.id == row.document_id))
        doc = doc_cache[row.document_id]
        out[(row.id, first, last)] = _make_hit(row, first, last, info[row.id], doc)
    return out


def _quote_info(store: Any, ids: list[int]) -> list[dict[str, Any]]:
    stmt = queries.filter_quotes(queries.quote_select(), ids=ids).add_columns(
        quotes.c.content_start, quotes.c.content_end)
    out = []
    for r in store._rows(stmt):
        d = queries.quote_dict(r)
        d["content_start"], d["content_end"] = r.content_start, r.content_end
        d["speaker_id"] = r.speaker_id
        out.append(d)
    return out


def _span(d: dict[str, Any] | None) -> Span | None:
    if not d or d.get("start") is None:
        return None
    return Span(d["start"], d["end"], d["text"])


def _make_hit(row: _Row, first: int, last: int, info: dict[str, Any], doc: Any) -> Hit:
    text = doc.text
    base = row.content_start
    rw = row.words
    if rw and 0 <= first <= last < len(rw):
        m_lo, m_hi = base + rw[first].start, base + rw[last].end
    else:
        m_lo, m_hi = base, base + len(row.text)
    sp, ou = info["speaker"], info["outlet"]
    return Hit(
        quote_id=row.id, kind=row.kind,
        span=Span.of(text, row.start, row.end),
        content=Span.of(text, info["content_start"], info["content_end"]),
        matched=Span.of(text, m_lo, m_hi),
        speaker=sp["name"] if sp else None, speaker_id=info["speaker_id"],
        speaker_type=sp["type"] if sp else None, speaker_mention=_span(sp),
        cue=_span(info["cue"]),
        outlet=ou["name"] if ou else None, outlet_mention=_span(ou),
        document=Provenance(doc.id, doc.path, doc.url, doc.title, doc.publisher, doc.date, doc.sha256),
        context=context_around(text, row.start, row.end),
    )


def _search(store: Any, cwords: list[Word]
            ) -> tuple[list[tuple[_Row, _Align]], list[_Row] | None, TermStats | None]:
    """The candidates aligned with the claim, the candidates to cover the claim with
    pieces of several quotes (None when a candidate holds the claim word for word),
    and the frequencies of the claim's words looked up on the way."""
    ckeys = [w.key for w in cwords]
    rows = _load_rows(store, phrase_ids(store, ckeys, CANDIDATES))
    aligned = _aligned(ckeys, rows)
    stats: TermStats | None = None
    if any(a.match in ("exact", "truncated") and r.kind != INDIRECT for r, a in aligned):
        return aligned, None, stats  # (reported speech word for word is no quotation: look on)
    # the words are not stored as they stand: look wider
    stats = term_stats(store, content_terms(ckeys))
    seen = {r.id for r in rows}
    more = _load_rows(store, [i for i in ranked_ids(store, ckeys, CANDIDATES, stats=stats) if i not in seen])
    rows += more
    aligned += _aligned(ckeys, more)
    if len(ckeys) <= SHORT or (not aligned and len(ckeys) <= 2 * SHORT):
        # few words, or none rare: with a word changed, the stop words may be all there is to go by
        stats = term_stats(store, ckeys, stats)
        seen = {r.id for r in rows}
        more = _load_rows(store, [i for i in gapped_ids(store, ckeys, stats, CANDIDATES) if i not in seen])
        rows += more
        aligned += _aligned(ckeys, more)
    missing = _uncovered(ckeys, rows)
    if missing:
        extra = ranked_ids(store, missing, limit=CANDIDATES // 2, stats=stats)
        seen = {r.id for r in rows}
        more = _load_rows(store, [i for i in extra if i not in seen])
        rows += more
        aligned += _aligned(ckeys, more)
    return aligned, rows, stats


def _worth(ckeys: list[str], row: _Row) -> bool:
    """Could ``row`` align at all? (An upper bound on the matched words.)"""
    present = set(row.keys)
    shared = sum(1 for k in ckeys if k in present)
    return shared >= 1 and (2 * shared >= len(ckeys) or len(row.keys) <= shared)


def _aligned(ckeys: list[str], rows: list[_Row]) -> list[tuple[_Row, _Align]]:
    out = []
    for row in rows:
        if not _worth(ckeys, row):
            continue
        a = _align(ckeys, row.keys)
        if a is not None:
            out.append((row, a))
    return out


def _uncovered(ckeys: list[str], rows: list[_Row]) -> list[str]:
    """Claim words not inside any run of >= MIN_PIECE words shared with a candidate."""
    covered = [False] * len(ckeys)
    cset = set(ckeys)
    for row in rows:
        if len(cset.intersection(row.keys)) < MIN_PIECE:
            continue
        sm = SequenceMatcher(None, ckeys, row.keys, autojunk=False)
        for a, _b, size in sm.get_matching_blocks():
            if size >= MIN_PIECE:
                for k in range(a, a + size):
                    covered[k] = True
    return [k for k, c in zip(ckeys, covered) if not c]


def _believed(store: Any, ckeys: list[str], aligned: list[tuple[_Row, _Align]],
              stats: TermStats | None) -> list[tuple[_Row, _Align]]:
    """``aligned`` without the altered matches that chance explains as well
    (\"the weather is nice\" shares a stop word or two with many quotes; a
    claim of two words shares one word with many two-word quotes): see
    :func:`chance` and ``MAX_CHANCE``. Word counts are looked up only when an
    upper bound from the counts at hand does not settle it. Without an FTS5
    index (no counts) an altered match needs two shared words."""
    if not any(a.match == "altered" for _, a in aligned):
        return aligned
    if stats is None:
        stats = term_stats(store, content_terms(ckeys))
    if stats is None:
        return [(r, a) for r, a in aligned if a.match != "altered" or len(a.shared) >= 2]
    open_ = [(r, a) for r, a in aligned
             if a.match == "altered" and chance(a, ckeys, len(r.keys), stats) > _bar(a)]
    if not open_:
        return aligned
    if any(stats.count(k) is None for k in ckeys):
        stats = term_stats(store, ckeys, stats)
    lengths = quote_lengths(store, stats.quotes)
    doubtful = {id(a) for r, a in open_ if chance(a, ckeys, len(r.keys), stats, lengths) > _bar(a)}
    return [(r, a) for r, a in aligned if id(a) not in doubtful]
