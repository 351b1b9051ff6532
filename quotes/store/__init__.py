"""The quotes database: whole documents per transaction, streaming reads.

``Store(path_or_url)`` opens (and on first use migrates to head) a database;
a bare path means SQLite, anything with ``://`` is a SQLAlchemy URL, and
``None`` means ``$QUOTES_DB`` or ``./quotes.db``. SQLite connections use WAL,
a 30 s busy timeout (``$QUOTES_BUSY_TIMEOUT`` seconds) and enforced foreign keys; writes take the lock up front
(``BEGIN IMMEDIATE``) so concurrent extractors queue instead of deadlocking.

``add`` writes a document in a transaction, ``add_many`` several in one; ``write_batch``
(what ``quotes extract`` uses) writes several in one transaction, each in a SAVEPOINT of its
own, so one that fails is rolled back alone, with the rows and ids one ``add`` each would
write. A database already at the head revision is recognised without importing Alembic
(:func:`script_head`), which is only loaded to migrate.

Writes go through one connection per store, kept open; what the writer has looked up
(speakers, aliases, outlets, next ids) is cached across transactions only while SQLite's
``PRAGMA data_version`` shows that no other connection has committed in between (on
other databases, for one transaction).

Canonical speakers are a function of what has been stored, not of the order it arrived in
(issue #4; :class:`_Writer`): every multi-word name key ("nicolas maduro") is a speaker;
a one-word key ("maduro", from a name or a name-like mention) belongs to the one full-name
speaker one of whose words it is, or, when there is none or several ("kim" for Kim Jong-un
and Kim Yong-nam), is a speaker of its own if some quote was given that name, else no
one's alias. A speaker is called by the most frequent spelling of its key (ties: the
smallest string), and typed by its most frequent known type. ``speakers merge`` pins the
merged keys where it put them.
"""
from __future__ import annotations

import datetime as _dt
import functools
import itertools
import json
import logging
import os
import re
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from . import queries
from ..errors import StoreError
from .keys import fold_key, is_name, key_words, surname_like
from .schema import (attributions, documents, outlets, quote_names, quotes, speaker_aliases, speaker_mentions,
                     speaker_mention_keys, speaker_names, speaker_pins, speaker_tokens, speakers)
from ..types import Document, Outlet, Quote, Span, Speaker

if TYPE_CHECKING:  # alembic is imported only when a database needs migrating (it costs ~0.3 s)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

DEFAULT_DB = "quotes.db"
BATCH_DOCUMENTS = 200  # `extract`: documents per write transaction at most ($QUOTES_BATCH)
BATCH_SECONDS = 0.5  # ... and a batch is written once its first document has waited this long
BATCH_IDLE = 20  # `extract --workers`: or once it has this many while the workers are still busy


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


PG_WRITE_LOCK = 0x71756F746573  # "quotes": the advisory lock key of write transactions


def _lock_writes_up_front(engine: Engine) -> None:
    """PostgreSQL's BEGIN IMMEDIATE: a write transaction first takes one transaction-level
    advisory lock, so concurrent writers (and migrations) queue instead of racing on the
    speaker/outlet/document uniqueness checks; reads never wait for it."""

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("quotes_write"):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


def _wal(cursor: Any) -> None:
    """``PRAGMA journal_mode = WAL``, waiting as long as the busy timeout allows. Switching a
    new database to WAL needs it to be unlocked for a moment, and SQLite answers "database is
    locked" at once, without its busy handler, while another process holds a lock on it (two
    ``quotes extract`` runs creating one store)."""
    deadline = time.monotonic() + busy_timeout_ms() / 1000
    pause = 0.001
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(0.05, pause * 2)


def make_engine(url: URL, foreign_keys: bool = True) -> Engine:
    """An Engine; for SQLite with the pragmas above and explicit BEGINs."""
    is_sqlite = url.get_backend_name() == "sqlite"
    # SQLAlchemy's default pools: for a SQLite file a QueuePool, so a store opens its connection
    # (and runs the PRAGMAs below) once, not once per statement; no connection is ever used in
    # a forked child (`--workers` children only extract; the parent alone writes).
    engine = create_engine(url)
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
            _wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")  # WAL: safe from crashes, no fsync per commit
        cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA cache_size = -65536")  # up to 64 MB of pages, allocated as used
        cursor.execute("PRAGMA temp_store = MEMORY")  # sorts and temporary indexes off the disk
        if not in_memory:
            # bulk loads: checkpoint (copy the WAL into the database, fsync) every ~100 MB of WAL
            # instead of every 4 MB: fewer fsyncs, and a page written again and again (the leaves
            # of the speaker index, ~900 a transaction at a million quotes) is copied once per
            # checkpoint (bytes written, WAL and checkpoints, per byte of WAL at a million quotes:
            # ~1.45 every 10,000 pages, ~1.25 every 25,000); the file is given back down to 128 MB
            # after a checkpoint
            cursor.execute("PRAGMA wal_autocheckpoint = 25000")
            cursor.execute("PRAGMA journal_size_limit = 134217728")
            # reads map the file instead of copying each page out of the OS cache (`list
            # --speaker` reads a few random pages per quote: half the time at a million quotes);
            # SQLite caps it at its compile-time maximum (2 GB here)
            cursor.execute("PRAGMA mmap_size = 4294967296")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("quotes_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


_REVISION = re.compile(r"""^revision\s*(?::[^=]*)?=\s*['"]([^'"]+)['"]\s*$""", re.M)
_DOWN = re.compile(r"""^down_revision\s*(?::[^=]*)?=\s*(None|['"]([^'"]+)['"])\s*$""", re.M)
_HEADS: dict[str, tuple[tuple[tuple[str, float], ...], str | None]] = {}


def script_head(script_location: str) -> str | None:
    """The head revision of a migrations directory, read from the version files with two
    regular expressions (what ``alembic`` would say, in a millisecond instead of ~0.3 s of
    imports). None when the files are not a simple chain of plain ``revision = "..."`` /
    ``down_revision = "..."`` assignments (the caller then asks Alembic)."""
    versions = os.path.join(script_location, "versions")
    try:
        files = tuple(sorted((n, os.stat(os.path.join(versions, n)).st_mtime) for n in os.listdir(versions)
                             if n.endswith(".py") and not n.startswith("_")))
    except OSError:
        return None
    cached = _HEADS.get(versions)
    if cached is not None and cached[0] == files:
        return cached[1]
    revisions: set[str] = set()
    downs: set[str] = set()
    head: str | None = None
    try:
        for name, _ in files:
            with open(os.path.join(versions, name), encoding="utf-8") as fh:
                source = fh.read()
            rev, down = _REVISION.findall(source), _DOWN.findall(source)
            if len(rev) != 1 or len(down) != 1 or rev[0] in revisions:
                break
            revisions.add(rev[0])
            if down[0][0] != "None":
                downs.add(down[0][1])
        else:
            heads = revisions - downs
            if len(heads) == 1 and downs <= revisions and len(downs) == len(revisions) - 1:
                head = heads.pop()
    except (OSError, UnicodeDecodeError):
        head = None
    _HEADS[versions] = (files, head)
    return head


@dataclass(frozen=True)
class Written:
    """What :meth:`Store.write_batch` did with one document: its id, whether it was added now
    (False: already stored) and its new quotes' ids; or, when it could not be stored, why."""

    document_id: int | None
    added: bool = False
    quote_ids: tuple[int, ...] = ()
    error: Exception | None = None


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
        self._wconn: Connection | None = None  # the connection writes go through
        self._writer = _Writer()
        self._evidence: bool | None = None  # the schema has revision 0005's tables
        self._last_ids: tuple[int, list[int]] | None = None  # the quote ids of the last add()
        self._found: dict[tuple[str, str], int | None] = {}  # find_document's recent answers

    # ------------------------------------------------------------ plumbing

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn driver errors into a one-line StoreError naming the database."""
        try:
            yield
        except (SQLAlchemyError, sqlite3.Error) as e:  # sqlite3: the writer's direct statements
            reason = " ".join(str(getattr(e, "orig", None) or e).split())
            raise StoreError(f"{self.name}: {reason}") from e

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction on the store's write connection. On any failure the
        transaction rolls back, the writer's caches are dropped and the connection is
        closed (the next write opens a fresh one)."""
        self._ensure()
        with self._errors():
            if self._wconn is None:
                self._wconn = self.engine.connect().execution_options(quotes_write=True)
            conn = self._wconn
            try:
                with conn.begin():
                    self._writer.begin(conn)
                    yield conn
            except BaseException:
                self._writer.reset()
                self._wconn = None
                try:
                    conn.close()
                except (SQLAlchemyError, sqlite3.Error):  # pragma: no cover - a broken connection
                    conn.invalidate()
                raise

    def _has_evidence(self, conn: Connection) -> bool:
        """Whether the schema has revision 0005's speaker tables (a store kept at an older
        revision is written the old way: first spelling and first claim win)."""
        if self._evidence is None:
            from sqlalchemy import inspect as _inspect

            self._evidence = _inspect(conn).has_table("speaker_names")
            self._writer.defer_search = conn.dialect.name == "sqlite" and conn.exec_driver_sql(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'quote_search_ai' "
                "AND sql LIKE '%quote_search_deferred%'").scalar() > 0
        return self._evidence

    def _rows(self, stmt: Any) -> Iterator[Any]:
        """Stream the rows of a SELECT; the connection closes when exhausted."""
        self._ensure()
        with self._errors(), self.engine.connect() as conn:
            yield from conn.execution_options(yield_per=500).execute(stmt)

    def _raw_rows(self, sql: str, params: Sequence[Any]) -> Iterator[tuple]:
        """Stream the rows of a plain SELECT run on a pooled connection's SQLite driver (tuples,
        none of a SQLAlchemy result's per-row work); the connection goes back when exhausted."""
        self._ensure()
        with self._errors(), self.engine.connect() as conn:
            cursor = conn.connection.driver_connection.execute(sql, params)
            try:
                while rows := cursor.fetchmany(500):
                    yield from rows
            finally:
                cursor.close()

    def _first(self, stmt: Any, params: dict[str, Any] | None = None) -> Any:
        """The first row of a SELECT, or None."""
        self._ensure()
        with self._errors(), self.engine.connect() as conn:
            return conn.execute(stmt, params).first()

    def close(self) -> None:
        conn, self._wconn = self._wconn, None
        if conn is not None:
            conn.close()
        self._writer.reset()
        self.engine.dispose()

    # ---------------------------------------------------------- migrations

    def _config(self) -> Config:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", self.script_location.replace("%", "%%"))
        url = self.url.render_as_string(hide_password=False).replace("%", "%%")
        cfg.set_main_option("sqlalchemy.url", url)
        return cfg

    def _script(self) -> ScriptDirectory:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self._config())

    def head(self) -> str | None:
        return self._script().get_current_head()

    def current(self) -> str | None:
        """The database's Alembic revision (None for an empty database)."""
        from alembic.migration import MigrationContext

        with self._errors(), self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def _migrate(self, action: str, revision: str) -> None:
        """Run an Alembic upgrade/downgrade in one write transaction.

        Foreign keys are off on this connection: batch-mode table rebuilds
        drop and recreate tables, which must not cascade into child rows.
        """
        from alembic import command
        from alembic.util.exc import CommandError

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
        self._evidence = None
        self._writer.reset()

    def downgrade(self, revision: str) -> None:
        self._found.clear()
        self._check_known()
        log.info("downgrading %s to %s", self.name, revision)
        self._migrate("downgrade", revision)
        self._ready = False
        self._evidence = None
        self._writer.reset()

    def _check_known(self) -> None:
        from alembic.util.exc import CommandError

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

    def _stamped(self) -> list[str] | None:
        """The revisions in ``alembic_version`` read with one plain query (None: no such table)."""
        with self._errors(), self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                has = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                           "AND name = 'alembic_version'").first() is not None
            else:
                from sqlalchemy import inspect as _inspect

                has = _inspect(conn).has_table("alembic_version")
            if not has:
                return None
            return [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]

    def _ensure(self) -> None:
        """Migrate to head on first use. A database already at head is recognised with one
        query and a look at the migration files' names, without importing Alembic."""
        if self._ready:
            return
        head = script_head(self.script_location)
        stamped = None if head is None else self._stamped()
        if head is None or stamped != [head]:
            if not (stamped is None and self._from_snapshot(head)) and self.current() != self.head():
                self.upgrade("head")
        self._ready = True

    def _from_snapshot(self, head: str | None) -> bool:
        """Create a new SQLite store's schema from the head snapshot (see :mod:`quotes.store.snapshot`)."""
        if head is None or self.url.get_backend_name() != "sqlite":
            return False
        from . import snapshot

        with self._errors(), self.engine.connect() as conn:
            done = snapshot.create(conn.connection.driver_connection, self.script_location, head)
        if done:
            log.info("created %s at revision %s from %s", self.name, head, snapshot.FILE)
        return done

    # --------------------------------------------------------------- writes

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
            for n in todo:
                try:
                    with self._write() as conn:
                        result, ids = self._add_in(conn, [items[n]], engine)
                    done[n] = Written(result[0][0], result[0][1], tuple(ids))
                    self._added([items[n]], result, ids)
                except Exception as e1:  # noqa: BLE001 - reported per document by the caller
                    done[n] = Written(None, error=self._document_error(items[n][0], e1))
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
        the document ("q.db: a.txt: database is locked"); other exceptions as they are."""
        cause = e.__cause__ if isinstance(e, StoreError) else e
        if not isinstance(cause, (SQLAlchemyError, sqlite3.Error)):
            return e
        reason = " ".join(str(getattr(cause, "orig", None) or cause).split())
        return StoreError(f"{self.name}: {document.source}: {reason}")

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
        if legacy or conn.dialect.name != "sqlite":  # an old schema may lack a column: one by one
            return [int(conn.execute(insert(documents).values(**_document_row(d, engine))).inserted_primary_key[0])
                    for d in docs]
        now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        raw = conn.connection.driver_connection
        first = self._writer._ids("documents", len(docs))[0]  # cached between transactions
        raw.executemany(
            "INSERT INTO documents (id, path, url, external_id, sha256, title, publisher, date, author, text, "
            "engine, extracted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(first + i, d.source, d.url, d.external_id, d.sha256, d.title, d.publisher, d.date, d.author,
              d.text, engine, now) for i, d in enumerate(docs)])
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
        if speaker is not None:
            speaker_ids = self.speaker_ids(speaker)
            if not speaker_ids:
                return
            if outlet is None and document is None and kind is None and ids is None \
                    and self.url.get_backend_name() == "sqlite":  # `list --speaker`: the driver's rows
                yield from map(queries.quote_dict, self._raw_rows(*queries.speaker_quotes_sql(speaker_ids)))
                return
            stmt = queries.filter_quotes(queries.speaker_quotes(speaker_ids), None, outlet, document, kind, ids)
        else:
            stmt = queries.filter_quotes(queries.quote_select(), None, outlet, document, kind, ids)
        for row in self._rows(stmt):
            yield queries.quote_dict(row)

    def speaker_ids(self, query: str) -> list[int]:
        """The speakers a ``--speaker`` query names: what the indexes find (exact key or alias,
        every word in one of a speaker's keys), else what a scan of names and aliases finds."""
        self._ensure()
        if self._evidence is None:
            with self._errors(), self.engine.connect() as conn:
                self._has_evidence(conn)
        found: set[int] = set()
        indexed = queries.speaker_ids_indexed_text(query)
        if indexed is None:
            return []
        if self._evidence:  # revision 0005's word index (a store kept at an older one: scan)
            with self._errors(), self.engine.connect() as conn:
                found = {int(r[0]) for r in conn.execute(*indexed)}
        if not found:
            found = {int(r[0]) for r in self._rows(queries.speaker_ids_scanned(query))}
        return sorted(found)

    def quote_ids(self, document_id: int) -> list[int]:
        """Ids of a document's quotes in the order they were stored."""
        if self._last_ids is not None and self._last_ids[0] == document_id:
            return list(self._last_ids[1])  # just written by add(): no query
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


_NO_SPAN = (None, None, None)  # an attribution's (start, end, text) of a span it does not have


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


def _document_row(document: Document, engine: str) -> dict[str, Any]:
    """The documents row of one document. Columns left empty are left out of the INSERT, so a
    store whose schema predates an optional column (an old revision) still takes the row."""
    row = dict(path=document.source, url=document.url, external_id=document.external_id,
               sha256=document.sha256, title=document.title, publisher=document.publisher,
               date=document.date, author=document.author, text=document.text, engine=engine,
               extracted_at=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))
    return {k: v for k, v in row.items() if v is not None}


_DOCUMENT_BY_PATH = text("SELECT id FROM documents WHERE path = :p AND sha256 = :h")
_DOCUMENT_BY_PATH_SQL = "SELECT id FROM documents WHERE path = ? AND sha256 = ?"


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


_COLUMNS = {
    "quotes": ("document_id", "start", "end", "content_start", "content_end", "text", "kind", "closed"),
    "speaker_mentions": ("document_id", "speaker_id", "start", "end", "text", "role", "affiliation"),
    "attributions": ("quote_id", "speaker_id", "mention_id", "outlet_id", "outlet_start", "outlet_end",
                     "outlet_text", "cue_start", "cue_end", "cue_text", "sieve", "confidence", "explanation"),
    "quote_names": ("quote_id", "name_id"),
    "speaker_names": ("key", "name", "type"),
    "speakers": ("name", "key", "type"),
    "outlets": ("name", "key"),
    "speaker_aliases": ("speaker_id", "alias_key"),
    "speaker_tokens": ("token", "alias_key"),
    "speaker_mention_keys": ("key",),
    "speaker_pins": ("key",),
}
_TABLES = {t.name: t for t in (quotes, speaker_mentions, attributions, quote_names, speaker_names, speakers,
                               outlets, speaker_aliases, speaker_tokens, speaker_mention_keys, speaker_pins)}
_WITH_ID = {"quotes", "speaker_mentions", "attributions", "speaker_names", "speakers", "speaker_aliases", "outlets"}
_INSERT_SQL = {  # the writer's INSERT of each table on SQLite, ids given for tables with one
    table: (f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in names)}) "
            f"VALUES ({', '.join('?' * len(names))})")
    for table, names in ((t, (("id",) if t in _WITH_ID else ()) + cols) for t, cols in _COLUMNS.items())}


class _Writer:
    """Writes quotes in bulk and resolves their speakers, inside the store's write transactions.

    Caches mirror the database (every write goes through them too). On SQLite they are kept
    across transactions while ``PRAGMA data_version`` is unchanged, i.e. while no other
    connection has committed; otherwise, and on any failure, they are dropped.

    Resolution (see the module docstring) is maintained incrementally: a new multi-word name
    key is a new speaker, and every one-word key among its words that has been seen is
    re-settled (it may now join it, or, ambiguous, leave the one it had joined); a new one-word
    key is settled once. Moving a one-word key's quotes uses ``quote_names``.
    """

    def __init__(self) -> None:
        self.version: int | None = None
        self.defer_search = False  # index quotes in one statement per batch (revision 0005's trigger)
        self.named_cache: dict[int, Any] = {}  # begin_batch: id(quotes of a document) -> _named(them)
        self.reset()

    def reset(self) -> None:
        self.version = None
        self.alias: dict[str, int | None] = {}  # alias key -> speaker id (None: no alias row)
        self.root: dict[int, str] = {}  # speaker id -> speakers.key
        self.canon: dict[int, tuple[str, str]] = {}  # speaker id -> stored (name, type)
        # key -> {(name, type): [id, quotes]}; quotes None: not counted (needed, and counted from
        # quote_names, only once a key has several spellings)
        self.spell: dict[str, dict[tuple[str, str], list[Any]]] = {}
        self.mentioned: set[str] = set()  # in speaker_mention_keys
        self.pinned: set[str] = set()  # in speaker_pins
        self.primed: set[str] = set()  # keys whose alias/spellings/mention/pin state is cached
        self.outlet: dict[str, int] = {}
        self.next_id: dict[str, int] = {}
        self.batch_search: int | None = None  # begin_batch: the first quote id end_batch indexes

    def begin(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        if not self.sqlite:
            self.reset()
            return
        # statements of the hot path go straight to the driver (same connection, same
        # transaction): SQLAlchemy's per-statement work was most of a small document's cost
        self.raw = conn.connection.driver_connection
        version = self.raw.execute("PRAGMA data_version").fetchone()[0]
        if version != self.version:
            self.reset()
            self.version = version

    # ------------------------------------------------------------ rows
    def _next(self, table: str) -> int:
        """The id SQLite will take for the next row of table."""
        first = self.next_id.get(table)
        if first is None:
            first = self.next_id[table] = (self.raw.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0) + 1
        return first

    def _ids(self, table: str, n: int) -> list[int]:
        """The ids SQLite will take for the next n rows (we hold the write lock and set them)."""
        first = self.next_id.get(table)
        if first is None:
            first = (self.raw.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0) + 1
        self.next_id[table] = first + n
        return list(range(first, first + n))

    def _insert(self, table: str, rows: list[tuple]) -> list[int]:
        """Insert rows (tuples in _COLUMNS order); their ids in order for tables with one."""
        if not rows:
            return []
        cols = _COLUMNS[table]
        with_id = table in _WITH_ID
        if self.sqlite:
            ids = self._ids(table, len(rows)) if with_id else []
            self.raw.executemany(_INSERT_SQL[table], [(i, *r) for i, r in zip(ids, rows)] if with_id else rows)
            return ids
        t = _TABLES[table]
        params = [dict(zip(cols, r)) for r in rows]
        if not with_id:
            self.conn.execute(insert(t), params)
            return []
        return [r[0] for r in self.conn.execute(insert(t).returning(t.c.id, sort_by_parameter_order=True),
                                                params)]

    def _run(self, sql: str, **params: Any) -> Any:
        if self.sqlite:  # sqlite3 takes the same :named parameters, without statement building
            return self.raw.execute(sql, params)
        return self.conn.execute(text(sql), params)

    # ------------------------------------------------------------ cache
    def _fetch(self, sql: str, args: Sequence[Any]) -> list[Any]:
        """Rows of a plain SELECT with ``?`` placeholders (SQLite: straight to the driver, no
        statement building; elsewhere as a text() statement with named parameters)."""
        if self.sqlite:
            return self.raw.execute(sql, tuple(args)).fetchall()
        parts = sql.split("?")
        named = parts[0] + "".join(f":p{i}{part}" for i, part in enumerate(parts[1:]))
        return self.conn.execute(text(named), {f"p{i}": v for i, v in enumerate(args)}).fetchall()

    def _prime(self, keys: Iterable[str]) -> None:
        """Load what the database knows of these keys: one query per 200 keys."""
        todo = sorted(set(keys) - self.primed)
        for chunk in _chunks(todo, 200):
            ks = list(chunk)
            marks = ", ".join("?" * len(ks))
            rows = self._fetch(
                f"SELECT 'a', alias_key, speaker_id, NULL, NULL FROM speaker_aliases WHERE alias_key IN ({marks}) "
                f"UNION ALL SELECT 'n', key, id, name, type FROM speaker_names WHERE key IN ({marks}) "
                f"UNION ALL SELECT 'm', key, NULL, NULL, NULL FROM speaker_mention_keys WHERE key IN ({marks}) "
                f"UNION ALL SELECT 'p', key, NULL, NULL, NULL FROM speaker_pins WHERE key IN ({marks})", ks * 4)
            for k in ks:
                self.alias[k] = None
                self.spell[k] = {}
            for what, key, i, name, kind in rows:
                if what == "a":
                    self.alias[key] = i
                elif what == "n":
                    self.spell[key][(name, kind)] = [i, None]
                elif what == "m":
                    self.mentioned.add(key)
                else:
                    self.pinned.add(key)
            self._load_speakers(self.alias[k] for k in ks)
            self.primed.update(ks)

    def _load_speakers(self, ids: Iterable[int | None]) -> None:
        todo = sorted({i for i in ids if i is not None and i not in self.root})
        for chunk in _chunks(todo):
            for sid, key, name, kind in self._fetch(
                    f"SELECT id, key, name, type FROM speakers WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                self.root[sid] = key
                self.canon[sid] = (name, kind)

    # ------------------------------------------------------------ speakers
    def _new_speaker(self, key: str) -> int:
        return self._new_speakers([key])[0]

    def _new_speakers(self, keys: list[str]) -> list[int]:
        """Speakers whose roots are these keys (none of them an alias yet), named and typed
        from the keys' spellings as far as they are known; alias key -> its speaker."""
        best = [self._best(k) or (k, "unknown") for k in keys]
        ids = self._insert("speakers", [(name, k, kind) for k, (name, kind) in zip(keys, best)])
        for sid, k, b in zip(ids, keys, best):
            self.root[sid] = k
            self.canon[sid] = b
        self._insert("speaker_aliases", [(sid, k) for sid, k in zip(ids, keys)])
        self._add_tokens(keys)
        for sid, k in zip(ids, keys):
            self.alias[k] = sid
        return ids

    def _add_tokens(self, keys: list[str]) -> None:
        rows = [(w, k) for k in keys for w in key_words(k)]
        if not rows:
            return
        if self.sqlite:  # a token row may outlive an alias of an older revision
            self.raw.executemany("INSERT OR IGNORE INTO speaker_tokens (token, alias_key) VALUES (?, ?)", rows)
        else:
            self.conn.execute(text("DELETE FROM speaker_tokens WHERE alias_key = :k"),
                              [{"k": k} for k in dict.fromkeys(k for _, k in rows)])
            self._insert("speaker_tokens", rows)

    def _set_alias(self, key: str, sid: int) -> None:
        cur = self.alias.get(key)
        if cur is None:
            self._insert("speaker_aliases", [(sid, key)])
            self._add_tokens([key])
        elif cur != sid:
            self._run("UPDATE speaker_aliases SET speaker_id = :s WHERE alias_key = :k", s=sid, k=key)
        self.alias[key] = sid

    def _candidates(self, words: Iterable[str]) -> dict[str, set[int]]:
        """word -> the speakers one of whose multi-word alias keys has that word."""
        out: dict[str, set[int]] = {}
        for chunk in _chunks(sorted(set(words))):
            for word, sid in self._fetch(
                    "SELECT t.token, a.speaker_id FROM speaker_tokens t JOIN speaker_aliases a "
                    f"ON a.alias_key = t.alias_key WHERE t.token IN ({', '.join('?' * len(chunk))})", chunk):
                out.setdefault(word, set()).add(sid)
        return out

    def _settle(self, key: str, candidates: set[int], touched: set[str]) -> None:
        """Put a one-word key where the rules say: in the one full-name speaker containing it,
        else in a speaker of its own if it is a name some quote had, else nowhere."""
        if key in self.pinned:
            return
        named = bool(self.spell.get(key))
        cur = self.alias.get(key)
        self._load_speakers([cur])
        own = cur is not None and self.root[cur] == key  # key is the root of its speaker
        target = next(iter(candidates)) if len(candidates) == 1 and surname_like(key) else None
        if target is not None:
            if cur == target:
                return
            if own:
                self._fold(cur, target)  # the key's own speaker joins the full name
            elif cur is not None:
                self._move_key(key, cur, target)
                self._set_alias(key, target)
            else:
                self._set_alias(key, target)
            return
        if not named:  # a mention word only: an alias of no one now
            if cur is not None and not own:
                self._run("DELETE FROM speaker_aliases WHERE alias_key = :k", k=key)
                self.alias[key] = None
            return
        if cur is None:
            self._new_speaker(key)
            touched.add(key)
        elif not own:  # it had joined a full name that no longer is the only one: split it off
            src = cur
            best = self._best(key) or (key, "unknown")
            sid = self._insert("speakers", [(best[0], key, best[1])])[0]
            self.root[sid] = key
            self.canon[sid] = best
            self._move_key(key, src, sid)
            self._set_alias(key, sid)
            touched.add(key)

    def _move_key(self, key: str, src: int, dst: int) -> None:
        """Move the quotes (and their mentions) whose speaker was named ``key`` from src to dst:
        src's quotes (its index) whose name has that key (``quote_names`` by quote id)."""
        self._run(_MOVE_MENTIONS_SQL, d=dst, s=src, k=key)
        self._run(_MOVE_ATTRIBUTIONS_SQL, d=dst, s=src, k=key)

    def _fold(self, src: int, dst: int) -> None:
        if self.sqlite:
            self.raw.execute("UPDATE speaker_aliases SET speaker_id = ? WHERE speaker_id = ?", (dst, src))
            self.raw.execute(_FOLD_MENTIONS_SQL, (dst, src))
            self.raw.execute("UPDATE attributions SET speaker_id = ? WHERE speaker_id = ?", (dst, src))
            self.raw.execute("DELETE FROM speakers WHERE id = ?", (src,))
        else:
            _fold(self.conn, src, dst)
        for k, v in self.alias.items():
            if v == src:
                self.alias[k] = dst
        self.root.pop(src, None)
        self.canon.pop(src, None)

    def _count(self, keys: Iterable[str]) -> None:
        """Count the stored quotes of every uncounted spelling of these keys that have several.

        A key's quotes all have the key's speaker (they are given it when stored, and moved
        with the key), so they are counted among that speaker's quotes (its index), not
        by a scan of every quote's name."""
        todo: dict[int | None, list[list[Any]]] = {}  # speaker -> spelling entries
        for k in keys:
            entries = self.spell.get(k) or {}
            if len(entries) > 1:
                todo.setdefault(self.alias.get(k), []).extend(e for e in entries.values() if e[1] is None)
        for sid, entries in todo.items():
            for chunk in _chunks(entries):
                marks = ", ".join("?" * len(chunk))
                if sid is None:  # pragma: no cover - a named key always has a speaker
                    rows = self._fetch(f"SELECT name_id, count(*) FROM quote_names WHERE name_id IN ({marks}) "
                                       "GROUP BY name_id", [e[0] for e in chunk])
                else:
                    rows = self._fetch(_COUNT_NAMES_SQL.format(marks), [sid] + [e[0] for e in chunk])
                counts = dict(rows)
                for e in chunk:
                    e[1] = counts.get(e[0], 0)

    def _best(self, key: str) -> tuple[str, str] | None:
        """(name, type) of the speaker whose root is key: its most frequent spelling (ties: the
        smallest) and most frequent known type (ties: the smallest; none known: unknown)."""
        spellings = self.spell.get(key)
        if not spellings:
            return None
        if len(spellings) == 1:
            return next(iter(spellings))
        self._count([key])
        names: dict[str, int] = {}
        kinds: dict[str, int] = {}
        for (name, kind), (_, n) in spellings.items():
            names[name] = names.get(name, 0) + n
            if kind != "unknown":
                kinds[kind] = kinds.get(kind, 0) + n
        return (min(names, key=lambda x: (-names[x], x)),
                min(kinds, key=lambda x: (-kinds[x], x)) if kinds else "unknown")

    def _canonicalise(self, keys: Iterable[str]) -> None:
        """Name and type each speaker whose root is one of keys from its root's spellings."""
        keys = sorted(set(keys))
        self._count(keys)
        for key in keys:
            sid = self.alias.get(key)
            if sid is None or self.root.get(sid) != key or not self.spell.get(key):
                continue
            best = self._best(key)
            if self.canon.get(sid) != best:
                self._run("UPDATE speakers SET name = :n, type = :t WHERE id = :i", n=best[0], t=best[1], i=sid)
                self.canon[sid] = best

    def resolve(self, named: dict[str, dict[tuple[str, str], int]], mentions: set[str]) -> None:
        """Bring the speakers up to date with a batch's spellings ({key: {(name, type): quotes}})
        and one-word mention keys; afterwards ``alias[key]`` is each name key's speaker."""
        self._prime(set(named) | mentions)
        new_multi = [k for k in named if not self.spell[k] and len(k.split()) > 1]  # in order of appearance
        new_single = {k for k in named if not self.spell[k] and len(k.split()) == 1}
        new_mentions = sorted(mentions - self.mentioned)
        # the batch's spellings: counts now, rows for new ones (ids assigned below)
        touched = set()  # keys whose speaker's name or type may change
        fresh: list[tuple[str, str, str, list[Any]]] = []
        for key, spellings in named.items():
            entries = self.spell[key]
            for spelling in spellings:
                if spelling not in entries:
                    entries[spelling] = entry = [None, 0]
                    fresh.append((key, spelling[0], spelling[1], entry))
                    touched.add(key)
            if len(entries) > 1:
                touched.add(key)
        self._count(touched)  # before this batch's quotes are added in
        for key, spellings in named.items():
            entries = self.spell[key]
            for spelling, n in spellings.items():
                entry = entries[spelling]
                if entry[1] is not None:
                    entry[1] = entry[1] + n if key in touched else None  # untouched: one spelling
        self._new_speakers([k for k in new_multi if self.alias[k] is None])
        words = {w for k in new_multi for w in _surname_words(k)}
        self._prime(words)
        if new_mentions:
            self._insert("speaker_mention_keys", [(k,) for k in new_mentions])
            self.mentioned.update(new_mentions)
        settle = new_single | set(new_mentions) | {w for w in words if self.spell[w] or w in self.mentioned}
        if settle:
            candidates = self._candidates(settle)
            for key in sorted(settle):
                self._settle(key, candidates.get(key, set()), touched)
        ids = self._insert("speaker_names", [(key, name, kind) for key, name, kind, _ in fresh])
        for (_, _, _, entry), i in zip(fresh, ids):
            entry[0] = i
        self._canonicalise(touched)

    def merge(self, other: Any, keep: Any) -> None:
        """``speakers merge``: fold OTHER into KEEP and pin OTHER's keys there; one-word keys
        that now have one full name to join are settled again."""
        self.reset()
        keys = [r[0] for r in self.conn.execute(select(speaker_aliases.c.alias_key)
                                                .where(speaker_aliases.c.speaker_id == other.id))]
        keys = sorted(set(keys) | {other.key})
        self._prime(keys + [keep.key])
        if self.alias.get(other.key) is None:
            self._set_alias(other.key, other.id)
        new_pins = [k for k in keys if k not in self.pinned]
        self._insert("speaker_pins", [(k,) for k in new_pins])
        self.pinned.update(new_pins)
        self._fold(other.id, keep.id)
        multi = [r[0] for r in self.conn.execute(select(speaker_aliases.c.alias_key)
                                                 .where(speaker_aliases.c.speaker_id == keep.id))]
        words = {w for k in multi for w in key_words(k) if surname_like(w)}
        self._prime(words)
        settle = {w for w in words if self.spell[w] or w in self.mentioned}
        touched: set[str] = set()
        candidates = self._candidates(settle)
        for key in sorted(settle):
            self._settle(key, candidates.get(key, set()), touched)
        self._canonicalise(touched)
        self.reset()

    # ------------------------------------------------------------ quotes
    @staticmethod
    def _named(found: Iterable[Quote]) -> tuple[dict[str, dict[tuple[str, str], int]], set[str],
                                                list[tuple[str, tuple[str, str]] | None]]:
        """The speakers quotes give: ({key: {(name, type): quotes}}, one-word mention keys,
        each quote's (key, spelling) or None)."""
        named: dict[str, dict[tuple[str, str], int]] = {}
        mentions: set[str] = set()
        said: list[tuple[str, tuple[str, str]] | None] = []  # (key, spelling) of each quote's speaker
        names, mention_keys = _NAME_KEYS, _MENTION_KEYS
        if len(names) > 1 << 16 or len(mention_keys) > 1 << 16:
            names.clear()
            mention_keys.clear()
        for q in found:
            sp = q.speaker
            if sp is None:
                said.append(None)
                continue
            known = names.get(sp.name)
            if known is None:
                known = names[sp.name] = (fold_key(sp.name), " ".join(sp.name.split()))
            key = known[0]
            if not key:
                said.append(None)
                continue
            spelling = (known[1], sp.type or "unknown")
            said.append((key, spelling))
            counts = named.get(key)
            if counts is None:
                named[key] = {spelling: 1}
            else:
                counts[spelling] = counts.get(spelling, 0) + 1
            if sp.mention is not None:
                text = sp.mention.text
                mk = mention_keys.get(text)
                if mk is None:
                    mk = mention_keys[text] = _mention_key(text)
                if mk:
                    mentions.add(mk)
        return named, mentions, said

    def begin_batch(self, documents: Iterable[Sequence[Quote]]) -> None:
        """Before a batch of documents is inserted one by one in this transaction: load what
        the database knows of all their speakers' keys at once (the caches then follow every
        write, as between transactions), and index their quotes for search once, at
        :meth:`end_batch`, instead of once per document."""
        self.named_cache = {}
        named: dict[str, dict[tuple[str, str], int]] = {}
        mentions: set[str] = set()
        for found in documents:
            each = self.named_cache[id(found)] = self._named(found)
            named.update(each[0])
            mentions |= each[1]
        words = {w for k in named for w in _surname_words(k)}
        self._prime(set(named) | mentions | words)
        self.batch_search = None
        if self.defer_search:
            self.raw.execute("INSERT INTO quote_search_deferred (id) VALUES (1)")
            self.batch_search = self._next("quotes")

    def end_batch(self) -> None:
        """Index the batch's quotes for search (before its COMMIT)."""
        first, self.batch_search = self.batch_search, None
        self.named_cache = {}
        if first is not None:
            self.raw.execute("INSERT INTO quote_search (rowid, text) SELECT id, text FROM quotes WHERE id >= ?",
                             (first,))
            self.raw.execute("DELETE FROM quote_search_deferred")

    def insert(self, docs: Sequence[tuple[int, Document, Sequence[Quote]]]) -> list[int]:
        """Insert the quotes of new documents; their ids, in order."""
        found = [(doc_id, q) for doc_id, _, qs in docs for q in qs]
        if not found:
            return []
        known = self.named_cache.get(id(docs[0][2])) if len(docs) == 1 else None
        named, mentions, said = known or self._named(q for _, q in found)
        self.resolve(named, mentions)
        each = self.defer_search and self.batch_search is None  # else indexed by end_batch
        if each:  # the trigger stands aside; only this transaction ever sees the row
            self.raw.execute("INSERT INTO quote_search_deferred (id) VALUES (1)")
        quote_ids = self._insert("quotes", [
            (doc_id, q.span.start, q.span.end, q.content.start, q.content.end, q.content.text, q.kind,
             bool(q.closed)) for doc_id, q in found])
        if each:
            self.raw.execute("INSERT INTO quote_search (rowid, text) SELECT id, text FROM quotes "
                             "WHERE id BETWEEN ? AND ?", (quote_ids[0], quote_ids[-1]))
            self.raw.execute("DELETE FROM quote_search_deferred")
        alias, spell = self.alias, self.spell
        mention_rows: list[tuple] = []
        for (doc_id, q), who in zip(found, said):
            if who is not None and q.speaker.mention is not None:
                m, sp = q.speaker.mention, q.speaker
                mention_rows.append((doc_id, alias[who[0]], m.start, m.end, m.text, sp.role, sp.affiliation))
        mention_ids = iter(self._insert("speaker_mentions", mention_rows))
        rows = []
        name_rows = []
        explained: dict[tuple[str, ...], str] = {}
        outlet_id = self.outlet_id
        for (_, q), qid, who in zip(found, quote_ids, said):
            outlet, cue = q.outlet, q.cue
            if outlet is not None:
                oid, om = outlet_id(outlet), outlet.mention
                outlet_span = (om.start, om.end, om.text) if om else _NO_SPAN  # (an empty span: none)
            else:
                oid, outlet_span = None, _NO_SPAN
            why = explained.get(q.explanation)
            if why is None:
                why = explained[q.explanation] = json.dumps(list(q.explanation), ensure_ascii=False)
            if who is None:
                sid = mid = None
            else:
                sid = alias[who[0]]
                mid = next(mention_ids) if q.speaker.mention is not None else None
                name_rows.append((qid, spell[who[0]][who[1]][0]))
            rows.append((qid, sid, mid, oid, *outlet_span, *((cue.start, cue.end, cue.text) if cue else _NO_SPAN),
                         q.sieve, float(q.confidence or 0.0), why))
        self._insert("attributions", rows)
        self._insert("quote_names", name_rows)
        return quote_ids

    def outlet_id(self, outlet: Outlet | None) -> int | None:
        if outlet is None:
            return None
        key = fold_key(outlet.name)
        if not key:
            return None
        if key not in self.outlet:
            if self.sqlite:
                row = self.raw.execute("SELECT id FROM outlets WHERE key = ?", (key,)).fetchall()
                name = " ".join(outlet.name.split())
                self.outlet[key] = row[0][0] if row else self._insert("outlets", [(name, key)])[0]
            else:
                self.outlet[key] = _outlet_id(self.conn, outlet)
        return self.outlet[key]


# The writer's statements that find rows by speaker go through the one speaker index,
# attributions.speaker_id (revision 0006 dropped those of speaker_mentions and quote_names): a
# mention's speaker is its attribution's, and a quote named by key K has K's speaker.
_FOLD_MENTIONS_SQL = ("UPDATE speaker_mentions SET speaker_id = ? WHERE id IN "
                      "(SELECT mention_id FROM attributions WHERE speaker_id = ? AND mention_id IS NOT NULL)")
_NAMED_BY = ("EXISTS (SELECT 1 FROM quote_names qn JOIN speaker_names n ON n.id = qn.name_id "
             "WHERE qn.quote_id = {}.quote_id AND n.key = :k)")  # the quote's name has key :k
_MOVE_MENTIONS_SQL = ("UPDATE speaker_mentions SET speaker_id = :d WHERE id IN (SELECT a.mention_id FROM "
                      f"attributions a WHERE a.speaker_id = :s AND {_NAMED_BY.format('a')})")
_MOVE_ATTRIBUTIONS_SQL = ("UPDATE attributions SET speaker_id = :d WHERE speaker_id = :s AND "
                          f"{_NAMED_BY.format('attributions')}")
_COUNT_NAMES_SQL = ("SELECT qn.name_id, count(*) FROM attributions a JOIN quote_names qn ON qn.quote_id = a.quote_id "
                    "WHERE a.speaker_id = ? AND qn.name_id IN ({}) GROUP BY qn.name_id")  # speaker, name ids


# the writer's memos (names repeat: every quote of a batch asks): speaker name -> (key, spelling
# with whitespace collapsed); mention text -> its one-word key or ""
_NAME_KEYS: dict[str, tuple[str, str]] = {}
_MENTION_KEYS: dict[str, str] = {}


def _mention_key(text: str) -> str:
    """The one-word key a name-like mention gives ("Smith": "smith"), else ""."""
    if not is_name(text):
        return ""
    key = fold_key(text)
    return key if surname_like(key) else ""


@functools.lru_cache(maxsize=1 << 16)
def _surname_words(key: str) -> tuple[str, ...]:
    """The words of a multi-word key that may stand for it alone (none for a one-word key)."""
    return tuple(w for w in key_words(key) if surname_like(w))


def _fold(conn: Connection, src: int, dst: int) -> None:
    """Move speaker src's aliases, mentions and attributions to dst; delete src."""
    conn.execute(update(speaker_aliases).where(speaker_aliases.c.speaker_id == src).values(speaker_id=dst))
    conn.execute(update(speaker_mentions).where(speaker_mentions.c.id.in_(
        select(attributions.c.mention_id).where(attributions.c.speaker_id == src,
                                                attributions.c.mention_id.is_not(None)))).values(speaker_id=dst))
    conn.execute(update(attributions).where(attributions.c.speaker_id == src).values(speaker_id=dst))
    conn.execute(speakers.delete().where(speakers.c.id == src))


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
