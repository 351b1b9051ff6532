"""What the fact-checker answers: verdicts, the stored quotes they point at, and their
word-level differences (plain frozen dataclasses, each with ``to_dict``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import QuotesError
from ..types import Span

# A claim whose best match is reported speech (a stored quote of kind ``indirect``: the
# reporter's words, no quote marks) is a paraphrase, whatever its words: never ``exact``.
PARAPHRASE = "paraphrase: reported, not quoted"
VERDICTS = ("exact", "truncated", "stitched", "altered", "extended", PARAPHRASE, "misattributed", "not found")
_ORDER = {v: i for i, v in enumerate(VERDICTS)}
MARK_OPEN, MARK_CLOSE = "[[", "]]"


class ClaimError(QuotesError):
    """The claimed text has nothing to compare (no words)."""


@dataclass(frozen=True)
class Provenance:
    document_id: int
    path: str
    url: str | None
    title: str | None
    publisher: str | None
    date: str | None
    sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.document_id, "path": self.path, "url": self.url, "title": self.title,
                "publisher": self.publisher, "date": self.date, "sha256": self.sha256}


@dataclass(frozen=True)
class Context:
    """Text around a quote; ``marked`` has ``[[`` ``]]`` around the quote."""

    span: Span
    marked: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.span.to_dict(), "marked": self.marked}


@dataclass(frozen=True)
class Hit:
    """A stored quote a claim was matched against. ``span`` has the quote
    marks, ``content`` not; ``matched`` covers the stored words the claim
    lines up with (document offsets)."""

    quote_id: int
    kind: str
    span: Span
    content: Span
    matched: Span
    speaker: str | None
    speaker_id: int | None
    speaker_type: str | None
    speaker_mention: Span | None
    cue: Span | None
    outlet: str | None
    outlet_mention: Span | None
    document: Provenance
    context: Context

    @property
    def text(self) -> str:
        return self.content.text

    def to_dict(self) -> dict[str, Any]:
        def sp(s: Span | None) -> dict[str, Any] | None:
            return s.to_dict() if s else None

        return {
            "id": self.quote_id, "kind": self.kind, "text": self.content.text,
            "start": self.span.start, "end": self.span.end,
            "content": sp(self.content), "matched": sp(self.matched),
            "speaker": None if self.speaker is None else {
                "name": self.speaker, "type": self.speaker_type,
                **({"start": None, "end": None, "text": None} | (sp(self.speaker_mention) or {}))},
            "cue": sp(self.cue),
            "outlet": None if self.outlet is None else {
                "name": self.outlet,
                **({"start": None, "end": None, "text": None} | (sp(self.outlet_mention) or {}))},
            "document": self.document.to_dict(),
            "context": self.context.to_dict(),
        }


@dataclass(frozen=True)
class Change:
    """One word-level difference: ``added`` (in the claim only), ``dropped``
    (in the stored quote only) or ``changed``. ``claim_start``/``claim_end``
    are offsets in the claim; ``start``/``end`` in the document (for
    ``added``, both are the point where the words would go)."""

    op: str
    claimed: str
    stored: str
    claim_start: int
    claim_end: int
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "claimed": self.claimed, "stored": self.stored,
                "claim_start": self.claim_start, "claim_end": self.claim_end,
                "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Part:
    """A piece of a stitched claim: ``claim[claim_start:claim_end]`` comes from ``hit``."""

    claim_start: int
    claim_end: int
    claimed: str
    hit: Hit

    def to_dict(self) -> dict[str, Any]:
        return {"claim_start": self.claim_start, "claim_end": self.claim_end,
                "claimed": self.claimed, "quote": self.hit.to_dict()}


@dataclass(frozen=True)
class Verdict:
    verdict: str
    similarity: float
    claim: str
    hit: Hit | None = None
    match: str | None = None  # the word-level verdict (differs from ``verdict`` when misattributed)
    diff: tuple[Change, ...] = ()
    parts: tuple[Part, ...] = ()
    claimed_speaker: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict, "similarity": round(self.similarity, 3), "claim": self.claim,
            "claimed_speaker": self.claimed_speaker, "match": self.match, "note": self.note,
            "quote": self.hit.to_dict() if self.hit else None,
            "diff": [c.to_dict() for c in self.diff],
            "parts": [p.to_dict() for p in self.parts],
        }

    def wdiff(self) -> str | None:
        """The matched stored words with ``[-dropped-]`` and ``{+added+}`` marks."""
        if self.hit is None or not self.diff:
            return None
        text, base = self.hit.context.span.text, self.hit.context.span.start
        lo, hi = self.hit.matched.start, self.hit.matched.end
        for c in self.diff:
            lo, hi = min(lo, c.start), max(hi, c.end)
        pieces, pos = [], lo
        for c in sorted(self.diff, key=lambda c: (c.start, c.end)):
            pieces.append(text[pos - base:c.start - base])
            if c.stored:
                pieces.append(f"[-{c.stored}-]")
            if c.claimed:
                pieces.append(f"{{+{c.claimed}+}}")
            pos = c.end
        pieces.append(text[pos - base:hi - base])
        out = ""
        for piece in (" ".join(p.split()) for p in pieces):
            if not piece:
                continue
            glue = "" if not out or piece[0] in ",.;:!?)\u201d\u2019'\"" else " "
            out += glue + piece
        return out


def _join(*notes: str | None) -> str | None:
    kept = [n for n in notes if n]
    return "; ".join(kept) if kept else None
