"""Alembic migrations: up and down, the schema module agrees, rows survive."""
from __future__ import annotations

import shutil
import sqlite3
import textwrap

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from conftest import corpus, expected_objects
from quotes.schema import metadata
from quotes.store import Store, migrations_dir

TABLES = {"documents", "speakers", "speaker_aliases", "outlets", "quotes", "speaker_mentions",
          "attributions"}
SEARCH = "quote_search"  # revision 0002: FTS5 index (and its shadow tables), not in quotes.schema


def tables(path: str) -> set[str]:
    con = sqlite3.connect(path)
    names = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
    con.close()
    return {n for n in names if not n.startswith(SEARCH)} - {"alembic_version"}


def counts(path: str) -> dict[str, int]:
    con = sqlite3.connect(path)
    out = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in sorted(TABLES)}
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
