"""quotes export (every quote, default JSON lines), documents and db commands."""
from __future__ import annotations

import json
import sqlite3

from conftest import expected_objects, jsonl
from quotes.store import Store


def test_export_defaults_to_jsonl(run, filled_db):
    result = run(["export", "--db", filled_db])
    assert (result.exit_code, result.stdout, result.stderr) == (0, jsonl(expected_objects()), "")


def test_export_json_and_csv(run, filled_db):
    assert json.loads(run(["export", "--db", filled_db, "--format", "json"]).stdout) == expected_objects()
    rows = run(["export", "--db", filled_db, "--format", "csv"]).stdout.splitlines()
    assert len(rows) == 6 and rows[0].startswith("id,document.path,document.sha256,")


def test_export_empty_database(run, db_path):
    Store(db_path)._ensure()
    assert run(["export", "--db", db_path]).stdout == ""
    assert run(["export", "--db", db_path, "--format", "json"]).stdout == "[]\n"


def test_documents(run, filled_db):
    out = run(["documents", "--db", filled_db, "--format", "jsonl"]).stdout
    docs = [json.loads(line) for line in out.splitlines()]
    assert [(d["id"], d["path"], d["title"], d["quotes"], d["engine"]) for d in docs] == [
        (1, "articles/a.txt", "Budget", 3, "rules"), (2, "articles/b.txt", None, 2, "rules")]


def test_db_commands(run, db_path):
    missing = run(["db", "current", "--db", db_path])  # reading never creates a database
    assert (missing.exit_code, missing.stderr) == (1, f"error: {db_path}: no such database file (`quotes extract "
                                                      f"... --db {db_path}` creates one)\n")
    head = Store(db_path).head()
    assert run(["db", "upgrade", "--db", db_path]).stdout == f"{head} (head)\n"  # (it creates one)
    assert run(["db", "current", "--db", db_path]).stdout == f"{head} (head)\n"
    assert run(["db", "downgrade", "0001", "--db", db_path]).exit_code == 0
    assert run(["db", "downgrade", "base", "--db", db_path]).stdout == "base (empty database)\n"
    bad = run(["db", "downgrade", "nope", "--db", db_path])
    assert bad.exit_code == 1 and bad.stderr.startswith("error: ") and bad.stderr.count("\n") == 1


def test_newer_database_is_refused_in_one_line(run, filled_db):
    con = sqlite3.connect(filled_db)
    con.execute("update alembic_version set version_num = 'ffff'")
    con.commit()
    result = run(["list", "--db", filled_db])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {filled_db}: database schema revision ffff is newer than")
    assert result.stderr.count("\n") == 1


def test_export_reported_speech_in_every_format(run, reported_db, tmp_path):
    from conftest import reported_corpus

    objects = [q.to_dict(doc, i) for i, (doc, q) in
               enumerate(((d, q) for d, found in reported_corpus() for q in found), start=1)]
    assert run(["export", "--db", reported_db]).stdout == jsonl(objects)
    assert json.loads(run(["export", "--db", reported_db, "--format", "json"]).stdout) == objects
    rows = run(["export", "--db", reported_db, "--format", "csv"]).stdout.splitlines()
    assert rows[6] == ("6,articles/c.txt," + reported_corpus()[2][0].sha256 + ",Coup,12,67,"
                       "the coup attempt had failed and the army stood with him,indirect,Nicol\u00e1s Maduro,person,"
                       "0,6,Maduro,,,,,7,11,said,indirect,0.8")
    try:
        import pyarrow.parquet as pq
    except ImportError:
        return
    out = tmp_path / "q.parquet"
    assert run(["export", "--db", reported_db, "--format", "parquet", "-o", str(out)]).exit_code == 0
    table = pq.read_table(out).to_pylist()
    assert [(r["id"], r["start"], r["end"], r["text"]) for r in table if r["kind"] == "indirect"] == [
        (6, 12, 67, "the coup attempt had failed and the army stood with him"), (7, 70, 89, "The talks were over")]
