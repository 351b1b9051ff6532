"""PostgreSQL's own index for quote search: a trigram GIN index on lower(quotes.text).

Revision 0002 gives SQLite an FTS5 index; on other databases ``quotes.search``
narrows candidates with ``lower(quotes.text) LIKE '%word%'``. On PostgreSQL this
revision adds ``CREATE EXTENSION pg_trgm`` and a GIN index over
``lower(text) gin_trgm_ops``, which the planner uses for exactly those
unanchored LIKE patterns (and for ``%``/similarity queries), so the search
needs no code of its own here.

pg_trgm ships with the server (it is a trusted extension: a database owner may
create it). When it is not available the revision logs a warning and leaves the
search on sequential scans, rather than failing the upgrade. On SQLite and other
databases it does nothing. The downgrade drops the index but keeps the extension
(other schemas may use it).

Revision ID: 0003
Revises: 0002
Create Date: 2025-11-29
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEX = "ix_quotes_text_trgm"

log = logging.getLogger("quotes.migrations")


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).first()
    if available is None:
        log.warning("pg_trgm is not available on this server: quote search will scan quotes.text")
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON quotes USING gin (lower(text) gin_trgm_ops)")


def downgrade() -> None:
    if not _postgresql():
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
