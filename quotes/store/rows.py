"""Rows in bulk on a store's write connection: ids assigned up front, one INSERT per table and batch."""
from __future__ import annotations

from typing import Any, Iterator, Sequence

from sqlalchemy import Connection, insert, text

from .schema import (attributions, outlet_names, outlets, quote_names, quotes, speaker_aliases, speaker_links,
                     speaker_mention_keys, speaker_mentions, speaker_names, speaker_pins, speaker_tokens, speakers)


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
    "speakers": ("name", "key", "type", "document_id", "evidence"),
    "outlets": ("name", "key"),
    "speaker_aliases": ("speaker_id", "alias_key"),
    "speaker_tokens": ("token", "alias_key"),
    "speaker_mention_keys": ("key",),
    "speaker_pins": ("key",),
    "speaker_links": ("key", "speaker_id", "speaker_name", "from_name", "how", "at"),
    "outlet_names": ("key", "name", "quotes"),
}
_TABLES = {t.name: t for t in (quotes, speaker_mentions, attributions, quote_names, speaker_names, speakers,
                               outlets, speaker_aliases, speaker_tokens, speaker_mention_keys, speaker_pins,
                               speaker_links, outlet_names)}
_WITH_ID = {"quotes", "speaker_mentions", "attributions", "speaker_names", "speakers", "speaker_aliases", "outlets",
            "speaker_links", "outlet_names"}
_INSERT_SQL = {  # the writer's INSERT of each table on SQLite, ids given for tables with one
    table: (f"INSERT INTO {table} ({', '.join(chr(34) + c + chr(34) for c in names)}) "
            f"VALUES ({', '.join('?' * len(names))})")
    for table, names in ((t, (("id",) if t in _WITH_ID else ()) + cols) for t, cols in _COLUMNS.items())}


class RowWriter:
    """Inserts rows straight through the SQLite driver (elsewhere, through SQLAlchemy) inside the
    store's write transactions. What it has looked up is kept across transactions while
    ``PRAGMA data_version`` is unchanged (see :meth:`begin`); :meth:`reset` drops it."""

    def reset(self) -> None:
        self.version: int | None = None
        self.next_id: dict[str, int] = {}

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
