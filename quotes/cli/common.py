"""What every command shares: the group class that turns errors into one line, logging
to stderr, ``--db`` and opening the store."""
from __future__ import annotations

import logging
from typing import Any, Callable

import click

from ..errors import ModelError, QuotesError

ENGINES = ("stanza", "rules")


class QuotesGroup(click.Group):
    """Turns the package's own errors into one line on stderr, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QuotesError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(2 if isinstance(e, ModelError) else 1)


class _EchoHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def setup_logging(verbose: int) -> None:
    logger = logging.getLogger("quotes")
    for handler in [h for h in logger.handlers if isinstance(h, _EchoHandler)]:
        logger.removeHandler(handler)
    handler = _EchoHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.getLogger("stanza").setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)


def indirect_option(fn: Callable) -> Callable:
    """``--indirect/--no-indirect``: reported speech without quote marks too (kind ``indirect``,
    issue 17); off by default (docs/indirect.md says why), ``--no-indirect`` is the default's name."""
    return click.option(
        "--indirect/--no-indirect", default=False, show_default=True,
        help="Also extract reported speech without quote marks (kind indirect; "
             "precision about 0.76 on PolNeAR dev, see docs/indirect.md); default: quote marks only.",
    )(fn)


def kind_label(kind: str) -> str:
    """A quote's kind for the terminal: reported speech says that it is no quotation."""
    return "indirect: reported, not quoted" if kind == "indirect" else kind


def db_option(fn: Callable) -> Callable:
    return click.option(
        "--db", envvar="QUOTES_DB", default="quotes.db", show_default=True,
        help="Database path or SQLAlchemy URL (env QUOTES_DB).",
    )(fn)


def open_store(db: str | None, create: bool = False, other_tables: bool = False) -> Any:
    """The store ``--db`` names, checked: a command that only reads refuses a SQLite file that
    does not exist (it never creates an empty one); ``create`` is for the commands that make
    a store (``extract``, ``db upgrade``)."""
    from ..store import Store

    store = Store(db, create=create, other_tables=other_tables)
    store.check_file()
    return store
