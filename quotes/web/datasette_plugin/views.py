"""The plugin's pages: a quote in its article, a whole article, and the verify form.

All reads go through Datasette's own read-only connection to the store; the verify form
runs :func:`quotes.factcheck.verify.verify` on a :class:`ReadOnlyStore` in a worker thread.
"""
from __future__ import annotations

import asyncio
import importlib
import json
import logging
import re
import sqlite3
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


def article_marks(found: list[dict[str, Any]], focus: dict[str, Any] | None, base: int = 0,
                  end: int | None = None) -> list[Mark]:
    """Every quote marked; the focus quote's speaker mention, cue and outlet mention too.
    Offsets are shifted by ``base`` (the window's start in the document); a mark that runs past
    the window ``[base, end)`` is cut at its edge."""

    def clip(start: int, stop: int) -> tuple[int, int]:
        lo, hi = max(start, base), stop if end is None else min(stop, end)
        return lo - base, hi - base

    marks = []
    for q in found:
        who = q["speaker"]["name"] if q["speaker"] else "no speaker"
        classes = f"quote kind-{q['kind']}" + (" focus" if focus and q["id"] == focus["id"] else "")
        kind = "indirect (reported speech, no quote marks)" if q["kind"] == "indirect" else q["kind"]
        marks.append(Mark(*clip(q["start"], q["end"]), classes, id=f"q{q['id']}",
                          title=f"#{q['id']} {kind} · {who}"))
    if focus:
        for key, rank in (("speaker", 1), ("cue", 2), ("outlet", 3)):
            part = focus[key]
            span = part.get("mention") if key != "cue" and part else part
            if span:
                marks.append(Mark(*clip(span["start"], span["end"]), f"{key}-mention", id=f"focus-{key}",
                                  title=key, rank=rank))
    return marks


WINDOW = 6000  # characters of article shown around a quote, and per part of a document page
MAX_ID = 2 ** 63 - 1  # SQLite's largest integer: a larger id names no row


def web_url(url: str | None) -> str | None:
    """``url`` if it may be a link (http or https, nothing else: no ``javascript:``), else None."""
    if not url:
        return None
    value = url.strip()
    if value != url or any(ord(c) < 0x21 or 0x7f <= ord(c) <= 0x9f for c in value):  # (the page escapes the rest)
        return None
    scheme, sep, rest = value.partition(":")
    if not sep or scheme.lower() not in ("http", "https") or not rest.startswith("//") or len(rest) < 3:
        return None
    return value


def row_id(value: str) -> int:
    """A row id from the URL (digits only, by the route), or 404 when no row can have it."""
    number = int(value)
    if number > MAX_ID:
        raise NotFound(f"no row {value[:30]}")
    return number


def _connect(path: str, immutable: bool) -> sqlite3.Connection:
    """A read-only connection of the page's own (no Datasette limits: an article of any length
    is read, a window at a time), for one page, in a worker thread."""
    from .readonly import sqlite_uri

    conn = sqlite3.connect(sqlite_uri(path, immutable), uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def _window(conn: sqlite3.Connection, document_id: int, lo: int, hi: int, size: int) -> tuple[int, int, str]:
    """The document's text from about ``lo`` to about ``hi`` (at most WINDOW characters more on
    each side), widened to whole lines when a line break is near: ``(start, end, text)`` with
    ``text == documents.text[start:end]`` (SQLite's substr counts characters, as Python does)."""
    lo, hi = max(0, lo), min(size, hi)
    a, b = max(0, lo - 200), min(size, hi + 200)
    (text,) = conn.execute("select substr(text, ?, ?) from documents where id = ?",
                           (a + 1, b - a, document_id)).fetchone()
    start, end = lo, hi
    if lo > 0:
        cut = text.rfind("\n", 0, lo - a)
        start = a + cut + 1 if cut >= 0 else lo
    if hi < size:
        cut = text.find("\n", hi - a)
        end = a + cut + 1 if cut >= 0 else hi
    return start, end, text[start - a:end - a]


def _focus_context(conn: sqlite3.Connection, quote_id: int) -> dict[str, Any] | None:
    row = conn.execute(_sql(queries.filter_quotes(queries.quote_select(), ids=[quote_id]))).fetchone()
    return None if row is None else _quote(row)


def _article_context(path: str, immutable: bool, document_id: int, focus_id: int | None,
                     part_start: int | None) -> dict[str, Any]:
    """Everything a page of an article shows, read on a connection of its own (in a worker
    thread, off the event loop): the document's provenance, the window of its text around
    the focus quote (or the part of it from ``part_start``) with its quotes marked, and the
    focus quote's speaker's other quotes. Raises NotFound."""
    conn = _connect(path, immutable)
    try:
        focus = None
        if focus_id is not None:
            focus = _focus_context(conn, focus_id)
            if focus is None:
                raise NotFound(f"no quote {focus_id}")
            document_id = focus["document_id"]
        doc = conn.execute(
            "select id, path, url, title, publisher, date, sha256, engine, extracted_at, length(text) as size "
            "from documents where id = ?", (document_id,)).fetchone()
        if doc is None:
            raise NotFound(f"no document {document_id}")
        size = doc["size"]
        if focus is not None:
            spans = [(focus["start"], focus["end"])] + [
                (p["start"], p["end"]) for p in (focus["cue"], (focus["speaker"] or {}).get("mention"),
                                                 (focus["outlet"] or {}).get("mention")) if p]
            lo = max(min(a for a, _ in spans), focus["start"] - WINDOW)
            hi = min(max(b for _, b in spans), focus["end"] + WINDOW)
            start, end, text = _window(conn, document_id, lo - WINDOW // 2, hi + WINDOW // 2, size)
        else:
            first = min(part_start or 0, max(0, size - 1))
            start, end, text = _window(conn, document_id, first, first + 2 * WINDOW, size)
        stmt = queries.filter_quotes(queries.quote_select(), document=document_id).where(
            quotes.c.end > start, quotes.c.start < end)
        found = sorted((_quote(r) for r in conn.execute(_sql(stmt))), key=lambda q: (q["start"], -q["end"]))
        total = conn.execute("select count(*) from quotes where document_id = ?", (document_id,)).fetchone()[0]
        other, other_total, why = [], 0, []
        if focus is not None and focus["speaker"]:
            sid = focus["speaker"]["id"]
            other_stmt = queries.quote_select().where(attributions.c.speaker_id == sid,
                                                      quotes.c.id != focus["id"]).limit(OTHER_QUOTES)
            other = [_quote(r) for r in conn.execute(_sql(other_stmt))]
            count = select(func.count()).select_from(attributions).where(attributions.c.speaker_id == sid)
            other_total = conn.execute(_sql(count)).fetchone()[0] - 1
        if focus is not None:
            raw = conn.execute("select explanation from attributions where quote_id = ?", (focus["id"],)).fetchone()
            try:
                why = json.loads(raw[0]) if raw and raw[0] else []
            except ValueError:
                why = [raw[0]]
        document = dict(doc)
        document["link"] = web_url(document["url"])
        return {"document": document, "article": mark_up(text, article_marks(found, focus, start, end)),
                "window": {"start": start, "end": end, "size": size}, "quotes": found, "quotes_total": total,
                "focus": focus, "why": why, "other": other, "other_total": other_total}
    finally:
        conn.close()


async def _article(datasette: Any, request: Any, db: Any, name: str, document_id: int | None,
                   focus_id: int | None) -> Response:
    part = request.args.get("start")
    part_start = int(part) if part and part.isdigit() and len(part) < 16 else None
    loop = asyncio.get_running_loop()
    data = await loop.run_in_executor(None, _article_context, db.path, not db.is_mutable,
                                      document_id or 0, focus_id, part_start)
    document_id = data["document"]["id"]
    focus = data["focus"]
    urls = datasette.urls
    for q in data["quotes"] + data["other"]:
        q["url"] = urls.path(f"/-/quotes/quote/{q['id']}") + f"#q{q['id']}"
        q["short"] = short(q["text"])
    window = data["window"]
    doc_url = urls.path(f"/-/quotes/document/{document_id}")
    table = urls.table(name, "attributions")
    context = {
        **data,
        "database": name,
        "earlier_url": f"{doc_url}?start={max(0, window['start'] - 2 * WINDOW)}" if window["start"] > 0 else None,
        "later_url": f"{doc_url}?start={window['end']}" if window["end"] < window["size"] else None,
        "speaker_table_url": f"{table}?speaker_id={focus['speaker']['id']}" if focus and focus["speaker"] else None,
        "outlet_table_url": f"{table}?outlet_id={focus['outlet']['id']}" if focus and focus["outlet"] else None,
        "document_url": doc_url,
        "document_row_url": f"{urls.table(name, 'documents')}/{document_id}",
        "verify_url": urls.path("/-/quotes/verify"),
        "css_url": urls.static_plugins(STATIC, "quotes.css"),
    }
    return Response.html(await datasette.render_template("quotes_article.html", context, request=request))


async def quote_page(datasette: Any, request: Any) -> Response:
    db, name = await _database(datasette, request)
    return await _article(datasette, request, db, name, None, row_id(request.url_vars["quote_id"]))


async def document_page(datasette: Any, request: Any) -> Response:
    db, name = await _database(datasette, request)
    return await _article(datasette, request, db, name, row_id(request.url_vars["document_id"]), None)


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
                d["css"] = "-".join(re.findall(r"[a-z]+", v.verdict))  # paraphrase-reported-not-quoted
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
