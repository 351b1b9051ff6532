"""The text around a stored quote, with the quote marked ``[[...]]``: for verdicts and
``quotes show --context``."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..extract.segment import RuleSegmenter, paragraphs
from ..store import queries
from ..store.schema import documents
from ..store.search import reading
from ..types import Span
from .verdicts import MARK_CLOSE, MARK_OPEN, Context


def context_around(text: str, start: int, end: int, n: int = 0, unit: str = "paragraph") -> Context:
    """The text around ``text[start:end]``: its paragraph (``n`` more on each
    side), or with ``unit="sentence"`` its sentence(s) and ``n`` more on each
    side; the span is marked with ``[[`` ``]]``."""
    if unit == "paragraph":
        if n <= 0:
            span = queries.paragraph_around(text, start, end)
        else:
            span = _widen(text, paragraphs(text), start, end, n)
    elif unit == "sentence":
        paras = paragraphs(text)
        sents = [Span.of(text, a, b) for a, b in
                 RuleSegmenter().sentences(text, [(p.start, p.end) for p in paras])]
        span = _widen(text, sents, start, end, n)
    else:
        raise ValueError(f"unknown context unit {unit!r}")
    lo, hi = min(span.start, start), max(span.end, end)
    span = Span.of(text, lo, hi)
    marked = text[lo:start] + MARK_OPEN + text[start:end] + MARK_CLOSE + text[end:hi]
    return Context(span, marked)


def add_context(store: Any, found: dict[str, Any], n: int, unit: str = "sentence") -> dict[str, Any]:
    """``found`` (a :meth:`Store.get` dict) plus ``context``: ``n`` sentences
    (or paragraphs) on each side of the quote, the quote marked ``[[...]]``."""
    with reading(store) as reader:
        doc = reader._first(select(documents.c.text).where(documents.c.id == found["document"]["id"]))
    ctx = context_around(doc.text, found["start"], found["end"], n, unit)
    return {**found, "context": {**ctx.to_dict(), "unit": unit, "n": n}}


def _widen(text: str, units: list[Span], start: int, end: int, n: int) -> Span:
    if not units:
        return Span.of(text, start, end)
    first = next((i for i, u in enumerate(units) if u.end > start), len(units) - 1)
    last = next((i for i in range(len(units) - 1, -1, -1) if units[i].start < end), first)
    last = max(last, first)
    lo = units[max(0, first - n)].start
    hi = units[min(len(units) - 1, last + n)].end
    return Span.of(text, lo, hi)
