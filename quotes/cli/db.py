"""``quotes db``: schema migrations (upgrade, downgrade, current)."""
from __future__ import annotations

from typing import Any

import click

from .common import db_option, open_store


@click.group()
def db() -> None:
    """Database schema migrations."""


def _revision_line(store: Any) -> str:
    current = store.current()
    head = store.head()
    if current is None:
        return "base (empty database)"
    return f"{current} (head)" if current == head else current


@db.command("upgrade")
@click.argument("revision", default="head")
@db_option
@click.option("--allow-other-tables", is_flag=True,
              help="Add the quotes tables to a database that holds tables of its own.")
def db_upgrade(revision: str, db: str, allow_other_tables: bool = False) -> None:
    """Upgrade the schema (default: to head; a new SQLite file is created)."""
    store = open_store(db, create=True, other_tables=allow_other_tables)
    store.upgrade(revision)
    click.echo(_revision_line(store))


@db.command("downgrade")
@click.argument("revision")
@db_option
def db_downgrade(revision: str, db: str) -> None:
    """Downgrade the schema to REVISION ("base" empties the database)."""
    store = open_store(db)
    store.downgrade(revision)
    click.echo(_revision_line(store))


@db.command("current")
@db_option
def db_current(db: str) -> None:
    """Print the schema revision of the database."""
    click.echo(_revision_line(open_store(db)))

