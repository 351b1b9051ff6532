"""A :class:`~quotes.store.Store` that can only read: what ``quotes serve`` verifies claims on.

The usual Store sets WAL mode when it connects and migrates an old database to head, both
writes. This one opens the SQLite file ``mode=ro`` (or ``immutable=1``) with no pragmas, and
refuses a database whose schema is not this version's head instead of upgrading it.
"""
from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from ...errors import StoreError
from ...store import Store


def sqlite_uri(path: str, immutable: bool = False) -> str:
    return f"file:{quote(os.path.abspath(path))}?{'immutable=1' if immutable else 'mode=ro'}"


class ReadOnlyStore(Store):
    def __init__(self, path: str, immutable: bool = False):
        if not os.path.isfile(path):
            raise StoreError(f"{path}: no such database file")
        super().__init__(path)
        self.engine.dispose()
        uri = sqlite_uri(path, immutable)
        self.engine = create_engine(
            "sqlite://", poolclass=NullPool,
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        )
        stamped = self._stamped()
        if stamped is not None and len(stamped) > 1:
            raise StoreError(f"{self.name}: not a quotes database: alembic_version holds {len(stamped)} revisions")
        current, head = (stamped[0] if stamped else None), self.head()
        if current is None:
            raise StoreError(f"{self.name}: not a quotes database (no schema revision)")
        if current != head:
            if not self.knows(current):
                raise StoreError(f"{self.name}: database schema revision {current} is newer than this version "
                                 f"of quotes knows (head {head}); upgrade quotes")
            raise StoreError(f"{self.name}: schema revision {current}, this version of quotes reads "
                             f"{head}; run `quotes db upgrade --db {self.name}` first (serving never writes)")
        self._ready = True  # checked above: nothing to migrate

    def upgrade(self, revision: str = "head") -> None:
        raise StoreError(f"{self.name}: opened read-only")

    downgrade = upgrade
