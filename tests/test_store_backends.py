"""The store on both backends: SQLite (a file) and a real, throwaway PostgreSQL server.

The PostgreSQL cases skip, with the reason, when no server can be started here
(see conftest_pg.py); they are never passed without running.
"""
from __future__ import annotations

import multiprocessing

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from conftest import corpus, expected_objects
from quotes.errors import StoreError
from quotes.scale.records import document_records, write_records
from quotes.store.schema import metadata
from quotes.store import Store

TABLES = {"documents", "speakers", "speaker_aliases", "outlets", "quotes", "speaker_mentions",
          "attributions"}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "quotes.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def filled(url: str) -> str:
    store = Store(url)
    for doc, found in corpus():
        store.add(doc, found, "rules")
    store.close()
    return url


def not_search_index(obj, name, type_, reflected, compare_to) -> bool:
    """Revisions 0002 (SQLite FTS5 tables) and 0003 (PostgreSQL trigram index) are not in quotes.store.schema."""
    return not (name or "").startswith(("quote_search", "ix_quotes_text_trgm"))


def count(store: Store, table: str) -> int:
    return store.execute(f"select count(*) from {table}")[0][0]


def test_add_and_read_back(url):
    store = Store(url)
    for doc, found in corpus():
        assert store.add(doc, found, "rules")[1]
    assert list(store.quotes()) == expected_objects()
    assert [d["path"] for d in store.documents()] == ["articles/a.txt", "articles/b.txt"]


def test_unchanged_document_is_skipped(filled):
    store = Store(filled)
    doc, found = corpus()[0]
    assert store.add(doc, found, "rules") == (1, False)
    assert store.add_many(corpus(), "rules") == [(1, False), (2, False)]
    assert (count(store, "documents"), count(store, "quotes")) == (2, 5)


def test_query_by_speaker_outlet_document_and_kind(filled):
    store = Store(filled)
    want = expected_objects()
    assert [q["id"] for q in store.quotes(speaker="smith")] == [1, 2]
    assert [q["id"] for q in store.quotes(speaker="Nicolas Maduro")] == [4]
    assert list(store.quotes(speaker="nobody")) == []
    assert [q["id"] for q in store.quotes(outlet="reuters")] == [3]
    assert [q["id"] for q in store.quotes(outlet="associated press")] == [4]
    assert [q["id"] for q in store.quotes(document="b.txt")] == [4, 5]
    assert [q["id"] for q in store.quotes(kind="scare")] == [5]
    assert store.get(3)["document"]["path"] == "articles/a.txt"
    assert store.get(3)["speaker"] == want[2]["speaker"]
    assert [(s["name"], s["quotes"]) for s in store.speakers()] == [
        ("Jane Smith", 2), ("Bob Jones", 1), ("Nicolás Maduro", 1)]
    assert [(o["name"], o["quotes"]) for o in store.outlets()] == [("Associated Press", 1), ("Reuters", 1)]


def test_merge_speakers(filled):
    store = Store(filled)
    result = store.merge_speakers("Jane Smith", "bob jones")
    assert result == {"id": 1, "name": "Jane Smith", "merged": "Bob Jones", "quotes": 1}
    assert [q["id"] for q in store.quotes(speaker="bob jones")] == [1, 2, 3]
    with pytest.raises(StoreError, match="already the same speaker"):
        store.merge_speakers("jane smith", "bob jones")
    assert count(store, "speakers") == 2


def test_relink_reads_the_store_on_every_backend(filled):
    """A store written under the identity rules has nothing to relink (the plan's query runs)."""
    store = Store(filled)
    assert store.relink_speakers(dry_run=True) == [] and store.relink_speakers() == []
    assert count(store, "speakers") == 3


def test_migrations_up_down_and_schema_agree(url):
    store = Store(url)
    assert store.current() is None
    store.upgrade()
    assert store.current() == store.head()
    assert TABLES <= set(inspect(store.engine).get_table_names())
    with store.engine.connect() as conn:
        opts = {"compare_type": True, "include_object": not_search_index}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []
    store.downgrade("base")
    assert store.current() is None
    assert not TABLES & set(inspect(store.engine).get_table_names())
    store.upgrade("head")
    for doc, found in corpus():
        store.add(doc, found, "rules")
    assert list(store.quotes()) == expected_objects()


def test_rows_survive_a_downgrade_and_upgrade_of_the_search_revisions(filled):
    store = Store(filled)
    store.downgrade("0001")
    store.upgrade("head")
    assert list(store.quotes()) == expected_objects()


def test_records_are_written_once(url):
    store = Store(url)
    records = [document_records(doc, found, "rules") for doc, found in corpus()]
    first = write_records(store, records)
    assert write_records(store, records) == [(i, False) for i, _ in first]
    assert list(store.quotes()) == expected_objects()


def test_postgresql_quote_search_uses_the_trigram_index(pg_url):
    store = Store(pg_url)
    for doc, found in corpus():
        store.add(doc, found, "rules")
    names = {r[0] for r in store.execute("select indexname from pg_indexes where tablename = 'quotes'")}
    assert "ix_quotes_text_trgm" in names
    with store.engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.execute(
            text("EXPLAIN SELECT id FROM quotes WHERE lower(text) LIKE '%budget%'")))
    assert "ix_quotes_text_trgm" in plan
    from quotes.store.search import like_ids

    assert like_ids(store, ["fantasy"]) == [3]
    store.downgrade("0002")
    assert store.current() == "0002"  # (store.execute would upgrade again: inspect directly)
    assert "ix_quotes_text_trgm" not in {ix["name"] for ix in inspect(store.engine).get_indexes("quotes")}


def _write_corpus(url: str, offset: int) -> None:
    store = Store(url)
    items = corpus()
    for k in range(len(items)):
        doc, found = items[(k + offset) % len(items)]
        store.add(doc, found, "rules")
    store.close()


def test_concurrent_writers_store_each_document_once(url):
    Store(url).upgrade()
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_write_corpus, args=(url, k)) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    store = Store(url)
    assert (count(store, "documents"), count(store, "quotes"), count(store, "attributions")) == (2, 5, 5)
    assert count(store, "speakers") == 3


def test_write_batch_rolls_back_one_document_alone(url, tmp_path, monkeypatch):
    """A document that fails after its rows were written is taken back by its savepoint
    (SQLite SAVEPOINT, PostgreSQL begin_nested); the rest of the batch lands, resolved as
    storing the others one by one resolves them."""
    from quotes.store import writer as store_module
    from test_store import DOCS, resolved, said

    items = [said(i, name, mention) for i, (name, mention) in enumerate(DOCS[:9])] + corpus()
    bad = items[3][0].path
    real = store_module._Writer.insert

    def broken(self, docs):
        ids = real(self, docs)
        if any(doc.path == bad for _, doc, _ in docs):
            raise RuntimeError("a bug after the rows were written")
        return ids

    monkeypatch.setattr(store_module._Writer, "insert", broken)
    store = Store(url)
    written = store.write_batch(items, "rules")
    monkeypatch.undo()
    assert [i for i, w in enumerate(written) if w.error is not None] == [3]
    assert all(w.added for i, w in enumerate(written) if i != 3)
    assert count(store, "documents") == len(items) - 1 and bad not in [d["path"] for d in store.documents()]
    others = Store(str(tmp_path / "others.db"))
    for doc, found in items[:3] + items[4:]:
        others.add(doc, found, "rules")
    assert resolved(store) == resolved(others)
    store.close()


def test_folds_splits_and_merges_move_mentions_with_their_quotes(url):
    """Revision 0006: mentions and a key's quotes are found through the speaker's attributions
    (no index of their own); after a fold, a split and a merge, with writers that had
    nothing cached, each mention still has its attribution's speaker, and the most frequent
    stored spelling still names the speaker."""
    from test_store import said

    names = ["Nicol\u00e1s Maduro"] * 3 + ["Nicolas Maduro", "Maduro"]
    Store(url).add_many([said(i, n) for i, n in enumerate(names)], "rules")  # "maduro" joins him
    Store(url).add(*said(10, "Nicolas Maduro"), "rules")  # 3 to 2, counted from the database
    Store(url).add(*said(11, "Moises Maduro"), "rules")  # "maduro" splits off
    store = Store(url)
    assert {s["name"]: s["quotes"] for s in store.speakers()} == {
        "Nicol\u00e1s Maduro": 5, "Maduro": 1, "Moises Maduro": 1}
    store.merge_speakers("Nicolás Maduro", "Maduro")
    wrong = store.execute("select m.id from speaker_mentions m join attributions a on a.mention_id = m.id "
                          "where a.speaker_id <> m.speaker_id")
    assert wrong == [] and count(store, "speaker_mentions") == 7
    assert [q["speaker"]["name"] for q in store.quotes(speaker="maduro")] == (
        ["Nicol\u00e1s Maduro"] * 6 + ["Moises Maduro"])
