"""Store.write_batch (what `quotes extract` writes through): one transaction per batch, a
SAVEPOINT per document, the very rows and ids of one `add` per document; and a store that is
already at the head revision opens without Alembic."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import corpus
from quotes.errors import StoreError, StoreUnwritable
from quotes.store import Store, Written, migrations_dir, script_head
from quotes.types import Document, Quote, Span
from test_store import DOCS, said


def batch() -> list[tuple[Document, list[Quote]]]:
    """The speaker-resolution documents of test_store (folds, splits, ambiguous words) and the corpus."""
    docs = [said(i, name, mention) for i, (name, mention) in enumerate(DOCS)]
    return docs + [said(len(docs), None)] + corpus()


def dump(path: str) -> dict[str, list[tuple]]:
    """Every row of every table (ids included), but the extraction time."""
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                                            "LIKE 'sqlite_%' AND name NOT LIKE 'quote_search%'")]
        out = {}
        for t in tables:
            cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if r[1] != "extracted_at"]
            out[t] = con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM {t} "
                                 f"ORDER BY {', '.join(chr(34) + c + chr(34) for c in cols)}").fetchall()
        # the full-text index itself (selecting from quote_search would read the quotes table)
        con.execute("CREATE VIRTUAL TABLE temp.search_rows USING fts5vocab(main, quote_search, instance)")
        out["search"] = con.execute("SELECT term, doc, offset FROM search_rows ORDER BY doc, offset").fetchall()
        return out
    finally:
        con.close()


def one_by_one(path: str, items: list) -> dict[str, list[tuple]]:
    store = Store(path)
    for doc, found in items:
        store.add(doc, found, "rules")
    store.close()
    return dump(path)


def test_a_batch_writes_the_rows_and_ids_of_one_add_per_document(tmp_path):
    items = batch()
    store = Store(str(tmp_path / "batch.db"))
    first = store.write_batch(items[:7], "rules")
    rest = store.write_batch(items[7:], "rules")
    assert all(isinstance(w, Written) and w.error is None and w.added for w in first + rest)
    assert [w.document_id for w in first + rest] == list(range(1, len(items) + 1))
    quote_ids = [i for w in first + rest for i in w.quote_ids]
    assert quote_ids == list(range(1, len(quote_ids) + 1))
    store.close()
    got = dump(str(tmp_path / "batch.db"))
    assert len(got["speakers"]) >= 8 and len(got["quotes"]) == len(quote_ids)  # not trivially equal
    assert got == one_by_one(str(tmp_path / "single.db"), items)


def test_already_stored_and_repeated_documents_are_not_added(tmp_path):
    items = batch()
    store = Store(str(tmp_path / "q.db"))
    store.write_batch(items[:3], "rules")
    again = store.write_batch([items[1], items[3], items[3]], "rules")
    assert [(w.document_id, w.added, w.error) for w in again] == [(2, False, None), (4, True, None), (4, False, None)]
    assert store.find_document(items[3][0]) == 4


def test_a_document_that_fails_is_rolled_back_alone_and_the_rest_lands(tmp_path):
    items = batch()
    bad = items[5][0].path  # its speaker folds into another one: a failure after real writes
    db = str(tmp_path / "q.db")
    store = Store(db)
    store.write_batch(items[:1], "rules")
    con = sqlite3.connect(db)
    con.execute(f"CREATE TRIGGER no_doc AFTER INSERT ON quotes WHEN (SELECT path FROM documents WHERE id = "
                f"NEW.document_id) = '{bad}' BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END")
    con.commit()
    con.close()
    written = store.write_batch(items[1:], "rules")
    errors = [(w.document_id, str(w.error)) for w in written if w.error is not None]
    assert errors == [(None, f"{db}: {bad}: refused by a test trigger")]
    assert all(w.added for w in written if w.error is None)
    # what is stored is exactly what storing the others one by one stores (ids too)
    got = dump(db)
    want = one_by_one(str(tmp_path / "others.db"), [it for it in items if it[0].path != bad])
    assert got == want
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM quote_search_deferred").fetchone() == (0,)
    con.execute("INSERT INTO quote_search(quote_search) VALUES ('integrity-check')")
    con.close()


def test_a_bug_while_storing_one_document_is_its_error_alone(tmp_path, monkeypatch):
    from quotes.store import writer as store_module

    items = batch()
    real = store_module._Writer.insert

    def broken(self, docs):
        if any(doc.path == items[2][0].path for _, doc, _ in docs):
            raise RuntimeError("a bug")
        return real(self, docs)

    monkeypatch.setattr(store_module._Writer, "insert", broken)
    written = Store(str(tmp_path / "q.db")).write_batch(items, "rules")
    assert [type(w.error).__name__ for w in written if w.error] == ["RuntimeError"]
    assert written[2].error is not None and written[3].added
    monkeypatch.setattr(store_module._Writer, "insert", real)
    assert dump(str(tmp_path / "q.db")) == one_by_one(str(tmp_path / "others.db"), items[:2] + items[3:])


def test_a_bad_span_is_its_error_alone(tmp_path):
    doc = Document.from_text("He said \u201cyes\u201d.", path="x.txt")
    wrong = Quote(span=Span(8, 13, "\u201cyes\u201d"), content=Span(9, 12, "yep"))
    written = Store(str(tmp_path / "q.db")).write_batch([corpus()[0], (doc, [wrong]), corpus()[1]], "rules")
    assert [w.added for w in written] == [True, False, True]
    assert str(written[1].error) == "x.txt: quote content span 9-12 does not match the document text"


def test_a_batch_whose_transaction_fails_is_written_one_document_at_a_time(tmp_path, monkeypatch):
    """The lock not granted, the disk full at COMMIT: the batch is retried one transaction per
    document, so each lands or fails alone."""
    items = batch()
    store = Store(str(tmp_path / "q.db"))
    calls = []

    def fails(*args, **kw):
        calls.append(1)
        raise StoreError("q.db: database is locked")

    monkeypatch.setattr(store, "_write_each", fails)
    written = store.write_batch(items, "rules")
    assert calls == [1] and all(w.added for w in written)
    assert dump(str(tmp_path / "q.db")) == one_by_one(str(tmp_path / "single.db"), items)


def test_a_locked_database_fails_the_batch_at_the_first_document_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTES_BUSY_TIMEOUT", "0.1")
    db = str(tmp_path / "q.db")
    store = Store(db)
    store.write_batch(corpus()[:1], "rules")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        written = store.write_batch(batch()[:2], "rules")
    finally:
        holder.rollback()
        holder.close()
    assert [str(w.error) for w in written] == [f"{db}: cannot store documents: database is locked"] * 2
    assert all(isinstance(w.error, StoreUnwritable) for w in written)  # the second is not even tried
    assert [w.added for w in store.write_batch(batch()[:2], "rules")] == [True, True]


def test_script_head_is_alembics_head_and_gives_up_on_branches(tmp_path):
    head = script_head(migrations_dir())
    assert head == Store(str(tmp_path / "q.db")).head()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations_dir(), scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_branch.py").write_text('revision = "9001"\ndown_revision = "0004"\n')
    assert script_head(str(scripts)) is None  # two heads: the store asks Alembic
    (scripts / "versions" / "9001_branch.py").write_text(f'revision = "9001"\ndown_revision = "{head}"\n')
    assert script_head(str(scripts)) == "9001"


def test_a_store_at_head_opens_and_writes_without_importing_alembic(tmp_path):
    db = tmp_path / "q.db"
    Store(str(db)).upgrade()
    code = (
        "import sys\n"
        "from conftest import corpus\n"
        "from quotes.store import Store\n"
        f"store = Store({str(db)!r})\n"
        "doc, found = corpus()[0]\n"
        "assert store.find_document(doc) is None\n"
        "assert store.write_batch([(doc, found)], 'rules')[0].added\n"
        "assert store.find_document(doc) == 1 and len(list(store.quotes())) == len(found)\n"
        "print('alembic' in sys.modules)\n"
    )
    tests = Path(__file__).resolve().parent
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tests, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
    fresh = subprocess.run([sys.executable, "-c", code.replace(str(db), str(tmp_path / "new.db"))],
                           capture_output=True, text=True, cwd=tests, timeout=60)
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.strip() == "False"  # a new database is made from the head snapshot


def test_bulk_load_pragmas(tmp_path):
    store = Store(str(tmp_path / "q.db"))
    list(store.quotes())
    with store.engine.connect() as conn:
        pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert (pragma("journal_mode"), pragma("synchronous"), pragma("temp_store")) == ("wal", 1, 2)
        assert pragma("wal_autocheckpoint") == 25000 and pragma("cache_size") == -65536
        assert pragma("journal_size_limit") == 128 << 20
        assert pragma("mmap_size") > 0  # reads map the file (capped at SQLite's compile-time maximum)


@pytest.mark.parametrize("value", ["0", "many", "-3"])
def test_bad_batch_size_is_one_clear_error(monkeypatch, value):
    from quotes.store import batch_documents

    monkeypatch.setenv("QUOTES_BATCH", value)
    with pytest.raises(StoreError, match=rf"^QUOTES_BATCH='{value}': not a whole number of documents"):
        batch_documents()
