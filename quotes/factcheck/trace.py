"""``trace``: every stored document that carries a quote, oldest first."""
from __future__ import annotations

import datetime as _dt
import email.utils
from dataclasses import dataclass
from typing import Any

from ..store.search import Word, candidate_ids, reading, words
from .align import _Align
from .candidates import _aligned, _believed, _hits, _load_rows, _Row
from ..types import INDIRECT
from .verdicts import _ORDER, PARAPHRASE, ClaimError, Hit


@dataclass(frozen=True)
class Appearance:
    """One document that carries a quote (``match`` as in :class:`Verdict`; reported speech, a
    stored quote of kind ``indirect``, is ``paraphrase: reported, not quoted``)."""

    match: str
    similarity: float
    hit: Hit

    def to_dict(self) -> dict[str, Any]:
        return {"match": self.match, "similarity": round(self.similarity, 3),
                "date": self.hit.document.date, "outlet": self.hit.outlet,
                "speaker": self.hit.speaker, "quote": self.hit.to_dict()}


TRACE_MIN_SIMILARITY = 0.8


def trace(store: Any, text: str, limit: int = 1000) -> list[Appearance]:
    """Every stored document that carries ``text`` (word for word, as part of
    a longer quote, holding a shorter one, or nearly: similarity >= 0.8),
    oldest first by date, undated (or unreadable dates) last."""
    cwords = words(text)
    if not cwords:
        raise ClaimError(f"the text {text!r} has no words to compare")
    with reading(store) as reader:
        return _trace(reader, cwords, limit)


def _trace(store: Any, cwords: list[Word], limit: int) -> list[Appearance]:
    ckeys = [w.key for w in cwords]
    ids = candidate_ids(store, ckeys, limit)
    best: dict[int, tuple[_Row, _Align]] = {}
    for row, a in _believed(store, ckeys, _aligned(ckeys, _load_rows(store, ids)), None):
        if a.similarity < TRACE_MIN_SIMILARITY:
            continue
        old = best.get(row.document_id)
        if old is None or _better(row, a) > _better(*old):
            best[row.document_id] = (row, a)
    hits = _hits(store, ((r, a.first, a.last) for r, a in best.values()))
    out = [Appearance(PARAPHRASE if r.kind == INDIRECT else a.match, a.similarity, hits[(r.id, a.first, a.last)])
           for r, a in best.values()]
    out.sort(key=lambda ap: (_date_key(ap.hit.document.date), ap.hit.document.document_id))
    return out


def _better(row: _Row, a: _Align) -> tuple[bool, float, int]:
    """Which of a document's matches it is shown by: a quotation before reported speech."""
    return (row.kind != INDIRECT, a.similarity, -_ORDER[a.match])


def parse_date(value: str | None) -> _dt.date | None:
    """A stored date string as a date (ISO 8601, RFC 2822 or "May 6, 2019"), or None."""
    if not value or not value.strip():
        return None
    s = value.strip()
    try:
        return _dt.date.fromisoformat(s[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%m/%d/%Y"):
        try:
            return _dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def _date_key(value: str | None) -> tuple[int, _dt.date]:
    d = parse_date(value)
    return (0, d) if d is not None else (1, _dt.date.max)
