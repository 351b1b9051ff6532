"""quotes check: re-read sources, compare sha256, confirm every stored span."""
from __future__ import annotations

import json
import sqlite3

import pytest

ARTICLE = (
    "Mayor Ana Ruiz spoke on Friday.\n\n"
    "\u201cThe bridge will open in June,\u201d Ruiz told reporters.\n"
)


@pytest.fixture
def stored(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("\u201cNo comment,\u201d the minister said.\n", encoding="utf-8")
    result = run(["extract", "a.txt", "b.txt", "--engine", "rules", "--db", "q.db", "-q"])
    assert result.exit_code == 0
    return tmp_path


def test_unchanged_is_clean(run, stored):
    result = run(["check", "--db", "q.db"])
    assert result.exit_code == 0
    assert result.stdout == (
        "ok         a.txt\n"
        "ok         b.txt\n"
        "2 documents checked: 0 drifted, 0 without a source file to re-read\n"
    )


def test_modified_source_is_drift(run, stored):
    (stored / "a.txt").write_text("UPDATED: " + ARTICLE, encoding="utf-8")
    result = run(["check", "--db", "q.db"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "changed    a.txt"
    assert "no longer read the same" in lines[1]
    assert any("quote 1 at" in line for line in lines[2:])
    assert lines[-2:] == ["ok         b.txt",
                          "2 documents checked: 1 drifted, 0 without a source file to re-read"]
    only_b = run(["check", "b.txt", "--db", "q.db"])
    assert only_b.exit_code == 0
    got = json.loads(run(["check", "a.txt", "--db", "q.db", "--format", "json"]).stdout)
    assert [(r["path"], r["status"], r["drifted"]) for r in got] == [("a.txt", "changed", True)]
    assert got[0]["current_sha256"] != got[0]["stored_sha256"]


def test_missing_source_and_unknown_path(run, stored):
    (stored / "b.txt").unlink()
    result = run(["check", "b.txt", "--db", "q.db"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "missing    b.txt"
    unknown = run(["check", "nope.txt", "--db", "q.db"])
    assert (unknown.exit_code, unknown.stderr) == (1, "error: nope.txt: not in the store\n")


def test_stored_span_that_no_longer_reads_the_same(run, stored):
    con = sqlite3.connect(stored / "q.db")
    con.execute("UPDATE attributions SET cue_start = cue_start + 1 WHERE cue_text = 'told'")
    con.commit()
    con.close()
    result = run(["check", "a.txt", "--db", "q.db"])
    assert result.exit_code == 1
    told = ARTICLE.index("told")
    assert result.stdout.splitlines()[:2] == [
        "spans      a.txt",
        f"           cue of quote 1 at {told + 1}-{told + 4} reads 'old', stored 'told'",
    ]
