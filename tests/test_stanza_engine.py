"""The stanza sentence segmenter, run for real on the model shipped in quotes/stanza_models."""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pytest

from quotes.errors import ModelError
from quotes.stanza_engine import SHIPPED_MODELS, StanzaSegmenter, download_models, load_pipeline

SHIPPED_PT = SHIPPED_MODELS / "en" / "tokenize" / "ewt.pt"

TEXT = (
    "Senate passes the bill\n\n"
    "WASHINGTON \u2014 The senator spoke on Tuesday. Mr. Smith said the bill would pass.\n\n"
    "\u201cWe have the votes,\u201d Mr. Smith said. \u201cIt is done.\u201d\n\n"
    "  Reporters asked about the timing. Nobody answered.\n"
)
EXPECTED = [
    "Senate passes the bill",
    "WASHINGTON \u2014 The senator spoke on Tuesday.",
    "Mr. Smith said the bill would pass.",
    "\u201cWe have the votes,\u201d Mr. Smith said.",
    "\u201cIt is done.\u201d",
    "Reporters asked about the timing.",
    "Nobody answered.",
]


def paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text)]


@pytest.fixture(scope="module")
def seg() -> StanzaSegmenter:
    return StanzaSegmenter()  # the shipped model (QUOTES_MODELS unset in tests)


@pytest.fixture(autouse=True)
def _no_env_models(monkeypatch):
    monkeypatch.delenv("QUOTES_MODELS", raising=False)


def test_shipped_model_files():
    assert SHIPPED_PT.is_file()
    resources = json.loads((SHIPPED_MODELS / "resources.json").read_text(encoding="utf-8"))
    assert resources["en"]["packages"]["default"] == {"tokenize": "ewt"}
    scores = json.loads((SHIPPED_MODELS / "scores.json").read_text(encoding="utf-8"))
    assert scores["test"]["tokens_f1"] > 98 and scores["test"]["sentences_f1"] > 80
    assert (SHIPPED_MODELS / "NOTICE").is_file()


def test_offline_tokenize_only(seg):
    nlp = seg.load()
    assert list(nlp.processors) == ["tokenize"]
    assert load_pipeline() is nlp  # one pipeline per process and model directory


def test_sentences_exact_offsets(seg):
    regions = paragraphs(TEXT)
    assert len(regions) == 4
    got = seg.sentences(TEXT, regions)
    assert [TEXT[s:e] for s, e in got] == EXPECTED
    # offsets are exact, in order, inside their regions, and never split "Mr."
    for s, e in got:
        assert TEXT[s:e] == TEXT[s:e].strip()
        assert any(rs <= s < e <= re_ for rs, re_ in regions)
        assert not TEXT[s:e].endswith("Mr.")
    assert got == sorted(got)
    mr = [m.start() for m in re.finditer(r"Mr\. Smith", TEXT)]
    for start in mr:
        assert not any(e == start + 3 for _, e in got)


def test_subset_of_regions_and_offsets(seg):
    regions = paragraphs(TEXT)
    whole = seg.sentences(TEXT, regions)
    quote_para = regions[2]
    sub = seg.sentences(TEXT, [quote_para])
    assert sub == [(s, e) for s, e in whole if quote_para[0] <= s < quote_para[1]]
    assert [TEXT[s:e] for s, e in sub] == EXPECTED[3:5]
    # a region not at the start of a line, and empty / blank regions
    s0 = TEXT.index("Mr. Smith said the bill")
    assert seg.sentences(TEXT, [(s0, regions[1][1])]) == [(s0, regions[1][1])]
    assert seg.sentences(TEXT, []) == []
    assert seg.sentences(TEXT, [(0, 0), (22, 24)]) == []


def test_missing_model_dir(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(ModelError) as ei:
        StanzaSegmenter(missing).sentences("Hello there.", [(0, 12)])
    msg = str(ei.value)
    assert str(missing) in msg and "quotes models download" in msg and "\n" not in msg


def _copy_shipped(tmp_path: Path) -> Path:
    dest = tmp_path / "models"
    shutil.copytree(SHIPPED_MODELS, dest)
    return dest


def test_missing_model_file(tmp_path):
    d = _copy_shipped(tmp_path)
    pt = d / "en" / "tokenize" / "ewt.pt"
    pt.unlink()
    with pytest.raises(ModelError) as ei:
        StanzaSegmenter(d).load()
    assert str(pt) in str(ei.value) and "--engine rules" in str(ei.value)

    (d / "resources.json").unlink()
    with pytest.raises(ModelError, match="resources.json"):
        StanzaSegmenter(d).load()


def test_corrupt_model_file(tmp_path):
    d = _copy_shipped(tmp_path)
    pt = d / "en" / "tokenize" / "ewt.pt"
    pt.write_bytes(b"this is not a torch checkpoint\x00" * 100)
    with pytest.raises(ModelError) as ei:
        StanzaSegmenter(d).sentences("Hello there.", [(0, 12)])
    msg = str(ei.value)
    assert str(pt) in msg and "corrupt" in msg and "\n" not in msg


def test_corrupt_resources_json(tmp_path):
    d = _copy_shipped(tmp_path)
    (d / "resources.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="resources.json"):
        StanzaSegmenter(d).load()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def fake_repo(tmp_path):
    """A local resources repository laid out like stanza's: resources_<version>.json + model files."""
    from stanza.resources.common import DEFAULT_RESOURCES_VERSION

    root = tmp_path / "repo"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}"

    models = root / "models" / DEFAULT_RESOURCES_VERSION / "en"
    files = {
        "tokenize/ewt.pt": SHIPPED_PT.read_bytes(),
        "mwt/ewt.pt": b"fake mwt model",
        "ner/ontonotes.pt": b"fake ner model",
    }
    for rel, data in files.items():
        (models / rel).parent.mkdir(parents=True, exist_ok=True)
        (models / rel).write_bytes(data)
    md5 = {rel: hashlib.md5(data).hexdigest() for rel, data in files.items()}
    resources = {
        "url": base + "/models/{resources_version}/{lang}/{filename}",
        "en": {
            "lang_name": "English",
            "tokenize": {"ewt": {"md5": md5["tokenize/ewt.pt"]}},
            "mwt": {"ewt": {"md5": md5["mwt/ewt.pt"]}},
            "ner": {"ontonotes": {"md5": md5["ner/ontonotes.pt"]}},
            "default_processors": {"tokenize": "ewt", "mwt": "ewt", "ner": "ontonotes"},
            "packages": {"default": {"tokenize": "ewt", "mwt": "ewt", "ner": "ontonotes"}},
        },
    }
    (root / f"resources_{DEFAULT_RESOURCES_VERSION}.json").write_text(json.dumps(resources), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


def test_download_models_from_local_repo(fake_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    dest = tmp_path / "dest"
    download_models(str(dest), resources_url=fake_repo)
    assert (dest / "resources.json").is_file()
    assert (dest / "en" / "tokenize" / "ewt.pt").read_bytes() == SHIPPED_PT.read_bytes()
    assert (dest / "en" / "mwt" / "ewt.pt").read_bytes() == b"fake mwt model"
    assert (dest / "en" / "ner" / "ontonotes.pt").is_file()
    # official layout: tokenize is paired with mwt, so the (fake) mwt model is loaded too
    with pytest.raises(ModelError) as ei:
        StanzaSegmenter(dest).load()
    assert str(dest / "en" / "mwt" / "ewt.pt") in str(ei.value)


def test_download_models_failure_is_model_error(fake_repo, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    with pytest.raises(ModelError, match="could not download"):
        download_models(str(tmp_path / "dest"), resources_url=fake_repo + "/nothing-here")
