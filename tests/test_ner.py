"""Speaker typing with stanza's NER, run for real on a tiny NER model trained here.

The session fixture runs ``scripts/make_test_ner_model.py``: stanza's own NER
trainer on synthetic sentences (about 10 s), then a stanza model directory
holding the shipped tokenizer, the NER model and its pretrain.  No mocks of
stanza: the NER model is loaded and run by ``stanza.Pipeline``.
"""
from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from conftest import span
from quotes.errors import ModelError
from quotes.extract.mentions import entity_type
from quotes.extract.ner import (NerTagger, _entities, entity_types, find_ner, ner_available, sentence_window,
                        tagger_for, tokenize)
from quotes.extract.pipeline import Extractor
from quotes.extract.stanza_engine import SHIPPED_MODELS
from quotes.types import Document, Quote, Span, Speaker

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "make_test_ner_model.py"

_spec = importlib.util.spec_from_file_location("make_test_ner_model", SCRIPT)
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)

# Names the tiny model was trained on, in sentences it never saw.  "Tourism" never
# occurs in training: the model reads the organisation head ("Bureau").
TEXT = (
    "Budget talks stall in Lima\r\n\r\n"
    "  \u201cWe will not back down,\u201d said Maria Okafor on Monday. "
    "The Tourism Bureau said in a statement that the plan would cut costs.\n\n"
    "\u201cIt is too early to say,\u201d the Finance Directorate said. "
    "Grace Court\u2019s office declined to comment.\n\n"
    "In Oslo on Friday, Pedro Haddad warned that the talks had failed. "
    "\u201cNobody expected this,\u201d he said. \u201cWe are ready,\u201d said Grace Court.\n"
)


at = span  # the nth occurrence of a needle as a Span


@pytest.fixture(scope="session")
def ner_dir(tmp_path_factory) -> Path:
    """A stanza model directory: shipped tokenizer + a tiny NER model trained now."""
    out = tmp_path_factory.mktemp("ner-models")
    proc = subprocess.run([sys.executable, str(SCRIPT), str(out)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["ner_bytes"] < 5_000_000
    return out


@pytest.fixture(autouse=True)
def _no_env_models(monkeypatch):
    monkeypatch.delenv("QUOTES_MODELS", raising=False)


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


# --------------------------------------------------------------------------- availability

def test_model_dir_layout(ner_dir):
    res = json.loads((ner_dir / "resources.json").read_text(encoding="utf-8"))["en"]
    assert res["packages"]["default"] == {"ner": "synthetic", "tokenize": "ewt"}
    assert res["ner"]["synthetic"]["dependencies"] == [{"model": "pretrain", "package": "synthetic"}]
    assert (ner_dir / "en" / "ner" / "synthetic.pt").is_file()
    assert (ner_dir / "en" / "pretrain" / "synthetic.pt").is_file()
    assert (ner_dir / "en" / "tokenize" / "ewt.pt").is_file()


def test_detects_ner(ner_dir, tmp_path, monkeypatch):
    model = find_ner(ner_dir)
    assert model is not None
    assert model.models == (ner_dir.resolve() / "en" / "ner" / "synthetic.pt",)
    assert model.dependencies == ({"pretrain_path": ner_dir.resolve() / "en" / "pretrain" / "synthetic.pt"},)
    assert ner_available(ner_dir)
    # the shipped directory (tokenizer only), a directory with nothing, a missing one
    assert not ner_available(SHIPPED_MODELS)
    assert not ner_available(tmp_path)
    assert not ner_available(tmp_path / "nowhere")
    # a resources file that lists NER (as Stanford's lists every model) without the model file
    listed = _copy(ner_dir, tmp_path / "listed")
    (listed / "en" / "ner" / "synthetic.pt").unlink()
    assert not ner_available(listed)
    # a corrupt resources.json is not an NER model (the segmenter reports the file)
    bad = _copy(ner_dir, tmp_path / "badres")
    (bad / "resources.json").write_text("{not json", encoding="utf-8")
    assert not ner_available(bad)
    # $QUOTES_MODELS is the default directory
    monkeypatch.setenv("QUOTES_MODELS", str(ner_dir))
    assert tagger_for(None).available
    monkeypatch.delenv("QUOTES_MODELS")
    assert not tagger_for(None).available


def test_pipeline_loaded_once(ner_dir):
    tagger = tagger_for(ner_dir)
    assert tagger is tagger_for(str(ner_dir))
    assert tagger.load() is NerTagger(ner_dir).load()


# --------------------------------------------------------------------------- offsets

def test_entities_map_to_exact_document_offsets(ner_dir):
    tagger = NerTagger(ner_dir)
    ents = tagger.entities(TEXT, [(0, len(TEXT))])
    for e in ents:
        assert TEXT[e.start:e.end] == e.text
    found = {(e.start, e.end, e.label) for e in ents}
    expected = [("Maria Okafor", 1, "PERSON"), ("Tourism Bureau", 1, "ORG"), ("Finance Directorate", 1, "ORG"),
                ("Grace Court", 1, "PERSON"), ("Pedro Haddad", 1, "PERSON"), ("Grace Court", 2, "PERSON")]
    for needle, nth, label in expected:
        s = at(TEXT, needle, nth)
        assert (s.start, s.end, label) in found, (needle, sorted(found))


def test_entity_types_of_spans(ner_dir):
    doc = Document.from_text(TEXT)
    bureau, court, haddad = at(TEXT, "The Tourism Bureau"), at(TEXT, "Grace Court", 2), at(TEXT, "Pedro Haddad")
    nothing = at(TEXT, "the plan")
    got = entity_types(doc, [bureau, (court.start, court.end), haddad, nothing], model_dir=ner_dir)
    assert got == {(bureau.start, bureau.end): "organization", (court.start, court.end): "person",
                   (haddad.start, haddad.end): "person"}
    with pytest.raises(ValueError):
        entity_types(doc, [(0, len(TEXT) + 1)], model_dir=ner_dir)


def test_windows_are_tagged_alone(ner_dir):
    """Only the windows asked for are tagged: an entity outside them is not found."""
    tagger = NerTagger(ner_dir)
    s = at(TEXT, "Pedro Haddad")
    ents = tagger.entities(TEXT, [sentence_window(TEXT, s.start, s.end)])
    assert [e.text for e in ents] == ["Pedro Haddad"]


# --------------------------------------------------------------------------- speakers

def _speaker(mention: Span, name: str | None = None) -> Speaker:
    """A speaker typed by the word lists, as the resolver types it."""
    name = name or mention.text
    return Speaker(name=name, type=entity_type(name, mention.text), mention=mention)


def _quotes(text: str) -> list[Quote]:
    def q(inner: str, speaker: Speaker | None) -> Quote:
        span = at(text, inner)
        return Quote(span=span, content=Span.of(text, span.start + 1, span.end - 1), speaker=speaker,
                     sieve="test", explanation=("by hand",))
    he = Span.of(text, text.index("he said"), text.index("he said") + 2)
    return [
        q("\u201cWe will not back down,\u201d", _speaker(at(text, "Maria Okafor"))),
        q("\u201cIt is too early to say,\u201d", _speaker(at(text, "the Finance Directorate"),
                                                          "Finance Directorate")),
        q("\u201cNobody expected this,\u201d", _speaker(he, "Pedro Haddad")),
        q("\u201cWe are ready,\u201d", _speaker(at(text, "Grace Court", 2))),
    ]


def test_type_speakers_uses_ner(ner_dir):
    quotes = _quotes(TEXT)
    # the word lists get two of these wrong: the test would pass without NER otherwise
    assert [q.speaker.type for q in quotes] == ["person", "person", "person", "organization"]
    typed = NerTagger(ner_dir).type_speakers(Document.from_text(TEXT), quotes)
    assert [q.speaker.type for q in typed] == ["person", "organization", "person", "person"]
    for before, after in zip(quotes, typed):
        assert replace(after, speaker=replace(after.speaker, type=before.speaker.type)) == before
        assert after.speaker.mention == before.speaker.mention
        assert after.explanation[:-1] == before.explanation
        assert "stanza NER" in after.explanation[-1]
    assert "word lists said person" in typed[1].explanation[-1]
    # the pronoun "he" is typed where its name is written
    assert f"at {TEXT.index('Pedro Haddad')}" in typed[2].explanation[-1]


def test_type_speakers_leaves_what_ner_does_not_know(ner_dir):
    text = "\u201cThe plan is bad,\u201d officials said on Monday. \u201cNo comment,\u201d it said.\n"
    mention = at(text, "officials")
    quotes = [
        Quote(span=at(text, "\u201cThe plan is bad,\u201d"), content=at(text, "The plan is bad,"),
              speaker=Speaker(name="officials", type="unknown", mention=mention)),
        Quote(span=at(text, "\u201cNo comment,\u201d"), content=at(text, "No comment,"),
              speaker=Speaker(name="it", type="unknown", mention=at(text, "it"))),
        Quote(span=at(text, "\u201cThe plan is bad,\u201d"), content=at(text, "The plan is bad,")),
    ]
    assert NerTagger(ner_dir).type_speakers(text, quotes) == quotes
    assert NerTagger(ner_dir).type_speakers(text, []) == []


def test_no_ner_leaves_types_unchanged(tmp_path):
    quotes = _quotes(TEXT)
    assert NerTagger(SHIPPED_MODELS).type_speakers(TEXT, quotes) == quotes
    assert NerTagger(tmp_path).type_speakers(TEXT, quotes) == quotes
    assert NerTagger(SHIPPED_MODELS).entity_types(TEXT, [at(TEXT, "Pedro Haddad")]) == {}
    assert NerTagger(SHIPPED_MODELS).load() is None


def test_extractor_quotes_typed_end_to_end(ner_dir):
    """The rules extractor's own quotes, typed by NER: speakers come out as the model reads them."""
    doc = Document.from_text(TEXT)
    quotes = Extractor(engine="rules").extract(doc)
    typed = NerTagger(ner_dir).type_speakers(doc, quotes)
    by_name = {q.speaker.name: q.speaker.type for q in typed if q.speaker}
    assert by_name.get("Finance Directorate") == "organization"
    assert by_name.get("Grace Court") == "person"
    for q in typed:
        m = q.speaker.mention if q.speaker else None
        assert m is None or TEXT[m.start:m.end] == m.text


def test_stanza_extractor_types_speakers_with_ner_in_its_model_dir(ner_dir):
    """The default engine pointed at a model directory with NER types speakers with it,
    and says so in the explanation; the same engine on the shipped models does not."""
    with_ner = Extractor(engine="stanza", models=ner_dir)
    with_ner.load()
    typed = {q.speaker.name: q for q in with_ner.extract(TEXT) if q.speaker}
    assert typed["Finance Directorate"].speaker.type == "organization"
    assert typed["Grace Court"].speaker.type == "person"
    assert any("stanza NER" in line for line in typed["Finance Directorate"].explanation)
    plain = {q.speaker.name: q for q in Extractor(engine="stanza").extract(TEXT) if q.speaker}
    assert not any("stanza NER" in line for q in plain.values() for line in q.explanation)


# --------------------------------------------------------------------------- errors

def test_corrupt_ner_file_one_clear_line(ner_dir, tmp_path):
    broken = _copy(ner_dir, tmp_path / "corrupt")
    pt = broken / "en" / "ner" / "synthetic.pt"
    pt.write_bytes(b"this is not a torch file\n" * 10)
    tagger = NerTagger(broken)
    assert tagger.available
    with pytest.raises(ModelError) as err:
        tagger.load()
    msg = str(err.value)
    assert "\n" not in msg
    assert str(pt.resolve()) in msg and "corrupt" in msg and "quotes models download" in msg
    with pytest.raises(ModelError):
        tagger.type_speakers(TEXT, _quotes(TEXT))


def test_missing_dependency_named(ner_dir, tmp_path):
    broken = _copy(ner_dir, tmp_path / "nopretrain")
    pretrain = broken / "en" / "pretrain" / "synthetic.pt"
    pretrain.unlink()
    with pytest.raises(ModelError) as err:
        NerTagger(broken).load()
    msg = str(err.value)
    assert "\n" not in msg and str(pretrain.resolve()) in msg and "missing" in msg


# --------------------------------------------------------------------------- tokens and tags

def test_tokenize_penn_like():
    text = "Korea\u2019s U.S. envoy, Mr. John F. Kennedy-Smith, said: \u201cO'Brien's fine.\u201d"
    toks = [text[s:e] for s, e in tokenize(text)]
    assert toks == ["Korea", "\u2019s", "U.S.", "envoy", ",", "Mr.", "John", "F.", "Kennedy-Smith", ",", "said",
                    ":", "\u201c", "O'Brien", "'s", "fine", ".", "\u201d"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_tokens_cover_every_visible_character(text):
    toks = tokenize(text)
    assert all(s < e for s, e in toks)
    assert all(a[1] <= b[0] for a, b in zip(toks, toks[1:]))
    assert "".join(text[s:e] for s, e in toks) == "".join(text.split())


def test_sentence_window():
    text = "First one here. Mr. Smith said the U.S. plan failed. Third one!\nFourth"
    s = text.index("Smith")
    lo, hi = sentence_window(text, s, s + 5)
    assert text[lo:hi] == "Mr. Smith said the U.S. plan failed."
    s = text.index("Fourth")
    assert text[slice(*sentence_window(text, s, s + 6))] == "Fourth"


def test_bioes_and_bio_tags_to_entities():
    text = "Ann Lee met the Water Bureau chief"
    toks = tokenize(text)
    bioes = ["B-PERSON", "E-PERSON", "O", "O", "B-ORG", "E-ORG", "S-MISC"]
    bio = ["B-PERSON", "I-PERSON", "O", "O", "B-ORG", "I-ORG", "B-MISC"]
    for tags in (bioes, bio):
        ents = _entities(toks, tags, text)
        assert [(e.text, e.label, e.type) for e in ents] == [
            ("Ann Lee", "PERSON", "person"), ("Water Bureau", "ORG", "organization"), ("chief", "MISC", None)]
