"""Full-text index over quote text (SQLite FTS5), kept in sync by triggers.

``quote_search`` is an external-content FTS5 table over ``quotes.text``
(rowid = ``quotes.id``); ``quote_search_terms`` (fts5vocab) exposes how many
quotes carry each term, so a search can start from a claim's rarest words.
Triggers on ``quotes`` keep the index in step with every writer (the store,
bulk loaders, cascading deletes). Existing rows are indexed on upgrade.

On other databases this revision does nothing: ``quotes.search`` narrows
candidates with LIKE/ILIKE there.

A later revision that rebuilds ``quotes`` (batch mode drops the table, and
its triggers with it) must run :data:`TRIGGERS` again and ``'rebuild'`` the
index.

Revision ID: 0002
Revises: 0001
Create Date: 2025-11-29
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLE = "quote_search"
VOCAB = "quote_search_terms"

CREATE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "text, content='quotes', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
CREATE_VOCAB = f"CREATE VIRTUAL TABLE {VOCAB} USING fts5vocab({TABLE}, 'row')"
TRIGGERS = (
    f"""CREATE TRIGGER {TABLE}_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO {TABLE}(rowid, text) VALUES (new.id, new.text);
    END""",
    f"""CREATE TRIGGER {TABLE}_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    f"""CREATE TRIGGER {TABLE}_au AFTER UPDATE OF text ON quotes BEGIN
        INSERT INTO {TABLE}({TABLE}, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO {TABLE}(rowid, text) VALUES (new.id, new.text);
    END""",
)
REBUILD = f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _sqlite():
        return
    op.execute(CREATE)
    op.execute(CREATE_VOCAB)
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute(REBUILD)


def downgrade() -> None:
    if not _sqlite():
        return
    for suffix in ("au", "ad", "ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {VOCAB}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
