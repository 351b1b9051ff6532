"""Paragraphs and sentences, as offsets into the text.

Two sentence engines share one interface (``Segmenter.sentences``): ``rules``
(this module, no model) and ``stanza`` (:mod:`quotes.extract.stanza_engine`). Both
return ``(start, end)`` pairs into the very text they were given; nothing is
normalised, so offsets never move.
"""
from __future__ import annotations

import functools
import re
from typing import Protocol

import regex

from ..types import SourceSpan, Span


# ---------------------------------------------------------------- fast twins of regex patterns
# The ``regex`` module knows Unicode properties (\\p{Lu}); the standard library's ``re`` does
# not, but it scans a text and builds its matches about twice as fast. A pattern whose classes
# are listed character by character, from what ``regex`` itself matches, reads every text
# alike in both engines, as long as the text stays within the Basic Multilingual Plane: ``re``
# keeps a class of that plane as a table (one look-up a character), but would try the ranges
# beyond it one by one. News text has no character beyond U+FFFF but for the odd emoji: such a
# text keeps ``regex``.

_PLANE = "".join(map(chr, range(0x10000)))  # lone surrogates too: a str may hold them
# a class escape, another escape, the opening of a set (with a literal "]" first), its end, the rest
_PATTERN_PIECE = regex.compile(r"\\[pP]\{\w+\}|\\.|\[\^?\]?|\]|[^\\\[\]]+", regex.S)


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def in_bmp(text: str, start: int = 0, end: int | None = None) -> bool:
    """Does ``text[start:end]`` stay within the Basic Multilingual Plane (no character beyond
    U+FFFF)? (A scan, not an encoding: a 50 MB text is not copied to find out; and only the
    stretch asked about: a caller reading one region of a long text at a time does not scan
    all of it each time.)"""
    if start == 0 and end is None:
        return text.isascii() or _ASTRAL.search(text) is None
    return _ASTRAL.search(text, start, len(text) if end is None else end) is None


@functools.cache
def _listed(escape: str, flags: int) -> str:
    """The characters of the plane that ``regex`` matches with ``escape``, as the ranges of an
    ``re`` class (see :func:`_class_char`: ``re`` parses a plain character several times faster
    than an escape, and a twin's classes list thousands of them; every process compiles its
    twins once)."""
    return "".join(f"{_class_char(m.group()[0])}-{_class_char(m.group()[-1])}"
                   for m in regex.finditer(f"[{escape}]+", _PLANE, flags=flags))


def _class_char(c: str) -> str:
    """``c`` as it may stand in an ``re`` class: itself, but for an ASCII character that is not a
    letter or digit (what a class gives a meaning to: ``\\ ] [ ^ - & ~ |``, and controls)."""
    return c if not c.isascii() or c.isalnum() else f"\\u{ord(c):04x}"


@functools.cache
def _set_twin(chars: str, flags: int) -> str:
    """The ``re`` set that holds the characters of the plane that ``regex`` matches with the set
    ``chars`` ("[\\p{L}\\p{N}]"): a list of its ranges, or, when it holds more than half of the
    plane, ``[^…]`` and the ranges it leaves out. ``re`` fills a table character by character
    when it compiles a set, so the shorter list compiles faster (``[^\\s\\p{L}\\p{N}]`` and
    ``[\\p{L}\\p{N}]`` alike), and on the plane both read the same."""
    inside = [m.span() for m in regex.finditer(f"{chars}+", _PLANE, flags=flags)]
    outside = [(a, b) for a, b in zip([0] + [e for _, e in inside], [s for s, _ in inside] + [len(_PLANE)]) if a < b]
    if outside and (not inside or sum(b - a for a, b in inside) > len(_PLANE) // 2):
        return "[^" + "".join(f"{_class_char(chr(a))}-{_class_char(chr(b - 1))}" for a, b in outside) + "]"
    return "[" + "".join(f"{_class_char(chr(a))}-{_class_char(chr(b - 1))}" for a, b in inside) + "]"


def _is_class(piece: str) -> bool:
    """Is a piece of a pattern a class escape that a twin lists (\\p{..}, \\P{..}, \\s, \\S, \\d, \\D)?"""
    return piece.startswith("\\") and (len(piece) > 2 or piece in ("\\s", "\\S", "\\d", "\\D"))


@functools.cache
def bmp_twin(pattern: regex.Pattern) -> re.Pattern[str]:
    r"""An ``re`` pattern that matches exactly as ``pattern`` does on any text within the Basic
    Multilingual Plane (see :func:`in_bmp`). A set with a class (\p{..}, \P{..}, \s, \S, \d,
    \D) in it, and such a class standing alone, becomes the set of the characters it matches
    (:func:`_set_twin`); a set of plain characters stays as it is. A pattern with any other
    class escape (\w, \b), a nested set or a flag (IGNORECASE, MULTILINE …) is refused:
    ValueError."""
    if pattern.flags & (regex.I | regex.M | regex.S | regex.X):
        raise ValueError(f"no twin for the flags of {pattern.pattern!r}")
    out: list[str] = []
    in_set: list[str] | None = None  # the pieces of the set being read, from its "["
    for piece in _PATTERN_PIECE.findall(pattern.pattern):
        if piece.startswith("\\") and not _is_class(piece) and piece[1].isalnum() and piece[1] not in "ntrfvxu":
            raise ValueError(f"no twin for {piece!r} in {pattern.pattern!r}")
        if in_set is not None:
            if piece.startswith("["):
                raise ValueError(f"no twin for a nested set in {pattern.pattern!r}")
            in_set.append(piece)
            if piece == "]":
                chars = "".join(in_set)
                out.append(_set_twin(chars, pattern.flags) if any(map(_is_class, in_set)) else chars)
                in_set = None
        elif piece.startswith("["):
            in_set = [piece]
        elif _is_class(piece):
            out.append(_set_twin(f"[{piece}]", pattern.flags))
        else:
            out.append(piece)
    if in_set is not None:
        out.append("".join(in_set))  # an unclosed set: let re say what is wrong with it
    return re.compile("".join(out))


_PARA_BREAK = regex.compile(r"\n[^\S\n]*\n\s*")
_LINE_BREAK = regex.compile(r"\n\s*")

# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt gen gov sen rep rev col lt capt sgt cmdr adm "
    "pres inc ltd co corp dept univ vs etc no nos fig al approx est "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e a.m p.m".split()
)
# A sentence ends at . ! ? (possibly …) followed by closing marks, then space and
# a capital, digit or opening mark. The match holds the end mark itself (a search for it is
# far faster than a look-behind tried at every offset); the sentence ends at ``match.end()``.
_SENT_END = regex.compile(
    r"""[.!?…]["”’'»)\]]*(?=\s+["“‘'«„「『(\[]?[\p{Lu}\d])""", regex.V1
)


def paragraphs(text: str) -> list[Span]:
    """Paragraphs: runs of text between blank lines; a text with no blank line
    is split at every line break instead. Leading/trailing space is left out."""
    para_break, line_break = (bmp_twin(_PARA_BREAK), bmp_twin(_LINE_BREAK)) if in_bmp(text) \
        else (_PARA_BREAK, _LINE_BREAK)
    splitter = para_break if para_break.search(text) else line_break
    out: list[Span] = []
    pos = 0
    for m in splitter.finditer(text):
        _add_trimmed(text, pos, m.start(), out)
        pos = m.end()
    _add_trimmed(text, pos, len(text), out)
    return out


def _add_trimmed(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(SourceSpan(text, start, end))  # (no copy of the paragraph's text)


class Segmenter(Protocol):
    name: str

    def sentences(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Sentence spans for each region (a paragraph), in order, as offsets into ``text``."""


class RuleSegmenter:
    """Full stops, question and exclamation marks followed by a capital;
    abbreviations and initials don't end a sentence."""

    name = "rules"

    def sentences(self, text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        for lo, hi in regions:
            start = lo
            # from lo - 1: the end mark of a sentence ending at lo may stand just before the region
            # (the pattern reads no further either way: whether the fast twin may read it is a
            # question about this stretch alone, not the whole text for each of its regions,
            # which the stanza engine's one call per paragraph made quadratic: issue 19, item 9)
            a = max(lo - 1, 0)
            sent_end = bmp_twin(_SENT_END) if in_bmp(text, a, hi) else _SENT_END
            for m in sent_end.finditer(text, a, hi):
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


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_abbreviation(text: str, lo: int, end: int) -> bool:
    """Is the full stop just before ``end`` (closing marks aside) part of an abbreviation?"""
    j = end
    while j > lo and text[j - 1] in "\"”’'»)]":
        j -= 1
    if j <= lo or text[j - 1] != ".":
        return False
    k = j - 1
    while k > lo and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
    word = text[k:j - 1].lower()
    if not word:
        return False
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "George W. Bush"
    return word in ABBREVIATIONS and j == end  # "said Mr." but not "… in the U.S.”"
