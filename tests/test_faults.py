"""Faults: a killed, concurrent, locked, read-only, full or too-new database never loses or
half-writes a document, and each failure is one clear line.

These tests run the real CLI in subprocesses (``python -c 'from quotes.cli import main; main()'``)
and inspect the database with raw SQL afterwards.
"""
from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quotes.extract.pipeline import Extractor
from quotes.sources.reader import read_sources

CLI = [sys.executable, "-c", "from quotes.cli import main; main()"]
NAMES = ["Jane Smith", "Bob Jones", "Ana Pérez", "Li Wei", "Omar Haddad", "Sarah O’Neil"]
OUTLETS = ["Reuters", "the Associated Press", "CNN"]


def article(i: int, rnd: random.Random) -> str:
    """A short news-like article with a varying number of attributed quotes."""
    paras = [f"Council report {i}"]
    for k in range(rnd.randint(1, 6)):
        name, other = rnd.sample(NAMES, 2)
        paras.append(f"“We will look at item {k} of plan {i},” {name} said on Monday.")
        paras.append(f"{other} told {rnd.choice(OUTLETS)} that the budget was “balanced and fair,” "
                     f"while critics called it a “fantasy.”")
        if rnd.random() < 0.3:
            paras.append(f"“Nothing is decided yet,” {other.split()[0]} added.")
    return "\n\n".join(paras) + "\n"


def make_batch(folder: Path, n: int, seed: int = 7) -> dict[str, int]:
    """Write n articles; return {path as the CLI stores it: quotes extracted from it alone}."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    for i in range(n):
        (folder / f"art{i:04d}.txt").write_text(article(i, rnd), encoding="utf-8")
    return extracted_alone(folder)


def extracted_alone(folder: Path) -> dict[str, int]:
    """{path relative to folder's parent, as the CLI run there stores it: quotes of that file alone}."""
    ex = Extractor(engine="rules")
    return {os.path.relpath(doc.path, folder.parent): len(ex.extract(doc)) for doc in read_sources([str(folder)])}


def quotes_cli(*args: str, env: dict | None = None, timeout: float = 120, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, **kw)


def check_consistent(db: Path, expected: dict[str, int]) -> dict[str, int]:
    """Raw-SQL audit: every stored document complete, nothing orphaned. Returns {path: quotes}."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = dict(con.execute(
            "SELECT d.path, (SELECT count(*) FROM quotes q WHERE q.document_id = d.id) FROM documents d"))
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == len(stored), "duplicates"
        for path, n in stored.items():
            assert n == expected[path], f"{path}: {n} quotes stored, {expected[path]} extracted alone"
        orphans = {
            "quotes without document": "SELECT count(*) FROM quotes WHERE document_id NOT IN (SELECT id FROM documents)",
            "attributions without quote": "SELECT count(*) FROM attributions WHERE quote_id NOT IN (SELECT id FROM quotes)",
            "quotes without attribution": "SELECT count(*) FROM quotes WHERE id NOT IN (SELECT quote_id FROM attributions)",
            "mentions without document":
                "SELECT count(*) FROM speaker_mentions WHERE document_id NOT IN (SELECT id FROM documents)",
            "mentions without attribution":
                "SELECT count(*) FROM speaker_mentions WHERE id NOT IN "
                "(SELECT mention_id FROM attributions WHERE mention_id IS NOT NULL)",
            "attributions to missing mention":
                "SELECT count(*) FROM attributions WHERE mention_id IS NOT NULL AND mention_id NOT IN "
                "(SELECT id FROM speaker_mentions)",
        }
        for what, sql in orphans.items():
            assert con.execute(sql).fetchone()[0] == 0, what
        bad_spans = con.execute(
            "SELECT count(*) FROM quotes q JOIN documents d ON d.id = q.document_id "
            "WHERE substr(d.text, q.content_start + 1, q.content_end - q.content_start) != q.text"
        ).fetchone()[0]
        assert bad_spans == 0
        return stored
    finally:
        con.close()


def stored_documents(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


# ------------------------------------------------------------------ SIGKILL

@pytest.mark.slow
def test_sigkill_mid_batch_leaves_whole_documents_and_rerun_completes(tmp_path):
    n = 300  # writes are fast: a smaller batch can finish before the third kill
    expected = make_batch(tmp_path / "batch", n)
    db = tmp_path / "q.db"
    rnd = random.Random(2024)
    kills = 0
    # a transaction per 4 documents (default: per 200 or per half second): many commits to land
    # between and inside, each of several documents written in savepoints
    env = {**os.environ, "QUOTES_BATCH": "4"}
    for attempt in range(4):
        before = stored_documents(db)
        target = before + rnd.randint(1, 25)  # kill somewhere after `target` documents are in
        proc = subprocess.Popen([*CLI, "extract", "batch", "--engine", "rules", "--db", str(db), "-q"],
                                cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        deadline = time.monotonic() + 60
        while proc.poll() is None and stored_documents(db) < target and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rnd.random() * 0.05)  # land anywhere, including inside a write
        if proc.poll() is None:
            proc.kill()
            kills += 1
        proc.wait(timeout=30)
        proc.stderr.close()
        check_consistent(db, expected)
    assert kills >= 3, "the batch finished before it could be killed: make it bigger"
    assert 0 < stored_documents(db) < n
    done = quotes_cli("extract", "batch", "--engine", "rules", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    stored = check_consistent(db, expected)
    assert stored == expected  # every document, once, with all its quotes


# ------------------------------------------------------------------ concurrency

@pytest.mark.slow
def test_two_writers_on_one_database_store_every_document_once(tmp_path):
    expected = make_batch(tmp_path / "batch", 60, seed=11)
    db = tmp_path / "q.db"
    opts = ["--engine", "rules", "--db", str(db), "-q"]
    # one walks the batch forwards, the other the same files in reverse: they collide in the middle
    files = sorted(str(Path("batch") / p.name) for p in (tmp_path / "batch").iterdir())
    procs = [subprocess.Popen([*CLI, "extract", *order, *opts], cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
             for order in (files, files[::-1])]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    for p in procs:
        p.stderr.close()
    assert [rc for rc, _ in results] == [0, 0], results
    assert check_consistent(db, expected) == expected


# ------------------------------------------------------------------ locks, read-only, full, too new

def test_a_new_store_waits_for_another_process_creating_it(tmp_path):
    """Switching a new database to WAL fails at once while another connection holds a lock on
    it (SQLite does not wait there): the store waits for it, as for any other lock."""
    import threading

    from quotes.store import Store

    db = tmp_path / "new.db"
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE other_process (x)")
    release = threading.Timer(0.3, holder.execute, ("COMMIT",))
    release.start()
    try:
        store = Store(str(db), other_tables=True)  # (the other process's table stays beside ours)
        store._ensure()
    finally:
        release.join()
        holder.close()
    assert store.current() == store.head()
    assert store.execute("PRAGMA journal_mode") == [("wal",)]


def test_locked_database_is_one_line_and_nothing_changes(tmp_path):
    expected = make_batch(tmp_path / "batch", 3)
    db = tmp_path / "q.db"
    first = quotes_cli("extract", "batch/art0000.txt", "--engine", "rules", "--db", str(db), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # held for longer than the 0.3 s the CLI will wait
    try:
        result = quotes_cli("extract", "batch", "--engine", "rules", "--db", str(db), cwd=tmp_path,
                            env={"QUOTES_BUSY_TIMEOUT": "0.3"}, timeout=60)
    finally:
        holder.rollback()
        holder.close()
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert lines[:-1] == [f"error: {db}: cannot store documents: database is locked; stopped (run the same "
                          "command again once the database can be written: stored documents are skipped)"]
    assert lines[-1] == "0 documents, 0 quotes stored; 1 skipped (unchanged); 1 error"  # art0000 unchanged
    assert check_consistent(db, expected) == {"batch/art0000.txt": expected["batch/art0000.txt"]}
    again = quotes_cli("extract", "batch", "--engine", "rules", "--db", str(db), cwd=tmp_path)
    assert again.returncode == 0 and check_consistent(db, expected) == expected


def test_bad_busy_timeout_is_one_line(tmp_path):
    sqlite3.connect(tmp_path / "q.db").close()  # (a read command refuses a missing file first)
    result = quotes_cli("list", "--db", str(tmp_path / "q.db"), env={"QUOTES_BUSY_TIMEOUT": "soon"})
    assert (result.returncode, result.stderr) == (1, "error: QUOTES_BUSY_TIMEOUT='soon': not a number of seconds\n")


def test_database_from_a_newer_schema_is_refused_untouched(tmp_path):
    expected = make_batch(tmp_path / "batch", 2)
    db = tmp_path / "q.db"
    assert quotes_cli("extract", "batch/art0000.txt", "--engine", "rules", "--db", str(db),
                      cwd=tmp_path).returncode == 0
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    for args in (["extract", "batch", "--engine", "rules"], ["list"], ["db", "upgrade"]):
        result = quotes_cli(*args, "--db", str(db), cwd=tmp_path)
        assert result.returncode == 1, args
        assert result.stderr.splitlines()[0].startswith(
            f"error: {db}: database schema revision 9999_future is newer than this version of quotes knows"), args
        assert "Traceback" not in result.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999_future",)]
    con.close()
    assert check_consistent(db, expected) == {"batch/art0000.txt": expected["batch/art0000.txt"]}


@pytest.fixture
def tmpfs(tmp_path):
    """mount(size) -> a fresh tmpfs directory of that many bytes; skipped where mounting is not allowed."""
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        where = tmp_path / f"fs{len(mounted)}"
        where.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode}); "
                        "needs root with CAP_SYS_ADMIN")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_read_only_database_is_one_line_and_unchanged(tmp_path, tmpfs):
    expected = make_batch(tmp_path / "batch", 2)
    fs = tmpfs(4 * 1024 * 1024)
    db = fs / "q.db"
    assert quotes_cli("extract", "batch/art0000.txt", "--engine", "rules", "--db", str(db),
                      cwd=tmp_path).returncode == 0
    before = db.read_bytes()
    remount = subprocess.run(["mount", "-o", "remount,ro", str(fs)], capture_output=True, text=True)
    if remount.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remount.stderr.strip()}")
    result = quotes_cli("extract", "batch", "--engine", "rules", "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors and all(line.startswith(f"error: {db}: ") for line in errors), result.stderr
    assert any("readonly" in line or "read-only" in line or "unable to open" in line for line in errors)
    assert db.read_bytes() == before
    subprocess.run(["mount", "-o", "remount,rw", str(fs)], check=True)
    assert check_consistent(db, expected) == {"batch/art0000.txt": expected["batch/art0000.txt"]}


def test_full_disk_keeps_whole_documents(tmp_path, tmpfs):
    rnd = random.Random(5)
    batch = tmp_path / "big"
    batch.mkdir()
    for i in range(40):  # ~4 KB each: the 512 KB disk fills up part way through the batch
        (batch / f"doc{i:02d}.txt").write_text("\n\n".join(article(i * 100 + k, rnd) for k in range(4)))
    expected = extracted_alone(batch)
    db = tmpfs(512 * 1024) / "q.db"  # the empty schema and its WAL take ~250 KB
    result = quotes_cli("extract", "big", "--engine", "rules", "--db", str(db), cwd=tmp_path)
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert result.returncode == 1 and errors, "the disk never filled: make the batch bigger"
    assert errors == [f"error: {db}: cannot store documents: database or disk is full; stopped (run the same "
                      "command again once the database can be written: stored documents are skipped)"]
    stored = check_consistent(db, expected)  # whole documents only, up to the first that did not fit
    assert 0 < len(stored) < len(expected)
    assert sorted(stored) == sorted(expected)[:len(stored)]
