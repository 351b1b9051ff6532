"""``quotes serve``'s Datasette: built over a store file after checking it (see docs/serve.md)."""
from __future__ import annotations

import asyncio
import os
from typing import Any

from ..errors import QuotesError, StoreError
from .hosts import allowed_hosts, guard

__all__ = ["ServeError", "allowed_hosts", "build", "guarded_app", "sqlite_path"]


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
        from .datasette_plugin import make_datasette
    except ImportError as e:
        raise ServeError(f"quotes serve needs Datasette ({e}); pip install datasette") from None
    from .datasette_plugin.readonly import ReadOnlyStore

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


def guarded_app(ds: Any, allowed: frozenset[str]) -> Any:
    """The ASGI app of ``ds`` that answers only requests naming an allowed host
    (:mod:`quotes.web.hosts`: no DNS rebinding against a server on 127.0.0.1)."""
    return guard(ds.app(), allowed)
