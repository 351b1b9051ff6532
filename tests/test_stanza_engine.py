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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.errors import ModelError
from quotes.extract.segment import RuleSegmenter
from quotes.extract.segment import paragraphs as rule_paragraphs
from quotes.extract.stanza_engine import (_END_RUN, _LINE_BREAK, SHIPPED_MODELS, StanzaSegmenter, _doubt,
                                  download_models, load_pipeline)

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
    got = seg.model_sentences(TEXT, regions)
    assert seg.sentences(TEXT, regions) == got  # no doubtful point here: rules and model agree
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
    whole = seg.model_sentences(TEXT, regions)
    quote_para = regions[2]
    sub = seg.model_sentences(TEXT, [quote_para])
    assert sub == [(s, e) for s, e in whole if quote_para[0] <= s < quote_para[1]]
    assert [TEXT[s:e] for s, e in sub] == EXPECTED[3:5]
    # a region not at the start of a line, and empty / blank regions
    s0 = TEXT.index("Mr. Smith said the bill")
    for split in (seg.model_sentences, seg.sentences):
        assert split(TEXT, [(s0, regions[1][1])]) == [(s0, regions[1][1])]
        assert split(TEXT, []) == []
        assert split(TEXT, [(0, 0), (22, 24)]) == []
    with pytest.raises(ValueError):
        seg.sentences(TEXT, [(0, len(TEXT) + 1)])


# Doubtful points for the windowed path: an initialism before a name (H.W.), an abbreviation
# ending a sentence (U.S.), a line break with no end mark, a month (Nov. 8). Titles (Sen.,
# Gov.) are never a boundary, whatever the model says.
DOUBT = (
    "Campaign notes\n\n"
    "\u201cWe will win,\u201d said Minnesota Sen. Al Franken, who backed George H.W. Bush\u2019s rival in 1988.\n\n"
    "Officials flew into the U.S. They landed at\u00a0noon. \u201cIt is done,\u201d Gov. Mike Pence said.\n"
    "REUTERS REPORTS\n"
    "The vote is on Nov. 8 and nobody doubts it.  \u201cGood,\u201d she said.\n"
)
DOUBT_SENTENCES = [
    "Campaign notes",
    "\u201cWe will win,\u201d said Minnesota Sen. Al Franken, who backed George H.W. Bush\u2019s rival in 1988.",
    "Officials flew into the U.S.",
    "They landed at\u00a0noon.",
    "\u201cIt is done,\u201d Gov. Mike Pence said.",
    "REUTERS REPORTS",
    "The vote is on Nov. 8 and nobody doubts it.",
    "\u201cGood,\u201d she said.",
]


def _exact(text, regions, got):
    """Sentences are stripped slices of the text, in order, inside a region, and together
    cover every non-space character of the regions."""
    assert got == sorted(got)
    assert all(e1 <= s2 for (_, e1), (s2, _) in zip(got, got[1:]))
    covered = set()
    for s, e in got:
        assert s < e and text[s:e] == text[s:e].strip()
        assert any(rs <= s and e <= re_ for rs, re_ in regions)
        covered.update(range(s, e))
    for rs, re_ in regions:
        assert all(i in covered for i in range(rs, re_) if not text[i].isspace())


def test_windows_decide_doubtful_points():
    seg = StanzaSegmenter(scope="windows")
    regions = [(p.start, p.end) for p in rule_paragraphs(DOUBT)]
    got = seg.sentences(DOUBT, regions)
    assert [DOUBT[s:e] for s, e in got] == DOUBT_SENTENCES
    _exact(DOUBT, regions, got)
    # the rules alone get three of the four doubtful points wrong (H.W., U.S., the line break)
    rules = RuleSegmenter().sentences(DOUBT, regions)
    assert len(set(rules) ^ set(got)) >= 6
    # every doubtful point went to the model in ONE call, which read only windows of the text
    assert seg.asked == 4 and seg.calls == 1
    assert 0 < seg.model_chars < len(DOUBT) * 0.8


def test_windows_agree_with_the_model_on_whole_paragraphs():
    """Same sentences, same offsets, whether the model reads windows or whole paragraphs."""
    regions = [(p.start, p.end) for p in rule_paragraphs(DOUBT)]
    windows = StanzaSegmenter(scope="windows")
    whole = StanzaSegmenter(scope="paragraphs")
    assert windows.sentences(DOUBT, regions) == whole.sentences(DOUBT, regions) \
        == whole.model_sentences(DOUBT, regions)
    assert whole.asked == 0 and whole.model_chars > windows.model_chars


def test_windows_offsets_with_crlf_tabs_and_shifted_regions():
    text = "Intro line.\r\n\r\n" + DOUBT.replace("\n", "\r\n").replace("  \u201cGood", " \t \u201cGood")
    regions = [(p.start, p.end) for p in rule_paragraphs(text)]
    seg = StanzaSegmenter()
    got = seg.sentences(text, regions)
    _exact(text, regions, got)
    want = ["Intro line."] + [x.replace("\n", "\r\n") for x in DOUBT_SENTENCES]
    assert [text[s:e] for s, e in got] == want
    # a region starting mid-paragraph, right at a doubtful point's sentence
    s0 = text.index("Officials")
    e0 = text.index("noon.") + len("noon.")
    assert [text[s:e] for s, e in seg.sentences(text, [(s0, e0)])] == \
        ["Officials flew into the U.S.", "They landed at\u00a0noon."]


def test_scope_choice(monkeypatch):
    monkeypatch.setenv("QUOTES_STANZA_SCOPE", "paragraphs")
    assert StanzaSegmenter().scope == "paragraphs"
    assert StanzaSegmenter(scope="windows").scope == "windows"
    monkeypatch.setenv("QUOTES_STANZA_SCOPE", "everything")
    with pytest.raises(ValueError, match="everything"):
        StanzaSegmenter()


def _doubtful_or_line_break(text, lo, hi, pos):
    """Is a boundary ending at ``pos`` one the windowed path may move away from the rules'?"""
    for m in _END_RUN.finditer(text, lo, hi):
        if m.end() == pos:
            return _doubt(text, m.start(), m.end(), hi) is not None
    return any(m.start() == pos for m in _LINE_BREAK.finditer(text, lo, hi))


@pytest.mark.parametrize("sample", sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.txt")),
                         ids=lambda p: p.stem)
def test_windows_differ_from_rules_only_at_doubtful_points(seg, sample):
    text = sample.read_text(encoding="utf-8")
    regions = [(p.start, p.end) for p in rule_paragraphs(text)]
    got = seg.sentences(text, regions)
    _exact(text, regions, got)
    rules = RuleSegmenter().sentences(text, regions)
    for lo, hi in regions:
        mine = {e for s, e in got if lo <= s < hi and e < hi}
        theirs = {e for s, e in rules if lo <= s < hi and e < hi}
        for pos in mine ^ theirs:
            assert _doubtful_or_line_break(text, lo, hi, pos), (sample.name, text[max(0, pos - 30):pos + 10])


_PIECES = st.sampled_from([
    "Mr.", "Sen.", "U.S.", "H.W.", "Nov.", "8", "Bush", "They", "said", "the", "vote", "\u201c", "\u201d",
    "\"", ".", "...", "\u2026", "?", "!", ",", " ", " ", " ", "  ", "\n", "\r\n", "\t", "\u00a0", "\u0085",
    "\u0097", "\u2014", "#tag", "(", ")", "e.g.", "J.", "1990s.", "'s",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_PIECES, min_size=1, max_size=40))
def test_windows_offsets_property(seg, pieces):
    text = "".join(pieces)
    regions = [(p.start, p.end) for p in rule_paragraphs(text)]
    _exact(text, regions, seg.sentences(text, regions))


def test_pipeline_load_restores_stanza(tmp_path):
    """The load skips stanza's unused optimizer for a predicting model, and puts stanza back."""
    from stanza.models.common import utils as stanza_utils

    before = stanza_utils.get_optimizer
    d = _copy_shipped(tmp_path)
    nlp = StanzaSegmenter(d).load()
    assert stanza_utils.get_optimizer is before
    assert [s.text for s in nlp("It rained. Then it stopped.").sentences] == ["It rained.", "Then it stopped."]


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
