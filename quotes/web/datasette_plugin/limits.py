"""What one query on ``quotes serve``'s Datasette may cost, whoever wrote it.

With ``--allow-sql`` a visitor's SELECT runs on the server: ``select zeroblob(1000000000)``
grew it to 24 GB. Every connection Datasette opens on the store therefore gets:

* a time limit: Datasette's ``sql_time_limit_ms`` (:data:`TIME_LIMIT_MS`);
* no value longer than :data:`MAX_VALUE_BYTES` (SQLite's ``SQLITE_LIMIT_LENGTH``: making or
  reading a longer string or blob fails with "string or blob too big"); the plugin's own
  pages read the store on connections of their own, so articles of any length still show;
* no result larger than :data:`MAX_RESULT_BYTES` (rows are fetched one by one and counted;
  Datasette's ``max_returned_rows`` caps their number too);
* no ``load_extension`` (off in Python's sqlite3 anyway) and no ``fts3_tokenizer`` (which
  hands out a pointer into the server's memory): SQLite's authorizer refuses them.
"""
from __future__ import annotations

import sqlite3
from typing import Any, Callable

TIME_LIMIT_MS = 1000
MAX_VALUE_BYTES = 64 * 1024 * 1024
MAX_RESULT_BYTES = 100 * 1024 * 1024
MAX_ROWS = 1000
DENIED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer"})


def _authorizer(action: int, arg1: Any, arg2: Any, _db: Any, _source: Any) -> int:
    if action == sqlite3.SQLITE_FUNCTION and isinstance(arg2, str) and arg2.lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def prepare(conn: sqlite3.Connection) -> None:
    """The limits of one of Datasette's connections to the store."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.set_authorizer(_authorizer)


class ResultTooLarge(sqlite3.OperationalError):
    """A query's rows add up to more than MAX_RESULT_BYTES."""


class _Cursor:
    """A cursor that counts the bytes of the rows it hands out."""

    def __init__(self, cursor: sqlite3.Cursor, budget: int):
        self._cursor = cursor
        self._left = budget

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)

    def __iter__(self) -> Any:
        return iter(self.fetchone, None)

    def _counted(self, row: Any) -> Any:
        if row is not None:
            self._left -= sum(len(v) if isinstance(v, (str, bytes)) else 8 for v in row)
            if self._left < 0:
                raise ResultTooLarge(f"result too large: more than {MAX_RESULT_BYTES // 2 ** 20} MB "
                                     "(quotes serve's limit for one query)")
        return row

    def fetchone(self) -> Any:
        return self._counted(self._cursor.fetchone())

    def fetchmany(self, size: int | None = None) -> list[Any]:
        rows = []
        for _ in range(self._cursor.arraysize if size is None else size):
            row = self.fetchone()
            if row is None:
                break
            rows.append(row)
        return rows

    def fetchall(self) -> list[Any]:
        return list(iter(self.fetchone, None))


class _Connection:
    """A connection whose cursors count what they fetch (the rest is the connection's own)."""

    def __init__(self, conn: sqlite3.Connection, budget: int):
        self._conn = conn
        self._budget = budget

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def cursor(self, *args: Any) -> _Cursor:
        return _Cursor(self._conn.cursor(*args), self._budget)


def limit_results(database: Any, budget: int = MAX_RESULT_BYTES) -> None:
    """Make every query Datasette runs on ``database`` (a ``datasette.database.Database``)
    count the bytes of its rows: Datasette runs a query as a function of a connection through
    ``execute_fn``; the function is handed a connection whose cursors count."""
    if getattr(database, "_quotes_limited", False):
        return
    run: Callable[[Callable[[Any], Any]], Any] = database.execute_fn

    async def execute_fn(fn: Callable[[Any], Any]) -> Any:
        return await run(lambda conn: fn(_Connection(conn, budget)))

    database.execute_fn = execute_fn
    database._quotes_limited = True
