"""Bad input: every strange source gets one clear line (or a correct result), never a
traceback, and the batch goes on. Pathological texts extract in bounded time or are cut off
by ``--timeout``. (tests/test_reader.py covers each decoding rule on its own.)"""
from __future__ import annotations

import codecs
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quotes.sources import reader
from quotes.errors import ReadError
from quotes.sources.reader import read_sources

CLI = [sys.executable, "-c", "from quotes.cli import main; main()"]
GOOD = "Mayor Jane Smith spoke on Monday.\n\n\u201cWe will not raise taxes,\u201d Smith told reporters.\n"

SCRIPTS = {  # texts whose quotes must come back with exact offsets
    "guillemets.txt": "Le ministre a dit : \u00ab Nous sommes pr\u00eats. \u00bb\n\n\u00ab Non \u00bb, a-t-il ajout\u00e9.\n",
    "german.txt": "\u201eWir schaffen das\u201c, sagte Angela Merkel am Montag.\n",
    "cjk.txt": "\u5927\u81e3\u306f\u300c\u6e96\u5099\u306f\u3067\u304d\u3066\u3044\u308b\u300d\u3068\u8ff0\u3079\u305f\u3002\n",
    "rtl.txt": "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u00ab\u0646\u062d\u0646 \u0645\u0633\u062a\u0639\u062f\u0648\u0646\u00bb \u064a\u0648\u0645 "
               "\u0627\u0644\u0627\u062b\u0646\u064a\u0646. \u201c\u05e9\u05dc\u05d5\u05dd,\u201d he said.\n",
    "zero_width.txt": "\u200bMayor\u200d Jane\u00a0Smith said: \u201cWe\u200b are\u2060 ready\ufeff,\u201d on Monday.\n",
    "nul_late.txt": "x" * 9000 + "\x00 \u201cStill text,\u201d she said.\x00\n",  # NUL past the sniff window
    "only_openers.txt": "\u201c\u201c\u201c He said \u201cno and \u00ab maybe \u201e perhaps \u300c\n",
}


def run_cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def stored(db: Path) -> dict[str, tuple[str, list[tuple[int, int, int, int, str]]]]:
    con = sqlite3.connect(db)
    try:
        docs = {}
        for doc_id, path, text in con.execute("SELECT id, path, text FROM documents"):
            spans = con.execute("SELECT start, \"end\", content_start, content_end, text FROM quotes "
                                "WHERE document_id = ? ORDER BY id", (doc_id,)).fetchall()
            docs[path] = (text, spans)
        return docs
    finally:
        con.close()


def test_a_batch_of_bad_sources_reports_each_and_stores_the_rest(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_binary.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (d / "b_latin1.txt").write_bytes("Caf\u00e9 \u201cok\u201d".encode("utf-8")[:3] + b"\xe9 said.")
    (d / "c_utf16le.txt").write_bytes(codecs.BOM_UTF16_LE + GOOD.encode("utf-16-le"))
    (d / "d_utf16be.txt").write_bytes(codecs.BOM_UTF16_BE + GOOD.encode("utf-16-be"))
    (d / "e_empty.txt").write_bytes(b"")
    os.mkfifo(d / "f_fifo.txt")  # opening it would wait for a writer forever
    (d / "g_dangling.txt").symlink_to(tmp_path / "gone")
    (d / "h_batch.jsonl").write_text(
        json.dumps({"id": "j1", "text": GOOD}) + "\n{broken\n" + json.dumps({"id": "j3", "text": "Fine."}) + "\n")
    (d / "i_truncated_utf8.txt").write_bytes(GOOD.encode("utf-8")[:-3] + "\u201d".encode("utf-8")[:2])
    for name, text in SCRIPTS.items():
        (d / f"s_{name}").write_text(text, encoding="utf-8")
    (d / "z_good.txt").write_text(GOOD, encoding="utf-8")
    result = run_cli("extract", "in", "missing.txt", "/dev/zero", "--engine", "rules", "--db", "q.db",
                     cwd=tmp_path)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[:-1] == [
        "error: missing.txt: no such file or directory",  # sources named are checked first, at once
        "error: in/b_latin1.txt: not valid UTF-8 at byte 3 (use --encoding to decode it)",
        "error: in/f_fifo.txt: not a regular file (FIFO)",
        "error: in/g_dangling.txt: no such file or directory",
        "error: in/h_batch.jsonl:2: invalid JSON: Expecting property name enclosed in double quotes: "
        "line 1 column 2 (char 1)",
        f"error: in/i_truncated_utf8.txt: not valid UTF-8 at byte {len(GOOD.encode()) - 3}"
        " (use --encoding to decode it)",
        "error: /dev/zero: not a regular file (device)",
    ]  # in/a_binary.png: not a text, JSONL or HTML file, skipped and counted
    assert result.returncode == 1
    docs = stored(tmp_path / "q.db")
    assert set(docs) == {"in/c_utf16le.txt", "in/d_utf16be.txt", "in/e_empty.txt", "j1", "j3",
                         "in/z_good.txt", *(f"in/s_{n}" for n in SCRIPTS)}
    assert lines[-1] == (f"{len(docs)} documents, {lines[-1].split(', ', 1)[1].split(' ', 1)[0]} quotes stored; "
                         "0 skipped (unchanged); 1 file not text, JSONL or HTML (skipped); 7 errors")
    assert docs["in/e_empty.txt"] == ("", [])
    assert docs["in/c_utf16le.txt"] == docs["in/d_utf16be.txt"] == docs["in/z_good.txt"]
    assert docs["in/z_good.txt"][1] != []
    for path, (text, spans) in docs.items():  # offsets are sacred, whatever the script
        for start, end, cstart, cend, content in spans:
            assert 0 <= start <= cstart <= cend <= end <= len(text), path
            assert text[cstart:cend] == content, path
    assert docs["in/s_nul_late.txt"][0] == SCRIPTS["nul_late.txt"]
    assert "Still text," in [s[-1] for s in docs["in/s_nul_late.txt"][1]]
    assert docs["in/s_zero_width.txt"][0] == SCRIPTS["zero_width.txt"]
    assert [s[-1] for s in docs["in/s_cjk.txt"][1]] == ["\u6e96\u5099\u306f\u3067\u304d\u3066\u3044\u308b"]
    assert "Wir schaffen das" in [s[-1] for s in docs["in/s_german.txt"][1]]


def test_encoding_decodes_what_utf8_refuses(tmp_path):
    (tmp_path / "l.txt").write_bytes("\u00abNon\u00bb, dit Andr\u00e9.\n".encode("latin-1"))
    refused = run_cli("extract", "l.txt", "--engine", "rules", "--db", "q.db", cwd=tmp_path)
    assert refused.returncode == 1 and "l.txt: not valid UTF-8 at byte 0" in refused.stderr
    done = run_cli("extract", "l.txt", "--engine", "rules", "--db", "q.db", "--encoding", "latin-1",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text, spans = stored(tmp_path / "q.db")["l.txt"]
    assert text == "\u00abNon\u00bb, dit Andr\u00e9.\n" and [s[-1] for s in spans] == ["Non"]


def test_a_directory_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text("hidden")
    (tmp_path / "z.txt").write_text("two")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(read_sources([str(tmp_path)]))
    assert [getattr(i, "text", None) for i in items] == ["one", None, "two"]
    assert str(items[1]) == f"{tmp_path / 'locked'}: cannot list directory: permission denied"


def test_a_file_that_cannot_be_opened_is_reported(tmp_path, monkeypatch):
    for name in ("a.txt", "b.txt", "c.jsonl"):
        (tmp_path / name).write_text('{"text": "x"}')
    real_open = open

    def guarded(path, *args, **kw):
        if os.path.basename(os.fspath(path)) in ("b.txt", "c.jsonl"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(reader, "open", guarded, raising=False)
    items = list(read_sources([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["Document", "ReadError", "ReadError"]
    assert [str(i) for i in items[1:]] == [f"{tmp_path / 'b.txt'}: permission denied",
                                           f"{tmp_path / 'c.jsonl'}: permission denied"]


def test_a_100_mb_article_is_read_whole(tmp_path):
    path = tmp_path / "big.txt"
    line = "Mayor Jane Smith said the budget was \u201cbalanced and fair\u201d on Monday.\n\n".encode()
    with open(path, "wb") as fh:
        for _ in range(100 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    [doc] = read_sources([str(path)])
    assert not isinstance(doc, ReadError)
    assert len(doc.text) == len(line.decode()) * (100 * 1024 * 1024 // len(line) + 1)
    assert doc.text.endswith("Monday.\n\n")


# ------------------------------------------------------------------ bounded time

PATHOLOGICAL = textwrap.dedent("""
    import sys
    from quotes.extract.pipeline import Extractor
    ex = Extractor(engine="rules")
    cases = {
        "50,000 capitalised words": " ".join(["Word"] * 50_000),
        "a 1 MB word": "a" * 1_000_000,
        "a 1 MB capitalised word": "Q" + "x" * 1_000_000,
        "a 1 MB line with no break": "the council met and the budget passed, " * 26_000,
        "200 KB of commas": "," * 200_000,
        "200 KB of dashes": "\u2014-" * 100_000,
        "200 KB of full stops": "." * 200_000,
        "200 KB of apostrophes": "\u2019'" * 100_000,
        "200 KB of spaces and tabs": " \\t" * 100_000,
        "200 KB of open tags": "<a " * 70_000,
        "200 KB of 'SMITH:'": "SMITH: " * 30_000,
        "a quote holding 100 KB of spaces": "\u201c" + " " * 100_000 + "\u201d he said.",
    }
    for name, text in cases.items():
        ex.extract(text)
        print("ok", name, flush=True)
""")


@pytest.mark.slow
def test_pathological_texts_extract_in_bounded_time(tmp_path):
    """No regex backtracks catastrophically: each of these would take minutes or hours if
    one did; all of them together must finish within a generous 60 s."""
    done = subprocess.run([sys.executable, "-c", PATHOLOGICAL], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 12


def test_timeout_cuts_off_a_pathological_document_and_the_batch_goes_on(tmp_path):
    """100,000 quote marks (and a file of only opening marks) make the attribution steps slow
    (quadratic in the number of quotes); --timeout keeps them from stalling the batch."""
    (tmp_path / "a_marks.txt").write_text('"' * 100_000)
    (tmp_path / "b_openers.txt").write_text("\u201c" * 100_000)
    (tmp_path / "c_good.txt").write_text(GOOD)
    result = run_cli("extract", "a_marks.txt", "b_openers.txt", "c_good.txt", "--engine", "rules",
                     "--db", "q.db", "--timeout", "1.5", cwd=tmp_path)
    assert result.stderr.splitlines() == [
        "error: a_marks.txt: extraction took longer than 1.5 s (--timeout); skipped",
        "error: b_openers.txt: extraction took longer than 1.5 s (--timeout); skipped",
        "1 document, 1 quote stored; 0 skipped (unchanged); 2 errors",
    ]
    assert result.returncode == 1
    assert list(stored(tmp_path / "q.db")) == ["c_good.txt"]
