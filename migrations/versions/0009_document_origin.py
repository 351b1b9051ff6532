"""Where each document came from, as the reader found it (issue 19, items 2 and 12).

``origin`` is ``file`` (read from the file ``source_file``), ``jsonl`` (line ``source_line``
of the JSONL file ``source_file``), ``stdin`` or ``text`` (handed to the library as a
string); ``source_file`` is the file's name in the lossless form of
``quotes.sources.names.storable``. ``quotes check`` re-reads only ``file`` documents, at
``source_file``: never a path a JSONL record put in its own ``path`` or ``id``. Two JSONL
files holding records with the same ``id`` now say which file and line each came from.

Rows stored before this revision cannot tell a file from a record that named one: their
``origin`` stays NULL (``<stdin>`` rows become ``stdin``), and ``check`` does not re-read them
unless told to (``--stored-paths``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("origin", sa.String(16), nullable=True))
        batch.add_column(sa.Column("source_file", sa.Text(), nullable=True))
        batch.add_column(sa.Column("source_line", sa.Integer(), nullable=True))
    op.execute("UPDATE documents SET origin = 'stdin' WHERE path = '<stdin>'")


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("source_line")
        batch.drop_column("source_file")
        batch.drop_column("origin")
