"""A new SQLite store created from a snapshot of the head schema, not by replaying migrations.

Replaying every Alembic revision on an empty database costs an Alembic import and six
migrations (about 0.17 s: a one-article ``quotes extract --engine rules`` took 0.50 s
with them, 0.32 s without); Rails
loads ``schema.rb`` into a new database for the same reason. The snapshot,
``migrations/sqlite_head.sql``, is the ``sqlite_master`` of a database that Alembic
migrated to head (the statements in creation order, without the tables FTS5 makes for
itself) and the ``alembic_version`` row; ``scripts/snapshot_schema.py`` writes it and
``tests/test_snapshot.py`` fails when it no longer matches what the migrations build.
A snapshot of another revision than the scripts' head is never used: the store then
migrates as before. Databases that are not empty, and other backends, always migrate.
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
from typing import Iterator

log = logging.getLogger(__name__)

FILE = "sqlite_head.sql"
_REVISION = re.compile(r"\A-- quotes schema at revision (\S+)\n")
_FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")


def path(script_location: str) -> str:
    return os.path.join(script_location, FILE)


def dump(raw: sqlite3.Connection) -> str:
    """The snapshot of a database that Alembic migrated: a header naming its revision,
    then one statement per schema object in creation order, then the version row."""
    (revision,), = raw.execute("SELECT version_num FROM alembic_version").fetchall()
    rows = raw.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").fetchall()
    virtual = [name for kind, name, sql in rows if kind == "table" and re.match(r"CREATE VIRTUAL TABLE .* USING fts5\(", sql)]
    shadows = {f"{v}_{s}" for v in virtual for s in _FTS5_SHADOWS}
    out = [f"-- quotes schema at revision {revision}\n",
           "-- written by scripts/snapshot_schema.py from the migrations; do not edit\n"]
    out += [f"{sql};\n" for _, name, sql in rows if name not in shadows]
    out.append(f"INSERT INTO alembic_version (version_num) VALUES ('{revision}');\n")
    return "".join(out)


def read(script_location: str) -> tuple[str, list[str]] | None:
    """(revision, statements) of the shipped snapshot, or None when there is none."""
    try:
        with open(path(script_location), encoding="utf-8") as fh:
            text = fh.read()
    except OSError:
        return None
    m = _REVISION.match(text)
    if m is None:
        return None
    return m.group(1), list(statements(text[m.end():]))


def statements(text: str) -> Iterator[str]:
    """The complete SQL statements of ``text`` (a trigger's body holds semicolons of its own)."""
    pending = ""
    for line in text.splitlines(keepends=True):
        if not pending and line.startswith("--"):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        raise ValueError(f"{FILE}: an incomplete statement at the end: {pending[:60]!r}")


def create(raw: sqlite3.Connection, script_location: str, head: str) -> bool:
    """Create the head schema in an empty database from the snapshot, in one transaction.
    False (nothing done) when there is no snapshot of ``head`` or the database is not empty:
    the caller then migrates."""
    snap = read(script_location)
    if snap is None or snap[0] != head:
        if snap is not None:
            log.warning("%s is at revision %s, not the head %s: migrating instead", FILE, snap[0], head)
        return False
    raw.execute("BEGIN IMMEDIATE")  # two processes opening one new store: the second waits, then sees tables
    try:
        if raw.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None:
            raw.execute("ROLLBACK")
            return False
        for stmt in snap[1]:
            raw.execute(stmt)
        raw.execute("COMMIT")
    except BaseException:
        if raw.in_transaction:  # (SQLite may have rolled back already: a full disk, an I/O error)
            try:
                raw.execute("ROLLBACK")
            except sqlite3.Error:  # the original error is the one to report
                pass
        raise
    return True
