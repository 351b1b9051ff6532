"""Input an attacker or a careless user gives (issue 19, items 7, 8 and 12): one bad line or
name is one error line, the batch goes on, names are kept losslessly and printed on one line,
and a document read from a JSONL file remembers which file and line it came from."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from quotes.errors import shown
from quotes.types import from_storable, storable
from quotes.sources.reader import read_sources
from quotes.types import Document

GOOD = "Mayor Jane Smith spoke on Monday.\n\n\u201cWe will not raise taxes,\u201d Smith told reporters.\n"


def rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ------------------------------------------------------------------ item 7: a deeply nested line

def test_a_deeply_nested_jsonl_line_is_one_error_and_the_batch_goes_on(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deep = "[" * 5000 + "]" * 5000
    Path("a.jsonl").write_text(json.dumps({"id": "first", "text": GOOD}) + "\n"
                               + '{"text": ' + deep + "}\n"
                               + deep + "\n"
                               + json.dumps({"id": "last", "text": GOOD}) + "\n")
    Path("b.txt").write_text(GOOD)
    result = run(["extract", "a.jsonl", "b.txt", "--engine", "rules", "--db", "q.db"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: a.jsonl:2: invalid JSON: nested too deeply",
        "error: a.jsonl:3: invalid JSON: nested too deeply",
        "3 documents, 3 quotes stored; 0 skipped (unchanged); 2 errors",
    ]
    assert [p for p, in rows(tmp_path / "q.db", "SELECT path FROM documents ORDER BY id")] == [
        "first", "last", "b.txt"]
    again = run(["extract", "a.jsonl", "b.txt", "--engine", "rules", "--db", "q.db"])  # a rerun gets past it too
    assert again.stderr.splitlines()[-1] == "0 documents, 0 quotes stored; 3 skipped (unchanged); 2 errors"


def test_a_lone_surrogate_in_a_jsonl_field_is_one_error(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.jsonl").write_text('{"id": "\\udcff", "text": "x"}\n' + json.dumps({"id": "ok", "text": GOOD}) + "\n")
    result = run(["extract", "a.jsonl", "--engine", "rules", "--db", "q.db"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'error: a.jsonl:1: "id" contains an unpaired surrogate',
        "1 document, 1 quote stored; 0 skipped (unchanged); 1 error",
    ]


# ------------------------------------------------------------------ item 8: file names

def test_storable_names_are_lossless_and_shown_names_are_one_line():
    for name in ("plain.txt", "bad\udcff\udcfename.txt", "back\\slash\\xff.txt", "new\nline.txt", "é.txt"):
        assert from_storable(storable(name)) == name
        assert "\n" not in shown(name) and "\r" not in shown(name)
        storable(name).encode("utf-8")  # never a surrogate: SQLite and PostgreSQL take it
        shown(name).encode("utf-8")
    assert storable("bad\udcff\udcfename.txt") == "bad\\xff\\xfename.txt"
    assert storable("plain.txt") == "plain.txt"
    assert shown("new\nline\r\t.txt") == "new\\nline\\r\\t.txt"
    assert shown("bad\udcffname") == "bad\\xffname"


@pytest.mark.skipif(os.uname().sysname == "Darwin", reason="macOS file systems refuse non-UTF-8 names")
def test_non_utf8_and_newline_file_names_are_stored_and_reported_on_one_line(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("in")
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD)
    bad = os.fsdecode(b"in/bad\xff\xfename.txt")
    with open(bad, "w", encoding="utf-8") as fh:
        fh.write(GOOD)
    (folder / "new\nline.txt").write_text(GOOD)
    broken = os.fsdecode(b"in/z\xffbroken\nname.txt")
    with open(broken, "wb") as fh:
        fh.write(b"caf\xe9")
    result = run(["extract", "in", "--engine", "rules", "--db", "q.db"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: in/z\\xffbroken\\nname.txt: not valid UTF-8 at byte 3 (use --encoding to decode it)",
        "3 documents, 3 quotes stored; 0 skipped (unchanged); 1 error",
    ]
    stored = rows(tmp_path / "q.db", "SELECT path, origin, source_file FROM documents ORDER BY id")
    assert stored == [("in/a.txt", "file", "in/a.txt"),
                      ("in/bad\\xff\\xfename.txt", "file", "in/bad\\xff\\xfename.txt"),
                      ("in/new\nline.txt", "file", "in/new\nline.txt")]
    assert from_storable(stored[1][2]) == bad  # the exact name, byte for byte
    again = run(["extract", "in", "--engine", "rules", "--db", "q.db"])
    assert again.stderr.splitlines()[-1] == "0 documents, 0 quotes stored; 3 skipped (unchanged); 1 error"
    listed = run(["documents", "--db", "q.db", "--format", "table"])
    assert len(listed.stdout.splitlines()) == 5  # header, rule, one line per document


# ------------------------------------------------------------------ item 12: where a record came from

def test_two_jsonl_files_with_the_same_id_keep_their_file_and_line(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("one.jsonl").write_text(json.dumps({"id": "reuters/2020/abc", "text": GOOD}) + "\n")
    Path("two.jsonl").write_text("\n" + json.dumps({"id": "x", "text": "Fine."}) + "\n"
                                 + json.dumps({"id": "reuters/2020/abc", "text": GOOD + "Updated.\n"}) + "\n")
    Path("a.txt").write_text(GOOD)
    result = run(["extract", "one.jsonl", "two.jsonl", "a.txt", "-", "--engine", "rules", "--db", "q.db"],
                 input="\u201cYes,\u201d he said.\n")
    assert result.exit_code == 0, result.stderr
    assert rows(tmp_path / "q.db", "SELECT path, origin, source_file, source_line FROM documents ORDER BY id") == [
        ("reuters/2020/abc", "jsonl", "one.jsonl", 1),
        ("x", "jsonl", "two.jsonl", 2),
        ("reuters/2020/abc", "jsonl", "two.jsonl", 3),
        ("a.txt", "file", "a.txt", None),
        ("<stdin>", "stdin", None, None),
    ]
    docs = json.loads(run(["documents", "--db", "q.db", "--format", "json"]).stdout)
    assert [d["source"] for d in docs] == ["one.jsonl:1", "two.jsonl:2", "two.jsonl:3", "a.txt", "<stdin>"]


def test_the_reader_says_where_each_document_came_from(tmp_path):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "x", "path": "/etc/passwd"}) + "\n")
    (tmp_path / "b.txt").write_text("y")
    a, b = read_sources([str(tmp_path / "a.jsonl"), str(tmp_path / "b.txt")])
    assert (a.path, a.origin, a.source_file, a.source_line) == ("/etc/passwd", "jsonl", str(tmp_path / "a.jsonl"), 1)
    assert (b.path, b.origin, b.source_file, b.source_line) == (str(tmp_path / "b.txt"), "file",
                                                                str(tmp_path / "b.txt"), None)
    assert Document.from_text("z").origin is None
