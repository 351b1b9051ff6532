"""Reported speech (kind "indirect", issue 17): invented sentences for each construction, the
negatives, the JSON contract and the offsets, and the parts that need no model."""
from __future__ import annotations

from pathlib import Path

import pytest

from quotes.extract.pipeline import Extractor
from quotes.extract.reported import ReportedSpeech, _tidy_source, _trim
from quotes.extract.reported.decode import group, spans_of
from quotes.extract.reported.tagger import words
from quotes.errors import ModelError
from quotes.types import Document

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_133ad203e76a5764.txt"


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(engine="rules", indirect=True)


def indirect(ex: Extractor, text: str) -> list[tuple[str, str | None, str | None]]:
    return [(q.text, q.speaker.name if q.speaker else None, q.cue.text if q.cue else None)
            for q in ex.extract(text) if q.kind == "indirect"]


CONSTRUCTIONS = [
    # X said (that) CONTENT: the complementiser is no part of the content
    ("The finance minister, Ana Souza, said that the budget would be cut next year.",
     ("the budget would be cut next year", "Ana Souza", "said")),
    ("Mayor Tom Okello said the new market would open before the rains.",
     ("the new market would open before the rains", "Tom Okello", "said")),
    # CONTENT, X said
    ("The bridge will reopen in March, the city council said on Tuesday.",
     ("The bridge will reopen in March", "city council", "said")),
    # according to X, CONTENT
    ("According to the World Health Organization, cases fell by a third in June.",
     ("cases fell by a third in June", "World Health Organization", "According to")),
    # X told <outlet> CONTENT
    ("Prime Minister Lena Vogt told Reuters the border would stay closed until the end of the year.",
     ("the border would stay closed until the end of the year", "Lena Vogt", "told")),
    # X denied CONTENT
    ("The company denied that its workers had been paid less than the minimum wage.",
     ("its workers had been paid less than the minimum wage", "company", "denied")),
    # a pronoun source is the person the article named
    ("Rosa Mendes leads the union.\n\nShe said the strike would go on until the talks resumed.",
     ("the strike would go on until the talks resumed", "Rosa Mendes", "said")),
]


@pytest.mark.parametrize("text, expected", CONSTRUCTIONS)
def test_each_construction(ex, text, expected):
    assert indirect(ex, text) == [expected]


NOT_REPORTED = [
    "He went to the market and bought some bread.",
    "The weather was warm and the streets were full of people.",
    "The river rose by two metres overnight.",
    "",
]


@pytest.mark.parametrize("text", NOT_REPORTED)
def test_no_reported_speech(ex, text):
    assert indirect(ex, text) == []


def test_which_is_the_phrase_it_hangs_on(ex):
    got = indirect(ex, "The most vocal is Russia, which said the sanctions were illegal.")
    assert got == [("the sanctions were illegal", "Russia", "said")]


def test_an_outlet_is_found_as_for_a_quote(ex):
    q = next(q for q in ex.extract("Prime Minister Lena Vogt told Reuters the border would stay closed.")
             if q.kind == "indirect")
    assert q.outlet is not None and q.outlet.name == "Reuters"


def test_a_partial_quote_inside_reported_speech_stays_a_partial_quote(ex):
    got = ex.extract("Ruto said the talks had been “very productive” and would resume on Friday.")
    kinds = {q.kind: q for q in got}
    assert set(kinds) == {"indirect", "partial"}
    assert kinds["partial"].text == "very productive"
    assert kinds["indirect"].span.start < kinds["partial"].span.start < kinds["indirect"].span.end
    assert kinds["indirect"].speaker.name == kinds["partial"].speaker.name == "Ruto"


@pytest.mark.parametrize("text, words, speaker", [
    ("According to the ministry, the strikes were “precise” and hit only military targets.", "precise", "ministry"),
    ("Local leaders believe the plan is “a trap” for the poor.", "a trap", "Local leaders"),
])
def test_words_quoted_inside_reported_speech_are_the_speakers(ex, text, words, speaker):
    """Taken for a scare quote alone; inside reported speech they are a partial quote of its speaker."""
    alone = {q.text: q for q in Extractor(engine="rules").extract(text)}
    assert alone[words].kind == "scare" and alone[words].speaker is None
    got = {q.text: q for q in ex.extract(text)}
    assert (got[words].kind, got[words].speaker.name, got[words].sieve) == ("partial", speaker, "inside_reported")


def test_the_quotation_itself_is_not_reported_speech(ex):
    got = ex.extract("“The budget will be cut next year,” the finance minister said.")
    assert [q.kind for q in got] == ["direct"]


def test_the_json_contract_and_the_offsets(ex):
    doc = Document.from_text("Aid groups warned that the camps would run out of water within a week.")
    (q,) = ex.extract(doc)
    d = q.to_dict(doc)
    assert d["kind"] == "indirect" and d["sieve"] == "indirect"
    assert doc.text[d["start"]:d["end"]] == d["text"] == "the camps would run out of water within a week"
    assert q.span == q.content  # no marks: the span is the content
    assert doc.text[d["cue"]["start"]:d["cue"]["end"]] == d["cue"]["text"] == "warned"
    assert doc.text[d["speaker"]["start"]:d["speaker"]["end"]] == d["speaker"]["text"] == "Aid groups"
    assert 0.0 < d["confidence"] <= 1.0
    assert q.explanation[0] == "sieve indirect: mention 'Aid groups', cue 'warned'"


def test_off_unless_asked():
    text = "The company denied that its workers had been paid less than the minimum wage."
    assert Extractor(engine="rules").extract(text) == []
    assert Extractor(engine="rules", indirect=False).reported is None


def test_a_missing_model_is_one_clear_error(tmp_path):
    with pytest.raises(ModelError, match="cannot load the reported-speech model .*missing"):
        ReportedSpeech(tmp_path / "missing").load()


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not in this checkout")
def test_the_seeds_reported_speech_with_its_speakers(ex):
    text = SEED.read_text(encoding="utf-8")
    got = {q.text: q.speaker.name if q.speaker else None for q in ex.extract(text) if q.kind == "indirect"}
    for content, speaker in [
        ("he is considering requesting an “expanded” Russian military presence in the country to combat "
         "soldiers loyal to Guaidó", "Jorge Arreaza"),
        ("Maduro to stay in power", "Bashar al-Assad"),
        ("the United States to stay out of Venezuela", "Iranian Foreign Ministry"),
    ]:
        assert got.get(content) == speaker, (content, got)
    # North Korea's condemnation of the support for Guaidó
    assert any(t.startswith("support for legitimate President Juan Guaidó") and "North Korea" in (s or "")
               for t, s in got.items())


# ---------------------------------------------------------------- without the model
@pytest.mark.parametrize("source, tidy", [
    ("The Iranian Foreign Ministry last week", "The Iranian Foreign Ministry"),
    ("officials on Monday", "officials"),
    ("the party leader and", "the party leader"),
    ("the ministry yesterday", "the ministry"),
    ("the council this morning", "the council"),
    # a relative or main clause after the source is none of it
    ("Ted Cruz, who won Oklahoma and Texas", "Ted Cruz"),
    ("the army leadership still backs Maduro and", "the army leadership"),
    ("the group that organised the march", "the group"),
    ("the committee", "the committee"),
])
def test_a_source_without_its_time_phrase(source, tidy):
    assert _tidy_source(source, words(source, 0, len(source))).text == tidy


@pytest.mark.parametrize("text, content", [
    ("that the talks were over", "the talks were over"),
    (", the talks were over —", "the talks were over"),
    ("’ the talks were over", "the talks were over"),
    ("thatcher was right", "thatcher was right"),
])
def test_the_content_without_complementiser_and_edges(text, content):
    s, e = _trim(text, 0, len(text))
    assert text[s:e] == content


@pytest.mark.parametrize("tags, spans", [
    ([0, 1, 2, 2, 0, 1, 0], [(1, 4), (5, 6)]),
    ([2, 2, 0], [(0, 2)]),  # a stray I opens a span
    ([1, 1], [(0, 1), (1, 2)]),
    ([0, 0], []),
])
def test_bio_spans(tags, spans):
    assert spans_of(tags) == spans


def test_content_around_its_cue_is_one_attribution():
    # "The plan , he said , will fail ." content | source cue | content
    ws = ["The", "plan", ",", "he", "said", ",", "will", "fail", "."]
    content = [1, 2, 0, 0, 0, 0, 1, 2, 0]
    cues = [0, 0, 0, 0, 1, 0, 0, 0, 0]
    sources = [0, 0, 0, 1, 0, 0, 0, 0, 0]
    (att,) = group(ws, content, cues, sources)
    assert (att.content, att.cue, att.source) == ((0, 8), (4, 5), (3, 4))


def test_the_command_line_runs_one_blas_thread_a_process_unless_told():
    """A BLAS pool per process spun a second core for the tagger's small products and fought
    --workers for the cores (benchmarks/run.py); the user's own setting wins."""
    import os
    import subprocess
    import sys

    code = "import quotes.cli, os, sys; print(os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules)"
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "False"]  # set before numpy loads
    out = subprocess.run([sys.executable, "-c", code], env=dict(env, OPENBLAS_NUM_THREADS="3"),
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["3", "False"]
