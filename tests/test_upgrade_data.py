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
