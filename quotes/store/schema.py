"""The database schema as SQLAlchemy Core tables.

This module describes the *current* schema (what ``alembic`` head builds); the
migrations in ``migrations/versions`` are the frozen history that creates it.
``tests/test_migrations.py`` checks the two agree.

Every span is stored as ``(start, end, text)`` with
``documents.text[start:end] == text`` (Python str offsets); quotes keep both
the span with its marks (``start``/``end``) and the content without them
(``content_start``/``content_end``/``text``).
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False),
    Column("url", Text),
    Column("external_id", Text),
    Column("sha256", String(64), nullable=False),
    Column("title", Text),
    Column("publisher", Text),
    Column("date", Text),
    Column("author", Text),  # revision 0004
    Column("text", Text, nullable=False),
    Column("engine", String(32)),
    Column("extracted_at", String(32)),  # ISO 8601, UTC
    Column("origin", String(16)),  # revision 0009: file | jsonl | stdin | text (NULL: stored before)
    Column("source_file", Text),  # the file read (quotes.types.storable)
    Column("source_line", Integer),  # its line, for a JSONL record
    UniqueConstraint("path", "sha256"),
)

speakers = Table(
    "speakers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False, unique=True),
    Column("type", String(32), nullable=False, server_default="unknown"),
    # revision 0007: the document a speaker is the own speaker of (NULL: shared by every document
    # that gives its key) and the evidence that decided which (quotes.store.identity)
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE")),
    Column("evidence", Text),
    Index(None, "document_id"),
)

speaker_aliases = Table(
    "speaker_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("speaker_id", Integer, ForeignKey("speakers.id", ondelete="CASCADE"), nullable=False),
    Column("alias_key", Text, nullable=False, unique=True),
    Index(None, "speaker_id"),
)

outlets = Table(
    "outlets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("key", Text, nullable=False, unique=True),
)

quotes = Table(
    "quotes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("content_start", Integer, nullable=False),
    Column("content_end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("closed", Boolean(create_constraint=False), nullable=False),
    Index(None, "document_id"),
    Index(None, "kind"),
)

speaker_mentions = Table(
    "speaker_mentions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    # always its attribution's speaker_id (moved together); no index or foreign key of its own
    # since revision 0006: each cost a random page write per quote (mentions move through
    # attributions.mention_id)
    Column("speaker_id", Integer, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("role", Text),
    Column("affiliation", Text),
    Index(None, "document_id"),
)

attributions = Table(
    "attributions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "quote_id", Integer, ForeignKey("quotes.id", ondelete="CASCADE"), nullable=False, unique=True
    ),
    Column("speaker_id", Integer, ForeignKey("speakers.id")),
    Column("mention_id", Integer, ForeignKey("speaker_mentions.id")),
    Column("outlet_id", Integer, ForeignKey("outlets.id")),
    Column("outlet_start", Integer),
    Column("outlet_end", Integer),
    Column("outlet_text", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("cue_text", Text),
    Column("sieve", String(64)),
    Column("confidence", Float, nullable=False, server_default="0"),
    Column("explanation", Text),  # JSON array of strings
    Index(None, "speaker_id"),
    Index(None, "outlet_id"),
)

# ---- revision 0005: the evidence speaker resolution is a function of (issue #4), and the
# word index of speaker keys that `list --speaker` looks names up in (issue #6).

speaker_names = Table(  # every spelling (and type) a quote gave a speaker
    "speaker_names",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),  # fold_key(name)
    Column("name", Text, nullable=False),
    Column("type", String(32), nullable=False),
    UniqueConstraint("key", "name", "type"),
)

quote_names = Table(  # the spelling the extractor gave each quote's speaker
    "quote_names",
    metadata,
    Column("quote_id", Integer, ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True,
           autoincrement=False),
    # not indexed since revision 0006: a name's quotes are found among its speaker's
    Column("name_id", Integer, ForeignKey("speaker_names.id"), nullable=False),
)

speaker_tokens = Table(  # the words of every multi-word alias key
    "speaker_tokens",
    metadata,
    Column("token", Text, primary_key=True),
    Column("alias_key", Text, primary_key=True),
)

speaker_mention_keys = Table(  # one-word keys of name-like mentions ("Smith", "Maduro")
    "speaker_mention_keys",
    metadata,
    Column("key", Text, primary_key=True),
)

speaker_pins = Table(  # alias keys put where they are by `speakers merge`: never re-resolved
    "speaker_pins",
    metadata,
    Column("key", Text, primary_key=True),
)

# ---- revision 0007: quotes moved between speakers by hand (issue #18), for `explain`.

speaker_links = Table(  # each alias key `speakers merge` moved, where to, and when
    "speaker_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),  # the alias key moved (a quote named by it moved with it)
    Column("speaker_id", Integer, nullable=False),  # the speaker it joined (which a later merge may fold)
    Column("speaker_name", Text, nullable=False),  # that speaker's name then
    Column("from_name", Text),  # the name of the speaker it left
    Column("how", String(16), nullable=False),  # merge
    Column("at", String(32), nullable=False),  # ISO 8601, UTC
    Index(None, "key"),
)

# ---- revision 0008: every spelling an outlet was given, with its quotes (issue #19, item 10):
# an outlet is called by its most frequent spelling (ties: the smallest), whatever the order.

outlet_names = Table(
    "outlet_names",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),  # fold_key(name), the outlets.key it spells
    Column("name", Text, nullable=False),
    Column("quotes", Integer, nullable=False, server_default="0"),
    UniqueConstraint("key", "name"),
)

# ---- revision 0010: a hyphen folds like a space in keys (issue 15); the outlets it made one, for
# `explain` (the speakers it made one are in speaker_links, how = refold).

outlet_links = Table(  # each outlet folded into another because their keys became one, and when
    "outlet_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", Text, nullable=False),  # the outlets.key the two now share
    Column("outlet_id", Integer, nullable=False),  # the outlet kept
    Column("outlet_name", Text, nullable=False),  # its name then
    Column("from_name", Text),  # the name of the outlet folded into it
    Column("how", String(16), nullable=False),  # refold
    Column("at", String(32), nullable=False),  # ISO 8601, UTC
    Index(None, "key"),
)
