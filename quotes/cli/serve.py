"""``quotes serve``: browse a store in Datasette, read-only, with the project's own pages.

Thin click wrapper over :func:`quotes.web.datasette_plugin.make_datasette`; ``register(cli)``
adds the command. See docs/serve.md.
"""
from __future__ import annotations

import asyncio
import os
from typing import Any

import click

from ..errors import QuotesError, StoreError


class ServeError(QuotesError):
    """The store cannot be served (not SQLite, missing, Datasette not installed...)."""


def sqlite_path(db: str) -> str:
    """The file of a SQLite store given as a path or ``sqlite:///`` URL; ServeError otherwise."""
    if "://" in db:
        from sqlalchemy.engine import make_url

        url = make_url(db)
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            raise ServeError(f"{url.render_as_string(hide_password=True)}: quotes serve needs a "
                             f"SQLite database file (Datasette reads SQLite only)")
        db = url.database
    if not os.path.isfile(db):
        raise ServeError(f"{db}: no such database file (create it with `quotes extract ... --db {db}`)")
    return db


def build(db: str, allow_sql: bool = False, immutable: bool = False) -> Any:
    """A ready (started-up) Datasette over the store ``db``; checks the store first."""
    path = sqlite_path(db)
    try:
        from ..web.datasette_plugin import make_datasette
    except ImportError as e:
        raise ServeError(f"quotes serve needs Datasette ({e}); pip install datasette") from None
    from ..web.datasette_plugin.readonly import ReadOnlyStore

    try:
        ReadOnlyStore(path, immutable=immutable).close()  # one clear line if it is no quotes store
    except StoreError as e:
        raise ServeError(str(e)) from None
    ds = make_datasette(path, allow_sql=allow_sql, immutable=immutable)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(ds.invoke_startup())
    finally:
        loop.close()
    return ds


def register(cli: click.Group) -> None:
    @cli.command("serve")
    @click.option("--db", envvar="QUOTES_DB", default="quotes.db", show_default=True,
                  help="The SQLite store to browse (env QUOTES_DB).")
    @click.option("--host", default="127.0.0.1", show_default=True,
                  help="Address to listen on (0.0.0.0 shows the store to your whole network).")
    @click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
                  help="Port to listen on.")
    @click.option("--allow-sql", is_flag=True,
                  help="Let visitors run their own SQL (read-only; Datasette's SQL editor and ?_where=).")
    @click.option("--immutable", is_flag=True,
                  help="Open the file as immutable: for a finished store (changes made while "
                       "serving are not seen; the database file can be downloaded).")
    def serve(db: str, host: str, port: int, allow_sql: bool, immutable: bool) -> None:
        """Browse the store in Datasette (read-only): quotes in their articles, speakers and
        outlets as facets, and a form that verifies a claimed quote."""
        ds = build(db, allow_sql=allow_sql, immutable=immutable)
        import uvicorn

        shown = f"[{host}]" if ":" in host else host
        click.echo(f"serving {db} read-only at http://{shown}:{port}/ "
                   f"(raw SQL {'allowed' if allow_sql else 'off'}; Ctrl-C stops)", err=True)
        uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
