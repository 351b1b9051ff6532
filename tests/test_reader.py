"""quotes.sources.reader: sources in, Documents (or one-line ReadErrors) out."""
from __future__ import annotations

import codecs
import hashlib
import io
import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.errors import ReadError
from quotes.sources.reader import read_sources
from quotes.types import Document


def read(paths, **kw):
    return list(read_sources([str(p) for p in paths], **kw))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_utf8_file_keeps_crlf_and_hashes_raw_bytes(tmp_path):
    data = "Caf\u00e9 \u201cyes\u201d\r\nnext\r\n".encode()
    (tmp_path / "a.txt").write_bytes(data)
    [doc] = read([tmp_path / "a.txt"])
    assert doc == Document(text="Caf\u00e9 \u201cyes\u201d\r\nnext\r\n", path=str(tmp_path / "a.txt"),
                           sha256=sha(data))
    assert doc.title is None and doc.url is None


def test_utf8_bom_is_skipped_but_hashed(tmp_path):
    data = codecs.BOM_UTF8 + b"hello"
    (tmp_path / "a.txt").write_bytes(data)
    [doc] = read([tmp_path / "a.txt"])
    assert (doc.text, doc.sha256) == ("hello", sha(data))


def test_utf16_with_bom(tmp_path):
    data = "\u201cHi,\u201d she said.\r\n".encode("utf-16")
    (tmp_path / "u16.txt").write_bytes(data)
    [doc] = read([tmp_path / "u16.txt"])
    assert (doc.text, doc.sha256) == ("\u201cHi,\u201d she said.\r\n", sha(data))


def test_invalid_utf8_names_file_and_byte(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"ok so far \xff\xfe")
    [err] = read([tmp_path / "bad.txt"])
    assert isinstance(err, ReadError)
    assert str(err) == f"{tmp_path / 'bad.txt'}: not valid UTF-8 at byte 10 (use --encoding to decode it)"


def test_invalid_utf8_after_bom_counts_raw_bytes(tmp_path):
    (tmp_path / "bad.txt").write_bytes(codecs.BOM_UTF8 + b"ab\xc3")
    [err] = read([tmp_path / "bad.txt"])
    assert str(err).endswith("not valid UTF-8 at byte 5 (use --encoding to decode it)")


def test_explicit_encoding(tmp_path):
    (tmp_path / "l1.txt").write_bytes("Se\u00f1or".encode("latin-1"))
    [doc] = read([tmp_path / "l1.txt"], encoding="latin-1")
    assert doc.text == "Se\u00f1or"


def test_binary_file(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    [err] = read([tmp_path / "x.bin"])
    assert str(err) == f"{tmp_path / 'x.bin'}: not text (PNG image)"


def test_empty_file_is_an_empty_document(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    [doc] = read([tmp_path / "e.txt"])
    assert (doc.text, doc.sha256) == ("", sha(b""))


def test_missing_path(tmp_path):
    [err] = read([tmp_path / "nope.txt"])
    assert str(err) == f"{tmp_path / 'nope.txt'}: no such file or directory"


def test_directory_is_recursive_sorted_and_skips_hidden(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("x")
    (root / ".hidden.txt").write_text("x")
    (root / "b.txt").write_text("b")
    (root / "a.txt").write_text("a")
    (root / "sub" / "c.txt").write_text("c")
    docs = read([root])
    assert [d.path for d in docs] == [str(root / "a.txt"), str(root / "b.txt"), str(root / "sub" / "c.txt")]
    assert [d.text for d in docs] == ["a", "b", "c"]


def test_relative_paths_stay_relative(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("x")
    assert [d.path for d in read(["d", "d/x.txt"])] == [os.path.join("d", "x.txt"), "d/x.txt"]


def test_unreadable_file_in_directory(tmp_path):
    if os.geteuid() == 0:  # root reads anything; simulate with a dangling symlink
        (tmp_path / "gone.txt").symlink_to(tmp_path / "missing")
    else:
        (tmp_path / "gone.txt").write_text("x")
        (tmp_path / "gone.txt").chmod(0)
    (tmp_path / "ok.txt").write_text("fine")
    items = read([tmp_path])
    assert isinstance(items[0], ReadError) and str(items[0]).startswith(str(tmp_path / "gone.txt") + ": ")
    assert items[1].text == "fine"


def test_stdin():
    [doc] = list(read_sources(["-"], stdin=io.BytesIO(b"from a pipe\r\n")))
    assert (doc.path, doc.text, doc.sha256) == ("<stdin>", "from a pipe\r\n", sha(b"from a pipe\r\n"))


def test_jsonl_records_and_broken_lines(tmp_path):
    other = tmp_path / "secret.txt"
    other.write_text("never read me")
    lines = [
        json.dumps({"id": "art-1", "text": "One \u201cquote\u201d.", "url": "https://x/1", "title": "T1",
                    "publisher": "P", "date": "2019-05-01"}),
        "{not json",
        "",
        json.dumps({"text": "Two.", "path": str(other)}),
        json.dumps({"title": "no text"}),
        json.dumps(["a list"]),
        json.dumps({"text": "Three."}),
    ]
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read([src])
    assert [type(i).__name__ for i in items] == ["Document", "ReadError", "Document", "ReadError",
                                                 "ReadError", "Document"]
    first, bad, second, no_text, not_obj, third = items
    assert first == Document(text="One \u201cquote\u201d.", path="art-1", url="https://x/1", title="T1",
                             publisher="P", date="2019-05-01", external_id="art-1",
                             sha256=sha("One \u201cquote\u201d.".encode()))
    assert str(bad).startswith(f"{src}:2: invalid JSON: ")
    assert "\n" not in str(bad)
    # a "path" field is a label only: the file it names is not read
    assert (second.text, second.path) == ("Two.", str(other))
    assert str(no_text) == f'{src}:5: missing "text" string'
    assert str(not_obj) == f"{src}:6: expected a JSON object, got list"
    assert (third.path, third.text) == (f"{src}#7", "Three.")


def test_jsonl_invalid_utf8_line(tmp_path):
    src = tmp_path / "b.jsonl"
    src.write_bytes(b'{"text": "ok"}\n{"text": "\xff"}\n')
    ok, err = read([src])
    assert ok.text == "ok"
    assert str(err) == f"{src}:2: not valid UTF-8 at byte 10 of the line"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")))
def test_any_utf8_text_round_trips(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("rt") / "t.txt"
    path.write_bytes(text.encode("utf-8"))
    [doc] = read([path])
    assert doc.text == text.removeprefix("\ufeff")
    assert doc.sha256 == sha(text.encode("utf-8"))
