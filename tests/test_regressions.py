"""Inputs that once hung or crashed the tool, kept so they never do again.

Found while testing issue #7 (bad input / faults): a FIFO inside a directory made
``quotes extract DIR`` wait forever for a writer, and a device such as /dev/zero was read
without end. Coverage-guided fuzzing (fuzz/fuzz_pipeline.py, 5 minutes, see the report of
issue #7) found no crashing input; any it finds later is added to CRASHES below.
"""
from __future__ import annotations

import os
import threading

import pytest

from quotes.errors import ReadError
from quotes.extract.pipeline import Extractor
from quotes.sources.reader import decode, read_sources
from quotes.types import Document

CRASHES: list[bytes] = [  # raw fuzz inputs (fuzz/fuzz_pipeline.py crash-* files)
]


def read_within(paths: list[str], seconds: float = 10) -> list:
    """read_sources in a thread; fail instead of hanging."""
    out: list = []
    worker = threading.Thread(target=lambda: out.extend(read_sources(paths)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"reading {paths} hung"
    return out


def test_fifo_inside_a_directory_is_reported_not_opened(tmp_path):
    os.mkfifo(tmp_path / "a.fifo")
    (tmp_path / "b.txt").write_text("fine")
    err, doc = read_within([str(tmp_path)])
    assert str(err) == f"{tmp_path / 'a.fifo'}: not a regular file (FIFO)"
    assert doc.text == "fine"


def test_device_is_never_read():
    [err] = read_within(["/dev/zero"])
    assert str(err) == "/dev/zero: not a regular file (device)"


def test_named_fifo_is_still_read(tmp_path):
    """`quotes extract <(cmd)` names a pipe: that one is read."""
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(b"from a pipe"), daemon=True)
    writer.start()
    [doc] = read_within([str(fifo)])
    assert doc.text == "from a pipe"


@pytest.mark.parametrize("data", CRASHES or [pytest.param(b"", id="none-found-yet")])
def test_fuzz_crashes_stay_fixed(data):
    try:
        text = decode(data, "fuzz")
    except ReadError:
        return
    doc = Document.from_text(text, path="fuzz")
    for q in Extractor(engine="rules").extract(doc):
        assert text[q.content.start:q.content.end] == q.content.text
