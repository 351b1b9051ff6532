"""`quotes check` re-reads only files the reader itself read (issue 19, item 2): never a path a
JSONL record, stdin or a library caller supplied; its preview says where stored text and
source differ, its summary counts missing files (issue 18), and it runs SQLite's quick_check
(issue 19, minor)."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quotes.store import Store
from quotes.types import Document

ARTICLE = (
    "Mayor Ana Ruiz spoke on Friday.\n\n"
    "\u201cThe bridge will open in June,\u201d Ruiz told reporters.\n"
)

AUDIT = """
import os, sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        opened.append(args[0] if isinstance(args[0], str) else args[0].decode(errors="replace"))
sys.addaudithook(hook)
from quotes.cli import main
try:
    main()
finally:
    with open(os.environ["AUDIT_OUT"], "w") as fh:
        fh.write("\\n".join(opened))
"""


def audited(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess, set[str]]:
    done = subprocess.run([sys.executable, "-c", AUDIT, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "AUDIT_OUT": str(cwd / "audit.opened")})
    opened = (cwd / "audit.opened").read_text().splitlines()
    return done, {os.path.realpath(os.path.join(cwd, p)) for p in opened}


def test_check_never_opens_a_path_a_jsonl_record_named(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN and more\n")
    Path("batch.jsonl").write_text(
        json.dumps({"text": ARTICLE, "path": str(secret)}) + "\n"
        + json.dumps({"text": ARTICLE, "path": "/etc/passwd"}) + "\n"
        + json.dumps({"text": ARTICLE + "More.\n", "id": "reuters/2020/abc"}) + "\n")
    assert run(["extract", "batch.jsonl", "--engine", "rules", "--db", "q.db", "-q"]).exit_code == 0
    done, opened = audited("check", "--db", "q.db", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(secret) not in opened and "/etc/passwd" not in opened
    assert "TOP-SECRET" not in done.stdout
    assert done.stdout.splitlines() == [
        f"no source  {secret}",
        "           a JSONL record (batch.jsonl:1): no source file to re-read",
        "no source  /etc/passwd",
        "           a JSONL record (batch.jsonl:2): no source file to re-read",
        "no source  reuters/2020/abc",
        "           a JSONL record (batch.jsonl:3): no source file to re-read",
        "3 documents checked: 0 drifted, 3 without a source file to re-read",
    ]
    named = run(["check", str(secret), "--db", "q.db"])  # naming it does not make it a source either
    assert named.exit_code == 0 and named.stdout.splitlines()[0] == f"no source  {secret}"


def test_stdin_and_library_documents_have_no_source_file(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE)
    assert run(["extract", "-", "--engine", "rules", "--db", "q.db", "-q"], input=ARTICLE).exit_code == 0
    store = Store("q.db")
    store.add(Document.from_text(ARTICLE + "\n", path="a.txt"), [], "rules")  # a caller's label, not a file read
    store.close()
    result = run(["check", "--db", "q.db"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.splitlines() == [
        "no source  <stdin>",
        "           read from standard input: no source file to re-read",
        "no source  a.txt",
        "           given to the library as text: no source file to re-read",
        "2 documents checked: 0 drifted, 2 without a source file to re-read",
    ]


def test_the_drift_preview_shows_where_the_texts_differ(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE)
    Path("b.txt").write_text("\u201cNo comment,\u201d the minister said.\n")
    assert run(["extract", "a.txt", "b.txt", "--engine", "rules", "--db", "q.db", "-q"]).exit_code == 0
    Path("a.txt").write_text(ARTICLE.replace("in June", "in late July"))
    Path("b.txt").unlink()
    result = run(["check", "--db", "q.db"])
    assert result.exit_code == 1
    june = ARTICLE.index("June")
    lines = result.stdout.splitlines()
    assert lines[0] == "changed    a.txt"
    assert lines[2] == (f"           first difference at character {june} (line 3, column {june - ARTICLE.index('“') + 1}): "
                        "\u2026bridge will open in [-June-]{+late July+},\u201d Ruiz told reporte\u2026")
    assert lines[-3:] == [
        "missing    b.txt",
        "           b.txt: no such file",
        "2 documents checked: 2 drifted (1 source file missing), 0 without a source file to re-read",
    ]


def test_documents_stored_before_origins_were_recorded_are_not_reread_unless_asked(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE)
    assert run(["extract", "a.txt", "--engine", "rules", "--db", "q.db", "-q"]).exit_code == 0
    con = sqlite3.connect("q.db")
    con.execute("UPDATE documents SET origin = NULL, source_file = NULL")  # as revision 0009 leaves old rows
    con.commit()
    con.close()
    Path("a.txt").write_text("changed\n")
    result = run(["check", "--db", "q.db"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "no source  a.txt",
        "           stored before quotes recorded where documents come from: not re-read "
        "(--stored-paths re-reads the stored path)",
        "1 document checked: 0 drifted, 1 without a source file to re-read",
    ]
    trusted = run(["check", "--db", "q.db", "--stored-paths"])
    assert trusted.exit_code == 1 and trusted.stdout.splitlines()[0] == "changed    a.txt"


def test_check_reports_a_database_that_fails_sqlites_quick_check(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE * 200)
    assert run(["extract", "a.txt", "--engine", "rules", "--db", "q.db", "-q"]).exit_code == 0
    con = sqlite3.connect("q.db")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_quotes_kind'").fetchone()
    con.close()
    assert root is not None
    with open("q.db", "r+b") as fh:  # scribble over an index check's queries do not use
        fh.seek((root[0] - 1) * page_size + 8)
        fh.write(b"\xff" * 64)
    result = run(["check", "--db", "q.db"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["ok         a.txt",
                                          "1 document checked: 0 drifted, 0 without a source file to re-read"]
    assert result.stderr.startswith("error: q.db: the database fails SQLite's quick_check: ")
    assert result.stderr.count("\n") == 1


def test_revision_0009_marks_old_stdin_rows_and_leaves_the_rest_unknown(tmp_path):
    db = str(tmp_path / "q.db")
    store = Store(db)
    store.upgrade("0008")
    store._ready = True  # write at 0008
    store.add(Document.from_text(ARTICLE, path="<stdin>"), [], "rules")
    store.add(Document.from_text(ARTICLE, path="a.txt", origin="file", source_file="a.txt"), [], "rules")
    store.close()

    def rows() -> list[tuple]:
        con = sqlite3.connect(db)
        try:
            return con.execute("SELECT * FROM documents ORDER BY id").fetchall()
        finally:
            con.close()

    before = rows()
    store = Store(db)
    store.upgrade("0009")
    assert [r[-3:] for r in rows()] == [("stdin", None, None), (None, None, None)]
    assert [r[:-3] for r in rows()] == before
    store.downgrade("0008")
    assert rows() == before
