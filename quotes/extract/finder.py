"""Find quotations: spans of text between matching quote marks.

One linear pass over the text. Each mark is read in its context (what stands
before and after it) as an opening mark, a closing mark, an apostrophe or
"either"; a stack pairs them. A quote never runs past its paragraph unless the
next paragraph re-opens it (the newspaper convention for long quotes: then the
paragraphs make one quote, from its first opening mark to its last closing
mark) or plainly continues it (a stray line break before a lower-case word). A
mark left open is kept as an unclosed quote ending at its paragraph's end.

All offsets are Python ``str`` offsets into the text as given.
"""
from __future__ import annotations

import logging
import re

import regex
from dataclasses import dataclass

from ..lang import en
from .segment import paragraphs as split_paragraphs
from ..types import Span

log = logging.getLogger(__name__)

OPEN, CLOSE, EITHER, APOS = "open", "close", "either", "apos"

_SINGLE = "‘’‚'‹›"
_LEFT_CONTEXT = "([{<—–-/…"
_RIGHT_CONTEXT = ".,;:!?)]}>—–-…"
MAX_DEPTH = 8
# Markup left in article text (<tweet author="…">, <a href="…">): its attribute quotes are not quotations.
_TAG = regex.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]{0,800})?/?>")
# Any quote mark or apostrophe: what the finder jumps to (the standard library's search for a
# set of characters is twice as fast as regex's).
_MARK = re.compile(f"[{re.escape(en.ALL_MARKS)}]")


@dataclass(frozen=True)
class Found:
    """A quotation found in the text.

    ``span`` includes the marks; ``content`` is what stands between them.
    ``group`` ties together the parts of one quotation that runs over
    several paragraphs; ``depth`` is 0 for an outer quote, 1 for one nested
    inside it.
    """

    span: Span
    content: Span
    closed: bool
    depth: int
    group: int
    mark: str


def _is_single(mark: str) -> bool:
    return mark in _SINGLE


def mark_role(text: str, i: int, lo: int, hi: int) -> str:
    """How the mark at ``text[i]`` reads in context, within ``[lo, hi)``."""
    return role_of(text[i], text[i - 1] if i > lo else "", text[i + 1] if i + 1 < hi else "")


def role_of(c: str, p: str, n: str) -> str:
    """How mark ``c`` reads between the characters ``p`` before and ``n`` after it ("" at an edge)."""
    left_open = not p or p.isspace() or p in _LEFT_CONTEXT or p in en.OPENING_MARKS or p in en.AMBIGUOUS_MARKS
    right_open = not n or n.isspace() or n in _RIGHT_CONTEXT or n in en.CLOSING_MARKS or n in en.AMBIGUOUS_MARKS
    if c in "’'":
        if p.isalnum() and n.isalnum():
            return APOS  # Korea’s, d’état, don't
        if left_open and n.isdigit():
            return APOS  # ’90s
        if c == "’":
            if left_open and not right_open:
                return APOS  # ’n’, ’em, ’til: an elision, far more often than a mis-typed opener
            return CLOSE
        # straight '
        if left_open and not right_open:
            return OPEN
        if right_open and not left_open:
            return CLOSE
        return APOS
    if c in "‘‚":
        if n.isdigit() and left_open:
            return APOS  # ‘90s typed with the wrong mark
        return OPEN
    if c == "\"":
        if left_open and not right_open:
            return OPEN
        if right_open and not left_open:
            return CLOSE
        return EITHER
    if c == "”":
        if left_open and not right_open:
            return EITHER  # Swedish style, a closer glued to the next word, or an opener typed as ”
        return CLOSE
    if c == "“" and p and not left_open and right_open:
        return EITHER  # glued to the end of a sentence ("51 percent.“"): a closer typed as “
    if c in "»›":
        # Danish »…« opens with », French «…» closes with it.
        return CLOSE if not (left_open and not right_open) else EITHER
    if c in en.OPENING_MARKS:
        return OPEN
    if c in en.CLOSING_MARKS:
        return CLOSE
    return APOS


@dataclass
class _Open:
    pos: int
    mark: str
    closers: str
    group: int
    content_start: int


def _next_paragraph_reopens(text: str, para: Span, nxt: Span | None, mark: str) -> bool:
    if nxt is None:
        return False
    first = text[nxt.start] if nxt.start < nxt.end else ""
    # The same mark reopens; so does a straight " after a curly “ (curly copy retyped by hand).
    # Not a “ after a straight ": there the straight marks set off an excerpt and the curly ones
    # are the quotes inside it.
    return first == mark or (mark == "“" and first == '"')


def _opens_an_utterance(text: str, para: Span, o: _Open) -> bool:
    """Does the quote open its paragraph, a sentence or a colon's announcement ("X said: “…")?
    Only such a quote runs on into the next paragraph; a quoted phrase left open inside a
    sentence ("One sign read “Welcome home.") ends with its paragraph."""
    before = text[para.start:o.pos].rstrip()
    return not before or before[-1] in ":.!?"


def _stray_break(text: str, nxt: Span | None, closers: str) -> bool:
    """A paragraph break inside a sentence: the next paragraph goes on in lower case
    and closes the quote."""
    if nxt is None or nxt.start >= nxt.end:
        return False
    first = text[nxt.start]
    if not first.islower():
        return False
    seg = text[nxt.start:nxt.end]
    return any(c in seg for c in closers)


def _dangling(text: str, o: _Open, end: int, nxt: Span | None) -> bool:
    """An opening mark that ends its paragraph ("she said. “¶We used to …”"): the quote is the
    next paragraph's, when that paragraph closes it."""
    if nxt is None or text[o.content_start:end].strip():
        return False
    if o.pos > 0 and not (text[o.pos - 1].isspace() or text[o.pos - 1] in _LEFT_CONTEXT):
        return False  # glued to the word before it: a closing mark, not an opening one
    return any(c in nxt.text for c in o.closers)


def find_quotes(text: str, paras: list[Span] | None = None) -> list[Found]:
    """Every quotation in ``text``, in order of its opening mark."""
    if paras is None:
        paras = split_paragraphs(text)
    out: list[Found] = []
    stack: list[_Open] = []
    groups = 0
    carried: list[_Open] = []  # quotes carried over a stray paragraph break
    reopen: dict[int, int] = {}  # paragraph index -> group its opening mark continues

    def emit(o: _Open, end: int, closed: bool, depth: int, close_width: int = 1) -> None:
        cend = end - close_width if closed else end
        # trim trailing white space of an unclosed part
        if not closed:
            while cend > o.content_start and text[cend - 1].isspace():
                cend -= 1
            end = cend
        if end <= o.pos:
            return
        out.append(Found(Span.of(text, o.pos, end), Span.of(text, o.content_start, max(cend, o.content_start)),
                         closed, depth, o.group, o.mark))

    for pi, para in enumerate(paras):
        nxt = paras[pi + 1] if pi + 1 < len(paras) else None
        stack = carried
        carried = []
        i = para.start
        hi = para.end
        tags = [(m.start(), m.end()) for m in _TAG.finditer(text, para.start, para.end)] if text.find("<", para.start, para.end) >= 0 else []
        while i < hi:
            mark = _MARK.search(text, i, hi)  # jump to the next mark
            if mark is None:
                break
            i = mark.start()
            c = text[i]
            if tags and any(a < i < b for a, b in tags):
                i += 1
                continue
            if c in "’'" and para.start < i < hi - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
                i += 1  # Korea’s, don't: an apostrophe (what mark_role would say), the commonest mark
                continue
            w = 1
            if c == "'" and i + 1 < hi and text[i + 1] == "'" and (
                    i > para.start and text[i - 1].isalnum() and i + 2 < hi and text[i + 2].isalnum()):
                i += 2  # don''t: a doubled apostrophe inside a word
                continue
            if c == "'" and i + 1 < hi and text[i + 1] == "'" and not (
                    i > para.start and text[i - 1].isalnum() and i + 2 < hi and text[i + 2].isalnum()):
                # ''doubled apostrophes'' stand for a double quote mark (a newspaper style)
                c, w = "\"", 2
                role = role_of(c, text[i - 1] if i > para.start else "", text[i + 2] if i + 2 < hi else "")
            else:
                role = mark_role(text, i, para.start, hi)
            if stack and c == "“" and stack[-1].mark in "„‚" and role == OPEN:
                role = CLOSE  # German „…“
            if role == APOS:
                i += 1
                continue
            # can it close something on the stack?
            closing_idx = -1
            if role in (CLOSE, EITHER):
                for k in range(len(stack) - 1, -1, -1):
                    if c in stack[k].closers or (c == "“" and stack[k].mark == "“"):  # (a glued “)
                        closing_idx = k
                        break
                    # a double closer may close past open single marks (misread apostrophes);
                    # nothing else closes past an open quote
                    if _is_single(c) or not _is_single(stack[k].mark):
                        break
            if closing_idx >= 0 and (role == CLOSE or stack):
                o = stack[closing_idx]
                # marks above it that never closed: singles were apostrophes; doubles are unclosed
                for above in stack[closing_idx + 1:]:
                    if not _is_single(above.mark):
                        emit(above, i, False, closing_idx + 1)
                del stack[closing_idx:]
                emit(o, i + w, True, closing_idx, w)
                i += w
                continue
            if role == CLOSE:
                i += w  # a stray closer (or an apostrophe typed as one)
                continue
            # opening
            if len(stack) >= MAX_DEPTH:
                i += w
                continue
            if stack and not _is_single(c) and not _is_single(stack[-1].mark) and c in "“„" and stack[-1].mark in "“„":
                # a second double opener while one is open: the first was never closed
                top = stack.pop()
                emit(top, i, False, len(stack))
            group = groups
            groups += 1
            if pi in reopen and c in ("“\"„«" if not _is_single(c) else "‘'") and i == para.start and not stack:
                group = reopen.pop(pi)
            stack.append(_Open(i, c, en.QUOTE_PAIRS.get(c, c), group, i + w))
            i += w
        # paragraph end: settle what is still open
        keep: list[_Open] = []
        for depth, o in enumerate(stack):
            if _is_single(o.mark) and depth > 0:
                continue  # an unclosed single inside a double: an apostrophe, most likely
            if depth == 0 and (_stray_break(text, nxt, o.closers) or _dangling(text, o, hi, nxt)):
                keep.append(o)
                continue
            emit(o, hi, False, depth)
            if depth == 0 and _opens_an_utterance(text, para, o) and _next_paragraph_reopens(text, para, nxt, o.mark):
                reopen[pi + 1] = o.group
        carried = keep[:1]
        stack = []
    out.sort(key=lambda f: (f.span.start, -f.span.end))
    return _join_paragraphs(text, out)


def _join_paragraphs(text: str, found: list[Found]) -> list[Found]:
    """One quotation over several paragraphs (each reopens with a mark, only the last one
    closes) is one quote: from its first opening mark to its last closing mark."""
    parts: dict[int, list[Found]] = {}
    for f in found:
        if f.depth == 0:
            parts.setdefault(f.group, []).append(f)
    if all(len(p) == 1 for p in parts.values()):
        return found
    out = []
    for f in found:
        group = parts.get(f.group) if f.depth == 0 else None
        if group is None or len(group) == 1:
            out.append(f)
        elif f is group[0]:
            last = group[-1]
            out.append(Found(Span.of(text, f.span.start, last.span.end),
                             Span.of(text, f.content.start, max(last.content.end, f.content.start)),
                             last.closed, 0, f.group, f.mark))
    return out

