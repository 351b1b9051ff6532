"""Writes one SQLAlchemy statement at a time: the whole write path of a store kept at a
revision before 0005 (first spelling and first claim win), and the bulk writer's way to fold
speakers and find outlets outside SQLite."""
from __future__ import annotations

import json

from sqlalchemy import Connection, insert, select, update

from ..types import Outlet, Quote, Speaker
from .keys import fold_key, is_name
from .schema import attributions, outlets, quotes, speaker_aliases, speaker_mentions, speakers


def _fold(conn: Connection, src: int, dst: int) -> None:
    """Move speaker src's aliases, mentions and attributions to dst; delete src."""
    conn.execute(update(speaker_aliases).where(speaker_aliases.c.speaker_id == src).values(speaker_id=dst))
    conn.execute(update(speaker_mentions).where(speaker_mentions.c.id.in_(
        select(attributions.c.mention_id).where(attributions.c.speaker_id == src,
                                                attributions.c.mention_id.is_not(None)))).values(speaker_id=dst))
    conn.execute(update(attributions).where(attributions.c.speaker_id == src).values(speaker_id=dst))
    conn.execute(speakers.delete().where(speakers.c.id == src))


def _insert_quote(conn: Connection, doc_id: int, quote: Quote) -> int:
    quote_id = conn.execute(
        insert(quotes).values(
            document_id=doc_id, start=quote.span.start, end=quote.span.end,
            content_start=quote.content.start, content_end=quote.content.end,
            text=quote.content.text, kind=quote.kind, closed=quote.closed,
        )
    ).inserted_primary_key[0]
    speaker_id, mention_id = _store_speaker(conn, doc_id, quote.speaker)
    outlet_id = _outlet_id(conn, quote.outlet)
    om = quote.outlet.mention if quote.outlet else None
    cue = quote.cue
    conn.execute(
        insert(attributions).values(
            quote_id=quote_id, speaker_id=speaker_id, mention_id=mention_id, outlet_id=outlet_id,
            outlet_start=om.start if om else None, outlet_end=om.end if om else None,
            outlet_text=om.text if om else None,
            cue_start=cue.start if cue else None, cue_end=cue.end if cue else None,
            cue_text=cue.text if cue else None,
            sieve=quote.sieve, confidence=float(quote.confidence or 0.0),
            explanation=json.dumps(list(quote.explanation), ensure_ascii=False),
        )
    )
    return int(quote_id)


def _store_speaker(conn: Connection, doc_id: int, speaker: Speaker | None) -> tuple[int | None, int | None]:
    if speaker is None:
        return None, None
    speaker_id = _speaker_id(conn, speaker)
    if speaker_id is None or speaker.mention is None:
        return speaker_id, None
    m = speaker.mention
    mention_id = conn.execute(
        insert(speaker_mentions).values(
            document_id=doc_id, speaker_id=speaker_id, start=m.start, end=m.end, text=m.text,
            role=speaker.role, affiliation=speaker.affiliation,
        )
    ).inserted_primary_key[0]
    if is_name(m.text):
        _add_alias(conn, speaker_id, fold_key(m.text))
    return speaker_id, int(mention_id)


def _speaker_id(conn: Connection, speaker: Speaker) -> int | None:
    """The canonical speaker row for a name (by key or alias), created if new."""
    key = fold_key(speaker.name)
    if not key:
        return None
    found = conn.execute(
        select(speaker_aliases.c.speaker_id).where(speaker_aliases.c.alias_key == key)
    ).scalar()
    if found is None:
        found = conn.execute(select(speakers.c.id).where(speakers.c.key == key)).scalar()
    kind = speaker.type or "unknown"
    if found is None:
        found = conn.execute(
            insert(speakers).values(name=" ".join(speaker.name.split()), key=key, type=kind)
        ).inserted_primary_key[0]
        _add_alias(conn, found, key)
    elif kind != "unknown":
        conn.execute(
            update(speakers)
            .where(speakers.c.id == found, speakers.c.type == "unknown")
            .values(type=kind)
        )
    return int(found)


def _add_alias(conn: Connection, speaker_id: int, key: str) -> None:
    """Point ``key`` at the speaker unless it already names someone."""
    if not key:
        return
    taken = conn.execute(
        select(speaker_aliases.c.id).where(speaker_aliases.c.alias_key == key)
    ).scalar()
    if taken is None:
        conn.execute(insert(speaker_aliases).values(speaker_id=speaker_id, alias_key=key))


def _outlet_id(conn: Connection, outlet: Outlet | None) -> int | None:
    if outlet is None:
        return None
    key = fold_key(outlet.name)
    if not key:
        return None
    found = conn.execute(select(outlets.c.id).where(outlets.c.key == key)).scalar()
    if found is None:
        found = conn.execute(
            insert(outlets).values(name=" ".join(outlet.name.split()), key=key)
        ).inserted_primary_key[0]
    return int(found)
