"""Alembic environment, configured programmatically by :class:`quotes.store.Store`.

The store passes an open connection in ``config.attributes["connection"]``;
otherwise ``sqlalchemy.url`` from the config is used (e.g. when running the
``alembic`` command with ``-x``-less ad-hoc configs). Batch mode is always on
so ALTERs work on SQLite.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from quotes.store.schema import metadata

config = context.config


def _configure(**kw) -> None:
    context.configure(
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
        **kw,
    )


def run_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
