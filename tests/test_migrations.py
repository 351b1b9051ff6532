"""Alembic migrations: up and down, the schema module agrees, rows survive."""
from __future__ import annotations

import shutil
import sqlite3
import textwrap

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from conftest import corpus, expected_objects
from quotes.store.schema import metadata
from quotes.store import Store, migrations_dir

TABLES = {"documents", "speakers", "speaker_aliases", "outlets", "quotes", "speaker_mentions",
          "attributions", "speaker_names", "quote_names", "speaker_tokens", "speaker_mention_keys", "speaker_pins",
          "speaker_links", "outlet_names", "outlet_links"}
EVIDENCE = {"speaker_names", "quote_names", "speaker_tokens", "speaker_mention_keys", "speaker_pins"}  # 0005
LATER = {"speaker_links", "outlet_names", "outlet_links"}  # 0007, 0008, 0010
SEARCH = "quote_search"  # revision 0002: FTS5 index (and its shadow tables), not in quotes.store.schema


def tables(path: str) -> set[str]:
    con = sqlite3.connect(path)
    names = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
    con.close()
    return {n for n in names if not n.startswith(SEARCH)} - {"alembic_version"}


def counts(path: str, names: set[str] = TABLES) -> dict[str, int]:
    con = sqlite3.connect(path)
    out = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in sorted(names)}
    con.close()
    return out


def test_empty_to_head_to_base_to_head(db_path):
    store = Store(db_path)
    assert store.current() is None
    store.upgrade()
    assert store.current() == store.head()
    assert tables(db_path) == TABLES
    store.downgrade("0001")
    con = sqlite3.connect(db_path)
    left = [r[0] for r in con.execute("select name from sqlite_master where name like 'quote_search%'")]
    con.close()
    assert left == []
    store.downgrade("base")
    assert store.current() is None
    assert tables(db_path) == set()
    store.upgrade("head")
    assert tables(db_path) == TABLES


def test_schema_module_matches_the_migrations(db_path):
    store = Store(db_path)
    store.upgrade()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith(SEARCH))]
    assert diff == []


def test_rows_at_0001_survive_upgrade_to_head(db_path):
    store = Store(db_path)
    store.upgrade("0001")
    for doc, found in corpus():  # _ensure would upgrade; at head==0001 it does nothing
        store.add(doc, found, "rules")
    before = counts(db_path)
    store.upgrade("head")
    assert counts(db_path) == before
    assert list(Store(db_path).quotes()) == expected_objects()


EXTRA = '''
"""Test-only revision: rebuild quotes (batch mode) and documents.

Revision ID: 9001
Revises: {head}
"""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("documents", recreate="always") as batch:
        batch.add_column(sa.Column("language", sa.Text(), nullable=True))
    with op.batch_alter_table("quotes", recreate="always") as batch:
        batch.add_column(sa.Column("note", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("quotes", recreate="always") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("documents", recreate="always") as batch:
        batch.drop_column("language")
'''


def test_batch_rebuilds_keep_child_rows(db_path, tmp_path):
    """A later revision that rebuilds parent tables must not cascade-delete
    children (foreign keys are off while migrating)."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = Store(db_path).head()
    (scripts / "versions" / "9001_rebuild.py").write_text(textwrap.dedent(EXTRA).format(head=head))
    store = Store(db_path)
    for doc, found in corpus():
        store.add(doc, found, "rules")
    before = counts(db_path)
    future = Store(db_path, script_location=str(scripts))
    future.upgrade("head")
    assert future.current() == "9001"
    assert counts(db_path) == before
    future.downgrade(head)
    assert counts(db_path) == before
    assert list(Store(db_path).quotes()) == expected_objects()


def test_0005_backfills_speaker_evidence_and_changes_no_old_row(db_path):
    """A store written before 0005 (first spelling and first claim won) keeps its speakers as
    they were; the new tables describe them, and the word index finds them."""
    from conftest import quote, span
    from quotes.types import Document, Speaker

    store = Store(db_path)
    store.upgrade("0004")
    store._ready = True  # write at 0004, the old way
    for doc, found in corpus():
        store.add(doc, found, "rules")
    doc = Document.from_text("\u201cNo,\u201d said Maduro.", path="c.txt")
    store.add(doc, [quote(doc.text, "\u201cNo,\u201d", speaker=Speaker("Maduro", "person", span(doc.text, "Maduro")))],
              "rules")
    store.close()
    old = TABLES - EVIDENCE - LATER

    def dump() -> dict[str, list]:
        con = sqlite3.connect(db_path)
        out = {t: con.execute(f"select * from {t} order by 1").fetchall() for t in sorted(old)}
        con.close()
        return out

    before = dump()
    store = Store(db_path)
    store.upgrade("0006")
    assert dump() == before
    ev = {t: sorted(tuple(r) for r in store.execute(f"select * from {t}")) for t in sorted(EVIDENCE)}
    assert ev["speaker_names"] == [(1, "jane smith", "Jane Smith", "person"), (2, "bob jones", "Bob Jones", "person"),
                                   (3, "nicolas maduro", "Nicolás Maduro", "person"), (4, "maduro", "Maduro", "person")]
    assert ev["quote_names"] == [(1, 1), (2, 1), (3, 2), (4, 3), (6, 4)]
    assert ev["speaker_pins"] == [("smith",)] and ev["speaker_mention_keys"] == [("smith",)]
    assert ev["speaker_tokens"] == sorted([("bob", "bob jones"), ("jones", "bob jones"), ("jane", "jane smith"),
                                           ("smith", "jane smith"), ("maduro", "nicolas maduro"),
                                           ("nicolas", "nicolas maduro")])
    assert [(q["id"], q["speaker"]["name"]) for q in store.quotes(speaker="maduro")] == [
        (4, "Nicolás Maduro"), (6, "Maduro")]
    store.upgrade("head")  # 0007 drops no alias here: 0005 pinned every alias that is no speaker's key
    assert store.execute("select id, name, key, type from speakers order by id") == before["speakers"]
    assert store.execute("select * from speaker_aliases order by id") == before["speaker_aliases"]
    store.downgrade("0004")
    assert dump() == before
    assert not EVIDENCE & tables(db_path)


def test_0006_drops_two_speaker_indexes_and_the_mention_foreign_key_and_no_row(db_path):
    """Revision 0006 drops the indexes on speaker_mentions.speaker_id and quote_names.name_id
    and the mentions' foreign key to speakers (a table rebuild on SQLite); every row stays,
    with its id, and the downgrade puts all three back."""
    store = Store(db_path)
    for doc, found in corpus():  # written at head, then taken down to 0005
        store.add(doc, found, "rules")
    store.downgrade("0005")
    store.close()

    def dump() -> dict[str, list]:
        con = sqlite3.connect(db_path)
        out = {t: con.execute(f"select * from {t} order by 1").fetchall() for t in sorted(TABLES - LATER)}
        con.close()
        return out

    def shape() -> tuple[set[str], list[str]]:
        con = sqlite3.connect(db_path)
        indexes = {r[0] for r in con.execute("select name from sqlite_master where type = 'index' "
                                             "and name not like 'sqlite_%'")}
        fks = sorted(f"{r[3]}->{r[2]}" for r in con.execute("pragma foreign_key_list(speaker_mentions)"))
        con.close()
        return indexes, fks

    before, (indexes, fks) = dump(), shape()
    assert {"ix_speaker_mentions_speaker_id", "ix_quote_names_name_id"} <= indexes
    assert fks == ["document_id->documents", "speaker_id->speakers"]
    store = Store(db_path)
    store.upgrade("0006")
    assert dump() == before
    assert shape() == (indexes - {"ix_speaker_mentions_speaker_id", "ix_quote_names_name_id"},
                       ["document_id->documents"])
    assert list(store.quotes()) == expected_objects()
    store.downgrade("0005")
    assert dump() == before
    assert shape() == (indexes, fks)


def read(path: str, sql: str) -> list[tuple]:
    """Rows read straight from the file (a Store would migrate it to head first)."""
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_0007_drops_the_aliases_the_old_resolution_made_and_moves_no_quote(db_path):
    """Revision 0007 adds speakers.document_id and .evidence and speaker_links; it drops the
    aliases the old writer made by itself (a one-word key joined to a full name, unpinned), so
    no new document joins a speaker through them, and moves no stored quote. A downgrade
    takes the columns and the table away and keeps every other row."""
    store = Store(db_path)
    for doc, found in corpus():
        store.add(doc, found, "rules")
    store.downgrade("0006")
    con = sqlite3.connect(db_path)
    with con:  # what the old resolution left: "smith" joined Jane Smith by itself; "jones" a merge pinned
        con.execute("INSERT INTO speaker_aliases (speaker_id, alias_key) VALUES (1, 'smith'), (2, 'jones')")
        con.execute("INSERT INTO speaker_pins (key) VALUES ('jones')")
    con.close()
    owners = "select quote_id, speaker_id, mention_id from attributions order by quote_id"
    before = read(db_path, owners)
    store = Store(db_path)
    store.upgrade("0007")
    assert read(db_path, "select alias_key from speaker_aliases order by alias_key") == [
        ("bob jones",), ("jane smith",), ("jones",), ("nicolas maduro",)]
    assert read(db_path, owners) == before
    assert read(db_path, "select count(*) from speakers where document_id is null and evidence is null") == [(3,)]
    assert read(db_path, "select count(*) from speaker_links") == [(0,)]
    store.downgrade("0006")
    assert read(db_path, owners) == before
    assert [r[1] for r in read(db_path, "pragma table_info(speakers)")] == ["id", "name", "key", "type"]
    assert "speaker_links" not in tables(db_path)
    store.upgrade("head")
    assert list(Store(db_path).quotes()) == expected_objects()


def test_0008_backfills_outlet_spellings_with_their_quotes(db_path):
    """Revision 0008 counts each outlet's stored name as the spelling of all its quotes, so no
    outlet changes name; a downgrade drops the table and nothing else."""
    store = Store(db_path)
    for doc, found in corpus():
        store.add(doc, found, "rules")
    store.downgrade("0007")
    assert "outlet_names" not in tables(db_path)
    before = read(db_path, "select id, name, key from outlets order by id")
    store = Store(db_path)
    store.upgrade("0008")
    assert read(db_path, "select key, name, quotes from outlet_names order by key") == [
        ("associated press", "Associated Press", 1), ("reuters", "Reuters", 1)]
    assert read(db_path, "select id, name, key from outlets order by id") == before
    store.downgrade("0007")
    assert read(db_path, "select id, name, key from outlets order by id") == before
    assert "outlet_names" not in tables(db_path)
    assert list(Store(db_path).quotes()) == expected_objects()
