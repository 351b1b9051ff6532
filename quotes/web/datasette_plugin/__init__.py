"""quotes' own Datasette plugin, and the read-only Datasette that ``quotes serve`` runs.

Pages (under Datasette's ``/-/`` namespace):

* ``/-/quotes/quote/ID``: the whole article with every quote marked, quote ID highlighted
  with its speaker mention, cue and outlet mention, its provenance and the rule that
  decided it, and links to the speaker's other quotes;
* ``/-/quotes/document/ID``: the article with every quote marked;
* ``/-/quotes/verify?claim=...&speaker=...``: the verify form and its verdicts.

Datasette's own tables get speakers and outlets as facets (``attributions``), quote text as
the label of a quote (so foreign keys show it) and links from quotes to their article page.

The plugin is registered programmatically (:func:`register`), not through an entry point:
it is part of the quotes package and only ``quotes serve`` (or :func:`make_datasette`) uses it.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from datasette import hookimpl
from markupsafe import Markup, escape

from . import limits, views

PLUGIN = views.PLUGIN


def register() -> None:
    """Register this module's hooks with Datasette's plugin manager (once per process)."""
    from datasette.plugins import pm

    module = sys.modules[__name__]
    if not pm.is_registered(module):
        pm.register(module, name=__name__)


def metadata(name: str, allow_sql: bool) -> dict[str, Any]:
    """Datasette metadata for a quotes store attached as database ``name`` (the file's name,
    which may hold anything a file name can: it is URL-encoded as Datasette does, then escaped)."""
    from datasette.utils import tilde_encode

    table = escape(f"/{tilde_encode(name)}/attributions")
    meta: dict[str, Any] = {
        "title": "quotes",
        "description_html": (
            f'Every quote with its speaker, cue and outlet: <a href="{table}">browse by speaker '
            f'and outlet</a> · <a href="/-/quotes/verify">verify a quote</a>'
        ),
        "plugins": {PLUGIN: {"database": name}},
        "databases": {name: {"tables": {
            "attributions": {"facets": ["speaker_id", "outlet_id", "sieve"],
                             "description": "Who said each quote, through which outlet, decided by which rule."},
            "quotes": {"label_column": "text", "facets": ["kind", "document_id"],
                       "fts_table": "quote_search", "fts_pk": "id"},  # the FTS5 index of 0002
            "documents": {"label_column": "title", "facets": ["publisher"]},
            "speakers": {"label_column": "name", "facets": ["type"]},
            "speaker_mentions": {"facets": ["speaker_id"]},
            "outlets": {"label_column": "name"},
            "alembic_version": {"hidden": True},
            "quote_search": {"hidden": True},
            "quote_search_terms": {"hidden": True},
        }}},
    }
    if not allow_sql:
        meta["allow_sql"] = False  # no SQL editor, no canned write, no ?_where=
    return meta


def make_datasette(path: str | Path, allow_sql: bool = False, immutable: bool = False) -> Any:
    """A Datasette over one quotes store: read-only (SQLite ``mode=ro``, or ``immutable=1``),
    this plugin registered, and no raw SQL unless ``allow_sql``."""
    from datasette.app import Datasette

    register()
    path = str(path)
    name = Path(path).stem
    settings = {"default_allow_sql": bool(allow_sql), "truncate_cells_html": 300,
                "allow_download": bool(immutable), "sql_time_limit_ms": limits.TIME_LIMIT_MS,
                "max_returned_rows": limits.MAX_ROWS}
    ds = Datasette(
        files=[] if immutable else [path], immutables=[path] if immutable else [],
        metadata=metadata(name, allow_sql), settings=settings,
    )
    limits.limit_results(ds.get_database(name))  # (and prepare_connection below: every connection)
    return ds


# ------------------------------------------------------------------ hooks

@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    """The store's connections get the limits of :mod:`.limits` (time, size, functions)."""
    if (datasette.plugin_config(PLUGIN) or {}).get("database") == database:
        limits.prepare(conn)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/quotes/quote/(?P<quote_id>\d+)$", views.quote_page),
        (r"^/-/quotes/document/(?P<document_id>\d+)$", views.document_page),
        (r"^/-/quotes/verify$", views.verify_page),
    ]


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Any:
    """Quote text links to the quote's article page, a document's text to the article page."""
    if database != views.database_name(datasette):
        return None
    if table == "quotes" and column == "text" and "id" in row.keys():
        href = datasette.urls.path(f"/-/quotes/quote/{row['id']}") + f"#q{row['id']}"
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if table == "attributions" and column == "quote_id" and isinstance(value, dict):
        href = datasette.urls.path(f"/-/quotes/quote/{int(value['value'])}") + f"#q{int(value['value'])}"
        return Markup(f'<a href="{escape(href)}">{escape(value.get("label") or value["value"])}</a>')
    if table == "documents" and column == "text" and "id" in row.keys() and isinstance(value, str):
        href = datasette.urls.path(f"/-/quotes/document/{int(row['id'])}")
        return Markup(f'<a href="{escape(href)}">{escape(views.short(value, 200))}</a>')
    return None


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    name = views.database_name(datasette)
    return [
        {"href": datasette.urls.path("/-/quotes/verify"), "label": "Verify a quote"},
        {"href": datasette.urls.table(name, "attributions"), "label": "Quotes by speaker and outlet"},
    ]
