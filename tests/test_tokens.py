"""The fast paths of the rules engine read exactly as the plain definitions they replace:
the lazy token sequence as the token pattern's matches, the sentence-end search as the
look-behind pattern, the quote finder's mark search as a reading of every character."""
from __future__ import annotations

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extract.finder import find_quotes
from quotes.extract.tokens import _TOKEN, tokenise, tokens
from quotes.extract.segment import RuleSegmenter, _is_abbreviation, _trim, paragraphs
from quotes.types import Span

PIECES = list("abcXYZ éÉßİΣσЖ日1²Ⅻ ") + list("“”‘’\"'«».,;:!?—-()…_") + [
    "\n", "\n\n", "\t", "\u00a0", "\u2028", "\x1c", "U.S.", "al-Assad", "d’état", "Korea’s", "don't", "said",
    "Mr.", "J.", "’90s", "''", "K\u212a", "\ud800", "😀", "\U0001d400."]  # the last two: the regex path
TEXTS = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The sentence end as first written: a look-behind for the end mark, tried at every offset.
_SENT_END_LOOKBEHIND = regex.compile(
    r"""(?<=[.!?…])["”’'»)\]]*(?=\s+["“‘'«„「『(\[]?[\p{Lu}\d])""", regex.V1)


@SETTINGS
@given(TEXTS, st.data())
def test_tokens_are_the_token_pattern_matches(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    want = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]
    got = tokens(text, start, end)
    assert [(t.start, t.end, t.text) for t in got] == want
    for t in got:
        assert text[t.start:t.end] == t.text
        assert (t.lower, t.is_cap, t.is_word) == (t.text.lower(), t.text[:1].isupper(), t.text[:1].isalnum())


@SETTINGS
@given(TEXTS, st.data())
def test_lazy_tokens_read_as_a_list(text: str, data: st.DataObject) -> None:
    lazy = tokenise(text)
    plain = tokens(text)
    n = len(plain)
    assert len(lazy) == n
    assert list(lazy.starts) == [t.start for t in plain]
    assert lazy.lowers == [t.lower for t in plain]
    for _ in range(5):
        k = data.draw(st.integers(-n - 2, n + 1))
        if -n <= k < n:
            assert lazy[k] == plain[k]
        else:
            with pytest.raises(IndexError):
                lazy[k]
        a = data.draw(st.none() | st.integers(-n - 2, n + 2))
        b = data.draw(st.none() | st.integers(-n - 2, n + 2))
        step = data.draw(st.none() | st.sampled_from([1, 2, -1, -3]))
        assert lazy[a:b:step] == plain[a:b:step]
    assert list(lazy) == plain


def _lookbehind_sentences(text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """RuleSegmenter.sentences as first written, with the look-behind pattern."""
    out = []
    for lo, hi in regions:
        start = lo
        for m in _SENT_END_LOOKBEHIND.finditer(text, lo, hi):
            end = m.end()
            if _is_abbreviation(text, lo, end):
                continue
            if end > start:
                out.append(_trim(text, start, end))
            start = end
            while start < hi and text[start].isspace():
                start += 1
        if start < hi:
            out.append(_trim(text, start, hi))
    return [s for s in out if s[1] > s[0]]


@SETTINGS
@given(TEXTS, st.data())
def test_sentences_are_the_lookbehind_definition(text: str, data: st.DataObject) -> None:
    regions = [(p.start, p.end) for p in paragraphs(text)]
    lo = data.draw(st.integers(0, len(text)))
    regions.append((lo, data.draw(st.integers(lo, len(text)))))  # any region, not only a paragraph
    assert RuleSegmenter().sentences(text, regions) == _lookbehind_sentences(text, regions)


def test_a_sentence_may_end_with_the_mark_before_its_region() -> None:
    text = 'He left." She came.'
    lo = text.index('"')  # the region starts after the full stop, at the closing mark
    assert RuleSegmenter().sentences(text, [(lo, len(text))])[0] == (lo, lo + 1)


@pytest.mark.parametrize("mark", ["'", "’"])
def test_a_mark_opening_a_paragraph_ignores_what_stands_before_it(mark: str) -> None:
    text = f"ab{mark}Cd{mark} x"
    para = Span.of(text, 2, len(text))  # the paragraph starts at the mark, glued to "ab"
    found = find_quotes(text, [para])
    inside = find_quotes(text[2:])  # the same paragraph standing alone
    assert [(f.span.start - 2, f.span.end - 2, f.closed) for f in found] == \
        [(f.span.start, f.span.end, f.closed) for f in inside]


@SETTINGS
@given(TEXTS)
def test_apostrophes_inside_words_open_and_close_nothing(text: str) -> None:
    for f in find_quotes(text):
        for at in (f.span.start, f.span.end - 1):
            if text[at] in "’'" and 0 < at < len(text) - 1:
                assert not (text[at - 1].isalnum() and text[at + 1].isalnum()), (text, f)


@SETTINGS
@given(TEXTS, st.integers(1, 12))
def test_a_text_split_in_chunks_has_the_tokens_of_the_whole(text: str, chunk: int) -> None:
    """tokenise splits a long text a megabyte at a time, at a space: the same tokens (issue 19,
    item 9: a 50 MB document's pieces never all exist at once)."""
    from quotes.extract import tokens as module

    whole = tokenise(text)
    saved = module.CHUNK
    module.CHUNK = chunk
    try:
        parts = tokenise(text)
    finally:
        module.CHUNK = saved
    assert (list(parts.starts), list(parts.ends), parts.words, parts.lowers) == (
        list(whole.starts), list(whole.ends), whole.words, whole.lowers)


def test_tokens_of_a_long_text_are_the_same_built_again_as_kept(monkeypatch):
    from quotes.extract import tokens as module

    text = "“We will win,” said Jane Smith. " * 50
    kept = tokenise(text)
    monkeypatch.setattr(module, "CACHE_TOKENS", 10)
    rebuilt = tokenise(text)
    assert rebuilt._made is None and kept._made is not None
    assert list(rebuilt) == list(kept) and [rebuilt[-1], rebuilt[3]] == [kept[-1], kept[3]]
    with pytest.raises(IndexError):
        rebuilt[len(kept)]
