"""Upgrades keep data: a database written at the first revision, holding the seed article as
the extractor found it, reads back the same through the CLI after ``db upgrade`` (to head,
whatever head is) and after ``db downgrade 0001`` (tests/test_migrations.py covers the
schema itself and hand-made rows)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from quotes.extract.pipeline import Extractor
from quotes.store import Store
from quotes.types import Document

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_133ad203e76a5764.txt"
FIRST = "0001"
TABLES = ("documents", "quotes", "attributions", "speakers", "speaker_aliases", "speaker_mentions", "outlets")


# The columns of the 0001 schema: later revisions may add columns (documents.author in
# 0004, speakers.document_id and speakers.evidence in 0007), never drop or change these.
COLUMNS_0001 = {
    "documents": "id, path, url, external_id, sha256, title, publisher, date, text, engine, extracted_at",
    "speakers": "id, name, key, type",
}


def rows(db: str) -> dict[str, list[tuple]]:
    """Every row of every table of the 0001 schema (its columns), by table."""
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT {COLUMNS_0001.get(t, '*')} FROM {t} ORDER BY id").fetchall()
                for t in TABLES}
    finally:
        con.close()


def revision(db: str) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def db_at_first(db_path):
    """The seed (and a second article) stored by a store at revision 0001."""
    seed = SEED.read_bytes()
    docs = [Document.from_text(seed.decode("utf-8"), path="seeds/000.txt", title="North Korea"),
            Document.from_text("“We are ready,” President Nicolás Maduro said, according to the "
                               "Associated Press.\n", path="b.txt", url="https://example.com/b")]
    store = Store(db_path)
    store.upgrade(FIRST)
    store._ready = True  # write at 0001: do not let first use migrate to head
    ex = Extractor(engine="rules")
    expected = []
    for doc in docs:
        found = ex.extract(doc)
        doc_id, added = store.add(doc, found, "rules")
        assert added
        expected += [q.to_dict(doc, qid) for q, qid in zip(found, store.quote_ids(doc_id))]
    # what the store read back at 0001 (speakers are canonical across documents: the second
    # article's "Nicolás Maduro" is the seed's "Nicolas Maduro")
    stored = list(store.quotes())
    assert [(q["id"], q["start"], q["end"], q["text"]) for q in stored] == \
        [(q["id"], q["start"], q["end"], q["text"]) for q in expected]
    store.close()
    assert revision(db_path) == FIRST
    assert len(expected) >= 15  # the seed is a real article with many quotes
    return db_path, stored


def test_upgrade_to_head_keeps_every_row_readable(run, db_at_first):
    db, expected = db_at_first
    before = rows(db)
    head = Store(db).head()
    result = run(["db", "upgrade", "--db", db])
    assert result.exit_code == 0 and result.stdout.strip() == f"{head} (head)"
    assert rows(db) == before
    listed = run(["list", "--db", db, "--format", "jsonl"])
    assert [json.loads(line) for line in listed.stdout.splitlines()] == expected
    for obj in expected:
        shown = json.loads(run(["show", str(obj["id"]), "--db", db, "--format", "json"]).stdout)
        text = shown["paragraph"]["text"]
        para_start = shown["paragraph"]["start"]
        assert (shown["text"], shown["start"], shown["speaker"]) == (obj["text"], obj["start"], obj["speaker"])
        assert obj["text"] in text[obj["start"] - para_start:obj["end"] - para_start]
        assert shown["document"]["sha256"] == obj["document"]["sha256"]


def test_downgrade_to_first_and_back_keeps_rows(run, db_at_first):
    db, expected = db_at_first
    before = rows(db)
    assert run(["db", "upgrade", "--db", db]).exit_code == 0
    result = run(["db", "downgrade", FIRST, "--db", db])
    assert result.exit_code == 0 and result.stdout.strip().startswith(FIRST)
    assert revision(db) == FIRST
    assert rows(db) == before
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    assert run(["db", "upgrade", "--db", db]).exit_code == 0  # and up again
    listed = run(["list", "--db", db, "--format", "jsonl"])
    assert [json.loads(line) for line in listed.stdout.splitlines()] == expected
    assert rows(db) == before


def test_a_store_written_before_0010_with_both_spellings_upgrades_to_one_speaker_and_back(run, db_path):
    """The seed's "Bashar al-Assad" and another article's "Bashar al Assad", stored at 0001 by the
    writer before revision 0010 (a hyphen kept in keys): two speakers. Upgraded to head they are
    one, every quote still there and read back the same but for that speaker's name; down to
    0001 and up again, the rows stay as head left them."""
    from test_hyphen_keys import keys_before_0010

    docs = [Document.from_text(SEED.read_text(encoding="utf-8"), path="seeds/000.txt", title="North Korea"),
            Document.from_text("\u201cWe stand with our allies,\u201d said Bashar al Assad.\n", path="c.txt")]
    store = Store(db_path)
    store.upgrade(FIRST)
    store._ready = True
    ex = Extractor(engine="rules")
    with keys_before_0010():
        for doc in docs:
            store.add(doc, ex.extract(doc), "rules")
    before = list(store.quotes())
    store.close()
    assert revision(db_path) == FIRST
    assaded = {q["id"] for q in before if q["speaker"] and "Assad" in q["speaker"]["name"]}
    con = sqlite3.connect(db_path)
    assert sorted(con.execute("SELECT key FROM speakers WHERE key LIKE '%assad%'")) == [
        ("bashar al assad",), ("bashar al-assad",)]
    con.close()
    assert len(assaded) == 2
    assert run(["db", "upgrade", "--db", db_path]).exit_code == 0
    after = [json.loads(line) for line in run(["list", "--db", db_path, "--format", "jsonl"]).stdout.splitlines()]
    [merged] = {q["speaker"]["name"] for q in after if q["id"] in assaded}
    assert merged == "Bashar al Assad"  # one quote each: the smaller spelling
    for q in before:  # every quote, as it was, its speaker one for both spellings
        if q["id"] in assaded:
            q["speaker"]["name"] = merged
    assert after == before
    at_head = rows(db_path)
    assert sorted(r[2] for r in at_head["speakers"] if "assad" in r[2]) == ["bashar al assad"]
    assert run(["db", "downgrade", FIRST, "--db", db_path]).exit_code == 0
    assert rows(db_path) == at_head
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    assert run(["db", "upgrade", "--db", db_path]).exit_code == 0
    assert rows(db_path) == at_head
    assert [json.loads(line) for line in run(["list", "--db", db_path, "--format", "jsonl"]).stdout.splitlines()] == after
