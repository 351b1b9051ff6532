"""Every spelling an outlet was given, with its number of quotes (issue #19, item 10).

An outlet was called by the spelling of the first quote that named it, so "Post" or "The
Post", "US" or "U.S", "Times" or "The Times" depended on which document was stored first
(three concurrent extracts differed from one run in 21 rows). ``outlet_names`` counts the
quotes of each (key, spelling); the writer calls each outlet by its most frequent spelling
(ties: the smallest string), a function of the stored quotes whatever their order.

Existing outlets are backfilled with their stored name as the spelling of all their quotes
(the spellings each quote had were not kept), so no outlet changes name now. A downgrade
drops the table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outlet_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("quotes", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outlet_names"),
        sa.UniqueConstraint("key", "name", name="uq_outlet_names_key_name"),
    )
    op.execute("INSERT INTO outlet_names (key, name, quotes) SELECT o.key, o.name, "
               "(SELECT count(*) FROM attributions a WHERE a.outlet_id = o.id) FROM outlets o")


def downgrade() -> None:
    op.drop_table("outlet_names")
