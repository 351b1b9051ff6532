"""SELECT statements of the store and the shaping of their rows into dicts.

All user input reaches SQL as bound parameters; LIKE patterns are escaped so
``%`` and ``_`` in a query only ever match themselves.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterable

from sqlalchemy import Select, and_, exists, false, func, literal, or_, select, text, union
from sqlalchemy.sql.elements import ColumnElement

from .keys import fold_key, like_escape
from .schema import (attributions, documents, outlets, quotes, speaker_aliases, speaker_mentions, speaker_tokens,
                     speakers)
from ..types import Span

_q, _d, _a, _s, _m, _o = quotes, documents, attributions, speakers, speaker_mentions, outlets


@functools.lru_cache(maxsize=1)  # built once: statements derived from it are new objects
def quote_select() -> Select:
    """Every stored quote with its document, speaker, mention, outlet and cue."""
    return (
        select(
            _q.c.id, _q.c.start, _q.c.end, _q.c.text, _q.c.kind,
            _q.c.document_id,
            _d.c.path.label("document_path"),
            _d.c.sha256.label("document_sha256"),
            _d.c.title.label("document_title"),
            _a.c.speaker_id,
            _s.c.name.label("speaker_name"),
            _s.c.type.label("speaker_type"),
            _m.c.start.label("mention_start"),
            _m.c.end.label("mention_end"),
            _m.c.text.label("mention_text"),
            _a.c.outlet_id,
            _o.c.name.label("outlet_name"),
            _a.c.outlet_start, _a.c.outlet_end, _a.c.outlet_text,
            _a.c.cue_start, _a.c.cue_end, _a.c.cue_text,
            _a.c.sieve, _a.c.confidence,
        )
        .select_from(_attribution_parts(
            _q.join(_d, _d.c.id == _q.c.document_id).outerjoin(_a, _a.c.quote_id == _q.c.id)))
        .order_by(_q.c.id)
    )


def _attribution_parts(joined: Any) -> Any:
    """``joined`` (quotes, documents and attributions) with the attribution's speaker,
    mention and outlet, each outer-joined."""
    return (joined.outerjoin(_s, _s.c.id == _a.c.speaker_id)
            .outerjoin(_m, _m.c.id == _a.c.mention_id)
            .outerjoin(_o, _o.c.id == _a.c.outlet_id))


@functools.lru_cache(maxsize=1)
def _speaker_quote_select() -> Select:
    """:func:`quote_select` driven by the attributions' speaker index (see :func:`speaker_quotes`)."""
    return (
        select(*quote_select().selected_columns)
        .select_from(_attribution_parts(
            _a.join(_q, _q.c.id == _a.c.quote_id).join(_d, _d.c.id == _q.c.document_id)))
        .order_by(_q.c.id)
    )


def speaker_quotes(speaker_ids: Iterable[int]) -> Select:
    """The quotes of these speakers, as :func:`quote_select` with them as the filter: read
    from the attributions (their speaker index, then each row by primary key) instead of
    from the quotes (which looks up each quote's attribution once more through its
    ``quote_id`` index). More filters may be added with :func:`filter_quotes`."""
    return _speaker_quote_select().where(_a.c.speaker_id.in_(sorted(set(speaker_ids))))


def speaker_quotes_sql(speaker_ids: Iterable[int]) -> tuple[str, tuple[int, ...]]:
    """:func:`speaker_quotes` as plain SQL with ``?`` parameters (the store runs it on the
    SQLite driver directly: a fraction of the per-row cost of a SQLAlchemy result)."""
    ids = tuple(sorted(set(speaker_ids)))
    return _speaker_quotes_sql(len(ids)), ids


@functools.lru_cache(maxsize=16)
def _speaker_quotes_sql(n: int) -> str:
    """:func:`speaker_quotes` for ``n`` speaker ids, compiled once for SQLite."""
    from sqlalchemy import bindparam
    from sqlalchemy.dialects import sqlite

    stmt = _speaker_quote_select().where(_a.c.speaker_id.in_([bindparam(f"id{k}") for k in range(n)]))
    return str(stmt.compile(dialect=sqlite.dialect(paramstyle="qmark")))


def filter_quotes(
    stmt: Select,
    speaker: str | None = None,
    outlet: str | None = None,
    document: str | int | None = None,
    kind: str | None = None,
    ids: Iterable[int] | None = None,
    speaker_ids: Iterable[int] | None = None,
) -> Select:
    """Quotes filtered as ``quotes list`` does; ``speaker_ids`` (the speakers a ``speaker``
    query names, looked up beforehand) replaces the speaker subquery."""
    # The same conditions also as quote-id sets: the attribution is outer-joined, so without
    # them SQLite scans every quote; with them it walks the speaker/outlet index instead.
    if speaker_ids is not None:
        ids_ = sorted(set(speaker_ids))
        stmt = stmt.where(_a.c.speaker_id.in_(ids_),
                          _q.c.id.in_(select(_a.c.quote_id).where(_a.c.speaker_id.in_(ids_))))
    elif speaker is not None:
        ids_ = speaker_ids_matching(speaker)
        stmt = stmt.where(_a.c.speaker_id.in_(ids_),
                          _q.c.id.in_(select(_a.c.quote_id).where(_a.c.speaker_id.in_(ids_))))
    if outlet is not None:
        ids_ = outlet_ids_matching(outlet)
        stmt = stmt.where(_a.c.outlet_id.in_(ids_),
                          _q.c.id.in_(select(_a.c.quote_id).where(_a.c.outlet_id.in_(ids_))))
    if document is not None:
        stmt = stmt.where(document_matches(document))
    if kind is not None:
        stmt = stmt.where(_q.c.kind == kind)
    if ids is not None:
        stmt = stmt.where(_q.c.id.in_(list(ids)))
    return stmt


def quote_dict(row: Any) -> dict[str, Any]:
    """A stored quote as the extract JSON object (``Quote.to_dict`` shape), from a row whose
    first columns are :func:`quote_select`'s, in its order (more may follow)."""
    (qid, start, end, text, kind, _document_id, path, sha256, title, speaker_id, speaker_name, speaker_type,
     mention_start, mention_end, mention_text, outlet_id, outlet_name, outlet_start, outlet_end, outlet_text,
     cue_start, cue_end, cue_text, sieve, confidence) = tuple(row)[:_QUOTE_COLUMNS]
    return {
        "id": qid,
        "document": {"path": path, "sha256": sha256, "title": title},
        "start": start,
        "end": end,
        "text": text,
        "kind": kind,
        "speaker": None if speaker_id is None else {
            "name": speaker_name, "type": speaker_type, "start": mention_start, "end": mention_end,
            "text": mention_text},
        "outlet": None if outlet_id is None else {
            "name": outlet_name, "start": outlet_start, "end": outlet_end, "text": outlet_text},
        "cue": None if cue_start is None else {"start": cue_start, "end": cue_end, "text": cue_text},
        "sieve": sieve,
        "confidence": round(confidence or 0.0, 3),
    }


_QUOTE_COLUMNS = 25
assert len(quote_select().selected_columns) == _QUOTE_COLUMNS


# ------------------------------------------------------------------ matching

def _whole_word(column: ColumnElement, word: str) -> ColumnElement:
    """``column`` equals ``word`` or contains it between spaces (bound, escaped)."""
    w = like_escape(word)
    return or_(
        column == word,
        column.like(literal(w + " %"), escape="\\"),
        column.like(literal("% " + w), escape="\\"),
        column.like(literal("% " + w + " %"), escape="\\"),
    )


def _indexed_parts(key: str) -> list[Select]:
    words = list(dict.fromkeys(key.split()))
    _al, _tk = speaker_aliases, speaker_tokens
    worded = select(_tk.c.alias_key).where(_tk.c.token == words[0])
    for w in words[1:]:
        worded = worded.where(_tk.c.alias_key.in_(select(_tk.c.alias_key).where(_tk.c.token == w)))
    by_word = select(_al.c.speaker_id).where(_al.c.alias_key.in_(worded))
    if len(key.split()) > 1:
        by_word = by_word.where(_whole_word(_al.c.alias_key, key))
    return [select(_al.c.speaker_id).where(_al.c.alias_key == key), select(_s.c.id).where(_s.c.key == key),
            by_word]


def _scanned_parts(key: str) -> list[Select]:
    # the name with its hyphens as spaces, as in keys: "al-Hashemi" is found by "al-Hashemi" where
    # its key is "hashemi (iraqi foreign ministry)"
    return [select(speaker_aliases.c.speaker_id).where(_whole_word(speaker_aliases.c.alias_key, key)),
            select(_s.c.id).where(_whole_word(func.replace(func.lower(_s.c.name), "-", " "), key))]


def speaker_ids_indexed(query: str) -> Select:
    """The speakers an index finds for a query: its folded key as a speaker key or alias key,
    and (``speaker_tokens``) the speakers one of whose multi-word alias keys has every word
    of it, as a whole-word phrase (checked on those few keys only)."""
    key = fold_key(query)
    if not key:
        return select(_s.c.id).where(false())
    return union(*_indexed_parts(key))


@functools.lru_cache(maxsize=16)
def _indexed_text(words: int, phrase: bool) -> Any:
    tokens = "SELECT alias_key FROM speaker_tokens WHERE token = :w0"
    for i in range(1, words):
        tokens += f" AND alias_key IN (SELECT alias_key FROM speaker_tokens WHERE token = :w{i})"
    sql = ("SELECT speaker_id FROM speaker_aliases WHERE alias_key = :k "
           "UNION SELECT id FROM speakers WHERE key = :k "
           f"UNION SELECT speaker_id FROM speaker_aliases WHERE alias_key IN ({tokens})")
    if phrase:
        sql += (" AND (alias_key = :k OR alias_key LIKE :p1 ESCAPE '\\' OR alias_key LIKE :p2 ESCAPE '\\' "
                "OR alias_key LIKE :p3 ESCAPE '\\')")
    return text(sql)


def speaker_ids_indexed_text(query: str) -> tuple[Any, dict[str, str]] | None:
    """:func:`speaker_ids_indexed` as one plain-SQL statement and its parameters (a fraction
    of the statement-building cost, for ``list --speaker``); None for an empty query."""
    key = fold_key(query)
    if not key:
        return None
    words = list(dict.fromkeys(key.split()))
    params = {"k": key, **{f"w{i}": w for i, w in enumerate(words)}}
    phrase = len(key.split()) > 1
    if phrase:
        w = like_escape(key)
        params.update(p1=w + " %", p2="% " + w, p3="% " + w + " %")
    return _indexed_text(len(words), phrase), params


def speaker_ids_scanned(query: str) -> Select:
    """Speakers whose alias keys or (lower-cased) name contain the folded query as a whole
    word: a scan of every speaker, for what no index finds (a title in a name, say)."""
    key = fold_key(query)
    if not key:
        return select(_s.c.id).where(false())
    return union(*_scanned_parts(key))


def speaker_ids_matching(query: str) -> Select:
    """Speakers whose key or an alias key equals the folded query, or whose
    alias keys / name contain it as a whole word: :func:`speaker_ids_indexed`, and only when
    that finds none, :func:`speaker_ids_scanned`, as one statement (the store runs the two
    in turn instead: :meth:`quotes.store.Store.speaker_ids`)."""
    key = fold_key(query)
    if not key:
        return select(_s.c.id).where(false())
    nothing_fast = ~exists(select(union(*_indexed_parts(key)).subquery().c[0]))
    return union(*_indexed_parts(key), *(part.where(nothing_fast) for part in _scanned_parts(key)))


def outlet_ids_matching(query: str) -> Select:
    key = fold_key(query)
    if not key:
        return select(_o.c.id).where(false())
    return select(_o.c.id).where(
        or_(_whole_word(_o.c.key, key), _whole_word(func.lower(_o.c.name), key))
    )


def document_matches(ref: str | int) -> ColumnElement:
    """An int is a document id; a string an id, exact path, basename,
    external id or sha256."""
    if isinstance(ref, int):
        return _d.c.id == ref
    ref = str(ref)
    tests = [
        _d.c.path == ref,
        _d.c.path.like(literal("%/" + like_escape(ref)), escape="\\"),
        _d.c.external_id == ref,
        _d.c.sha256 == ref.lower(),
    ]
    if ref.isdigit():
        tests.append(_d.c.id == int(ref))
    return or_(*tests)


_SCOPED_REF = re.compile(r"^(.*\S)\s*#(\d+)$")


def speaker_ref(ref: str | int) -> Select:
    """The speakers a reference on the command line names: an id; an exact key or alias
    (``"nicolas maduro"``, a document's own ``"maduro #3"``); or a name, folded, with the
    documents' own speakers of that name (``"Maduro"``: every ``"maduro #N"``)."""
    ref = str(ref).strip()
    if ref.isdigit():
        return select(_s.c.id).where(_s.c.id == int(ref))
    key = fold_key(ref)
    named = {key, " ".join(ref.lower().split())}
    scoped = _SCOPED_REF.match(ref)
    if scoped:  # a document's own key as typed: "Al-Hashemi #3" is "al hashemi #3"
        named.add(f"{fold_key(scoped.group(1))} #{scoped.group(2)}")
    exact = sorted(named)
    _al = speaker_aliases
    by_alias = select(_al.c.speaker_id).where(or_(
        _al.c.alias_key.in_(exact), _al.c.alias_key.like(literal(like_escape(key) + " #%"), escape="\\")))
    return by_alias.union(select(_s.c.id).where(_s.c.key.in_(exact)))


# -------------------------------------------------------------- aggregates

def speakers_select() -> Select:
    """Canonical speakers with quote counts, one row per alias (group by id)."""
    count = (
        select(func.count(_a.c.id)).where(_a.c.speaker_id == _s.c.id).scalar_subquery()
    ).label("quotes")
    return (
        select(_s.c.id, _s.c.name, _s.c.type, _s.c.key, count, _s.c.document_id, _s.c.evidence,
               speaker_aliases.c.alias_key)
        .select_from(_s.outerjoin(speaker_aliases, speaker_aliases.c.speaker_id == _s.c.id))
        .order_by(count.desc(), _s.c.name, _s.c.id, speaker_aliases.c.alias_key)
    )


def outlets_select() -> Select:
    count = (
        select(func.count(_a.c.id)).where(_a.c.outlet_id == _o.c.id).scalar_subquery()
    ).label("quotes")
    return select(_o.c.id, _o.c.name, count).order_by(count.desc(), _o.c.name, _o.c.id)


def documents_select() -> Select:
    count = (
        select(func.count(_q.c.id)).where(_q.c.document_id == _d.c.id).scalar_subquery()
    ).label("quotes")
    return select(
        _d.c.id, _d.c.path, _d.c.sha256, _d.c.title, _d.c.url, _d.c.publisher, _d.c.date,
        _d.c.engine, _d.c.extracted_at, count, _d.c.origin, _d.c.source_file, _d.c.source_line,
    ).order_by(_d.c.id)


def document_by_path(path: str, sha256: str) -> Select:
    return select(_d.c.id).where(and_(_d.c.path == path, _d.c.sha256 == sha256))


# --------------------------------------------------------------- paragraphs

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def paragraph_around(text: str, start: int, end: int) -> Span:
    """The paragraph(s) containing ``text[start:end]``: bounded by blank lines
    (or by single newlines when the text has no blank lines), trimmed."""
    breaks = _BLANK_LINE if _BLANK_LINE.search(text) else re.compile(r"\n")
    lo, hi = 0, len(text)
    for m in breaks.finditer(text):
        if m.end() <= start:
            lo = m.end()
        elif m.start() >= end:
            hi = m.start()
            break
    while lo < start and text[lo].isspace():
        lo += 1
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return Span.of(text, lo, hi)
