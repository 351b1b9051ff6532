"""``check``: re-read stored documents' sources and confirm every stored span."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import select

from ..errors import QuotesError, ReadError
from ..sources.reader import decode
from ..store.schema import attributions, documents, quotes, speaker_mentions
from ..store.search import reading


@dataclass(frozen=True)
class Drift:
    """The result of checking one stored document against its source file
    and its own stored spans. ``status``: ``ok``, ``changed`` (the file's
    sha256 differs), ``missing``, ``unreadable``, ``no source`` (stdin or
    JSONL records: nothing to re-read), or ``spans`` (stored spans no longer
    read the same in the stored text)."""

    document_id: int
    path: str
    status: str
    stored_sha256: str
    current_sha256: str | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def drifted(self) -> bool:
        return self.status not in ("ok", "no source") or bool(self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "path": self.path, "status": self.status,
                "drifted": self.drifted, "stored_sha256": self.stored_sha256,
                "current_sha256": self.current_sha256, "problems": list(self.problems)}


def stored_spans(store: Any, document_id: int) -> list[tuple[str, int, int, str]]:
    """Every stored span of a document as ``(label, start, end, text)``."""
    out: list[tuple[str, int, int, str]] = []
    q_rows = store._rows(select(quotes).where(quotes.c.document_id == document_id).order_by(quotes.c.id))
    for r in q_rows:
        out.append((f"quote {r.id}", r.content_start, r.content_end, r.text))
        if not (r.start <= r.content_start <= r.content_end <= r.end):
            out.append((f"quote {r.id} marks", r.start, r.end, "\x00"))  # cannot read the same
    m_rows = store._rows(select(speaker_mentions).where(speaker_mentions.c.document_id == document_id)
                         .order_by(speaker_mentions.c.id))
    for r in m_rows:
        out.append((f"speaker mention {r.id}", r.start, r.end, r.text))
    a_rows = store._rows(
        select(attributions).join(quotes, quotes.c.id == attributions.c.quote_id)
        .where(quotes.c.document_id == document_id).order_by(attributions.c.quote_id))
    for r in a_rows:
        if r.cue_start is not None:
            out.append((f"cue of quote {r.quote_id}", r.cue_start, r.cue_end, r.cue_text))
        if r.outlet_start is not None:
            out.append((f"outlet of quote {r.quote_id}", r.outlet_start, r.outlet_end, r.outlet_text))
    return out


def _bad_spans(text: str, spans: list[tuple[str, int, int, str]]) -> list[str]:
    bad = []
    for label, start, end, expected in spans:
        if not (0 <= start <= end <= len(text)) or text[start:end] != expected:
            got = text[start:end] if 0 <= start <= end <= len(text) else "<out of range>"
            bad.append(f"{label} at {start}-{end} reads {_short(got)!r}, stored {_short(expected)!r}")
    return bad


def _short(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def check(store: Any, paths: Iterable[str] | None = None) -> list[Drift]:
    """Re-read each stored document's source file (by its stored path) and
    compare its sha256; confirm every stored span still reads the same in
    the stored text, and, when the file changed, say which spans no longer
    read the same in the new text. ``paths`` limits the check to those
    stored paths; a path that is not stored raises :class:`NotStored`."""
    with reading(store) as reader:
        return _check(reader, paths)


def _check(store: Any, paths: Iterable[str] | None) -> list[Drift]:
    stmt = select(documents.c.id, documents.c.path, documents.c.sha256).order_by(documents.c.id)
    docs = list(store._rows(stmt))
    if paths is not None:
        wanted = list(paths)
        chosen, missing = [], []
        for p in wanted:
            found = [d for d in docs if _same_path(d.path, p)]
            if not found:
                missing.append(p)
            chosen += [d for d in found if d not in chosen]
        if missing:
            raise NotStored(f"{missing[0]}: not in the store" + (
                f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
        docs = chosen
    return [_check_one(store, d) for d in docs]


class NotStored(QuotesError):
    """A path given to ``check`` names no stored document."""


def _same_path(stored: str, given: str) -> bool:
    if stored == given:
        return True
    try:
        return os.path.realpath(stored) == os.path.realpath(given)
    except (OSError, ValueError):
        return False


def _check_one(store: Any, d: Any) -> Drift:
    text = store._first(select(documents.c.text).where(documents.c.id == d.id)).text
    spans = stored_spans(store, d.id)
    problems = _bad_spans(text, spans)
    status = "spans" if problems else "ok"
    current = None
    if not os.path.isfile(d.path):
        if _has_source(d.path):
            status, problems = "missing", [f"{d.path}: no such file"] + problems
        elif status == "ok":
            status = "no source"
        return Drift(d.id, d.path, status, d.sha256, None, tuple(problems))
    try:
        with open(d.path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        return Drift(d.id, d.path, "unreadable", d.sha256, None,
                     (f"{d.path}: {e.strerror or e}",) + tuple(problems))
    current = hashlib.sha256(data).hexdigest()
    if current == d.sha256:
        return Drift(d.id, d.path, status, d.sha256, current, tuple(problems))
    try:
        new_text = decode(data, d.path)
    except ReadError as e:
        return Drift(d.id, d.path, "changed", d.sha256, current, (str(e),) + tuple(problems))
    moved = _bad_spans(new_text, spans)
    summary = (f"{len(moved)} of {len(spans)} stored spans no longer read the same"
               if moved else f"all {len(spans)} stored spans still read the same")
    return Drift(d.id, d.path, "changed", d.sha256, current,
                 (f"sha256 {d.sha256[:12]}… is now {current[:12]}…; {summary}",) + tuple(moved[:5])
                 + tuple(problems))


def _has_source(path: str) -> bool:
    """Is ``path`` meant to be a file (not ``<stdin>``, a JSONL record label or an id)?"""
    if path.startswith("<") or "#" in os.path.basename(path):
        return False
    return os.sep in path or "." in os.path.basename(path)
