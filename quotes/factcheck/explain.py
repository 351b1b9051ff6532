"""Why a stored quote is attributed as it is: the chain of decisions, for `quotes explain`."""
from __future__ import annotations

import json
from typing import Any, Iterator

from sqlalchemy import select

from ..store.schema import attributions, documents, outlets, quotes, speaker_mentions, speakers


def explain(store: Any, quote_id: int) -> dict[str, Any] | None:
    """The quote, its sieve and confidence, the linked mention (with role and affiliation),
    the canonical speaker, the cue, the outlet phrase, and each resolution step."""
    q = quotes.alias("q")
    stmt = (
        select(q.c.id, q.c.start, q.c.end, q.c.text, q.c.kind, q.c.closed, documents.c.path, documents.c.text.label("doc"),
               attributions.c.sieve, attributions.c.confidence, attributions.c.explanation,
               attributions.c.cue_start, attributions.c.cue_end, attributions.c.cue_text,
               attributions.c.outlet_start, attributions.c.outlet_end, attributions.c.outlet_text,
               outlets.c.name.label("outlet_name"), speakers.c.name.label("speaker_name"),
               speakers.c.type.label("speaker_type"), speaker_mentions.c.start.label("m_start"),
               speaker_mentions.c.end.label("m_end"), speaker_mentions.c.text.label("m_text"),
               speaker_mentions.c.role, speaker_mentions.c.affiliation)
        .select_from(q.join(documents, documents.c.id == q.c.document_id)
                     .outerjoin(attributions, attributions.c.quote_id == q.c.id)
                     .outerjoin(outlets, outlets.c.id == attributions.c.outlet_id)
                     .outerjoin(speakers, speakers.c.id == attributions.c.speaker_id)
                     .outerjoin(speaker_mentions, speaker_mentions.c.id == attributions.c.mention_id))
        .where(q.c.id == quote_id)
    )
    r = store._first(stmt)
    if r is None:
        return None
    steps = json.loads(r.explanation) if r.explanation else []
    return {
        "id": r.id, "document": r.path, "start": r.start, "end": r.end, "text": r.text, "kind": r.kind,
        "closed": bool(r.closed), "sieve": r.sieve, "confidence": r.confidence,
        "mention": None if r.m_start is None else {"start": r.m_start, "end": r.m_end, "text": r.m_text,
                                                   "role": r.role, "affiliation": r.affiliation},
        "speaker": None if r.speaker_name is None else {"name": r.speaker_name, "type": r.speaker_type},
        "cue": None if r.cue_start is None else {"start": r.cue_start, "end": r.cue_end, "text": r.cue_text},
        "outlet": None if r.outlet_name is None else {"name": r.outlet_name, "start": r.outlet_start,
                                                      "end": r.outlet_end, "text": r.outlet_text},
        "steps": steps,
    }


def render(e: dict[str, Any]) -> Iterator[str]:
    """The explanation as lines for a terminal."""
    text = e["text"] if len(e["text"]) <= 100 else e["text"][:97] + "…"
    yield f"quote {e['id']} ({e['kind']}{'' if e['closed'] else ', unclosed'}) {e['document']} {e['start']}-{e['end']}"
    yield f"  “{text}”"
    if not e["sieve"]:
        yield "  no sieve found a speaker: the quote is kept with an empty speaker"
        return
    yield f"  decided by sieve {e['sieve']} (confidence {e['confidence']:.2f})"
    m = e["mention"]
    if m:
        extra = "".join(f", {k} {m[k]}" for k in ("role", "affiliation") if m.get(k))
        yield f"  mention: '{m['text']}' at {m['start']}-{m['end']}{extra}"
    if e["cue"]:
        yield f"  cue: '{e['cue']['text']}' at {e['cue']['start']}-{e['cue']['end']}"
    if e["speaker"]:
        yield f"  speaker: {e['speaker']['name']} ({e['speaker']['type']})"
    o = e["outlet"]
    if o:
        where = f" from '{o['text']}' at {o['start']}-{o['end']}" if o.get("start") is not None else ""
        yield f"  outlet: {o['name']}{where}"
    for step in e["steps"]:
        yield f"  - {step}"
