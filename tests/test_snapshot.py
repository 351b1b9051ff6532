"""A new SQLite store is created from migrations/sqlite_head.sql, and that file is what the
migrations build (rerun scripts/snapshot_schema.py after adding a revision)."""
from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from quotes.errors import StoreError
from quotes.store import snapshot
from quotes.store import Store, migrations_dir, script_head

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from snapshot_schema import build  # noqa: E402


# FTS5's structure record of an empty index: X'' until the index is first written,
# X'0000' after revision 0002's 'rebuild' of the (empty) quotes table; both say "no segments"
EMPTY_STRUCTURE = {"INSERT INTO \"quote_search_data\" VALUES(1,X'');",
                   "INSERT INTO \"quote_search_data\" VALUES(1,X'0000');"}


def dumped(path: str) -> list[str]:
    """Every schema object and row of a database, FTS5's own tables included (but the
    empty index's structure record)."""
    con = sqlite3.connect(path)
    try:
        con.execute("INSERT INTO quote_search(quote_search) VALUES ('integrity-check')")
        return sorted(line for line in con.iterdump() if line not in EMPTY_STRUCTURE)
    finally:
        con.close()


def test_the_shipped_snapshot_is_what_the_migrations_build():
    shipped = Path(snapshot.path(migrations_dir())).read_text(encoding="utf-8")
    assert shipped == build(), "migrations/sqlite_head.sql is stale: run scripts/snapshot_schema.py"


def test_it_is_at_the_scripts_head():
    revision, statements = snapshot.read(migrations_dir())
    assert revision == script_head(migrations_dir()) == Store("sqlite://").head()
    assert statements[-1] == f"INSERT INTO alembic_version (version_num) VALUES ('{revision}');"
    assert any(s.startswith("CREATE TRIGGER quote_search_ai") for s in statements)  # a body with ';' of its own


def test_a_new_store_from_the_snapshot_equals_a_migrated_one(tmp_path):
    migrated, fresh = str(tmp_path / "migrated.db"), str(tmp_path / "fresh.db")
    Store(migrated).upgrade("head")
    store = Store(fresh)
    store._ensure()
    assert store.current() == store.head()
    assert dumped(fresh) == dumped(migrated)


def test_a_store_from_the_snapshot_migrates_down_and_up(tmp_path):
    db = str(tmp_path / "fresh.db")
    store = Store(db)
    store._ensure()
    store.downgrade("base")
    assert store.current() is None
    store.upgrade("head")
    assert store.current() == store.head()


def test_a_stale_snapshot_is_not_used(tmp_path):
    """A snapshot of another revision than the head: the store migrates instead."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    text = (scripts / snapshot.FILE).read_text(encoding="utf-8")
    head = script_head(str(scripts))
    (scripts / snapshot.FILE).write_text(text.replace(f"revision {head}", "revision 0001", 1).replace(
        "CREATE TABLE speakers", "CREATE TABLE wrong_speakers", 1), encoding="utf-8")
    store = Store(str(tmp_path / "new.db"), script_location=str(scripts))
    store._ensure()
    assert store.current() == head
    names = {r[0] for r in store.execute("SELECT name FROM sqlite_master")}
    assert "speakers" in names and "wrong_speakers" not in names


def test_a_database_with_tables_is_migrated_not_overwritten(tmp_path):
    db = str(tmp_path / "other.db")
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE notes (x)")
    con.execute("INSERT INTO notes VALUES (1)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not a quotes database: it holds tables of its own"):
        Store(db)._ensure()  # unless told to (extract --allow-other-tables)
    store = Store(db, other_tables=True)
    store._ensure()
    assert store.current() == store.head()
    assert list(store.execute("SELECT x FROM notes")) == [(1,)]


@pytest.mark.parametrize("text, expected", [
    ("CREATE TABLE a (x);\nCREATE TABLE b (y);\n", ["CREATE TABLE a (x);", "CREATE TABLE b (y);"]),
    ("-- a comment\nCREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\nEND;\n",
     ["CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  INSERT INTO b VALUES (1);\nEND;"]),
])
def test_statements(text, expected):
    assert list(snapshot.statements(text)) == expected


def test_an_incomplete_statement_is_an_error():
    with pytest.raises(ValueError, match="incomplete"):
        list(snapshot.statements("CREATE TABLE a (x)"))
