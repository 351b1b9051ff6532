"""Two speaker-keyed indexes fewer: what every write transaction paid for (issue #6).

At a million quotes, each index keyed by speaker has a new entry on a random leaf page for
almost every quote, so each transaction of 1,000 quotes wrote ~900 pages per such index
(~2,700 of the ~2,900 pages it wrote in all). Two of the three served no query of the
library or the CLI:

* ``ix_quote_names_name_id``: how many quotes each spelling of a key had, and which quotes a
  one-word key gave its speaker, are now read through the speaker's quotes
  (``ix_attributions_speaker_id``): a quote named by key K always has K's speaker, so its
  rows are among that speaker's.
* ``ix_speaker_mentions_speaker_id`` and the foreign key it served: a mention's speaker is
  always its attribution's (both are written, moved and folded together), so mentions are
  moved through ``attributions.mention_id``; the foreign key's only cost was a scan of every
  mention each time a speaker row is deleted (folded into another) without that index.
  ``attributions.speaker_id`` keeps its foreign key and index.

No row changes. On SQLite ``speaker_mentions`` is rebuilt (batch mode) to drop the foreign
key; it has no triggers. ``quotes`` is not touched, so revision 0005's search trigger stays.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MENTION_FK = "fk_speaker_mentions_speaker_id_speakers"


def upgrade() -> None:
    op.drop_index("ix_quote_names_name_id", table_name="quote_names")
    op.drop_index("ix_speaker_mentions_speaker_id", table_name="speaker_mentions")
    with op.batch_alter_table("speaker_mentions") as batch:
        batch.drop_constraint(MENTION_FK, type_="foreignkey")


def downgrade() -> None:
    with op.batch_alter_table("speaker_mentions") as batch:
        batch.create_foreign_key(MENTION_FK, "speakers", ["speaker_id"], ["id"])
    op.create_index("ix_speaker_mentions_speaker_id", "speaker_mentions", ["speaker_id"])
    op.create_index("ix_quote_names_name_id", "quote_names", ["name_id"])
