"""The CLI's rough edges (issue 18) and the minor list of issue 19: each is one clear line, with
the exact output it gives. (Ctrl-C in a real process: tests/test_interrupts.py; check's drift
preview: tests/test_check_sources.py.)"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from quotes.cli.extract import _Stats
from quotes.cli.progress import count_documents, render
from quotes.extract import pipeline
from quotes.store import Store

ROOT = Path(__file__).resolve().parent.parent
GOOD = "Mayor Jane Smith spoke on Monday.\n\n\u201cWe will not raise taxes,\u201d Smith told reporters.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n" + GOOD.encode()


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def missing_db_line(db: str) -> str:
    return f"error: {db}: no such database file (`quotes extract ... --db {db}` creates one)\n"


# ------------------------------------------------------------------ read commands and --db

@pytest.mark.parametrize("args", [
    ["list"], ["export"], ["documents"], ["speakers"], ["outlets"], ["show", "1"], ["explain", "1"],
    ["verify", "we will not"], ["trace", "we will not"], ["check"], ["db", "current"],
    ["speakers", "merge", "a", "b"],
])
def test_read_commands_refuse_a_database_that_does_not_exist(run, here, args):
    result = run([*args, "--db", "nope.db"])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", missing_db_line("nope.db"))
    assert not (here / "nope.db").exists()


def test_a_missing_folder_in_db_is_named_before_any_model_loads(run, here, monkeypatch):
    monkeypatch.setattr(pipeline.Extractor, "load", lambda self: pytest.fail("a model was loaded"))
    Path("a.txt").write_text(GOOD)
    result = run(["extract", "a.txt", "--db", "no/such/folder/q.db"])
    assert (result.exit_code, result.stderr) == (
        1, "error: no/such/folder/q.db: cannot create the database: no such folder no/such/folder\n")
    assert not Path("no").exists()


def test_sources_are_checked_before_any_model_loads(run, here, monkeypatch):
    monkeypatch.setattr(pipeline.Extractor, "load", lambda self: pytest.fail("a model was loaded"))
    result = run(["extract", "missing.txt", "gone/", "--db", "q.db"])  # the default engine: stanza
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: missing.txt: no such file or directory",
        "error: gone/: no such file or directory",
        "0 documents, 0 quotes stored; 0 skipped (unchanged); 2 errors",
    ]
    assert not Path("q.db").exists()


@pytest.mark.parametrize("db, message", [
    ("/dev/null", "error: /dev/null: not a database file (a device)\n"),
    ("sqlite://", "error: :memory:: an in-memory database is thrown away when quotes extract ends, with every "
                  "quote stored in it; give a file (--db quotes.db)\n"),
    ("mysql://u:p@localhost/q", "error: mysql://u:***@localhost/q: quotes stores in SQLite (a file path, or "
                                "sqlite:///PATH) or PostgreSQL (postgresql+psycopg://...), not mysql\n"),
    (".", "error: .: is a folder, not a database file\n"),
])
def test_databases_that_cannot_be_a_store_are_one_line(run, here, db, message):
    Path("a.txt").write_text(GOOD)
    result = run(["extract", "a.txt", "--engine", "rules", "--db", db])
    assert (result.exit_code, result.stderr) == (1, message)


def test_a_database_of_other_tables_is_refused_unless_told(run, here):
    con = sqlite3.connect("other.db")
    con.execute("create table customers (id integer, name text)")
    con.commit()
    con.close()
    Path("a.txt").write_text(GOOD)
    for args in (["extract", "a.txt", "--engine", "rules"], ["list"], ["db", "upgrade"]):
        result = run([*args, "--db", "other.db"])
        assert (result.exit_code, result.stderr) == (
            1, "error: other.db: not a quotes database: it holds tables of its own (customers) and no quotes "
               "schema (--allow-other-tables adds the quotes tables to it)\n"), args
    con = sqlite3.connect("other.db")
    assert [r[0] for r in con.execute("select name from sqlite_master where type = 'table'")] == ["customers"]
    con.close()
    told = run(["extract", "a.txt", "--engine", "rules", "--db", "other.db", "--allow-other-tables"])
    assert told.exit_code == 0 and told.stderr == "1 document, 1 quote stored; 0 skipped (unchanged); 0 errors\n"


def test_a_store_with_two_schema_revisions_is_one_line(run, here):
    Path("a.txt").write_text(GOOD)
    assert run(["extract", "a.txt", "--engine", "rules", "--db", "q.db"]).exit_code == 0
    con = sqlite3.connect("q.db")
    con.execute("insert into alembic_version values ('0001')")
    con.commit()
    con.close()
    for args in (["list"], ["extract", "a.txt", "--engine", "rules"]):
        result = run([*args, "--db", "q.db"])
        assert result.exit_code == 1 and result.stderr.startswith(
            "error: q.db: not a quotes database: alembic_version holds 2 revisions ("), args
        assert result.stderr.count("\n") == 1


def test_serve_on_a_newer_schema_does_not_send_you_to_db_upgrade(run, here, filled_db):
    con = sqlite3.connect(filled_db)
    con.execute("update alembic_version set version_num = '9999_future'")
    con.commit()
    con.close()
    result = run(["serve", "--db", filled_db])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {filled_db}: database schema revision 9999_future is newer than "
                                    "this version of quotes knows")
    assert "db upgrade" not in result.stderr and result.stderr.endswith("upgrade quotes\n")


# ------------------------------------------------------------------ mixed folders

def mixed_folder() -> None:
    d = Path("in")
    (d / "sub").mkdir(parents=True)
    (d / "a.txt").write_text(GOOD)
    (d / "b.pdf").write_bytes(PDF)
    (d / "c.png").write_bytes(PNG)
    (d / "d.txt").write_bytes(PNG)  # an image called .txt: not text, by its content
    (d / "e.jsonl").write_text(json.dumps({"id": "e1", "text": GOOD}) + "\n")
    (d / "f.html").write_text(f"<html><head><title>F</title></head><body><article><p>{GOOD}</p></article></body></html>")
    (d / "g.md").write_text(GOOD)
    (d / "README").write_text(GOOD)  # no extension: read when its content is text
    (d / "sub" / "h.csv").write_text("a,b\n1,2\n")
    (d / "sub" / "i.docx").write_bytes(b"PK\x03\x04" + bytes(64))


def test_a_mixed_folder_reads_text_jsonl_and_html_and_counts_the_rest(run, here):
    mixed_folder()
    result = run(["-v", "extract", "in", "--engine", "rules", "--db", "q.db"])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == (
        "4 documents, 4 quotes stored; 0 skipped (unchanged); 6 files not text, JSONL or HTML (skipped); 0 errors")
    for name in ("in/b.pdf", "in/c.png", "in/d.txt", "in/g.md", "in/sub/h.csv", "in/sub/i.docx"):
        assert f"INFO quotes: {name}: skipped, not a text, JSONL or HTML file" in result.stderr
    con = sqlite3.connect("q.db")
    assert sorted(p for p, in con.execute("select path from documents")) == ["e1", "in/README", "in/a.txt", "in/f.html"]
    con.close()
    wider = run(["extract", "in", "--engine", "rules", "--db", "q.db", "--include", "*.md", "--include", "sub/*.csv"])
    assert wider.stderr.splitlines()[-1] == (
        "2 documents, 1 quote stored; 4 skipped (unchanged); 4 files not text, JSONL or HTML (skipped); 0 errors")
    named = run(["extract", "in/b.pdf", "--engine", "rules", "--db", "q.db"])  # named on its own: read, and refused
    assert named.exit_code == 1 and "error: in/b.pdf: not text (PDF)" in named.stderr


# ------------------------------------------------------------------ a store that cannot be written

def test_a_store_that_cannot_be_written_stops_at_the_first_error(run, here, monkeypatch):
    for i in range(5):
        Path(f"a{i}.txt").write_text(GOOD + f"{i}\n")
    assert run(["extract", "a0.txt", "--engine", "rules", "--db", "q.db"]).exit_code == 0
    monkeypatch.setenv("QUOTES_BUSY_TIMEOUT", "0.2")
    holder = sqlite3.connect("q.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run(["extract", *(f"a{i}.txt" for i in range(5)), "--engine", "rules", "--db", "q.db"])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: q.db: cannot store documents: database is locked; stopped (run the same command again once the "
        "database can be written: stored documents are skipped)",
        "0 documents, 0 quotes stored; 1 skipped (unchanged); 1 error",
    ]


# ------------------------------------------------------------------ Ctrl-C

def test_ctrl_c_says_how_many_documents_were_stored_and_exits_130(run, here, monkeypatch):
    for i in range(6):
        Path(f"a{i}.txt").write_text(GOOD + f"{i}\n")
    real = pipeline.Extractor.extract
    seen = []

    def extract(self, document):
        seen.append(document)
        if len(seen) == 4:
            raise KeyboardInterrupt
        return real(self, document)

    monkeypatch.setattr(pipeline.Extractor, "extract", extract)
    monkeypatch.setenv("QUOTES_BATCH", "2")
    result = run(["extract", *(f"a{i}.txt" for i in range(6)), "--engine", "rules", "--db", "q.db"])
    assert (result.exit_code, result.stderr) == (
        130, "interrupted: 3 documents, 3 quotes stored by this run; run the same command again to go on "
             "(stored documents are skipped)\n")
    con = sqlite3.connect("q.db")
    assert [p for p, in con.execute("select path from documents order by id")] == ["a0.txt", "a1.txt", "a2.txt"]
    con.close()


# ------------------------------------------------------------------ progress and counts

def test_progress_shows_n_of_m_and_the_time_left_with_thousands_separators():
    assert render(1204, 9876, 20.0, total=10_000) == (
        "1,204 documents of 10,000 (12%) · 9,876 quotes · 60.2 docs/s · 0:20 elapsed · about 2:26 left")
    assert render(1, 0, 0.5, total=3) == "1 document of 3 (33%) · 0 quotes · 2.0 docs/s · 0:00 elapsed"
    assert render(12_345, 1, 3600.0) == "12,345 documents · 1 quote · 3.4 docs/s · 1:00:00 elapsed"


def test_the_summary_has_thousands_separators():
    assert _Stats(documents=12_345, quotes=1_234_567, skipped=1_000, errors=2_000, not_text=1_001).summary() == (
        "12,345 documents, 1,234,567 quotes stored; 1,000 skipped (unchanged); 1,001 files not text, JSONL or HTML "
        "(skipped); 2,000 errors")


def test_documents_are_counted_for_the_progress_line(here):
    mixed_folder()
    Path("more.jsonl").write_text("".join(json.dumps({"text": f"t{i}"}) + "\n" for i in range(1500)) + "\n\n")
    found = []
    count_documents(["in", "more.jsonl", "in/a.txt"], ["*.md"], found.append).join(10)
    # in: a, d (not text, which only reading tells), e's one line, f, g (included), README; then 1,500 + 1
    assert found == [6 + 1500 + 1]
    found.clear()
    count_documents(["in", "-"], [], found.append).join(10)
    assert found == []  # stdin: no total


# ------------------------------------------------------------------ install script, browser tests

def test_the_install_script_says_what_it_installs_and_can_be_told_not_to():
    script = ROOT / "scripts" / "install.sh"
    dry = subprocess.run(["bash", str(script), "--dry-run"], capture_output=True, text=True, timeout=60)
    assert dry.returncode == 0, dry.stderr
    assert dry.stderr.splitlines()[0].startswith(
        "install.sh: system packages for some tests: chromium postgresql (Debian, apt-get; "
        "--no-system-packages skips them)")
    skip = subprocess.run(["bash", str(script), "--dry-run", "--no-system-packages"], capture_output=True,
                          text=True, timeout=60)
    assert skip.returncode == 0
    assert "install.sh: not installing system packages (--no-system-packages)" in skip.stderr
    assert "apt-get" not in skip.stdout
    assert "apt-get" not in (ROOT / ".ci" / "run").read_text().replace("install.sh", "")  # CI installs them
    assert "--no-system-packages" not in (ROOT / ".ci" / "run").read_text()
    bad = subprocess.run(["bash", str(script), "--frobnicate"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "unknown option --frobnicate" in bad.stderr


def test_browser_tests_skip_with_a_reason_without_chromium(tmp_path):
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           str(ROOT / "tests" / "test_browser.py")], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path, env={**os.environ, "QUOTES_CHROMIUM": str(tmp_path / "no-chromium")})
    assert done.returncode in (0, 5), done.stdout[-2000:]  # 5: nothing ran (the module skipped)
    assert "skipped" in done.stdout and f"no {tmp_path / 'no-chromium'}" in done.stdout


def test_a_disk_full_while_the_store_is_created_says_so(run, here):
    """Was "cannot rollback - no transaction is active": the rollback after the failure hid it."""
    fs = here / "fs"
    fs.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", str(fs)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or mounted.returncode}); needs root")
    try:
        Path("a.txt").write_text(GOOD)
        result = run(["extract", "a.txt", "--engine", "rules", "--db", "fs/q.db"])
        assert result.exit_code == 1
        assert result.stderr == "error: fs/q.db: database or disk is full\n", result.stderr
    finally:
        subprocess.run(["umount", "-l", str(fs)], capture_output=True)
