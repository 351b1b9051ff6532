"""Opening a quotes database: URLs, engines, connections, transactions and migrations.

A bare path means SQLite, anything with ``://`` is a SQLAlchemy URL, and ``None`` means
``$QUOTES_DB`` or ``./quotes.db``. SQLite connections use WAL, a 30 s busy timeout
(``$QUOTES_BUSY_TIMEOUT`` seconds) and enforced foreign keys; writes take the lock up front
(``BEGIN IMMEDIATE``) so concurrent extractors queue instead of deadlocking. A database
already at the head revision is recognised without importing Alembic (:func:`script_head`),
which is only loaded to migrate; a new SQLite store is created from the head-schema snapshot.

Writes go through one connection per store, kept open; what the writer has looked up
(speakers, aliases, outlets, next ids) is cached across transactions only while SQLite's
``PRAGMA data_version`` shows that no other connection has committed in between (on
other databases, for one transaction).
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
import stat
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ..errors import StoreError, shown
from .writer import _Writer

if TYPE_CHECKING:  # alembic is imported only when a database needs migrating (it costs ~0.3 s)
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

DEFAULT_DB = "quotes.db"
BACKENDS = ("sqlite", "postgresql")


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


class Database:
    """A database's connections, transactions and schema revision (the base of :class:`~quotes.store.Store`)."""

    def __init__(self, url_or_path: str | None = None, script_location: str | None = None,
                 create: bool = True, other_tables: bool = False):
        """``create``: make a new SQLite file if there is none (False: StoreError instead, for
        commands that only read). ``other_tables``: add the quotes schema to a database that
        already holds tables of its own (else StoreError: that is rarely what was meant)."""
        self.url = database_url(url_or_path)
        backend = self.url.get_backend_name()
        if backend not in BACKENDS:
            raise StoreError(f"{shown(self.url.render_as_string(hide_password=True))}: quotes stores in SQLite "
                             f"(a file path, or sqlite:///PATH) or PostgreSQL (postgresql+psycopg://...), "
                             f"not {backend}")
        self.in_memory = backend == "sqlite" and (self.url.database in (None, "", ":memory:")
                                                  or (self.url.query or {}).get("mode") == "memory")
        self.name = shown((self.url.database or ":memory:") if backend == "sqlite" else (
            self.url.render_as_string(hide_password=True)
        ))
        self.script_location = script_location or migrations_dir()
        self.create = create
        self.other_tables = other_tables
        with self._errors():
            try:
                self.engine = make_engine(self.url)
            except ImportError as e:
                raise StoreError(f"{self.name}: the {backend} driver is not installed ({e}; "
                                 f"pip install 'quotes[postgresql]')") from None
        self._ready = False
        self._wconn: Connection | None = None  # the connection writes go through
        self._writer = _Writer()
        self._evidence: bool | None = None  # the schema has revision 0005's tables
        self._origin = True  # the documents table has revision 0009's origin columns (set with _evidence)
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

            inspector = _inspect(conn)
            self._evidence = inspector.has_table("speaker_names")
            self._origin = any(c["name"] == "origin" for c in inspector.get_columns("documents"))
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
        self.check_file()
        if not self.other_tables and self._stamped() is None:
            self._refuse_foreign()
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

    def knows(self, revision: str) -> bool:
        """Whether this version of quotes has the migration ``revision`` (a newer one does not)."""
        from alembic.util.exc import CommandError

        try:
            return self._script().get_revision(revision) is not None
        except CommandError:
            return False

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

    def check_file(self) -> None:
        """For a SQLite file store: StoreError, in one line naming the file, when it cannot be
        one (a folder, a device such as /dev/null, a folder that does not exist) or, for a store
        opened with ``create=False``, when there is none. Nothing is created."""
        if self.url.get_backend_name() != "sqlite":
            return
        if self.in_memory:
            if not self.create:
                raise StoreError(f"{self.name}: an in-memory database is empty: give the store's file")
            return
        path = self.url.database
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            folder = os.path.dirname(path)
            if not self.create:
                raise StoreError(f"{self.name}: no such database file (`quotes extract ... --db "
                                 f"{self.name}` creates one)") from None
            if folder and not os.path.isdir(folder):
                raise StoreError(f"{self.name}: cannot create the database: no such folder "
                                 f"{shown(folder)}") from None
            return
        except OSError as e:
            raise StoreError(f"{self.name}: {e.strerror or e}") from None
        if stat.S_ISDIR(mode):
            raise StoreError(f"{self.name}: is a folder, not a database file")
        if not stat.S_ISREG(mode):
            kind = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode) \
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file"
            raise StoreError(f"{self.name}: not a database file ({kind})")

    def _refuse_foreign(self) -> None:
        """StoreError if the database (without quotes' schema revision) has tables of its own."""
        other = self._foreign_tables()
        if other:
            raise StoreError(f"{self.name}: not a quotes database: it holds tables of its own "
                             f"({', '.join(other[:3])}{', ...' if len(other) > 3 else ''}) and no quotes "
                             f"schema (--allow-other-tables adds the quotes tables to it)")

    def _foreign_tables(self) -> list[str]:
        """Tables of a database without quotes' schema revision (what would be mixed with ours)."""
        with self._errors(), self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                return [r[0] for r in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            from sqlalchemy import inspect as _inspect

            return sorted(_inspect(conn).get_table_names())

    def _ensure(self) -> None:
        """Migrate to head on first use. A database already at head is recognised with one
        query and a look at the migration files' names, without importing Alembic. A database
        that is not a quotes store (tables of its own, no schema revision; several revisions)
        is refused in one line, never changed."""
        if self._ready:
            return
        self.check_file()
        head = script_head(self.script_location)
        stamped = self._stamped()
        if stamped is not None and len(stamped) > 1:
            raise StoreError(f"{self.name}: not a quotes database: alembic_version holds "
                             f"{len(stamped)} revisions ({', '.join(map(str, stamped[:3])) or 'none'}), "
                             f"a quotes store one")
        if stamped is None and not self.other_tables:
            self._refuse_foreign()
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
