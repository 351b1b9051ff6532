"""The resolver's name-run pattern, with its first capital factored out of the look-behind (so
that ``re`` can scan for it), finds exactly the runs of the pattern as first written, with the
``regex`` module and with its ``re`` twin."""
from __future__ import annotations

import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extract.name_runs import _NAME_RUN, _NAME_RUN_SPLIT
from quotes.extract.segment import bmp_twin, in_bmp

# The name run as first written: a look-behind tried at every offset, then a name word (a run
# reads through "of the": "President of the Republic Pedro Castillo").
_WORD = r"(?:(?:\p{Lu}\.){2,}|\p{Lu}(?:[\p{L}\p{M}\-’']*\p{L}|\.|[\p{L}\p{M}]*))"
_FIRST_WRITTEN = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}]){_WORD}"
    rf"(?:(?:[ \t]+|[ \t]+(?:of|de|del|al|bin|da|van|von|the|for)(?:[ \t]+the)?[ \t]+|’s[ \t]+|'s[ \t]+|’[ \t]+)"
    rf"{_WORD})*",
    regex.V1)
_FIRST_WRITTEN_SPLIT = regex.compile(f"({_FIRST_WRITTEN.pattern})", regex.V1)

PIECES = list("abcXYZ éÉßİΣσЖ日1²Ⅻ٣ ") + list("“”‘’\"'«».,;:!?—-()[]…_<>/") + [
    "\n", "\t", "\u00a0", "\u0301", "U.S.", "J. R.", "U.S.A. ", "A.B", "Ab.C.", "al-Assad", "d’état", "Korea’s ",
    "Mr.", "’s ", "'s ", " of ", " de ", " the ", " al ", "O’Malley", "McDonald’ ", "A", "B", "C.", "9A", "😀",
    "\U0001d400"]  # the last two: the regex path
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(max_codepoint=0x2FFFF)), max_size=60).map("".join)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.data())
def test_name_runs_are_the_runs_as_first_written(text: str, data: st.DataObject) -> None:
    want = _FIRST_WRITTEN_SPLIT.split(text)
    assert _NAME_RUN_SPLIT.split(text) == want
    if in_bmp(text):
        assert bmp_twin(_NAME_RUN_SPLIT).split(text) == want
    pos = data.draw(st.integers(0, len(text)))
    assert [m.span() for m in _NAME_RUN.finditer(text, pos)] == [m.span() for m in _FIRST_WRITTEN.finditer(text, pos)]


def test_a_run_needs_no_letter_before_it() -> None:
    text = "McDonald and U.S. President Barack Obama met aB in the U.S.A. with Ann’s friend O’Malley."
    runs = _NAME_RUN_SPLIT.split(text)[1::2]
    assert runs == ["McDonald", "U.S. President Barack Obama", "U.S.A.", "Ann’s", "O’Malley"]
    assert runs == _FIRST_WRITTEN_SPLIT.split(text)[1::2]
