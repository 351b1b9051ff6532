"""One speaker index (revision 0006): what the writer and `list --speaker` find through it.

Revision 0006 dropped the indexes on ``speaker_mentions.speaker_id`` and
``quote_names.name_id`` (and the foreign key the first served): the writer finds a speaker's
mentions and a key's quotes through ``attributions.speaker_id``. That is right only while a
mention's speaker is its attribution's and a quote named by key K has K's speaker; these
tests check both after merges, that counts read from a fresh writer name
speakers as before, and that no statement of the writer or of the lookup scans a big table.
"""
from __future__ import annotations

import sqlite3

import pytest

from conftest import corpus
from quotes.store import queries
from quotes.store import speakers as store_module
from quotes.store import Store
from test_store import DOCS, resolved, said


def broken_invariants(path: str) -> list[tuple]:
    """Rows that break what the writer relies on (none expected)."""
    con = sqlite3.connect(path)
    try:
        return con.execute(
            # a mention whose speaker is not its attribution's
            "SELECT 'mention', m.id, m.speaker_id, a.speaker_id FROM speaker_mentions m "
            "LEFT JOIN attributions a ON a.mention_id = m.id WHERE a.speaker_id IS NOT m.speaker_id "
            # a mention of a speaker that is gone (no foreign key says so any more)
            "UNION ALL SELECT 'gone', m.id, m.speaker_id, NULL FROM speaker_mentions m "
            "WHERE m.speaker_id NOT IN (SELECT id FROM speakers) "
            # a quote whose speaker is not the one its name's key is an alias of
            "UNION ALL SELECT 'named', qn.quote_id, a.speaker_id, al.speaker_id FROM quote_names qn "
            "JOIN speaker_names n ON n.id = qn.name_id JOIN attributions a ON a.quote_id = qn.quote_id "
            "LEFT JOIN speaker_aliases al ON al.alias_key = n.key WHERE al.speaker_id IS NOT a.speaker_id"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("batched", [False, True])
def test_mentions_and_named_quotes_follow_their_speaker_through_merges(tmp_path, batched):
    db = str(tmp_path / "q.db")
    docs = [said(i, name, mention) for i, (name, mention) in enumerate(DOCS)]
    store = Store(db)
    if batched:
        store.write_batch(docs, "rules")
    else:
        for doc, found in docs:
            store.add(doc, found, "rules")
    assert broken_invariants(db) == []
    fresh = Store(db)  # a writer with nothing cached: it reads all it needs
    fresh.add(*said(40, "Moises Maduro"), "rules")
    assert broken_invariants(db) == []
    table = {s["name"]: (s["quotes"], s["aliases"]) for s in fresh.speakers()}
    assert table["Maduro"] == (1, ["maduro #2"]) and table["Moises Maduro"] == (1, ["moises maduro"])
    fresh.merge_speakers("Nicolas Maduro", "maduro #2")
    fresh.merge_speakers("Nicolas Maduro", "Moises Maduro")
    assert broken_invariants(db) == []
    assert {s["name"]: s["quotes"] for s in fresh.speakers()}["Nicolas Maduro"] == 5  # 3 + 1 + 1
    fresh.add(*said(41, "Moises Maduro"), "rules")  # a merged key stays where the merge put it
    assert {s["name"]: s["quotes"] for s in fresh.speakers()}["Nicolas Maduro"] == 6
    assert broken_invariants(db) == []


def test_a_fresh_writer_counts_stored_spellings_through_the_speaker(tmp_path):
    """The most frequent spelling names a speaker; a writer that has cached nothing counts the
    stored spellings (through the speaker's quotes) before adding its own."""
    db = str(tmp_path / "q.db")
    first = Store(db)
    for i, name in enumerate(["Nicol\u00e1s Maduro"] * 3 + ["Nicolas Maduro"]):
        first.add(*said(i, name), "rules")
    assert [s["name"] for s in first.speakers()] == ["Nicol\u00e1s Maduro"]
    Store(db).add(*said(10, "Nicolas Maduro"), "rules")  # 3 to 2: unchanged (stored counts read)
    assert [s["name"] for s in Store(db).speakers()] == ["Nicol\u00e1s Maduro"]
    Store(db).add_many([said(11, "Nicolas Maduro"), said(12, "Nicolas Maduro")], "rules")  # 3 to 4
    assert [(s["name"], s["quotes"]) for s in Store(db).speakers()] == [("Nicolas Maduro", 7)]
    assert broken_invariants(db) == []


def test_the_order_still_does_not_matter_with_fresh_writers(tmp_path):
    """Each document through a new Store (nothing cached): the same speakers as one writer."""
    docs = [said(i, name, mention) for i, (name, mention) in enumerate(DOCS)]
    one = Store(str(tmp_path / "one.db"))
    for doc, found in docs:
        one.add(doc, found, "rules")
    many = str(tmp_path / "many.db")
    for doc, found in docs[::-1]:
        Store(many).add(doc, found, "rules")
    assert resolved(Store(many)) == resolved(one)


@pytest.mark.parametrize("query", ["smith", "Jane Smith", "maduro", "Nicolás Maduro", "president", "nobody"])
def test_list_speaker_reads_the_same_rows_as_the_general_query(filled_db, query):
    store = Store(filled_db)
    store.add(*said(1, "Maduro", "President Maduro"), "rules")
    store.add(*said(2, "Jane Smith", "Smith"), "rules")
    ids = store.speaker_ids(query)
    general = [queries.quote_dict(r) for r in store._rows(queries.filter_quotes(queries.quote_select(),
                                                                                 speaker_ids=ids))] if ids else []
    assert list(store.quotes(speaker=query)) == general
    for kind in ("direct", "scare"):  # with another filter: the SQLAlchemy form of the same query
        assert list(store.quotes(speaker=query, kind=kind)) == [q for q in general if q["kind"] == kind]


def plan(con: sqlite3.Connection, sql: str, params) -> list[str]:
    return [r[3] for r in con.execute("EXPLAIN QUERY PLAN " + sql, params)]


def test_no_statement_of_the_writer_or_the_lookup_scans_a_big_table(filled_db):
    Store(filled_db).add_many(corpus(), "rules")
    con = sqlite3.connect(filled_db)
    big = ("quotes", "attributions", "speaker_mentions", "quote_names", "documents", "a", "m", "qn", "q", "d")
    statements = {
        "fold mentions": (store_module._FOLD_MENTIONS_SQL, (1, 2)),
        "count names": (store_module._COUNT_NAMES_SQL.format("?, ?"), (1, 2, 3)),
        "list --speaker": queries.speaker_quotes_sql([1, 2]),
    }
    for what, (sql, params) in statements.items():
        steps = plan(con, sql, params)
        assert not [s for s in steps if s.split()[0] == "SCAN" and s.split()[1] in big], (what, steps)
    assert plan(con, *queries.speaker_quotes_sql([3]))[0].startswith(
        "SEARCH attributions USING INDEX ix_attributions_speaker_id")
    # deleting a speaker (a fold) checks each foreign key to it through an index on the child column
    for table in [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]:
        for fk in con.execute(f"PRAGMA foreign_key_list({table})").fetchall():
            if fk[2] == "speakers":
                leading = {con.execute(f"PRAGMA index_info({ix[1]})").fetchone()[2]
                           for ix in con.execute(f"PRAGMA index_list({table})")}
                assert fk[3] in leading, (table, fk[3])
    con.close()
