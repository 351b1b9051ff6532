"""Why a stored quote is attributed as it is: the chain of decisions, for `quotes explain`.

Every naming step, in order: the sieve that chose the mention; the mention; the link inside
the document from the mention to the name it stands for (which earlier mention, where); the
speaker the name belongs to across documents (shared by a name that identifies one entity,
with the other documents that give it, or the document's own, and why); any move by
``quotes speakers merge`` (when, from whom); and which rule named the outlet.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

from sqlalchemy import func, select

from ..store.identity import base_key, describe, scope_of
from ..store.keys import fold
from ..store.schema import (attributions, documents, outlet_links, outlets, quote_names, quotes, speaker_links,
                            speaker_mentions, speaker_names, speakers)


def explain(store: Any, quote_id: int) -> dict[str, Any] | None:
    """The quote, its sieve and confidence, the linked mention (with role and affiliation), the
    link inside its document, the canonical speaker and why documents share it or not, the
    merges that moved it, the cue, the outlet and the rule that named it, and each step."""
    q = quotes.alias("q")
    stmt = (
        select(q.c.id, q.c.start, q.c.end, q.c.text, q.c.kind, q.c.closed, q.c.document_id, documents.c.path,
               documents.c.text.label("doc"),
               attributions.c.sieve, attributions.c.confidence, attributions.c.explanation,
               attributions.c.cue_start, attributions.c.cue_end, attributions.c.cue_text,
               attributions.c.outlet_start, attributions.c.outlet_end, attributions.c.outlet_text,
               attributions.c.speaker_id,
               outlets.c.name.label("outlet_name"), outlets.c.key.label("outlet_key"),
               speakers.c.name.label("speaker_name"),
               speakers.c.type.label("speaker_type"), speakers.c.key.label("speaker_key"),
               speakers.c.document_id.label("speaker_document"), speakers.c.evidence,
               speaker_mentions.c.start.label("m_start"),
               speaker_mentions.c.end.label("m_end"), speaker_mentions.c.text.label("m_text"),
               speaker_mentions.c.role, speaker_mentions.c.affiliation,
               speaker_names.c.key.label("name_key"), speaker_names.c.name.label("name_given"))
        .select_from(q.join(documents, documents.c.id == q.c.document_id)
                     .outerjoin(attributions, attributions.c.quote_id == q.c.id)
                     .outerjoin(outlets, outlets.c.id == attributions.c.outlet_id)
                     .outerjoin(speakers, speakers.c.id == attributions.c.speaker_id)
                     .outerjoin(speaker_mentions, speaker_mentions.c.id == attributions.c.mention_id)
                     .outerjoin(quote_names, quote_names.c.quote_id == q.c.id)
                     .outerjoin(speaker_names, speaker_names.c.id == quote_names.c.name_id))
        .where(q.c.id == quote_id)
    )
    r = store._first(stmt)
    if r is None:
        return None
    steps = json.loads(r.explanation) if r.explanation else []
    mention = None if r.m_start is None else {"start": r.m_start, "end": r.m_end, "text": r.m_text,
                                              "role": r.role, "affiliation": r.affiliation}
    speaker = None
    if r.speaker_name is not None:
        speaker = {"name": r.speaker_name, "type": r.speaker_type, "key": r.speaker_key,
                   "document": r.speaker_document, "evidence": r.evidence,
                   "name_given": r.name_given, "key_given": r.name_key,
                   "in_document": _in_document(r.doc, mention, r.name_given or r.speaker_name, steps),
                   "across_documents": _across(store, r),
                   "links": _links(store, r.name_key) if r.name_key else []}
    outlet = None
    if r.outlet_name is not None:
        outlet = {"name": r.outlet_name, "start": r.outlet_start, "end": r.outlet_end, "text": r.outlet_text,
                  "rule": outlet_rule(steps), "links": _outlet_links(store, r.outlet_key)}
    return {
        "id": r.id, "document": r.path, "start": r.start, "end": r.end, "text": r.text, "kind": r.kind,
        "closed": bool(r.closed), "sieve": r.sieve, "confidence": r.confidence,
        "mention": mention, "speaker": speaker,
        "cue": None if r.cue_start is None else {"start": r.cue_start, "end": r.cue_end, "text": r.cue_text},
        "outlet": outlet, "steps": steps,
    }


def _in_document(text: str, mention: dict[str, Any] | None, name: str,
                 steps: list[str] = ()) -> dict[str, Any] | None:
    """How the mention stands for the name in its document: None when the mention spells the
    name out; else where the document names it: where the extractor's step says it found the
    name ("… -> Name (at 120)"), else the nearest occurrence before the mention, else the first
    after it (of the whole name, else of its last word), or None if nowhere."""
    if mention is None or not name:
        return None
    if _words(name) and _contains(_words(mention["text"]), _words(name)):
        return None
    for step in steps:
        m = _NAMED_STEP.search(step)
        if m and _step_name(m) == name:
            start = int(m.group("at"))
            if text[start:start + len(name)] == name:
                return {"mention": mention["text"], "name": name,
                        "named_at": {"start": start, "end": start + len(name), "text": name}}
    at = None
    last = name.split()[-1] if len(name.split()) > 1 else None
    for needle in filter(None, (name, last)):
        found = [m for m in re.finditer(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text, re.IGNORECASE)
                 if not (m.start() < mention["end"] and m.end() > mention["start"])]
        before = [m for m in found if m.end() <= mention["start"]]
        pick = before[-1] if before else (found[0] if found else None)
        if pick is not None:
            at = {"start": pick.start(), "end": pick.end(), "text": pick.group()}
            break
    return {"mention": mention["text"], "name": name, "named_at": at}


# "pronoun 'he' -> Name (at 120)", "'Maduro' is 'Nicolás Maduro' in this document (at 120)"
_NAMED_STEP = re.compile(r"(?:-> (?P<n1>.+?)|is '(?P<n2>.+?)' in this document) \(at (?P<at>\d+)\)$")


def _step_name(m: re.Match) -> str:
    return m.group("n1") or m.group("n2")


def _words(text: str) -> list[str]:
    return fold(text).split()


def _contains(words: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(words[i:i + n] == part for i in range(len(words) - n + 1))


def _across(store: Any, r: Any) -> dict[str, Any]:
    """The speaker across documents: its own document's, or shared, with the documents that
    share it (first three by id) and the evidence they share it on."""
    own = r.speaker_document is not None or scope_of(r.speaker_key) is not None
    why = describe(r.evidence, r.speaker_key)
    if own:
        return {"shared": False, "why": why, "documents": 0, "first": []}
    other = (select(quotes.c.document_id, documents.c.path, func.min(quotes.c.id).label("quote"))
             .select_from(attributions.join(quotes, quotes.c.id == attributions.c.quote_id)
                          .join(documents, documents.c.id == quotes.c.document_id))
             .where(attributions.c.speaker_id == r.speaker_id, quotes.c.document_id != r.document_id)
             .group_by(quotes.c.document_id, documents.c.path))
    rows = list(store._rows(other.order_by(quotes.c.document_id)))
    return {"shared": True, "why": why, "documents": len(rows),
            "first": [{"id": d, "path": p, "quote": qid} for d, p, qid in rows[:3]]}


def _links(store: Any, key: str) -> list[dict[str, Any]]:
    """The moves ``speakers merge``, ``speakers relink`` and revision 0010 (``how`` = refold: a
    hyphen came to fold like a space) made of a quote's name key, oldest first."""
    stmt = (select(speaker_links.c.speaker_id, speaker_links.c.speaker_name, speaker_links.c.from_name,
                   speaker_links.c.how, speaker_links.c.at)
            .where(speaker_links.c.key == key).order_by(speaker_links.c.id))
    return [{"key": key, "speaker_id": sid, "to": to, "from": frm, "how": how, "at": at}
            for sid, to, frm, how, at in store._rows(stmt)]


def _outlet_links(store: Any, key: str) -> list[dict[str, Any]]:
    """The outlets revision 0010 folded into this one (their keys became its key), oldest first."""
    stmt = (select(outlet_links.c.outlet_name, outlet_links.c.from_name, outlet_links.c.how, outlet_links.c.at)
            .where(outlet_links.c.key == key).order_by(outlet_links.c.id))
    return [{"key": key, "to": to, "from": frm, "how": how, "at": at} for to, frm, how, at in store._rows(stmt)]


# Which rule named an outlet, from the step the extractor wrote when it did (first match wins).
_OUTLET_RULES = [
    (re.compile(r"^tweet -> "), "a tweet"),
    (re.compile(r"^outlet phrase '(?:.*\b)?(?:carried|published|reported|released|broadcast|aired) (?:by|on|in)\b",
                re.I | re.S), "'carried by' phrase"),
    (re.compile(r"^outlet phrase '.*\binterview\b", re.I | re.S), "'interview with' phrase"),
    (re.compile(r"^outlet phrase '(?:.*\b)?according to\b", re.I | re.S), "'according to' phrase"),
    (re.compile(r"^outlet phrase '(?:.*\b)?(?:told|tells|telling|to)\b", re.I | re.S), "'told' phrase"),
    (re.compile(r"^outlet phrase '(?:.*\b)?(?:on|via|posted on|wrote on)\b", re.I | re.S), "'on' a platform"),
    (re.compile(r"^outlet phrase "), "outlet phrase"),
    (re.compile(r"^.+ speaks for .+$", re.S), "the speaker's organisation"),
    (re.compile(r"^outlet of the quote it continues"), "the quote it continues"),
    (re.compile(r"^outlet of the same speaker's quote at \d+"), "the same speaker's quote nearby"),
    (re.compile(r"^inside the quote at \d+"), "the quote around it"),
    (re.compile(r"^transcript: "), "the transcript's organisation"),
]


# The extractor's outlet rules write "outlet rule NAME: why" (quotes/extract/outlets.py).
_NAMED_RULE = re.compile(r"^outlet rule (?P<rule>[\w]+): ")


def outlet_rule(steps: list[str]) -> dict[str, str] | None:
    """The rule that named a quote's outlet and the step that says so (the last outlet step:
    a quote that takes another's outlet says so after its own), or None if no step does.
    Stores written before the outlet rules had names are read by the steps' wording."""
    for step in reversed(steps):
        m = _NAMED_RULE.match(step)
        if m:
            return {"rule": m.group("rule"), "step": step[m.end():]}
        for pattern, rule in _OUTLET_RULES:
            if pattern.search(step):
                return {"rule": rule, "step": step}
    return None


def render(e: dict[str, Any]) -> Iterator[str]:
    """The explanation as lines for a terminal."""
    text = e["text"] if len(e["text"]) <= 100 else e["text"][:97] + "…"
    kind = "indirect: reported, not quoted" if e["kind"] == "indirect" else e["kind"]
    yield f"quote {e['id']} ({kind}{'' if e['closed'] else ', unclosed'}) {e['document']} {e['start']}-{e['end']}"
    yield f"  {text}" if e["kind"] == "indirect" else f"  “{text}”"  # no marks added to reported speech
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
    s = e["speaker"]
    if s:
        yield from _render_speaker(s)
    o = e["outlet"]
    if o:
        where = f" from '{o['text']}' at {o['start']}-{o['end']}" if o.get("start") is not None else ""
        yield f"  outlet: {o['name']}{where}"
        rule = o.get("rule")
        yield f"  outlet named by: {rule['rule']} ({rule['step']})" if rule else "  outlet named by: no recorded rule"
        for link in o.get("links") or []:
            yield (f"  outlet joined by {_MOVED_BY.get(link['how'], link['how'])} at {link['at']}: {link['from']} "
                   f"into {link['to']}, one key '{link['key']}'")
    for step in e["steps"]:
        yield f"  - {step}"


def _render_speaker(s: dict[str, Any]) -> Iterator[str]:
    link = s.get("in_document")
    if link:
        at = link["named_at"]
        where = (f", named at {at['start']}-{at['end']} ('{at['text']}')" if at
                 else ", a name the text does not spell out")
        yield f"  in this document: '{link['mention']}' is '{link['name']}'{where}"
    yield f"  speaker: {s['name']} ({s['type']})"
    across = s.get("across_documents") or {}
    if across.get("shared"):
        n = across["documents"]
        if n:
            first = ", ".join(f"{d['path']} (quote {d['quote']})" for d in across["first"])
            more = f" and {n - len(across['first'])} more" if n > len(across["first"]) else ""
            yield (f"  across documents: {across['why']} is the speaker of {n} other "
                   f"document{'s' if n != 1 else ''}: {first}{more}")
        else:
            yield f"  across documents: {across['why']} would link other documents; none gives it yet"
    elif across:
        yield f"  across documents: none; this document's own speaker: {across['why']}, which links no documents"
    for link in s.get("links") or []:
        how = _MOVED_BY.get(link["how"], f"`quotes speakers {link['how']}`")
        yield (f"  moved by {how} at {link['at']}: '{base_key(link['key'])}' "
               f"from {link['from'] or 'its own speaker'} to {link['to']}")


# moves no command made: the revision that made them, and why
_MOVED_BY = {"refold": "revision 0010 (a hyphen in a name folds like a space)"}
