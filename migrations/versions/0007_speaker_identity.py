"""Speakers that identify no one stay in their document; hand-made links are recorded (issue #18).

Until now a one-word name key ("carlos", "police", "official") joined the one full-name
speaker containing that word, whichever document it came from, and moved there or back as
other documents arrived: one article's "Carlos" became another article's "Carlos Duarte".
From this revision the writer links documents only on evidence that identifies one entity
(quotes/store/identity.py); a speaker that does not is its document's own:

* ``speakers.document_id``: the document a speaker belongs to (NULL: shared by every document
  that gives its key), with an index (the speakers of a document);
* ``speakers.evidence``: what decided it ("full name", "first name or surname alone", ...;
  NULL for a speaker stored before this revision);
* ``speaker_links``: each alias key ``speakers merge`` moved, to which speaker, from which,
  and when, so that ``explain`` can say why a quote is where it is.

Existing speakers and attributions stay as they are: no stored quote changes speaker. The
aliases the old resolution made by itself (a one-word key joined to a full name: an alias
that is not its speaker's own key and that no merge pinned) are dropped, with their word
index rows, so that no new document joins a speaker through them. A downgrade does not bring
them back (the old writer would make them again as it re-settled those keys).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

DOCUMENT_FK = "fk_speakers_document_id_documents"


def upgrade() -> None:
    with op.batch_alter_table("speakers") as batch:
        batch.add_column(sa.Column("document_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("evidence", sa.Text(), nullable=True))
        batch.create_foreign_key(DOCUMENT_FK, "documents", ["document_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_speakers_document_id", ["document_id"])
    op.create_table(
        "speaker_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("speaker_name", sa.Text(), nullable=False),
        sa.Column("from_name", sa.Text(), nullable=True),
        sa.Column("how", sa.String(length=16), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_speaker_links"),
    )
    op.create_index("ix_speaker_links_key", "speaker_links", ["key"])
    automatic = ("SELECT a.alias_key FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
                 "WHERE a.alias_key <> s.key AND a.alias_key NOT IN (SELECT key FROM speaker_pins)")
    op.execute(f"DELETE FROM speaker_tokens WHERE alias_key IN ({automatic})")
    op.execute(f"DELETE FROM speaker_aliases WHERE alias_key IN ({automatic})")


def downgrade() -> None:
    op.drop_index("ix_speaker_links_key", table_name="speaker_links")
    op.drop_table("speaker_links")
    with op.batch_alter_table("speakers") as batch:
        batch.drop_index("ix_speakers_document_id")
        batch.drop_constraint(DOCUMENT_FK, type_="foreignkey")
        batch.drop_column("evidence")
        batch.drop_column("document_id")
