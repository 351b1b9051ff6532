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
