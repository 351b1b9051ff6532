"""Speaker resolution evidence and a word index of speaker keys.

``speaker_names``: each (key, spelling, type) a quote gave a speaker; ``quote_names``: which
of them each quote had (so how often each was given, and which quotes a key's speaker has). Canonical speakers are computed from these
(the most frequent spelling of a cluster's key names it, a one-word key joins the one
full name that contains it), so they no longer depend on the order documents arrive.
``speaker_mention_keys``: one-word name-like mention keys seen ("Smith");
``speaker_pins``: alias keys placed by ``speakers merge`` (never re-resolved);
``speaker_tokens``: the words of every multi-word alias key, so ``list --speaker maduro``
is an index lookup instead of a LIKE scan.

On SQLite the full-text index trigger of revision 0002 gets a condition: it does nothing
while ``quote_search_deferred`` has a row. The store sets that row inside its write
transaction, inserts a batch of quotes and indexes them with one ``INSERT … SELECT``
(five times cheaper than the trigger's row-at-a-time inserts), then deletes the row before
committing, so no other connection ever sees it set and every other writer is indexed by
the trigger as before. (A later revision that rebuilds ``quotes`` must create
:data:`INSERT_TRIGGER` below, not 0002's.)

Existing rows are backfilled as the old resolution left them: each speaker's spelling is
its stored name, every alias that is not a speaker's own key is pinned where it is. No
row of an existing table changes.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


DEFERRED = "quote_search_deferred"
INSERT_TRIGGER = f"""CREATE TRIGGER quote_search_ai AFTER INSERT ON quotes
    WHEN NOT EXISTS (SELECT 1 FROM {DEFERRED}) BEGIN
        INSERT INTO quote_search(rowid, text) VALUES (new.id, new.text);
    END"""
OLD_INSERT_TRIGGER = """CREATE TRIGGER quote_search_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO quote_search(rowid, text) VALUES (new.id, new.text);
    END"""  # revision 0002's


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_table(
        "speaker_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_speaker_names"),
        sa.UniqueConstraint("key", "name", "type", name="uq_speaker_names_key_name_type"),
    )
    op.create_table(
        "quote_names",
        sa.Column("quote_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["quote_id"], ["quotes.id"], name="fk_quote_names_quote_id_quotes",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["name_id"], ["speaker_names.id"], name="fk_quote_names_name_id_speaker_names"),
        sa.PrimaryKeyConstraint("quote_id", name="pk_quote_names"),
    )
    op.create_index("ix_quote_names_name_id", "quote_names", ["name_id"])
    op.create_table(
        "speaker_tokens",
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("alias_key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("token", "alias_key", name="pk_speaker_tokens"),
    )
    op.create_table(
        "speaker_mention_keys",
        sa.Column("key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_speaker_mention_keys"),
    )
    op.create_table(
        "speaker_pins",
        sa.Column("key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_speaker_pins"),
    )
    _backfill()
    if _sqlite():
        op.execute(f"CREATE TABLE {DEFERRED} (id INTEGER NOT NULL PRIMARY KEY)")
        op.execute("DROP TRIGGER IF EXISTS quote_search_ai")
        op.execute(INSERT_TRIGGER)


def _backfill() -> None:
    bind = op.get_bind()
    bind.execute(sa.text(
        "INSERT INTO speaker_names (key, name, type) SELECT s.key, s.name, s.type FROM speakers s"))
    bind.execute(sa.text(
        "INSERT INTO quote_names (quote_id, name_id) "
        "SELECT a.quote_id, n.id FROM attributions a JOIN speakers s ON s.id = a.speaker_id "
        "JOIN speaker_names n ON n.key = s.key"))
    bind.execute(sa.text(
        "INSERT INTO speaker_pins (key) "
        "SELECT a.alias_key FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
        "WHERE a.alias_key <> s.key"))
    bind.execute(sa.text(
        "INSERT INTO speaker_mention_keys (key) "
        "SELECT a.alias_key FROM speaker_aliases a WHERE a.alias_key NOT LIKE '% %' "
        "AND a.alias_key NOT IN (SELECT key FROM speakers)"))
    rows = []
    for (key,) in bind.execute(sa.text("SELECT alias_key FROM speaker_aliases WHERE alias_key LIKE '% %'")):
        rows += [{"t": word, "k": key} for word in sorted(set(key.split()))]
    if rows:
        bind.execute(sa.text("INSERT INTO speaker_tokens (token, alias_key) VALUES (:t, :k)"), rows)


def downgrade() -> None:
    if _sqlite():
        op.execute("DROP TRIGGER IF EXISTS quote_search_ai")
        op.execute(OLD_INSERT_TRIGGER)
        op.execute(f"DROP TABLE IF EXISTS {DEFERRED}")
    op.drop_table("speaker_pins")
    op.drop_table("speaker_mention_keys")
    op.drop_table("speaker_tokens")
    op.drop_index("ix_quote_names_name_id", table_name="quote_names")
    op.drop_table("quote_names")
    op.drop_table("speaker_names")
