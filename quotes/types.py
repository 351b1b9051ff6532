"""The data the package passes around: spans, documents and quotes.

One span format for everything: ``Span(start, end, text)`` in Python ``str``
offsets into the document text, with ``text == document.text[start:end]``.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

KINDS = ("direct", "partial", "scare", "title", "indirect")
NOT_SPEECH = frozenset({"scare", "title"})
# Reported speech without quote marks ("Maduro said the coup had failed"): its span is its
# content, no marks around it; a paraphrase, never a quotation (issue 17).
INDIRECT = "indirect"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str

    def __init__(self, start: int, end: int, text: str) -> None:
        # What the generated __init__ of a frozen class does (object.__setattr__, field by
        # field), through the slots' own setters: in half the time. Spans are made by the
        # ten thousand.
        _set_start(self, start)
        _set_end(self, end)
        _set_text(self, text)

    @classmethod
    def of(cls, source: str, start: int, end: int) -> "Span":
        span = _new(cls)
        _set_start(span, start)
        _set_end(span, end)
        _set_text(span, source[start:end])
        return span

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    def __len__(self) -> int:
        return self.end - self.start

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as the call that makes it (what `--workers` sends back, five spans a quote):
        # a quarter smaller and faster both ways than the slots state a frozen dataclass sends.
        return Span, (self.start, self.end, self.text)


_new = object.__new__
_set_start, _set_end, _set_text = Span.start.__set__, Span.end.__set__, Span.text.__set__  # type: ignore[attr-defined]


class SourceSpan(Span):
    """A :class:`Span` that reads its text from the source text when asked, instead of holding
    a copy: a document's paragraphs are not a second copy of a 50 MB document. Equal to,
    hashed and pickled as the plain Span it stands for."""

    __slots__ = ("_source",)

    def __init__(self, source: str, start: int, end: int) -> None:  # noqa: D107
        _set_start(self, start)
        _set_end(self, end)
        _set_source(self, source)

    @property
    def text(self) -> str:  # type: ignore[override]
        return self._source[self.start:self.end]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Span):
            return NotImplemented
        return (self.start, self.end, self.text) == (other.start, other.end, other.text)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.text))

    def __repr__(self) -> str:
        return f"Span(start={self.start!r}, end={self.end!r}, text={self.text!r})"


_set_source = SourceSpan._source.__set__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Document:
    """A decoded article. ``sha256`` is of the raw bytes it was read from.

    Where it came from, as the reader found it (never what the document says of itself):
    ``origin`` is ``file`` (read from ``source_file``), ``jsonl`` (line ``source_line`` of
    ``source_file``), ``stdin``, or None (handed over as a string). ``source_file`` is in the
    lossless form of :func:`storable`. Two documents read from two places
    are equal when they are the same document."""

    text: str
    path: str | None = None
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    external_id: str | None = None
    sha256: str = ""
    author: str | None = None
    origin: str | None = field(default=None, compare=False)  # where it was read, not what it is
    source_file: str | None = field(default=None, compare=False)
    source_line: int | None = field(default=None, compare=False)

    @classmethod
    def from_text(cls, text: str, **meta: Any) -> "Document":
        if not meta.get("sha256"):
            meta["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return cls(text=text, **meta)

    @property
    def source(self) -> str:
        """What the document is called in messages and in the ``path`` column."""
        return self.path or self.url or self.external_id or "<text>"

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.source, "sha256": self.sha256, "title": self.title}


@dataclass(frozen=True)
class Speaker:
    """Who spoke. ``mention`` is the span the rule linked (possibly "he");
    ``name`` the resolved canonical name."""

    name: str
    type: str = "unknown"  # person | organization | country | unknown
    mention: Span | None = None
    role: str | None = None
    affiliation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        m = self.mention
        return {
            "name": self.name,
            "type": self.type,
            "start": m.start if m else None,
            "end": m.end if m else None,
            "text": m.text if m else None,
        }


@dataclass(frozen=True)
class Outlet:
    """The channel or body a quote came through; ``rule`` names the outlet rule that found it
    (:mod:`quotes.extract.outlets`), as provenance."""

    name: str
    mention: Span | None = None
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        m = self.mention
        return {
            "name": self.name,
            "start": m.start if m else None,
            "end": m.end if m else None,
            "text": m.text if m else None,
        }


@dataclass(frozen=True)
class Quote:
    """One quotation. ``span`` includes the quote marks, ``content`` does not; an ``indirect``
    quote (reported speech) has no marks, and its ``span`` is its ``content``."""

    span: Span
    content: Span
    kind: str = "direct"
    closed: bool = True
    speaker: Speaker | None = None
    cue: Span | None = None
    outlet: Outlet | None = None
    sieve: str | None = None
    confidence: float = 0.0
    explanation: tuple[str, ...] = field(default=(), compare=False)

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def text(self) -> str:
        return self.content.text

    def to_dict(self, document: Document | None = None, id: int | None = None) -> dict[str, Any]:
        """The JSON object of the CLI contract (``quotes extract --format jsonl``)."""
        return {
            "id": id,
            "document": document.to_dict() if document else None,
            "start": self.span.start,
            "end": self.span.end,
            "text": self.content.text,
            "kind": self.kind,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "outlet": self.outlet.to_dict() if self.outlet else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "sieve": self.sieve,
            "confidence": round(self.confidence, 3),
        }


# ---------------------------------------------------------------- file names
# A name the operating system gives may hold bytes that are not UTF-8 (Python hands them over as
# lone surrogates, os.fsdecode), which no database text column takes. Two forms:
# * storable(): what the store keeps as a source file name (Document.source_file). Lossless and
#   valid UTF-8: a byte that does not decode is written \xNN and a backslash is doubled (a name
#   with neither, nearly every name, is unchanged); from_storable() gives the exact name back.
# * label(): what the ``path`` column shows: undecodable bytes as \xNN, nothing else changed.
# (errors.shown() puts a name on one line for a message.)

_SURROGATE = re.compile("[\udc80-\udcff]")
_STORABLE = re.compile("[\\\\\udc80-\udcff]")
_UNSTORE = re.compile(r"\\(\\|x[0-9a-f]{2})")


def _hex_byte(ch: str) -> str:
    return f"\\x{ord(ch) - 0xDC00:02x}"


def storable(name: str) -> str:
    """The lossless UTF-8 form of a file name (see above)."""
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
