"""Small named exceptions. Each carries one line a user can act on; :func:`shown` keeps a name
(or any text) that goes into one on one line."""
from __future__ import annotations

import re


class QuotesError(Exception):
    """Base class of every error the package raises on purpose."""


class ReadError(QuotesError):
    """A source (file, stdin, JSONL line) could not be read or decoded."""


class ModelError(QuotesError):
    """A stanza model directory is missing, incomplete or corrupt."""


class StoreError(QuotesError):
    """The database cannot be opened, upgraded or written."""


class StoreUnwritable(StoreError):
    """The database as a whole cannot take writes (locked, read-only, full, an I/O error): no
    document would be stored, so there is no point in trying the next one."""


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\udc80-\udcff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: object) -> str:
    """``text`` on one line, for a message: control characters, line separators and the
    undecodable bytes of a file name (``os.fsdecode``'s surrogates) escaped (``\\n``, ``\\xff``)."""
    s = str(text)
    if s.isprintable():
        return s
    return _CONTROL.sub(_escape, s)


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
