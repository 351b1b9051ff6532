"""The plugin's pages: a quote in its article, a whole article, and the verify form.

All reads go through Datasette's own read-only connection to the store; the verify form
runs :func:`quotes.factcheck.verify.verify` on a :class:`ReadOnlyStore` in a worker thread.
"""
from __future__ import annotations

import asyncio
import importlib
import json
import logging
import weakref
from typing import Any

from datasette.utils.asgi import Forbidden, NotFound, Response
from sqlalchemy import func, select
from sqlalchemy.dialects import sqlite

from ...store import queries
from ...errors import QuotesError
from ...store.schema import attributions, quotes
from .marks import Mark, mark_up

log = logging.getLogger(__name__)

PLUGIN = "quotes"
STATIC = __package__  # the plugin module's name: Datasette serves its static/ folder under it
OTHER_QUOTES = 50  # of the focus quote's speaker, listed on its page
MAX_CLAIM = 5000  # characters

_stores: "weakref.WeakKeyDictionary[Any, Any]" = weakref.WeakKeyDictionary()


def _sql(stmt: Any) -> str:
    """A SELECT of quotes.store.queries as SQLite SQL (only integers are ever bound here)."""
    return str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))


def database_name(datasette: Any) -> str:
    configured = (datasette.plugin_config(PLUGIN) or {}).get("database")
    if configured:
        return configured
    names = [n for n, db in datasette.databases.items() if n != "_internal" and not db.is_memory]
    if not names:
        raise NotFound("no quotes database is attached")
    return names[0]


async def _database(datasette: Any, request: Any) -> tuple[Any, str]:
    name = database_name(datasette)
    allowed = await datasette.permission_allowed(request.actor, "view-database", resource=name,
                                                 default=True)
    if not allowed:
        raise Forbidden("view-database")
    return datasette.get_database(name), name


def _span(start: Any, end: Any, text: Any) -> dict[str, Any] | None:
    return None if start is None else {"start": start, "end": end, "text": text}


def _quote(row: Any) -> dict[str, Any]:
    """A quote row of queries.quote_select as a dict for the templates."""
    return {
        "id": row["id"], "document_id": row["document_id"], "start": row["start"], "end": row["end"],
        "text": row["text"], "kind": row["kind"],
        "document_title": row["document_title"], "document_path": row["document_path"],
        "speaker": None if row["speaker_id"] is None else {
            "id": row["speaker_id"], "name": row["speaker_name"], "type": row["speaker_type"],
            "mention": _span(row["mention_start"], row["mention_end"], row["mention_text"])},
        "outlet": None if row["outlet_id"] is None else {
            "id": row["outlet_id"], "name": row["outlet_name"],
            "mention": _span(row["outlet_start"], row["outlet_end"], row["outlet_text"])},
        "cue": _span(row["cue_start"], row["cue_end"], row["cue_text"]),
        "sieve": row["sieve"], "confidence": row["confidence"],
    }


def short(text: str, n: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def article_marks(found: list[dict[str, Any]], focus: dict[str, Any] | None) -> list[Mark]:
    """Every quote marked; the focus quote's speaker mention, cue and outlet mention too."""
    marks = []
    for q in found:
        who = q["speaker"]["name"] if q["speaker"] else "no speaker"
        classes = f"quote kind-{q['kind']}" + (" focus" if focus and q["id"] == focus["id"] else "")
        marks.append(Mark(q["start"], q["end"], classes, id=f"q{q['id']}",
                          title=f"#{q['id']} {q['kind']} · {who}"))
    if focus:
        for key, rank in (("speaker", 1), ("cue", 2), ("outlet", 3)):
            part = focus[key]
            span = part.get("mention") if key != "cue" and part else part
            if span:
                marks.append(Mark(span["start"], span["end"], f"{key}-mention", id=f"focus-{key}",
                                  title=key, rank=rank))
    return marks


async def _article(datasette: Any, request: Any, db: Any, name: str, document_id: int,
                   focus: dict[str, Any] | None) -> Response:
    doc = (await db.execute(
        "select id, path, url, title, publisher, date, sha256, text, engine, extracted_at "
        "from documents where id = :id", {"id": document_id})).first()
    if doc is None:
        raise NotFound(f"no document {document_id}")
    rows = await db.execute(_sql(queries.filter_quotes(queries.quote_select(), document=document_id)))
    found = sorted((_quote(r) for r in rows), key=lambda q: (q["start"], -q["end"]))
    urls = datasette.urls
    for q in found:
        q["url"] = urls.path(f"/-/quotes/quote/{q['id']}") + f"#q{q['id']}"
        q["short"] = short(q["text"])
    other, other_total, why = [], 0, []
    if focus is not None and focus["speaker"]:
        sid = focus["speaker"]["id"]
        stmt = queries.quote_select().where(attributions.c.speaker_id == sid,
                                            quotes.c.id != focus["id"]).limit(OTHER_QUOTES)
        other = [_quote(r) for r in await db.execute(_sql(stmt))]
        for q in other:
            q["url"] = urls.path(f"/-/quotes/quote/{q['id']}") + f"#q{q['id']}"
            q["short"] = short(q["text"])
        count = select(func.count()).select_from(attributions).where(attributions.c.speaker_id == sid)
        other_total = (await db.execute(_sql(count))).first()[0] - 1
    if focus is not None:
        raw = (await db.execute("select explanation from attributions where quote_id = :id",
                                {"id": focus["id"]})).first()
        try:
            why = json.loads(raw[0]) if raw and raw[0] else []
        except ValueError:
            why = [raw[0]]
    table = urls.table(name, "attributions")
    context = {
        "database": name,
        "document": dict(doc),
        "article": mark_up(doc["text"], article_marks(found, focus)),
        "quotes": found,
        "focus": focus,
        "why": why,
        "other": other,
        "other_total": other_total,
        "speaker_table_url": f"{table}?speaker_id={focus['speaker']['id']}" if focus and focus["speaker"] else None,
        "outlet_table_url": f"{table}?outlet_id={focus['outlet']['id']}" if focus and focus["outlet"] else None,
        "document_url": urls.path(f"/-/quotes/document/{document_id}"),
        "document_row_url": f"{urls.table(name, 'documents')}/{document_id}",
        "verify_url": urls.path("/-/quotes/verify"),
        "css_url": urls.static_plugins(STATIC, "quotes.css"),
    }
    return Response.html(await datasette.render_template("quotes_article.html", context, request=request))


async def quote_page(datasette: Any, request: Any) -> Response:
    db, name = await _database(datasette, request)
    quote_id = int(request.url_vars["quote_id"])
    row = (await db.execute(_sql(queries.filter_quotes(queries.quote_select(), ids=[quote_id])))).first()
    if row is None:
        raise NotFound(f"no quote {quote_id}")
    focus = _quote(row)
    return await _article(datasette, request, db, name, focus["document_id"], focus)


async def document_page(datasette: Any, request: Any) -> Response:
    db, name = await _database(datasette, request)
    return await _article(datasette, request, db, name, int(request.url_vars["document_id"]), None)


# ------------------------------------------------------------------ verify

def verify_module() -> Any:
    """quotes.factcheck.verify, or None when this installation has no verifier."""
    try:
        module = importlib.import_module("quotes.factcheck.verify")
    except ImportError:
        return None
    return module if callable(getattr(module, "verify", None)) else None


def _store(datasette: Any, db: Any) -> Any:
    store = _stores.get(datasette)
    if store is None:
        from .readonly import ReadOnlyStore

        store = ReadOnlyStore(db.path, immutable=not db.is_mutable)
        _stores[datasette] = store
    return store


def _hit(datasette: Any, hit: dict[str, Any]) -> dict[str, Any]:
    """A verdict's matched quote, with its link and its context marked up."""
    ctx = hit["context"]
    base = ctx["start"]
    marks = [Mark(hit["start"] - base, hit["end"] - base, "quote focus")]
    if hit.get("matched"):
        marks.append(Mark(hit["matched"]["start"] - base, hit["matched"]["end"] - base, "matched", rank=1))
    return {**hit, "url": datasette.urls.path(f"/-/quotes/quote/{hit['id']}") + f"#q{hit['id']}",
            "context_html": mark_up(ctx["text"], marks)}


async def verify_page(datasette: Any, request: Any) -> Response:
    db, name = await _database(datasette, request)
    claim = (request.args.get("claim") or "").strip()
    speaker = (request.args.get("speaker") or "").strip() or None
    module = verify_module()
    verdicts: list[dict[str, Any]] | None = None
    error = None
    if module is None:
        error = "This installation has no verifier (quotes.factcheck.verify is missing)."
    elif len(claim) > MAX_CLAIM:
        error = f"The claim is longer than {MAX_CLAIM} characters."
    elif claim:
        store = _store(datasette, db)
        loop = asyncio.get_running_loop()
        try:
            found = await loop.run_in_executor(None, lambda: module.verify(store, claim, speaker=speaker))
        except QuotesError as e:
            error = str(e)
        else:
            verdicts = []
            for v in found:
                d = v.to_dict()
                d["wdiff"] = v.wdiff()
                d["quote"] = _hit(datasette, d["quote"]) if d["quote"] else None
                d["parts"] = [{**p, "quote": _hit(datasette, p["quote"])} for p in d["parts"]]
                verdicts.append(d)
    context = {
        "database": name, "claim": claim, "speaker": speaker or "", "verdicts": verdicts,
        "error": error, "verify_url": datasette.urls.path("/-/quotes/verify"),
        "css_url": datasette.urls.static_plugins(STATIC, "quotes.css"),
    }
    return Response.html(await datasette.render_template("quotes_verify.html", context, request=request))
