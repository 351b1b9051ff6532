"""quotes extract writes in batches (a transaction per batch, a SAVEPOINT per document), and
nothing a user sees depends on where a batch ends: the rows, the lines on stderr and their
order are those of one transaction per document."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def mixed(tmp_path, monkeypatch):
    """Samples, a binary file, a file twice on the command line and a missing one."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "samples", "samples")
    Path("bad.txt").write_bytes(b"\x00\x01binary")
    first = sorted(p.name for p in Path("samples").glob("*.txt"))[0]
    return ["samples", "bad.txt", f"samples/{first}", "missing.txt"]


def tables(db: str) -> list[list[tuple]]:
    con = sqlite3.connect(db)
    try:
        return [con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("quotes", "attributions", "speakers", "speaker_aliases", "speaker_mentions", "outlets")]
    finally:
        con.close()


@pytest.mark.parametrize("fmt", ["jsonl", None])
def test_batches_change_nothing_a_user_sees(run, mixed, monkeypatch, fmt):
    out = []
    for size in ("1", "3", "200"):
        monkeypatch.setenv("QUOTES_BATCH", size)
        args = ["extract", *mixed, "--engine", "rules", "--db", f"q{size}.db"] + (["--format", fmt] if fmt else [])
        result = run(args)
        out.append((result.exit_code, result.stdout, result.stderr, tables(f"q{size}.db")))
    assert out[0][0] == 1 and "bad.txt: binary file" in out[0][2] and "missing.txt" in out[0][2]
    assert len(out[0][3][0]) > 20  # quotes were stored: equal empty stores prove nothing
    assert out[1] == out[0] and out[2] == out[0]


def test_a_document_the_database_refuses_is_one_line_and_the_batch_lands(run, mixed, monkeypatch):
    files = sorted(str(p) for p in Path("samples").glob("*.txt"))
    refused = files[1]
    assert run(["db", "upgrade", "--db", "q.db"]).exit_code == 0
    con = sqlite3.connect("q.db")
    con.execute(f"CREATE TRIGGER refuse AFTER INSERT ON documents WHEN NEW.path = '{refused}' "
                "BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END")
    con.commit()
    con.close()
    result = run(["extract", *files, "--engine", "rules", "--db", "q.db"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: q.db: {refused}: refused by a test trigger"
    assert lines[1] == f"{len(files) - 1} documents, " + lines[1].split(", ", 1)[1]
    assert lines[1].endswith("0 skipped (unchanged); 1 error")
    others = run(["extract", *[f for f in files if f != refused], "--engine", "rules", "--db", "others.db"])
    assert others.exit_code == 0
    assert tables("q.db") == tables("others.db")  # the same rows and ids as if it had not been there


def test_bad_batch_size_is_one_line(run, mixed, monkeypatch):
    monkeypatch.setenv("QUOTES_BATCH", "lots")
    result = run(["extract", "samples", "--engine", "rules", "--db", "q.db"])
    assert result.exit_code == 1
    assert result.stderr == "error: QUOTES_BATCH='lots': not a whole number of documents (1 or more)\n"
