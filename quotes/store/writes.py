"""The Store's write path: whole documents per transaction.

``add`` writes a document in a transaction, ``add_many`` several in one; ``write_batch``
(what ``quotes extract`` uses) writes several in one transaction, each in a SAVEPOINT of its
own, so one that fails is rolled back alone, with the rows and ids one ``add`` each would
write. The rows themselves go through the store's bulk writer (:mod:`.writer`).
"""
from __future__ import annotations

import datetime as _dt
import logging
import os
import sqlite3
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..errors import StoreError, StoreUnwritable, shown
from ..types import Document, Quote, Span
from . import queries
from .legacy import _add_alias, _fold, _insert_quote
from .rows import _chunks
from .schema import attributions, documents, speakers

log = logging.getLogger(__name__)

BATCH_DOCUMENTS = 200  # `extract`: documents per write transaction at most ($QUOTES_BATCH)
BATCH_SECONDS = 0.5  # ... and a batch is written once its first document has waited this long
BATCH_IDLE = 20  # `extract --workers`: or once it has this many while the workers are still busy


def batch_documents() -> int:
    """How many documents ``extract`` writes in one transaction at most: ``$QUOTES_BATCH``, else
    :data:`BATCH_DOCUMENTS`."""
    value = os.environ.get("QUOTES_BATCH", "")
    try:
        n = int(value) if value.strip() else BATCH_DOCUMENTS
    except ValueError:
        n = 0
    if n < 1:
        raise StoreError(f"QUOTES_BATCH={value!r}: not a whole number of documents (1 or more)")
    return n


@dataclass(frozen=True)
class Written:
    """What :meth:`Store.write_batch` did with one document: its id, whether it was added now
    (False: already stored) and its new quotes' ids; or, when it could not be stored, why."""

    document_id: int | None
    added: bool = False
    quote_ids: tuple[int, ...] = ()
    error: Exception | None = None


class Writes:
    """The write methods of :class:`~quotes.store.Store`."""

    def find_document(self, document: Document) -> int | None:
        """The id of a stored document with the same path and sha256.

        Answers are remembered for the last 1,024 documents asked about (``extract
        --workers`` asks twice per document): an id stays right (documents are never
        deleted); a "not stored" may have become stale if another process stored it
        meanwhile, which costs an extraction, not a duplicate (:meth:`add` checks again in its
        transaction and returns ``added`` False). On SQLite the lookup is one prepared
        statement on the store's write connection (outside any transaction)."""
        where = (document.source, document.sha256)
        if where in self._found:
            return self._found[where]
        raw = self._raw_reader()
        if raw is not None:
            with self._errors():
                rows = raw.execute(_DOCUMENT_BY_PATH_SQL, where).fetchall()  # done: no snapshot kept
            row = rows[0] if rows else None
        else:
            row = self._first(_DOCUMENT_BY_PATH, {"p": where[0], "h": where[1]})
        found = None if row is None else int(row[0])
        if len(self._found) >= 1024:
            self._found.pop(next(iter(self._found)))
        self._found[where] = found
        return found

    def _raw_reader(self) -> Any:
        """The sqlite3 connection under the store's write connection, for plain lookups
        between write transactions (None on other databases)."""
        self._ensure()
        if self.url.get_backend_name() != "sqlite":
            return None
        with self._errors():
            if self._wconn is None:
                self._wconn = self.engine.connect().execution_options(quotes_write=True)
            raw = self._wconn.connection.driver_connection
        return None if raw.in_transaction else raw

    def add(self, document: Document, found: Sequence[Quote], engine: str) -> tuple[int, bool]:
        """Store a document and its quotes in one transaction.

        Returns ``(document_id, added)``; ``added`` is False (and nothing is
        written) when the same path and sha256 are already stored.
        """
        return self.add_many([(document, found)], engine)[0]

    def add_many(self, items: Iterable[tuple[Document, Sequence[Quote]]],
                 engine: str) -> list[tuple[int, bool]]:
        """Store several documents and their quotes in ONE transaction (bulk loads).

        Same rows as calling :meth:`add` for each in turn (speakers and aliases may be
        numbered in another order); returns its result per item. Any failure writes nothing.
        """
        items = list(items)
        for document, found in items:
            _check_quotes(document, found)
        with self._write() as conn:
            out, ids = self._add_in(conn, items, engine)
        self._added(items, out, ids)
        return out

    def write_batch(self, items: Iterable[tuple[Document, Sequence[Quote]]], engine: str) -> list[Written]:
        """Store documents in ONE transaction, each as :meth:`add` would, one after another
        (so the rows and their ids are exactly those of calling :meth:`add` for each), inside
        a SAVEPOINT of its own: a document that fails is rolled back alone, its
        :attr:`Written.error` says why, and the others land. A failure of the transaction
        itself (the lock not granted, the disk full at COMMIT) is retried one transaction
        per document, so every document still lands or fails alone. Never raises for one
        document's :class:`StoreError` (or bug); KeyboardInterrupt and the like roll back
        the whole batch."""
        items = list(items)
        out: list[Written | None] = [None] * len(items)
        todo: list[int] = []
        for n, (document, found) in enumerate(items):
            try:
                _check_quotes(document, found)
            except StoreError as e:
                out[n] = Written(None, error=e)
            else:
                todo.append(n)
        if not todo:
            return [w for w in out if w is not None]
        try:
            done = self._write_each(items, todo, engine)
        except (SQLAlchemyError, sqlite3.Error, StoreError) as e:  # the transaction, not one document
            log.info("batch of %d documents not written (%s); one transaction per document",
                     len(todo), " ".join(str(e).split()))
            done = {}
            unwritable: Exception | None = None
            for n in todo:
                if unwritable is not None:  # the database takes no writes: not one more try
                    done[n] = Written(None, error=unwritable)
                    continue
                try:
                    with self._write() as conn:
                        result, ids = self._add_in(conn, [items[n]], engine)
                    done[n] = Written(result[0][0], result[0][1], tuple(ids))
                    self._added([items[n]], result, ids)
                except Exception as e1:  # noqa: BLE001 - reported per document by the caller
                    done[n] = Written(None, error=self._document_error(items[n][0], e1))
                    if isinstance(done[n].error, StoreUnwritable):
                        unwritable = done[n].error
        for n, w in done.items():
            out[n] = w
        return [w for w in out if w is not None]

    def _write_each(self, items: Sequence[tuple[Document, Sequence[Quote]]], todo: list[int],
                    engine: str) -> dict[int, Written]:
        """write_batch's one transaction: a SAVEPOINT per document."""
        done: dict[int, Written] = {}
        with self._write() as conn:
            sqlite = conn.dialect.name == "sqlite"
            raw = conn.connection.driver_connection if sqlite else None
            batched = self._has_evidence(conn)  # (an old schema is written the old way)
            if batched:
                self._writer.begin_batch([items[n][1] for n in todo])
            for n in todo:
                item = items[n]
                if sqlite:
                    raw.execute("SAVEPOINT quotes_document")
                    nested = None
                else:
                    nested = conn.begin_nested()
                try:
                    result, ids = self._add_in(conn, [item], engine)
                except Exception as e:  # noqa: BLE001 - this document alone is rolled back
                    if isinstance(self._document_error(item[0], e), StoreUnwritable):
                        raise  # not this document: the database (each is then tried alone, up to the first)
                    if sqlite:
                        if not raw.in_transaction:  # SQLite gave up the whole transaction
                            raise
                        raw.execute("ROLLBACK TO quotes_document")
                        raw.execute("RELEASE quotes_document")
                    else:
                        nested.rollback()
                    search = self._writer.batch_search
                    self._writer.reset()  # its caches may hold what was rolled back
                    self._writer.begin(conn)
                    self._writer.batch_search = search
                    log.debug("storing %s failed", item[0].source, exc_info=True)
                    done[n] = Written(None, error=self._document_error(item[0], e))
                    continue
                if sqlite:
                    raw.execute("RELEASE quotes_document")
                else:
                    nested.commit()
                done[n] = Written(result[0][0], result[0][1], tuple(ids))
            if batched:
                self._writer.end_batch()
        for n, w in done.items():
            if w.error is None:
                self._added([items[n]], [(w.document_id, w.added)], list(w.quote_ids))
        return done

    def _document_error(self, document: Document, e: Exception) -> Exception:
        """A database error while storing one document, as one line naming the database and
        the document ("q.db: a.txt: database is locked"); other exceptions as they are. An
        error of the database as a whole (SQLite's "locked", "readonly", "full", "I/O error":
        an OperationalError) is a :class:`StoreUnwritable` naming only the database."""
        cause = e.__cause__ if isinstance(e, StoreError) else e
        if not isinstance(cause, (SQLAlchemyError, sqlite3.Error)):
            return e
        driver = getattr(cause, "orig", None) or cause
        reason = " ".join(str(driver).split())
        if isinstance(cause, OperationalError) or type(driver).__name__ == "OperationalError":
            return StoreUnwritable(f"{self.name}: cannot store documents: {reason}")
        return StoreError(f"{self.name}: {shown(document.source)}: {reason}")

    def _add_in(self, conn: Connection, items: list[tuple[Document, Sequence[Quote]]],
                engine: str) -> tuple[list[tuple[int, bool]], list[int]]:
        """add_many's work inside an open write transaction: (result per item, new quote ids)."""
        legacy = not self._has_evidence(conn)
        todo: list[tuple[int, Document, Sequence[Quote]]] = []
        stored = self._stored(conn, items)
        pending: dict[tuple[str, str], int] = {}  # new in this batch: index among `fresh`
        fresh: list[Document] = []
        marks: list[tuple[str, int]] = []
        for document, found in items:
            where = (document.source, document.sha256)
            if where in stored:
                marks.append(("stored", stored[where]))
            elif where in pending:  # the same document twice in one batch: stored once
                marks.append(("again", pending[where]))
            else:
                pending[where] = len(fresh)
                marks.append(("new", len(fresh)))
                todo.append((len(fresh), document, found))
                fresh.append(document)
        new_ids = self._insert_documents(conn, fresh, engine, legacy) if fresh else []
        out = [(i, False) if how == "stored" else (new_ids[i], how == "new") for how, i in marks]
        todo = [(new_ids[i], d, f) for i, d, f in todo]
        if legacy:
            ids = [_insert_quote(conn, doc_id, q) for doc_id, _, found in todo for q in found]
        else:
            ids = self._writer.insert(todo)
        return out, ids

    def _added(self, items: Sequence[tuple[Document, Sequence[Quote]]], out: Sequence[tuple[int, bool]],
               ids: list[int]) -> None:
        """Bookkeeping after a commit: the last document's quote ids, find_document's answers."""
        if len(items) == 1 and out[0][1]:
            self._last_ids = (out[0][0], ids)
        for (document, _), (doc_id, _) in zip(items, out):
            if (document.source, document.sha256) in self._found:
                self._found[(document.source, document.sha256)] = doc_id
        if len(items) == 1:
            log.info("stored %s: %d quotes", items[0][0].source, len(items[0][1]))
        else:
            log.info("stored %d documents in one transaction", len(items))

    @staticmethod
    def _stored(conn: Connection, items: Sequence[tuple[Document, Sequence[Quote]]]) -> dict[tuple[str, str], int]:
        """{(path, sha256): id} of the items' documents already stored."""
        pairs = sorted({(d.source, d.sha256) for d, _ in items})
        out: dict[tuple[str, str], int] = {}
        for chunk in _chunks(pairs, 200):
            if len(chunk) == 1 and conn.dialect.name == "sqlite":
                row = conn.connection.driver_connection.execute(
                    "SELECT id FROM documents WHERE path = ? AND sha256 = ?", chunk[0]).fetchone()
                if row is not None:
                    out[chunk[0]] = int(row[0])
                continue
            if len(chunk) == 1:
                found = conn.execute(_DOCUMENT_BY_PATH, {"p": chunk[0][0], "h": chunk[0][1]}).scalar()
                if found is not None:
                    out[chunk[0]] = int(found)
                continue
            rows = conn.execute(select(documents.c.path, documents.c.sha256, documents.c.id)
                                .where(documents.c.path.in_(sorted({p for p, _ in chunk}))))
            want = set(chunk)
            out.update({(p, h): int(i) for p, h, i in rows if (p, h) in want})
        return out

    def _insert_documents(self, conn: Connection, docs: list[Document], engine: str, legacy: bool) -> list[int]:
        """Insert new documents; their ids, in order."""
        if legacy or conn.dialect.name != "sqlite" or not self._origin:  # an old schema may lack a column
            return [int(conn.execute(insert(documents).values(**_document_row(d, engine, self._origin)))
                        .inserted_primary_key[0]) for d in docs]
        now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        raw = conn.connection.driver_connection
        first = self._writer._ids("documents", len(docs))[0]  # cached between transactions
        raw.executemany(
            "INSERT INTO documents (id, path, url, external_id, sha256, title, publisher, date, author, text, "
            "engine, extracted_at, origin, source_file, source_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(first + i, d.source, d.url, d.external_id, d.sha256, d.title, d.publisher, d.date, d.author,
              d.text, engine, now, d.origin or "text", d.source_file, d.source_line) for i, d in enumerate(docs)])
        return list(range(first, first + len(docs)))

    def merge_speakers(self, keep: str | int, other: str | int) -> dict[str, Any]:
        """Move OTHER's aliases, mentions and attributions to KEEP; delete OTHER. OTHER's
        alias keys are pinned to KEEP: later documents never move them elsewhere."""
        with self._write() as conn:
            keep_row = _one_speaker(conn, keep)
            other_row = _one_speaker(conn, other)
            if keep_row.id == other_row.id:
                raise StoreError(f"{keep} and {other} are already the same speaker")
            moved = conn.execute(select(func.count(attributions.c.id))
                                 .where(attributions.c.speaker_id == other_row.id)).scalar()
            if not self._has_evidence(conn):
                _add_alias(conn, other_row.id, other_row.key)
                _fold(conn, other_row.id, keep_row.id)
            else:
                self._writer.merge(other_row, keep_row)
        return {"id": keep_row.id, "name": keep_row.name, "merged": other_row.name, "quotes": moved}

    def relink_speakers(self, dry_run: bool = False) -> list[dict[str, Any]]:
        """Move the stored quotes whose own name gives another speaker key under the identity
        rules (a store written before revision 0007); each move is recorded for ``explain``.
        The moves, each {from_key, to_key, from, evidence, document, quotes}; ``dry_run``
        computes them and writes nothing (:mod:`.relink`)."""
        from .relink import relink

        with self._write() as conn:
            if not self._has_evidence(conn):
                raise StoreError(f"{self.name}: the store predates revision 0005; run `quotes db upgrade` first")
            return relink(self._writer, dry_run)


# ------------------------------------------------------------------ helpers

def _check_span(document: Document, span: Span | None, what: str) -> None:
    if span is None:
        return
    ok = 0 <= span.start <= span.end <= len(document.text)
    if not ok or document.text[span.start:span.end] != span.text:
        raise StoreError(
            f"{document.source}: {what} span {span.start}-{span.end} does not match the document text"
        )


def _check_quotes(document: Document, found: Sequence[Quote]) -> None:
    """:func:`_check_quote` for each of a document's quotes, in one loop."""
    text, n = document.text, len(document.text)
    for quote in found:
        speaker, outlet = quote.speaker, quote.outlet
        for span in (quote.span, quote.content, quote.cue, speaker.mention if speaker is not None else None,
                     outlet.mention if outlet is not None else None):
            if span is not None and not (0 <= span.start <= span.end <= n and text[span.start:span.end] == span.text):
                _check_quote(document, quote)  # raises, naming the span


def _check_quote(document: Document, quote: Quote) -> None:
    _check_span(document, quote.span, "quote")
    _check_span(document, quote.content, "quote content")
    _check_span(document, quote.cue, "cue")
    if quote.speaker is not None:
        _check_span(document, quote.speaker.mention, "speaker")
    if quote.outlet is not None:
        _check_span(document, quote.outlet.mention, "outlet")


def _document_row(document: Document, engine: str, origin: bool = True) -> dict[str, Any]:
    """The documents row of one document. Columns left empty are left out of the INSERT, so a
    store whose schema predates an optional column (an old revision) still takes the row."""
    row = dict(path=document.source, url=document.url, external_id=document.external_id,
               sha256=document.sha256, title=document.title, publisher=document.publisher,
               date=document.date, author=document.author, text=document.text, engine=engine,
               extracted_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
               origin=document.origin or "text", source_file=document.source_file,
               source_line=document.source_line)
    if not origin:  # a schema before revision 0009
        del row["origin"], row["source_file"], row["source_line"]
    return {k: v for k, v in row.items() if v is not None}


_DOCUMENT_BY_PATH = text("SELECT id FROM documents WHERE path = :p AND sha256 = :h")
_DOCUMENT_BY_PATH_SQL = "SELECT id FROM documents WHERE path = ? AND sha256 = ?"


def _one_speaker(conn: Connection, ref: str | int) -> Any:
    ids = {row[0] for row in conn.execute(queries.speaker_ref(ref))}
    if not ids:
        raise StoreError(f"no speaker {str(ref)!r} (see `quotes speakers`)")
    if len(ids) > 1:  # a name several documents' own speakers have ("police")
        raise StoreError(f"{str(ref)!r} names {len(ids)} speakers (ids {', '.join(map(str, sorted(ids)))}); "
                         "use an id")
    return conn.execute(select(speakers).where(speakers.c.id == ids.pop())).one()
