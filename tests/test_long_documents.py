"""A long document (issue 19, item 9) is read by paths that stay near-linear in its length:
chunked splits, indexes asked in log time, tokens rebuilt instead of kept. Each reads exactly
as the plain definition it replaced; the time itself is benchmarks/linearity.py's (--big)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extract import name_runs, tokens
from quotes.extract import transcript
from quotes.extract.pipeline import Extractor
from quotes.types import Document, SourceSpan, Span

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1])), max_size=12)


@SETTINGS
@given(SPANS, st.integers(0, 40), st.integers(1, 12))
def test_quotations_asked_about_a_turn_in_log_time_answer_as_the_scan(spans, lo, width):
    hi = lo + width
    marked = transcript._Marked(spans)
    assert marked.across(lo, hi) == any(s < hi and e > lo and not (lo <= s and e <= hi) for s, e in spans)
    assert marked.covers(lo, hi) == any(s - lo <= 2 and e >= hi - 2 for s, e in spans)


WORDS = ["Smith", "smith", "Jo-Ann", "Ann", "John", "Mary", "the", "Mr", "O'Neil", "SMITH", "Smiths", "é"]
TEXT = st.lists(st.sampled_from(WORDS + [" ", " ", "\n", ", ", "-", "’"]), max_size=40).map("".join)


@SETTINGS
@given(TEXT, st.sampled_from(["Smith", "Ann", "Neil", "Mary"]))
def test_full_names_found_near_the_last_word_are_those_of_the_whole_text(text, last):
    whole = [m.span() for m in transcript._fullest_pattern(last).finditer(text)]
    near = [m.span() for m in transcript._names_ending_with(text, last)]
    assert near == whole


def _runs_of(text: str) -> name_runs.NameRuns:
    ex = Extractor(engine="rules")
    doc = Document.from_text(text)
    captured = {}
    real = name_runs.NameRuns.__init__

    def keep(self, ctx):
        real(self, ctx)
        captured["runs"] = self

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(name_runs.NameRuns, "__init__", keep)
        ex.extract(doc)
    return captured["runs"]


def test_the_runs_holding_a_name_are_every_run_whose_text_holds_it():
    text = ("“We won,” said Jo-Ann Smith. Ann Smith, Mary Ann Smith and the Smiths met Mr Smith.\n\n"
            "“No,” Ann Smith said. PAC and the PACs of Ann Smithson replied.")
    runs = _runs_of(text)
    for part in ("Ann Smith", "Smith", "PAC", "Ann", "Mary", "Nobody"):
        want = {}
        for i, (_, _, txt) in enumerate(runs.names):
            if part in txt:
                want.setdefault(txt, []).append(i)
        assert dict(runs.runs_holding(part)) == want, part


def test_a_source_span_is_the_plain_span_it_stands_for():
    import pickle

    text = "One paragraph.\n\nAnother one."
    plain, lazy = Span.of(text, 16, 28), SourceSpan(text, 16, 28)
    assert lazy == plain and plain == lazy and hash(lazy) == hash(plain)
    assert lazy.text == text[16:28] and lazy.to_dict() == plain.to_dict()
    assert type(pickle.loads(pickle.dumps(lazy))) is Span


def test_extraction_read_in_small_chunks_is_the_same(monkeypatch):
    """The chunked splits (tokens, name runs) and the tokens rebuilt as read give the output of
    the whole text read at once: made small here, so that an article crosses many chunks."""
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt")))
    ex = Extractor(engine="rules")
    want = [(q.to_dict(), q.explanation) for q in ex.extract(Document.from_text(text))]
    assert want
    monkeypatch.setattr(tokens, "CHUNK", 97)
    monkeypatch.setattr(tokens, "CACHE_TOKENS", 50)
    monkeypatch.setattr(name_runs, "CHUNK", 101)
    got = [(q.to_dict(), q.explanation) for q in ex.extract(Document.from_text(text))]
    assert got == want


def test_sentences_of_a_region_do_not_depend_on_the_rest_of_the_text():
    """Whether the fast twin reads a region is asked of that region (and the character before
    it), not of the whole text once per region (the stanza engine's one call per paragraph
    made that quadratic): an emoji elsewhere changes nothing, one inside is still read right."""
    from quotes.extract.segment import RuleSegmenter

    rules = RuleSegmenter()
    para = "He left. “We won,” she said. Mr. Smith agreed! Then 😀 went home."
    for rest in ("\n\nAll quiet here.", "\n\nA smile 😀 there."):
        text = para + rest
        got = rules.sentences(text, [(0, len(para))])
        assert [text[s:e] for s, e in got] == [
            "He left.", "“We won,” she said.", "Mr. Smith agreed!", "Then 😀 went home."]
