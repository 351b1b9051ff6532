"""The quotes database: schema and migrations, the write path, the read path, and the
full-text index verify searches.

``Store(path_or_url)`` opens (and on first use migrates to head) a database; a bare path
means SQLite, anything with ``://`` is a SQLAlchemy URL, and ``None`` means ``$QUOTES_DB``
or ``./quotes.db``. A Store is made of three parts, one module each:

* :mod:`.database`: URLs, engines and their SQLite pragmas, connections and transactions,
  Alembic migrations (and the head-schema snapshot a new SQLite store starts from);
* :mod:`.writes`: whole documents per transaction (``add``, ``add_many``, ``write_batch``,
  ``merge_speakers``), through the bulk writer (:mod:`.writer`, :mod:`.rows`) and its
  canonical speakers (:mod:`.speakers`; :mod:`.legacy` for a store kept at an old revision);
* :mod:`.reads`: streaming reads, over the SELECTs of :mod:`.queries`.

:mod:`.schema` holds the tables, :mod:`.keys` the folded name keys, :mod:`.search` the
word normalisation and full-text candidate search of ``verify``.
"""
from __future__ import annotations

from .database import DEFAULT_DB, Database, database_url, make_engine, migrations_dir, script_head
from .reads import Reads
from .writes import BATCH_DOCUMENTS, BATCH_IDLE, BATCH_SECONDS, Writes, Written, batch_documents

__all__ = ["BATCH_DOCUMENTS", "BATCH_IDLE", "BATCH_SECONDS", "DEFAULT_DB", "Store", "Written", "batch_documents",
           "database_url", "make_engine", "migrations_dir", "script_head"]


class Store(Reads, Writes, Database):
    """A quotes database. Cheap to construct; connects and migrates lazily."""
