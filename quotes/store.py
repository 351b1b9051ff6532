"""The quotes database: one transaction per document, streaming reads.

``Store(path_or_url)`` opens (and on first use migrates to head) a database;
a bare path means SQLite, anything with ``://`` is a SQLAlchemy URL, and
``None`` means ``$QUOTES_DB`` or ``./quotes.db``. SQLite connections use WAL,
a 30 s busy timeout (``$QUOTES_BUSY_TIMEOUT`` seconds) and enforced foreign keys; writes take the lock up front
(``BEGIN IMMEDIATE``) so concurrent extractors queue instead of deadlocking.
"""
from __future__ import annotations

import datetime as _dt
import itertools
import json
import logging
import os
from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, bindparam, create_engine, event, func, insert, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from . import queries
from .errors import StoreError
from .keys import fold_key, is_name
from .schema import attributions, documents, outlets, quotes, speaker_aliases, speaker_mentions, speakers
from .types import Document, Outlet, Quote, Span, Speaker

log = logging.getLogger(__name__)

DEFAULT_DB = "quotes.db"


def migrations_dir() -> str:
    """The installed ``migrations`` package directory (Alembic script_location)."""
    import migrations

    return os.path.dirname(os.path.abspath(migrations.__file__))


def database_url(url_or_path: str | None = None) -> URL:
    value = url_or_path or os.environ.get("QUOTES_DB") or DEFAULT_DB
    if "://" in value:
        try:
            return make_url(value)
        except ArgumentError as e:
            raise StoreError(f"{value}: not a database URL ({e})") from None
    return URL.create("sqlite", database=value)


def busy_timeout_ms() -> int:
    """How long a connection waits for another's lock: ``$QUOTES_BUSY_TIMEOUT`` s, else 30 s."""
    value = os.environ.get("QUOTES_BUSY_TIMEOUT", "")
    try:
        seconds = float(value) if value.strip() else 30.0
    except ValueError:
        raise StoreError(f"QUOTES_BUSY_TIMEOUT={value!r}: not a number of seconds") from None
    return max(0, int(seconds * 1000))


PG_WRITE_LOCK = 0x71756F746573  # "quotes": the advisory lock key of write transactions


def _lock_writes_up_front(engine: Engine) -> None:
    """PostgreSQL's BEGIN IMMEDIATE: a write transaction first takes one transaction-level
    advisory lock, so concurrent writers (and migrations) queue instead of racing on the
    speaker/outlet/document uniqueness checks; reads never wait for it."""

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("quotes_write"):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


def make_engine(url: URL, foreign_keys: bool = True) -> Engine:
    """An Engine; for SQLite with the pragmas above and explicit BEGINs."""
    is_sqlite = url.get_backend_name() == "sqlite"
    engine = create_engine(url, poolclass=NullPool if is_sqlite else None)
    if url.get_backend_name() == "postgresql":
        _lock_writes_up_front(engine)
    if not is_sqlite:
        return engine
    in_memory = url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")  # WAL: safe from crashes, no fsync per commit
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("quotes_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Store:
    """A quotes database. Cheap to construct; connects and migrates lazily."""

    def __init__(self, url_or_path: str | None = None, script_location: str | None = None):
        self.url = database_url(url_or_path)
        self.name = self.url.database if self.url.get_backend_name() == "sqlite" else (
            self.url.render_as_string(hide_password=True)
        )
        self.script_location = script_location or migrations_dir()
        with self._errors():
            self.engine = make_engine(self.url)
        self._ready = False

    # ------------------------------------------------------------ plumbing

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn driver errors into a one-line StoreError naming the database."""
        try:
            yield
        except SQLAlchemyError as e:
            reason = " ".join(str(getattr(e, "orig", None) or e).split())
            raise StoreError(f"{self.name}: {reason}") from e

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        self._ensure()
        with self._errors(), self.engine.connect() as conn:
            conn.execution_options(quotes_write=True)
            with conn.begin():
                yield conn

    def _rows(self, stmt: Any) -> Iterator[Any]:
        """Stream the rows of a SELECT; the connection closes when exhausted."""
        self._ensure()
        with self._errors(), self.engine.connect() as conn:
            yield from conn.execution_options(yield_per=500).execute(stmt)

    def _first(self, stmt: Any) -> Any:
        """The first row of a SELECT, or None."""
        self._ensure()
        with self._errors(), self.engine.connect() as conn:
            return conn.execute(stmt).first()

    def close(self) -> None:
        keeper, self._keeper = getattr(self, "_keeper", None), None
        if keeper is not None:
            keeper.close()
        self.engine.dispose()

    # ---------------------------------------------------------- migrations

    def _config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", self.script_location.replace("%", "%%"))
        url = self.url.render_as_string(hide_password=False).replace("%", "%%")
        cfg.set_main_option("sqlalchemy.url", url)
        return cfg

    def _script(self) -> ScriptDirectory:
        return ScriptDirectory.from_config(self._config())

    def head(self) -> str | None:
        return self._script().get_current_head()

    def current(self) -> str | None:
        """The database's Alembic revision (None for an empty database)."""
        with self._errors(), self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def _migrate(self, action: str, revision: str) -> None:
        """Run an Alembic upgrade/downgrade in one write transaction.

        Foreign keys are off on this connection: batch-mode table rebuilds
        drop and recreate tables, which must not cascade into child rows.
        """
        engine = make_engine(self.url, foreign_keys=False)
        cfg = self._config()
        try:
            with self._errors(), engine.connect() as conn:
                conn.execution_options(quotes_write=True)
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    getattr(command, action)(cfg, revision)
                    if engine.dialect.name == "sqlite":
                        bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                        if bad:
                            raise StoreError(f"{self.name}: migration broke foreign keys: {bad[:3]}")
        except CommandError as e:
            raise StoreError(f"{self.name}: {' '.join(str(e).split())}") from None
        finally:
            engine.dispose()

    def upgrade(self, revision: str = "head") -> None:
        self._check_known()
        log.info("upgrading %s to %s", self.name, revision)
        self._migrate("upgrade", revision)
        self._ready = False

    def downgrade(self, revision: str) -> None:
        self._check_known()
        log.info("downgrading %s to %s", self.name, revision)
        self._migrate("downgrade", revision)
        self._ready = False

    def _check_known(self) -> None:
        current = self.current()
        if current is None:
            return
        try:
            known = self._script().get_revision(current) is not None
        except CommandError:
            known = False
        if not known:
            raise StoreError(
                f"{self.name}: database schema revision {current} is newer than this "
                f"version of quotes knows (head {self.head()}); upgrade quotes"
            )

    def _ensure(self) -> None:
        """Migrate to head on first use."""
        if self._ready:
            return
        if self.current() != self.head():
            self.upgrade("head")
        self._ready = True
        self._keep_open()

    def _keep_open(self) -> None:
        """Hold one idle SQLite connection while the store is in use: closing the last
        connection to a WAL database checkpoints it (an fsync, ~25 ms), which would
        otherwise happen after every per-document transaction."""
        if getattr(self, "_keeper", None) is None and self.url.get_backend_name() == "sqlite" \
                and self.url.database not in (None, "", ":memory:"):
            with self._errors():
                self._keeper = self.engine.raw_connection()

    # --------------------------------------------------------------- writes

    def find_document(self, document: Document) -> int | None:
        """The id of a stored document with the same path and sha256."""
        row = self._first(queries.document_by_path(document.source, document.sha256))
        return None if row is None else int(row.id)

    def add(self, document: Document, found: Sequence[Quote], engine: str) -> tuple[int, bool]:
        """Store a document and its quotes in one transaction.

        Returns ``(document_id, added)``; ``added`` is False (and nothing is
        written) when the same path and sha256 are already stored.
        """
        for quote in found:
            _check_quote(document, quote)
        with self._write() as conn:
            existing = conn.execute(
                queries.document_by_path(document.source, document.sha256)
            ).scalar()
            if existing is not None:
                return int(existing), False
            doc_id = conn.execute(
                insert(documents).values(**_document_row(document, engine))
            ).inserted_primary_key[0]
            _Writer(conn).insert_quotes(doc_id, found)
        log.info("stored %s: %d quotes", document.source, len(found))
        return int(doc_id), True

    def add_many(self, items: Iterable[tuple[Document, Sequence[Quote]]],
                 engine: str) -> list[tuple[int, bool]]:
        """Store several documents and their quotes in ONE transaction (bulk loads).

        Same rows as calling :meth:`add` for each in turn; returns its result per item.
        """
        items = list(items)
        for document, found in items:
            for quote in found:
                _check_quote(document, quote)
        out: list[tuple[int, bool]] = []
        with self._write() as conn:
            writer = _Writer(conn)
            writer.prime([q for _, found in items for q in found])
            for document, found in items:
                existing = conn.execute(
                    queries.document_by_path(document.source, document.sha256)
                ).scalar()
                if existing is not None:
                    out.append((int(existing), False))
                    continue
                doc_id = conn.execute(
                    insert(documents).values(**_document_row(document, engine))
                ).inserted_primary_key[0]
                writer.insert_quotes(doc_id, found)
                out.append((int(doc_id), True))
        log.info("stored %d documents in one transaction", len(items))
        return out

    def merge_speakers(self, keep: str | int, other: str | int) -> dict[str, Any]:
        """Move OTHER's aliases, mentions and attributions to KEEP; delete OTHER."""
        with self._write() as conn:
            keep_row = _one_speaker(conn, keep)
            other_row = _one_speaker(conn, other)
            if keep_row.id == other_row.id:
                raise StoreError(f"{keep} and {other} are already the same speaker")
            _add_alias(conn, other_row.id, other_row.key)
            for table in (speaker_aliases, speaker_mentions):
                conn.execute(
                    update(table).where(table.c.speaker_id == other_row.id).values(speaker_id=keep_row.id)
                )
            moved = conn.execute(
                update(attributions)
                .where(attributions.c.speaker_id == other_row.id)
                .values(speaker_id=keep_row.id)
            ).rowcount
            conn.execute(speakers.delete().where(speakers.c.id == other_row.id))
        return {"id": keep_row.id, "name": keep_row.name, "merged": other_row.name, "quotes": moved}

    # ---------------------------------------------------------------- reads

    def quotes(
        self,
        speaker: str | None = None,
        outlet: str | None = None,
        document: str | int | None = None,
        kind: str | None = None,
        ids: Iterable[int] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Stored quotes (extract JSON objects), in id order, streamed."""
        stmt = queries.filter_quotes(queries.quote_select(), speaker, outlet, document, kind, ids)
        for row in self._rows(stmt):
            yield queries.quote_dict(row)

    def quote_ids(self, document_id: int) -> list[int]:
        """Ids of a document's quotes in the order they were stored."""
        stmt = select(quotes.c.id).where(quotes.c.document_id == document_id).order_by(quotes.c.id)
        return [row.id for row in self._rows(stmt)]

    def get(self, quote_id: int) -> dict[str, Any] | None:
        """One quote with its document's provenance and surrounding paragraph."""
        stmt = queries.filter_quotes(queries.quote_select(), ids=[quote_id])
        row = self._first(stmt)
        if row is None:
            return None
        found = queries.quote_dict(row)
        doc = self._first(select(documents).where(documents.c.id == row.document_id))
        para = queries.paragraph_around(doc.text, row.start, row.end)
        found["document"] = {
            "id": doc.id, "path": doc.path, "url": doc.url, "title": doc.title,
            "publisher": doc.publisher, "author": doc.author, "date": doc.date, "sha256": doc.sha256,
            "external_id": doc.external_id, "engine": doc.engine,
            "extracted_at": doc.extracted_at,
        }
        found["paragraph"] = para.to_dict()
        return found

    def speakers(self) -> Iterator[dict[str, Any]]:
        """Canonical speakers, most quoted first, with their alias keys."""
        rows = self._rows(queries.speakers_select())
        for _, group in itertools.groupby(rows, key=lambda r: r.id):
            group = list(group)
            first = group[0]
            yield {
                "id": first.id, "name": first.name, "type": first.type, "quotes": first.quotes,
                "aliases": [r.alias_key for r in group if r.alias_key is not None],
            }

    def outlets(self) -> Iterator[dict[str, Any]]:
        for row in self._rows(queries.outlets_select()):
            yield dict(row._mapping)

    def documents(self) -> Iterator[dict[str, Any]]:
        for row in self._rows(queries.documents_select()):
            yield dict(row._mapping)

    def execute(self, sql: str, **params: Any) -> list[Any]:
        """Raw read-only SQL with bound parameters (used by tests and debugging)."""
        self._ensure()
        with self._errors(), self.engine.connect() as conn:
            return list(conn.execute(text(sql), params))


# ------------------------------------------------------------------ helpers

def _check_span(document: Document, span: Span | None, what: str) -> None:
    if span is None:
        return
    ok = 0 <= span.start <= span.end <= len(document.text)
    if not ok or document.text[span.start:span.end] != span.text:
        raise StoreError(
            f"{document.source}: {what} span {span.start}-{span.end} does not match the document text"
        )


def _check_quote(document: Document, quote: Quote) -> None:
    _check_span(document, quote.span, "quote")
    _check_span(document, quote.content, "quote content")
    _check_span(document, quote.cue, "cue")
    if quote.speaker is not None:
        _check_span(document, quote.speaker.mention, "speaker")
    if quote.outlet is not None:
        _check_span(document, quote.outlet.mention, "outlet")


_ALIAS_OF = select(speaker_aliases.c.speaker_id).where(speaker_aliases.c.alias_key == bindparam("k"))
_SPEAKER_OF = select(speakers.c.id).where(speakers.c.key == bindparam("k"))
_SET_TYPE = (update(speakers).where(speakers.c.id == bindparam("i"), speakers.c.type == "unknown")
             .values(type=bindparam("t")))


def _document_row(document: Document, engine: str) -> dict[str, Any]:
    """The documents row of one document. Columns left empty are left out of the INSERT, so a
    store whose schema predates an optional column (an old revision) still takes the row."""
    row = dict(path=document.source, url=document.url, external_id=document.external_id,
               sha256=document.sha256, title=document.title, publisher=document.publisher,
               date=document.date, author=document.author, text=document.text, engine=engine,
               extracted_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    return {k: v for k, v in row.items() if v is not None}


class _Writer:
    """Inserts quotes in bulk within one transaction: speaker, alias and outlet lookups are
    cached (the cache mirrors what this transaction has read and written, so the rows are
    those :func:`_insert_quote` would write one statement at a time), and quotes, mentions
    and attributions go in as multi-row INSERTs."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.alias: dict[str, int | None] = {}  # alias_key -> speaker id (None: not taken)
        self.key: dict[str, int | None] = {}  # speakers.key -> id (None: no such speaker)
        self.typed: set[int] = set()  # speakers whose type is known not to be "unknown"
        self.outlet: dict[str, int] = {}
        self.next_id: dict[str, int] = {}

    def insert_quotes(self, doc_id: int, found: Sequence[Quote]) -> list[int]:
        if not found:
            return []
        conn = self.conn
        quote_ids = self._insert_many(quotes, [
            dict(document_id=doc_id, start=q.span.start, end=q.span.end,
                 content_start=q.content.start, content_end=q.content.end,
                 text=q.content.text, kind=q.kind, closed=q.closed) for q in found])
        speaker_ids: list[int | None] = []
        mention_rows: list[dict[str, Any]] = []
        mention_of: list[int | None] = []  # index into mention_rows
        outlet_ids: list[int | None] = []
        for q in found:
            sid = self.speaker_id(q.speaker) if q.speaker is not None else None
            speaker_ids.append(sid)
            if sid is not None and q.speaker.mention is not None:
                m = q.speaker.mention
                mention_of.append(len(mention_rows))
                mention_rows.append(dict(document_id=doc_id, speaker_id=sid, start=m.start, end=m.end,
                                         text=m.text, role=q.speaker.role,
                                         affiliation=q.speaker.affiliation))
                if is_name(m.text):
                    self.add_alias(sid, fold_key(m.text))
            else:
                mention_of.append(None)
            outlet_ids.append(self.outlet_id(q.outlet))
        mention_ids = self._insert_many(speaker_mentions, mention_rows) if mention_rows else []
        rows = []
        for q, qid, sid, mi, oid in zip(found, quote_ids, speaker_ids, mention_of, outlet_ids):
            om = q.outlet.mention if q.outlet else None
            cue = q.cue
            rows.append(dict(
                quote_id=qid, speaker_id=sid, mention_id=mention_ids[mi] if mi is not None else None,
                outlet_id=oid, outlet_start=om.start if om else None, outlet_end=om.end if om else None,
                outlet_text=om.text if om else None,
                cue_start=cue.start if cue else None, cue_end=cue.end if cue else None,
                cue_text=cue.text if cue else None,
                sieve=q.sieve, confidence=float(q.confidence or 0.0),
                explanation=json.dumps(list(q.explanation), ensure_ascii=False),
            ))
        conn.execute(insert(attributions), rows)
        return quote_ids

    def _insert_many(self, table: Any, rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows, returning their ids in order. SQLite (whose writes hold the database
        lock from BEGIN IMMEDIATE on) gets the ids it would assign, max(id)+1 onwards, set
        explicitly, and one executemany; other databases use INSERT … RETURNING."""
        conn = self.conn
        if conn.dialect.name != "sqlite":
            return [row[0] for row in conn.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)]
        first = self.next_id.get(table.name)
        if first is None:
            first = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
        ids = list(range(first, first + len(rows)))
        self.next_id[table.name] = first + len(rows)
        conn.execute(insert(table), [dict(row, id=i) for row, i in zip(rows, ids)])
        return ids

    def prime(self, found: Sequence[Quote]) -> None:
        """Look up every speaker key and alias the quotes will need in a few queries."""
        keys = set()
        for q in found:
            if q.speaker is not None:
                keys.add(fold_key(q.speaker.name))
                if q.speaker.mention is not None:
                    keys.add(fold_key(q.speaker.mention.text))
        keys.discard("")
        todo = sorted(keys - self.alias.keys())
        for i in range(0, len(todo), 500):
            chunk = todo[i:i + 500]
            found_alias = dict(self.conn.execute(select(speaker_aliases.c.alias_key, speaker_aliases.c.speaker_id)
                                                 .where(speaker_aliases.c.alias_key.in_(chunk))).all())
            found_key = dict(self.conn.execute(select(speakers.c.key, speakers.c.id)
                                               .where(speakers.c.key.in_(chunk))).all())
            for k in chunk:
                self.alias[k] = found_alias.get(k)
                if k not in self.key:
                    self.key[k] = found_key.get(k)

    def _alias_of(self, key: str) -> int | None:
        if key not in self.alias:
            self.alias[key] = self.conn.execute(_ALIAS_OF, {"k": key}).scalar()
        return self.alias[key]

    def speaker_id(self, speaker: Speaker) -> int | None:
        """As :func:`_speaker_id`."""
        key = fold_key(speaker.name)
        if not key:
            return None
        found = self._alias_of(key)
        if found is None:
            if key not in self.key:
                self.key[key] = self.conn.execute(_SPEAKER_OF, {"k": key}).scalar()
            found = self.key[key]
        kind = speaker.type or "unknown"
        if found is None:
            found = self.conn.execute(
                insert(speakers), {"name": " ".join(speaker.name.split()), "key": key, "type": kind}
            ).inserted_primary_key[0]
            self.key[key] = found
            if kind != "unknown":
                self.typed.add(found)
            self.add_alias(found, key)
        elif kind != "unknown" and found not in self.typed:
            self.conn.execute(_SET_TYPE, {"i": found, "t": kind})
            self.typed.add(found)  # its type is no longer "unknown", whichever it is
        return int(found)

    def add_alias(self, speaker_id: int, key: str) -> None:
        """As :func:`_add_alias`."""
        if not key:
            return
        if self._alias_of(key) is None:
            self.conn.execute(insert(speaker_aliases), {"speaker_id": speaker_id, "alias_key": key})
            self.alias[key] = speaker_id

    def outlet_id(self, outlet: Outlet | None) -> int | None:
        """As :func:`_outlet_id`."""
        if outlet is None:
            return None
        key = fold_key(outlet.name)
        if not key:
            return None
        if key not in self.outlet:
            self.outlet[key] = _outlet_id(self.conn, outlet)
        return self.outlet[key]


def _insert_quote(conn: Connection, doc_id: int, quote: Quote) -> int:
    quote_id = conn.execute(
        insert(quotes).values(
            document_id=doc_id, start=quote.span.start, end=quote.span.end,
            content_start=quote.content.start, content_end=quote.content.end,
            text=quote.content.text, kind=quote.kind, closed=quote.closed,
        )
    ).inserted_primary_key[0]
    speaker_id, mention_id = _store_speaker(conn, doc_id, quote.speaker)
    outlet_id = _outlet_id(conn, quote.outlet)
    om = quote.outlet.mention if quote.outlet else None
    cue = quote.cue
    conn.execute(
        insert(attributions).values(
            quote_id=quote_id, speaker_id=speaker_id, mention_id=mention_id, outlet_id=outlet_id,
            outlet_start=om.start if om else None, outlet_end=om.end if om else None,
            outlet_text=om.text if om else None,
            cue_start=cue.start if cue else None, cue_end=cue.end if cue else None,
            cue_text=cue.text if cue else None,
            sieve=quote.sieve, confidence=float(quote.confidence or 0.0),
            explanation=json.dumps(list(quote.explanation), ensure_ascii=False),
        )
    )
    return int(quote_id)


def _store_speaker(conn: Connection, doc_id: int, speaker: Speaker | None) -> tuple[int | None, int | None]:
    if speaker is None:
        return None, None
    speaker_id = _speaker_id(conn, speaker)
    if speaker_id is None or speaker.mention is None:
        return speaker_id, None
    m = speaker.mention
    mention_id = conn.execute(
        insert(speaker_mentions).values(
            document_id=doc_id, speaker_id=speaker_id, start=m.start, end=m.end, text=m.text,
            role=speaker.role, affiliation=speaker.affiliation,
        )
    ).inserted_primary_key[0]
    if is_name(m.text):
        _add_alias(conn, speaker_id, fold_key(m.text))
    return speaker_id, int(mention_id)


def _speaker_id(conn: Connection, speaker: Speaker) -> int | None:
    """The canonical speaker row for a name (by key or alias), created if new."""
    key = fold_key(speaker.name)
    if not key:
        return None
    found = conn.execute(
        select(speaker_aliases.c.speaker_id).where(speaker_aliases.c.alias_key == key)
    ).scalar()
    if found is None:
        found = conn.execute(select(speakers.c.id).where(speakers.c.key == key)).scalar()
    kind = speaker.type or "unknown"
    if found is None:
        found = conn.execute(
            insert(speakers).values(name=" ".join(speaker.name.split()), key=key, type=kind)
        ).inserted_primary_key[0]
        _add_alias(conn, found, key)
    elif kind != "unknown":
        conn.execute(
            update(speakers)
            .where(speakers.c.id == found, speakers.c.type == "unknown")
            .values(type=kind)
        )
    return int(found)


def _add_alias(conn: Connection, speaker_id: int, key: str) -> None:
    """Point ``key`` at the speaker unless it already names someone."""
    if not key:
        return
    taken = conn.execute(
        select(speaker_aliases.c.id).where(speaker_aliases.c.alias_key == key)
    ).scalar()
    if taken is None:
        conn.execute(insert(speaker_aliases).values(speaker_id=speaker_id, alias_key=key))


def _outlet_id(conn: Connection, outlet: Outlet | None) -> int | None:
    if outlet is None:
        return None
    key = fold_key(outlet.name)
    if not key:
        return None
    found = conn.execute(select(outlets.c.id).where(outlets.c.key == key)).scalar()
    if found is None:
        found = conn.execute(
            insert(outlets).values(name=" ".join(outlet.name.split()), key=key)
        ).inserted_primary_key[0]
    return int(found)


def _one_speaker(conn: Connection, ref: str | int) -> Any:
    ids = {row[0] for row in conn.execute(queries.speaker_ref(ref))}
    if not ids:
        raise StoreError(f"no speaker {str(ref)!r} (see `quotes speakers`)")
    if len(ids) > 1:  # pragma: no cover - keys and aliases are unique
        raise StoreError(f"{str(ref)!r} names several speakers; use an id")
    return conn.execute(select(speakers).where(speakers.c.id == ids.pop())).one()
