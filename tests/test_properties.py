"""Property tests: on any mix of letters, spaces, line breaks, punctuation and every quote mark,
the finder and the rules extractor never raise and every span reads back exactly."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extract.finder import find_quotes
from quotes.extract.pipeline import Extractor
from quotes.types import KINDS, Document

MARKS = "“”‘’\"'«»„‚‹›「」"
WORDS = ["said", "Smith", "he", "she", "told", "Reuters", "the", "party", "statement", "according", "to",
         "Maria Lopez", "on Twitter", "HOST:", "continued", "’90s", "d’état", "Workers’", "don't", "<tweet author=\"x\">",
         "</tweet>", "Mr.", "U.S.", "so-called"]
ALPHABET = st.sampled_from(list("abcXYZ éÉ") + list(MARKS) + list(".,;:!?—-()…") + ["\n", "\n\n", "\r\n", "\t"])
PIECE = st.one_of(ALPHABET, st.sampled_from(WORDS), st.sampled_from(list(MARKS)))
TEXTS = st.lists(PIECE, max_size=120).map(" ".join) | st.lists(PIECE, max_size=120).map("".join)

EX = Extractor(engine="rules")
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_found(text: str) -> None:
    for f in find_quotes(text):
        assert 0 <= f.span.start < f.span.end <= len(text)
        assert text[f.span.start:f.span.end] == f.span.text
        assert text[f.content.start:f.content.end] == f.content.text
        assert f.span.start <= f.content.start <= f.content.end <= f.span.end
        assert text[f.span.start] in MARKS + "『』"


def _check_quotes(text: str) -> None:
    doc = Document.from_text(text, path="prop.txt")
    for q in EX.extract(doc):
        assert text[q.start:q.end] == q.span.text
        assert text[q.content.start:q.content.end] == q.content.text == q.text
        assert q.span.start <= q.content.start <= q.content.end <= q.span.end
        assert q.kind in KINDS  # "indirect" too (issue 17): its span is its content
        for m in (q.speaker.mention if q.speaker else None, q.cue, q.outlet.mention if q.outlet else None):
            if m is not None:
                assert 0 <= m.start <= m.end <= len(text)
                assert text[m.start:m.end] == m.text
        d = q.to_dict(doc)
        assert d["start"] == q.start and d["end"] == q.end


@SETTINGS
@given(TEXTS)
def test_finder_spans_read_back(text):
    _check_found(text)


@SETTINGS
@given(TEXTS)
def test_extractor_spans_read_back(text):
    _check_quotes(text)


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
def test_arbitrary_unicode(text):
    _check_found(text)
    _check_quotes(text)


HUGE_MARKS = "".join(MARKS[i % len(MARKS)] + (" " if i % 3 else "") for i in range(100_000))
UNIT = "He said “we are ready” and ‘then’ left, don't you know. "
MEGA_LINE = (UNIT * (1_000_000 // len(UNIT) + 1))[:1_000_000]

def test_finder_on_hundred_thousand_quote_marks():
    _check_found(HUGE_MARKS)
    _check_found("“" * 100_000)
    _check_found("'" * 100_000)


def test_finder_on_one_megabyte_line():
    assert "\n" not in MEGA_LINE and len(MEGA_LINE) == 1_000_000
    found = find_quotes(MEGA_LINE)
    assert len(found) > 30_000
    assert all(MEGA_LINE[f.span.start:f.span.end] == f.span.text for f in found)


@pytest.mark.slow
def test_extractor_on_hundred_thousand_quote_marks():
    _check_quotes(HUGE_MARKS)
    _check_quotes("“" * 100_000)


@pytest.mark.slow
def test_extractor_on_one_megabyte_line():
    quotes = EX.extract(MEGA_LINE)
    assert len(quotes) == len(find_quotes(MEGA_LINE))
    _check_quotes(MEGA_LINE)


def test_extractor_on_long_inputs_in_small():
    """What can run today: the same shapes at a size the quadratic paths finish quickly."""
    _check_quotes(HUGE_MARKS[:3_000])
    _check_quotes("“" * 3_000)
    line = MEGA_LINE[:8_000]
    quotes = EX.extract(line)
    assert len(quotes) == len(find_quotes(line))
    _check_quotes(line)
