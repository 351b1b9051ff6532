"""`quotes extract --workers N` stores exactly what `--workers 1` stores, in the same order."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.scale.parallel import IDLE, ParallelExtractor, _start_method
from quotes.extract.pipeline import Extractor
from quotes.sources.reader import read_sources
from quotes.store import Store
from quotes.types import Document

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [str(ROOT / "samples"), str(ROOT / "seeds")]

ROWS = """
SELECT d.path, d.sha256, q.start, q."end", q.content_start, q.content_end, q.text, q.kind, q.closed,
       s.name, s.type, m.start, m."end", m.text, m.role, m.affiliation, o.name,
       a.outlet_start, a.outlet_end, a.cue_start, a.cue_end, a.cue_text, a.sieve, a.confidence, a.explanation
FROM quotes q JOIN documents d ON d.id = q.document_id
LEFT JOIN attributions a ON a.quote_id = q.id
LEFT JOIN speakers s ON s.id = a.speaker_id
LEFT JOIN speaker_mentions m ON m.id = a.mention_id
LEFT JOIN outlets o ON o.id = a.outlet_id
ORDER BY q.id
"""


def _stored(db: Path) -> list[tuple]:
    store = Store(str(db))
    try:
        return [tuple(r) for r in store.execute(ROWS)]
    finally:
        store.close()


def _extract(tmp_path: Path, workers: int, *extra: str) -> tuple[list[tuple], str]:
    db = tmp_path / f"w{workers}.db"
    result = CliRunner().invoke(cli, ["extract", *SOURCES, *extra, "--db", str(db), "--engine", "rules",
                                      "--workers", str(workers)])
    assert result.exit_code in (0, 1), result.output
    return _stored(db), result.output


def test_two_workers_store_the_same_rows_in_the_same_order(tmp_path):
    one, out1 = _extract(tmp_path, 1)
    two, out2 = _extract(tmp_path, 2)
    assert len(one) > 20  # the samples and the seed hold quotes: an empty store proves nothing
    assert two == one
    assert out2 == out1  # the same summary line


def test_a_bad_file_is_reported_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    one, out1 = _extract(tmp_path, 1, str(bad))
    two, out2 = _extract(tmp_path, 2, str(bad))
    assert two == one and len(one) > 20
    assert "bad.txt: binary file" in out2 and out2 == out1


def test_unchanged_documents_are_skipped_with_workers(tmp_path):
    _extract(tmp_path, 2)
    again = CliRunner().invoke(cli, ["extract", *SOURCES, "--db", str(tmp_path / "w2.db"), "--engine", "rules",
                                     "--workers", "2"])
    assert again.exit_code == 0
    assert "0 documents, 0 quotes stored" in again.output


def test_parallel_extractor_returns_what_the_serial_one_does():
    docs = [d for d in read_sources(SOURCES) if not isinstance(d, Exception)]
    serial = Extractor(engine="rules")
    with ParallelExtractor(engine="rules", workers=2, window=3) as px:
        got = list(px.map(docs))
    assert [d for d, _ in got] == docs
    assert [q for _, q in got] == [serial.extract(d) for d in docs]


def test_a_bad_sieve_name_fails_before_any_worker_starts():
    with pytest.raises(ValueError):
        ParallelExtractor(engine="rules", sieves="no_such_sieve", workers=2)


@pytest.mark.parametrize("chunksize, window", [(3, 5), (16, 40), (1, 2)])
def test_prefetch_in_chunks_keeps_the_order_and_idle_is_only_a_pause(chunksize, window):
    docs = [d for d in read_sources(SOURCES) if not isinstance(d, Exception)]
    assert len(docs) > 6
    skipped = docs[2]
    items = [docs[0], "not a document", *docs[1:]]
    serial = Extractor(engine="rules")
    got, results = [], []
    with ParallelExtractor(engine="rules", workers=2, window=window, chunksize=chunksize) as px:
        assert px.chunksize == min(chunksize, window)
        for item in px.prefetch(items, skip=lambda d: d is skipped, idle=True):
            got.append(item)
            if isinstance(item, Document) and item is not skipped:
                results.append(px.extract(item))
    assert [g for g in got if g is not IDLE] == items
    assert all(b is not IDLE for a, b in zip(got, got[1:]) if a is IDLE)  # one pause, then an item
    assert results == [serial.extract(d) for d in docs if d is not skipped]


def _extract_in_a_new_process(tmp_path: Path, engine: str, workers: int) -> list[tuple]:
    """Run ``quotes extract`` in a fresh interpreter: whether workers fork depends on what the
    process has imported (torch), and this one has run torch already."""
    db = tmp_path / f"{engine}-{workers}.db"
    cmd = [sys.executable, "-m", "quotes.cli", "extract", *SOURCES, "--db", str(db), "--engine", engine,
           "--workers", str(workers), "-q"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return _stored(db)


@pytest.mark.slow
def test_stanza_workers_fork_and_store_what_one_process_stores(tmp_path):
    one = _extract_in_a_new_process(tmp_path, "stanza", 1)
    two = _extract_in_a_new_process(tmp_path, "stanza", 2)
    assert len(one) > 20
    assert two == one


@pytest.mark.parametrize("engine, imported, method", [
    ("rules", False, "fork"), ("rules", True, "fork"),
    ("stanza", False, "fork"), ("stanza", True, "spawn"),  # torch may have made thread pools: start afresh
])
def test_start_method(monkeypatch, engine, imported, method):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "name", "posix")
    if imported:
        monkeypatch.setitem(sys.modules, "torch", sys.modules.get("torch") or object())
    else:
        monkeypatch.delitem(sys.modules, "torch", raising=False)
    assert _start_method(engine) == method
