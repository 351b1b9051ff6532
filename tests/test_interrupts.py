"""Ctrl-C and dead workers (issue 19, items 5 and 6; issue 18's Ctrl-C line): one SIGINT stops
a run within seconds, keeps what was stored, says how much and that a rerun goes on, and exits
130; a worker that dies has its documents tried again in a new worker, and one that kills a
worker twice is reported by name while the run goes on and ends.

The timeouts here only guard against a hang: no assertion depends on how fast anything runs."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quotes.extract.pipeline import Extractor
from quotes.scale.parallel import ParallelExtractor, WorkerDied
from quotes.types import Document

HANG_GUARD = 120  # seconds: far beyond what any of these runs needs

# The CLI with extraction patched, in a fresh interpreter: a document holding KILL-ME kills its
# process (as the OOM killer would), and every document costs a little time, so that a run of a
# few thousand lasts long enough to be interrupted in the middle.
PATCHED_CLI = """
import os, signal, sys, time
from quotes.extract import pipeline
real = pipeline.Extractor.extract
def extract(self, document):
    text = getattr(document, "text", document)
    if "KILL-ME" in text:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("SLOW"):
        time.sleep(float(os.environ["SLOW"]))
    return real(self, document)
pipeline.Extractor.extract = extract
from quotes.cli import main
main()
"""


def article(i: int) -> str:
    return f"Report {i}.\n\n\u201cWe will look at item {i},\u201d Mayor Jane Smith said on Monday.\n"


def write_batch(path: Path, n: int, kill: set[int] = frozenset()) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            text = article(i) + ("KILL-ME\n" if i in kill else "")
            fh.write(json.dumps({"id": f"doc{i:05d}", "text": text}) + "\n")


def count(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.5)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def consistent(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_doc = con.execute("SELECT d.path, count(q.id) FROM documents d LEFT JOIN quotes q "
                              "ON q.document_id = d.id GROUP BY d.id").fetchall()
        assert all(n == 1 for _, n in per_doc), "a document stored without its quote"
        return len(per_doc)
    finally:
        con.close()


@pytest.fixture
def hang_guard():
    def expired(*_):
        raise TimeoutError(f"no answer in {HANG_GUARD} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(HANG_GUARD)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# ------------------------------------------------------------------ a dead worker (item 6)

def test_a_dead_workers_documents_are_retried_and_the_killer_is_named(monkeypatch, hang_guard):
    real = Extractor.extract

    def extract(self, document):
        if "KILL-ME" in document.text:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, document)

    monkeypatch.setattr(Extractor, "extract", extract)  # the workers fork from this process
    docs = [Document.from_text(article(i) + ("KILL-ME\n" if i in (5, 40) else ""), path=f"d{i}.txt")
            for i in range(60)]
    with ParallelExtractor(engine="rules", workers=2, chunksize=4, start_method="fork") as px:
        got = list(px.map(docs))
    assert [d.path for d, _ in got] == [d.path for d in docs]
    failed = {d.path: str(r) for d, r in got if isinstance(r, BaseException)}
    assert set(failed) == {"d5.txt", "d40.txt"}
    assert all(isinstance(r, WorkerDied) for _, r in got if isinstance(r, BaseException))
    assert failed["d5.txt"] == ("d5.txt: extraction failed: its worker process died, twice (killed by SIGKILL)")
    assert all(len(r) == 1 for d, r in got if d.path not in failed)  # the others, retried or not: whole


def test_extract_reports_the_document_that_killed_its_workers_and_ends(tmp_path):
    write_batch(tmp_path / "batch.jsonl", 80, kill={30})
    done = subprocess.run([sys.executable, "-c", PATCHED_CLI, "extract", "batch.jsonl", "--engine", "rules",
                           "--workers", "2", "--db", "q.db"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=HANG_GUARD)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        "error: doc00030: extraction failed: its worker process died, twice (killed by SIGKILL)",
        "79 documents, 79 quotes stored; 0 skipped (unchanged); 1 error",
    ]
    assert consistent(tmp_path / "q.db") == 79


# ------------------------------------------------------------------ Ctrl-C (item 5)

def interrupt_once(tmp_path: Path, workers: int, after: int) -> subprocess.CompletedProcess:
    """Start an extract of 3,000 slowed-down documents, send one SIGINT to its process group
    (as a terminal's Ctrl-C does) once ``after`` documents are stored, and let it end."""
    db = tmp_path / "q.db"
    proc = subprocess.Popen([sys.executable, "-c", PATCHED_CLI, "extract", "batch.jsonl", "--engine", "rules",
                             "--workers", str(workers), "--db", str(db)], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "SLOW": "0.004"})
    deadline = time.monotonic() + HANG_GUARD
    while count(db) < after and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("one Ctrl-C did not stop the run")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize("workers", [1, 2])
def test_one_ctrl_c_stops_keeps_what_was_stored_says_so_and_exits_130(tmp_path, workers):
    write_batch(tmp_path / "batch.jsonl", 3000)
    stored = 0
    for after in (1, 250):
        done = interrupt_once(tmp_path, workers, after=stored + after)
        assert done.returncode == 130, done.stderr
        n = consistent(tmp_path / "q.db")
        assert stored + after <= n < 3000
        assert done.stderr.splitlines()[-1] == (
            f"interrupted: {n - stored:,} documents, {n - stored:,} quotes stored by this run; "
            "run the same command again to go on (stored documents are skipped)")
        assert "Traceback" not in done.stderr
        stored = n
    rest = subprocess.run([sys.executable, "-c", PATCHED_CLI, "extract", "batch.jsonl", "--engine", "rules",
                           "--workers", str(workers), "--db", "q.db"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=HANG_GUARD)
    assert rest.returncode == 0, rest.stderr
    assert rest.stderr.splitlines()[-1] == (f"{3000 - stored:,} documents, {3000 - stored:,} quotes stored; "
                                            f"{stored:,} skipped (unchanged); 0 errors")
    assert consistent(tmp_path / "q.db") == 3000
