"""Extraction as a pure function from one article to plain, serialisable rows.

    rec = article_records({"id": "a1", "text": "..."}, Extractor(engine="rules"))
    json.dumps(rec)                      # only dicts, lists, str, int, float, bool, None
    write_records(store, [rec, ...])     # one transaction; a rerun adds nothing

``article_records`` is what a distributed engine maps over a corpus: it needs
no database and returns the rows of one document — the document itself, its
quotes, the distinct speakers and outlets they name, the speaker mentions and
the attributions — cross-referenced by their index in the record (``n``), not
by database ids. ``write_records`` turns a batch of such records back into
:class:`~quotes.types.Quote` objects and stores them through
:meth:`quotes.store.Store.add_many`, so a distributed run writes exactly the
rows ``quotes extract`` would, with the same span checks and speaker
resolution. Documents are keyed by ``(path, sha256)``: one already stored is
skipped, so rerunning a batch (after a worker died, say) adds no duplicates.

Articles are the objects of a ``.jsonl`` corpus: ``text`` plus optional
``id``, ``url``, ``title``, ``publisher``, ``date``, ``path``, read with the
same rules as :mod:`quotes.sources.reader` (the document is called by its ``id``, else
its ``path``, else the ``default_path`` the caller gives, e.g. ``corpus.jsonl#12``).
"""
from __future__ import annotations

import hashlib
from typing import Any, Iterable, Sequence

from ..errors import ReadError
from ..store.keys import fold_key
from ..sources.reader import JSONL_FIELDS
from ..types import Document, Outlet, Quote, Span, Speaker

RECORD_VERSION = 1


def article_document(article: dict[str, Any], default_path: str | None = None) -> Document:
    """The Document of one corpus article (the rules of ``quotes.sources.reader`` for .jsonl lines).
    Raises ReadError (no location: the caller names the line)."""
    if not isinstance(article, dict):
        raise ReadError(f"expected a JSON object, got {type(article).__name__}")
    text = article.get("text")
    if not isinstance(text, str):
        raise ReadError('missing "text" string')
    meta: dict[str, str | None] = {}
    for key in JSONL_FIELDS:
        value = article.get(key)
        if value is None:
            meta[key] = None
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            meta[key] = str(value)
            if not meta[key].isascii():
                try:
                    meta[key].encode("utf-8")
                except UnicodeEncodeError:
                    raise ReadError(f'"{key}" contains an unpaired surrogate') from None
        else:
            raise ReadError(f'"{key}" must be a string')
    try:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:
        raise ReadError('"text" contains an unpaired surrogate') from None
    return Document(text=text, path=meta["id"] or meta["path"] or default_path, url=meta["url"],
                    title=meta["title"], publisher=meta["publisher"], date=meta["date"],
                    author=meta["author"], external_id=meta["id"], sha256=digest)


def _span(span: Span | None) -> dict[str, Any] | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def document_records(document: Document, found: Sequence[Quote], engine: str) -> dict[str, Any]:
    """The rows of one extracted document (see the module docstring)."""
    doc = {"path": document.source, "url": document.url, "external_id": document.external_id,
           "sha256": document.sha256, "title": document.title, "publisher": document.publisher,
           "date": document.date, "author": document.author, "text": document.text,
           "origin": document.origin, "source_file": document.source_file, "source_line": document.source_line}
    rows: dict[str, list[dict[str, Any]]] = {
        "quotes": [], "speakers": [], "outlets": [], "mentions": [], "attributions": []}
    speaker_n: dict[tuple[str, str], int] = {}
    outlet_n: dict[str, int] = {}
    for qn, q in enumerate(found):
        rows["quotes"].append({"n": qn, "start": q.span.start, "end": q.span.end,
                               "content_start": q.content.start, "content_end": q.content.end,
                               "text": q.content.text, "kind": q.kind, "closed": bool(q.closed)})
        sn = mn = on = None
        if q.speaker is not None:
            sk = (q.speaker.name, q.speaker.type)
            if sk not in speaker_n:
                speaker_n[sk] = len(rows["speakers"])
                rows["speakers"].append({"n": speaker_n[sk], "name": q.speaker.name,
                                         "key": fold_key(q.speaker.name), "type": q.speaker.type})
            sn = speaker_n[sk]
            if q.speaker.mention is not None:
                mn = len(rows["mentions"])
                rows["mentions"].append({"n": mn, "speaker": sn, **_span(q.speaker.mention),
                                         "role": q.speaker.role, "affiliation": q.speaker.affiliation})
        if q.outlet is not None:
            if q.outlet.name not in outlet_n:
                outlet_n[q.outlet.name] = len(rows["outlets"])
                rows["outlets"].append({"n": outlet_n[q.outlet.name], "name": q.outlet.name,
                                        "key": fold_key(q.outlet.name)})
            on = outlet_n[q.outlet.name]
        rows["attributions"].append({
            "quote": qn, "speaker": sn, "mention": mn, "outlet": on,
            "outlet_span": _span(q.outlet.mention) if q.outlet else None,
            "outlet_rule": q.outlet.rule if q.outlet else None,
            "cue": _span(q.cue), "sieve": q.sieve, "confidence": float(q.confidence or 0.0),
            "explanation": list(q.explanation),
        })
    return {"version": RECORD_VERSION, "engine": engine, "document": doc, **rows}


def article_records(article: dict[str, Any], extractor: Any, default_path: str | None = None) -> dict[str, Any]:
    """Extract one corpus article with ``extractor`` (anything with ``extract(document)``
    and an ``engine`` name) and return its rows. A pure function of the article."""
    document = article_document(article, default_path)
    return document_records(document, extractor.extract(document), getattr(extractor, "engine", "rules"))


def _as_span(d: dict[str, Any] | None) -> Span | None:
    return None if d is None else Span(int(d["start"]), int(d["end"]), d["text"])


def records_quotes(record: dict[str, Any]) -> tuple[Document, list[Quote]]:
    """The Document and Quote objects a record was made from (its inverse)."""
    if record.get("version") != RECORD_VERSION:
        raise ValueError(f"unknown record version {record.get('version')!r}")
    d = record["document"]
    document = Document(text=d["text"], path=d["path"], url=d["url"], title=d["title"],
                        publisher=d["publisher"], date=d["date"], external_id=d["external_id"],
                        sha256=d["sha256"], author=d.get("author"), origin=d.get("origin"),
                        source_file=d.get("source_file"), source_line=d.get("source_line"))
    speakers, outlets, mentions = record["speakers"], record["outlets"], record["mentions"]
    found: list[Quote] = []
    for q, a in zip(record["quotes"], record["attributions"]):
        speaker = outlet = None
        if a["speaker"] is not None:
            s = speakers[a["speaker"]]
            m = mentions[a["mention"]] if a["mention"] is not None else None
            speaker = Speaker(s["name"], s["type"], _as_span(m),
                              m["role"] if m else None, m["affiliation"] if m else None)
        if a["outlet"] is not None:
            outlet = Outlet(outlets[a["outlet"]]["name"], _as_span(a["outlet_span"]), a.get("outlet_rule"))
        found.append(Quote(
            span=Span(q["start"], q["end"], d["text"][q["start"]:q["end"]]),
            content=Span(q["content_start"], q["content_end"], q["text"]),
            kind=q["kind"], closed=bool(q["closed"]), speaker=speaker, cue=_as_span(a["cue"]),
            outlet=outlet, sieve=a["sieve"], confidence=a["confidence"],
            explanation=tuple(a["explanation"]),
        ))
    return document, found


def write_records(store: Any, records: Iterable[dict[str, Any]]) -> list[tuple[int, bool]]:
    """Store a batch of records in ONE transaction; documents already stored (same path
    and sha256) are skipped. Returns ``(document_id, added)`` per record, in order."""
    records = list(records)
    if not records:
        return []
    by_engine: dict[str, list[int]] = {}
    for i, rec in enumerate(records):
        by_engine.setdefault(rec.get("engine") or "rules", []).append(i)
    out: list[tuple[int, bool] | None] = [None] * len(records)
    for engine, idx in by_engine.items():  # one engine per batch in practice: one transaction
        for i, result in zip(idx, store.add_many([records_quotes(records[i]) for i in idx], engine)):
            out[i] = result
    return [r for r in out if r is not None]
