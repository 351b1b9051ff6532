"""Fuzzing the reader: arbitrary bytes -> a Document or a one-line ReadError, never an
exception; what it decodes is exactly what the bytes say. (Finder and pipeline on text are
fuzzed in tests/test_properties.py; fuzz/fuzz_pipeline.py does coverage-guided runs.)"""
from __future__ import annotations

import codecs
import hashlib
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.errors import ReadError
from quotes.sources.reader import decode, read_sources
from quotes.types import Document

PREFIXES = st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                            codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, b"\x00", b"{\"text\": \""])
ENCODINGS = st.sampled_from([None, "utf-8", "latin-1", "cp1252", "utf-16", "shift_jis", "ascii"])


def one_line(err: ReadError, name: str) -> bool:
    msg = str(err)
    return msg.startswith(name + ":") and "\n" not in msg and "\r" not in msg


@settings(max_examples=300, deadline=None)
@given(prefix=PREFIXES, data=st.binary(max_size=2048), encoding=ENCODINGS)
def test_any_bytes_on_stdin_give_a_document_or_one_line(prefix, data, encoding):
    raw = prefix + data
    [item] = read_sources(["-"], encoding=encoding, stdin=io.BytesIO(raw))
    if isinstance(item, ReadError):
        assert one_line(item, "<stdin>")
        return
    assert isinstance(item, Document)
    assert item.sha256 == hashlib.sha256(raw).hexdigest()
    assert item.text == decode(raw, "<stdin>", encoding)  # deterministic
    wide = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    if encoding is None and not raw.startswith(wide):
        assert item.text.encode("utf-8") == raw.removeprefix(codecs.BOM_UTF8)  # nothing altered


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(
    st.binary(max_size=200),
    st.builds(lambda t, extra: json.dumps({"text": t, **extra}).encode(),
              st.text(max_size=200),
              st.dictionaries(st.sampled_from(["id", "url", "title", "path", "date", "publisher"]),
                              st.one_of(st.none(), st.text(max_size=20), st.integers(), st.booleans(),
                                        st.lists(st.integers(), max_size=2)), max_size=3)),
), max_size=12))
def test_any_jsonl_bytes_give_one_item_per_nonblank_line(tmp_path_factory, lines):
    raw = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    path = tmp_path_factory.mktemp("fz") / "f.jsonl"
    path.write_bytes(raw)
    items = list(read_sources([str(path)]))
    nonblank = [line for line in raw.split(b"\n") if line.strip()]
    assert len(items) == len(nonblank)
    for item in items:
        assert isinstance(item, (Document, ReadError))
        if isinstance(item, ReadError):
            assert one_line(item, str(path))
        else:
            item.text.encode("utf-8")  # storable: no lone surrogates
