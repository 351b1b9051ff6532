"""Hostile input: CLI filters reach SQL only as bound parameters; a JSONL record cannot make
the tool open another file. (--speaker is also covered in tests/test_cli_list.py.)"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from quotes.store import Store
from quotes.types import Document, Quote, Span, Speaker

HOSTILE = ["x' OR 1=1 --", '" OR ""="', "1 OR 1=1", "%", "_%_", "'; DROP TABLE quotes; --",
           "1; DELETE FROM documents", "\\", "*", "' UNION SELECT sqlite_version() --", "\x00"]


@pytest.fixture
def statements():
    """Every SQL statement text the engine sends, for the duration of a test."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def snapshot(db: str) -> list:
    con = sqlite3.connect(db)
    try:
        return [con.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                for t in ("documents", "quotes", "attributions", "speakers", "outlets")]
    finally:
        con.close()


@pytest.mark.parametrize("option", ["--speaker", "--outlet", "--document"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_filters_match_nothing_and_change_nothing(run, filled_db, statements, option, hostile):
    before = snapshot(filled_db)
    result = run(["list", "--db", filled_db, "--format", "jsonl", option, hostile])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert statements and not any(hostile in s for s in statements if hostile.strip("%_*\\"))
    assert snapshot(filled_db) == before


@pytest.mark.parametrize("hostile", HOSTILE[:3])
def test_hostile_kind_is_a_usage_error(run, filled_db, hostile):
    result = run(["list", "--db", filled_db, "--kind", hostile])
    assert result.exit_code == 2 and "Invalid value for '--kind'" in result.stderr


@pytest.mark.parametrize("hostile", HOSTILE[:6])
def test_hostile_merge_and_show(run, filled_db, hostile):
    before = snapshot(filled_db)
    merged = run(["speakers", "merge", "smith", hostile, "--db", filled_db])
    assert merged.exit_code == 1 and merged.stderr.startswith("error: no speaker ")
    assert run(["show", hostile, "--db", filled_db]).exit_code == 2  # not an integer id
    assert snapshot(filled_db) == before


def test_a_quote_in_a_real_name_is_matched_as_text(run, db_path):
    """Control: the same quote characters in a legitimate value do match (bound, not stripped)."""
    text = "\u201cNo,\u201d said Sarah O'Neil of 'Quotes' Weekly.\n"
    doc = Document.from_text(text, path="o'neil.txt")
    q = Quote(span=Span.of(text, 0, 5), content=Span.of(text, 1, 4), kind="direct",
              speaker=Speaker("Sarah O'Neil", "person", Span.of(text, 11, 23)))
    Store(db_path).add(doc, [q], "rules")
    for option, value in (("--speaker", "O'Neil"), ("--document", "o'neil.txt")):
        out = run(["list", "--db", db_path, "--format", "jsonl", option, value]).stdout
        assert [json.loads(line)["text"] for line in out.splitlines()] == ["No,"], option


AUDIT = """
import sys
opened = []
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        opened.append(args[0] if isinstance(args[0], str) else args[0].decode(errors="replace"))
sys.addaudithook(hook)
from quotes.cli import main
try:
    main()
finally:
    with open(sys.argv[-1] + ".opened", "w") as fh:
        fh.write("\\n".join(opened))
"""


def test_jsonl_path_field_never_opens_that_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN \u201cleaked,\u201d he said.\n")
    records = [{"text": "\u201cHello,\u201d she said.", "path": "/etc/passwd"},
               {"text": "\u201cHi,\u201d he said.", "path": str(secret)},
               {"text": "x", "path": "../../etc/shadow", "url": "file:///etc/passwd"},
               {"path": str(secret)}]  # no text: an error, not a reason to read the path
    src = tmp_path / "batch.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records))
    db = tmp_path / "q.db"
    done = subprocess.run([sys.executable, "-c", AUDIT, "extract", str(src), "--engine", "rules",
                           "--db", str(db), "--format", "jsonl", str(tmp_path / "audit")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # the record without text, and the audit path itself
    opened = (tmp_path / "audit.opened").read_text().splitlines()
    real = {os.path.realpath(p) for p in opened}
    assert str(src) in opened
    for forbidden in ("/etc/passwd", "/etc/shadow", str(secret)):
        assert os.path.realpath(forbidden) not in real, forbidden
    assert "TOP-SECRET-TOKEN" not in done.stdout
    con = sqlite3.connect(db)
    stored = con.execute("SELECT path, text FROM documents ORDER BY id").fetchall()
    con.close()
    assert [p for p, _ in stored] == ["/etc/passwd", str(secret), "../../etc/shadow"]  # labels only
    assert not any("TOP-SECRET" in t or "root:" in t for _, t in stored)
