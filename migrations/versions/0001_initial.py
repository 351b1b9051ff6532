"""Initial schema: documents, speakers (+aliases), outlets, quotes, mentions, attributions.

Revision ID: 0001
Revises:
Create Date: 2025-11-29
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("date", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=True),
        sa.Column("extracted_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("path", "sha256", name="uq_documents_path_sha256"),
    )
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=32), server_default="unknown", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_speakers"),
        sa.UniqueConstraint("key", name="uq_speakers_key"),
    )
    op.create_table(
        "outlets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outlets"),
        sa.UniqueConstraint("key", name="uq_outlets_key"),
    )
    op.create_table(
        "speaker_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("alias_key", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"],
            name="fk_speaker_aliases_speaker_id_speakers", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_speaker_aliases"),
        sa.UniqueConstraint("alias_key", name="uq_speaker_aliases_alias_key"),
    )
    op.create_index("ix_speaker_aliases_speaker_id", "speaker_aliases", ["speaker_id"])
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("content_start", sa.Integer(), nullable=False),
        sa.Column("content_end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("closed", sa.Boolean(create_constraint=False), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name="fk_quotes_document_id_documents", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_quotes"),
    )
    op.create_index("ix_quotes_document_id", "quotes", ["document_id"])
    op.create_index("ix_quotes_kind", "quotes", ["kind"])
    op.create_table(
        "speaker_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("affiliation", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name="fk_speaker_mentions_document_id_documents", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name="fk_speaker_mentions_speaker_id_speakers",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_speaker_mentions"),
    )
    op.create_index("ix_speaker_mentions_document_id", "speaker_mentions", ["document_id"])
    op.create_index("ix_speaker_mentions_speaker_id", "speaker_mentions", ["speaker_id"])
    op.create_table(
        "attributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("mention_id", sa.Integer(), nullable=True),
        sa.Column("outlet_id", sa.Integer(), nullable=True),
        sa.Column("outlet_start", sa.Integer(), nullable=True),
        sa.Column("outlet_end", sa.Integer(), nullable=True),
        sa.Column("outlet_text", sa.Text(), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("cue_text", sa.Text(), nullable=True),
        sa.Column("sieve", sa.String(length=64), nullable=True),
        sa.Column("confidence", sa.Float(), server_default="0", nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"],
            name="fk_attributions_quote_id_quotes", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name="fk_attributions_speaker_id_speakers",
        ),
        sa.ForeignKeyConstraint(
            ["mention_id"], ["speaker_mentions.id"],
            name="fk_attributions_mention_id_speaker_mentions",
        ),
        sa.ForeignKeyConstraint(
            ["outlet_id"], ["outlets.id"], name="fk_attributions_outlet_id_outlets",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_attributions"),
        sa.UniqueConstraint("quote_id", name="uq_attributions_quote_id"),
    )
    op.create_index("ix_attributions_speaker_id", "attributions", ["speaker_id"])
    op.create_index("ix_attributions_outlet_id", "attributions", ["outlet_id"])


def downgrade() -> None:
    op.drop_table("attributions")
    op.drop_table("speaker_mentions")
    op.drop_table("quotes")
    op.drop_table("speaker_aliases")
    op.drop_table("outlets")
    op.drop_table("speakers")
    op.drop_table("documents")
