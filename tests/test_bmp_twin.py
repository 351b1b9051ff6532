"""The ``re`` twins of the rules engine's ``regex`` patterns (:func:`quotes.extract.segment.bmp_twin`)
read every text within the Basic Multilingual Plane exactly as the patterns themselves do:
their classes, character by character, and their matches, splits and searches on random text,
from any start to any end."""
from __future__ import annotations

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extract import classify, name_runs, segment, tokens
from quotes.extract.segment import _listed, bmp_twin, in_bmp

TWINNED = {
    "tokens": tokens._TOKEN_SPLIT,
    "sentence end": segment._SENT_END,
    "paragraph break": segment._PARA_BREAK,
    "line break": segment._LINE_BREAK,
    "classify words": classify._WORD,
    "credited": classify._CREDITED,
    "name runs": name_runs._NAME_RUN_SPLIT,
}
PLANE = "".join(map(chr, range(0x10000)))
PIECES = list("abcXYZ éÉßİΣσЖ日1²Ⅻ٣ ") + list("“”‘’\"'«».,;:!?—-()[]…_<>/") + [
    "\n", "\n\n", "\n \n", "\t", "\u00a0", "\u2028", "\u3000", "\x1c", "\x85", "\u0301", "\ud800", "\udfff",
    "U.S.", "J. R.", "al-Assad", "d’état", "Korea’s", "said, by Ann", " by  Éva", "Mr.", "’90s", "''", "K\u212a",
    "\u1e9e", "\ua7c0", "\u0560"]
BMP_TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(max_codepoint=0xFFFF)),
                     max_size=50).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("escape", [r"\p{L}", r"\p{Lu}", r"\p{N}", r"\s", r"\S", r"\d"])
def test_a_listed_class_holds_the_same_characters(escape: str) -> None:
    want = regex.findall(f"[{escape}]", PLANE, flags=regex.V1)
    got = regex.compile(f"[{_listed(escape, regex.V1)}]").findall(PLANE)
    assert got == want and len(want) > 20


@SETTINGS
@given(BMP_TEXTS, st.sampled_from(sorted(TWINNED)), st.data())
def test_a_twin_matches_as_its_pattern(text: str, name: str, data: st.DataObject) -> None:
    pattern = TWINNED[name]
    twin = bmp_twin(pattern)
    assert in_bmp(text)
    assert twin.split(text) == pattern.split(text)
    pos = data.draw(st.integers(0, len(text)))
    endpos = data.draw(st.integers(pos, len(text)))
    assert [m.span() for m in twin.finditer(text, pos, endpos)] == \
        [m.span() for m in pattern.finditer(text, pos, endpos)]
    assert twin.findall(text, pos, endpos) == pattern.findall(text, pos, endpos)
    assert bool(twin.search(text, pos, endpos)) == bool(pattern.search(text, pos, endpos))
    m, n = twin.match(text, pos, endpos), pattern.match(text, pos, endpos)
    assert (m and m.span()) == (n and n.span())


@SETTINGS
@given(st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=())))
def test_in_bmp_reads_every_code_point(text: str) -> None:
    assert in_bmp(text) == all(ord(c) <= 0xFFFF for c in text)


@pytest.mark.parametrize("text", ["Wow 😀 said Ann.", "𝐀.𝐁. is big", "x\U0001d400y Ann’s"])
def test_a_text_beyond_the_plane_keeps_regex(text: str) -> None:
    assert not in_bmp(text)
    got = tokens.tokens(text)
    assert [(t.start, t.end) for t in got] == [m.span() for m in tokens._TOKEN.finditer(text)]


@pytest.mark.parametrize("pattern", [
    regex.compile(r"\w+"), regex.compile(r"\bsaid"), regex.compile(r"[[a-z]--[aeiou]]", regex.V1),
    regex.compile(r"said", regex.I)])
def test_a_pattern_without_a_twin_is_refused(pattern: regex.Pattern) -> None:
    with pytest.raises(ValueError):
        bmp_twin(pattern)
