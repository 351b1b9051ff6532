"""Write migrations/sqlite_head.sql: the schema Alembic builds at head, for new SQLite stores.

    .venv/bin/python scripts/snapshot_schema.py          # after adding a migration revision

A new store is created from this snapshot instead of replaying every revision
(see quotes/snapshot.py); tests/test_snapshot.py fails until it is rewritten.
"""
from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from quotes.store import snapshot
from quotes.store import Store


def build() -> str:
    """Migrate an empty database to head with Alembic and dump its schema."""
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "head.db")
        store = Store(db)
        store.upgrade("head")
        store.close()
        with sqlite3.connect(db) as raw:
            return snapshot.dump(raw)


def main() -> int:
    from quotes.store import migrations_dir

    target = Path(snapshot.path(migrations_dir()))
    target.write_text(build(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
