"""File names as the store keeps them and as messages show them.

A name the operating system gives may hold bytes that are not UTF-8 (Python hands them over
as lone surrogates, ``os.fsdecode``), which no database text column takes, and characters
(a newline) that would break a one-line message. Three forms:

* :func:`storable`: what the store keeps as a source file name. Lossless and valid UTF-8: a
  byte that does not decode is written ``\\xNN`` and a backslash is doubled (a name with
  neither, nearly every name, is unchanged); :func:`from_storable` gives the exact name back.
* :func:`label`: what the ``path`` column shows: the name with undecodable bytes as ``\\xNN``
  (backslashes left alone), so ``bad\\xff.txt`` for the bytes ``bad\\xff.txt``.
* :func:`shown`: a name (or any text) for a one-line message: control characters and line
  separators as escapes (``\\n``), undecodable bytes as ``\\xNN``.
"""
from __future__ import annotations

import re

_SURROGATE = re.compile("[\udc80-\udcff]")
_STORABLE = re.compile("[\\\\\udc80-\udcff]")
_UNSTORE = re.compile(r"\\(\\|x[0-9a-f]{2})")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\udc80-\udcff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _hex_byte(ch: str) -> str:
    return f"\\x{ord(ch) - 0xDC00:02x}"


def storable(name: str) -> str:
    """The lossless UTF-8 form of a file name (see the module)."""
    if name.isascii() and "\\" not in name:
        return name
    return _STORABLE.sub(lambda m: "\\\\" if m.group() == "\\" else _hex_byte(m.group()), name)


def from_storable(stored: str) -> str:
    """The file name :func:`storable` was given (with surrogates for undecodable bytes)."""
    if "\\" not in stored:
        return stored
    return _UNSTORE.sub(lambda m: "\\" if m.group(1) == "\\" else chr(0xDC00 + int(m.group(1)[1:], 16)), stored)


def label(name: str) -> str:
    """A name fit for a text column: undecodable bytes as ``\\xNN``, nothing else changed."""
    if name.isascii() or not _SURROGATE.search(name):
        return name
    return _SURROGATE.sub(lambda m: _hex_byte(m.group()), name)


def shown(text: object) -> str:
    """``text`` on one line: control characters, line separators and undecodable bytes escaped."""
    s = str(text)
    if s.isprintable():
        return s
    return _CONTROL.sub(_escape, s)


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    if "\udc80" <= ch <= "\udcff":
        return _hex_byte(ch)
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
