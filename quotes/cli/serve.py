"""``quotes serve``: browse a store in Datasette, read-only, with the project's own pages.

Thin click wrapper over :func:`quotes.web.serve.build`. See docs/serve.md.
"""
from __future__ import annotations

import click

from ..web.serve import allowed_hosts, build, guarded_app


@click.command("serve")
@click.option("--db", envvar="QUOTES_DB", default="quotes.db", show_default=True,
              help="The SQLite store to browse (env QUOTES_DB).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 shows the store to your whole network).")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="Port to listen on.")
@click.option("--allow-sql", is_flag=True,
              help="Let visitors run their own SQL (read-only; Datasette's SQL editor and ?_where=).")
@click.option("--allow-host", "allow_host", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable; '*': any). By default "
                   "only the address served on is answered (no DNS rebinding).")
@click.option("--immutable", is_flag=True,
              help="Open the file as immutable: for a finished store (changes made while "
                   "serving are not seen; the database file can be downloaded).")
def serve(db: str, host: str, port: int, allow_sql: bool, immutable: bool,
          allow_host: tuple[str, ...] = ()) -> None:
    """Browse the store in Datasette (read-only): quotes in their articles, speakers and
    outlets as facets, and a form that verifies a claimed quote."""
    ds = build(db, allow_sql=allow_sql, immutable=immutable)
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    click.echo(f"serving {db} read-only at http://{shown}:{port}/ "
               f"(raw SQL {'allowed' if allow_sql else 'off'}; Ctrl-C stops)", err=True)
    app = guarded_app(ds, allowed_hosts(host, port, extra=allow_host))
    uvicorn.run(app, host=host, port=port, log_level="warning", lifespan="on", workers=1)
