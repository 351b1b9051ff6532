"""``check``: re-read stored documents' sources and confirm every stored span."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import select

from ..errors import QuotesError, ReadError, shown
from ..types import from_storable, label
from ..sources.html import HTML_SUFFIXES, html_document
from ..sources.reader import decode
from ..store.schema import attributions, documents, quotes, speaker_mentions
from ..store.search import reading


@dataclass(frozen=True)
class Drift:
    """The result of checking one stored document against its source file
    and its own stored spans. ``status``: ``ok``, ``changed`` (the file's
    sha256 differs), ``missing``, ``unreadable``, ``no source`` (nothing to
    re-read: stdin, a JSONL record, text handed to the library; ``note`` says
    which), or ``spans`` (stored spans no longer read the same in the stored
    text)."""

    document_id: int
    path: str
    status: str
    stored_sha256: str
    current_sha256: str | None = None
    problems: tuple[str, ...] = field(default=())
    note: str | None = None

    @property
    def drifted(self) -> bool:
        return self.status not in ("ok", "no source") or bool(self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {"document_id": self.document_id, "path": self.path, "status": self.status,
                "drifted": self.drifted, "stored_sha256": self.stored_sha256,
                "current_sha256": self.current_sha256, "problems": list(self.problems),
                "note": self.note}


class Corrupt(QuotesError):
    """The database fails SQLite's ``PRAGMA quick_check``."""


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


def check(store: Any, paths: Iterable[str] | None = None, stored_paths: bool = False) -> list[Drift]:
    """Re-read each stored document's source file and compare its sha256; confirm every
    stored span still reads the same in the stored text, and, when the file changed, say
    where the texts first differ and which spans no longer read the same in the new text.

    Only a file the reader itself read is re-read, at the name it was read from
    (``documents.source_file``): never a ``path`` or ``id`` a JSONL record gave itself, nor
    stdin or text handed to the library (``no source``). Documents stored before revision
    0009 recorded their origin are re-read at their stored path only with ``stored_paths``.
    ``paths`` limits the check to those stored paths; a path that is not stored raises
    :class:`NotStored`."""
    with reading(store) as reader:
        return _check(reader, paths, stored_paths)


def quick_check(store: Any) -> str | None:
    """What SQLite's ``PRAGMA quick_check`` finds wrong with a SQLite store (None: nothing,
    or not SQLite), in one line."""
    if store.url.get_backend_name() != "sqlite":
        return None
    store._ensure()
    try:
        rows = [r[0] for r in store._raw_rows("PRAGMA quick_check(20)", ())]
    except QuotesError as e:
        return str(e)
    if rows == ["ok"]:
        return None
    return "; ".join(" ".join(str(r).split()) for r in rows[:3]) + (f" (and {len(rows) - 3} more)" if len(rows) > 3 else "")


def _check(store: Any, paths: Iterable[str] | None, stored_paths: bool) -> list[Drift]:
    stmt = select(documents.c.id, documents.c.path, documents.c.sha256, documents.c.origin,
                  documents.c.source_file, documents.c.source_line).order_by(documents.c.id)
    docs = list(store._rows(stmt))
    if paths is not None:
        wanted = list(paths)
        chosen, missing = [], []
        for p in wanted:
            found = [d for d in docs if _same_path(d, p)]
            if not found:
                missing.append(p)
            chosen += [d for d in found if d not in chosen]
        if missing:
            raise NotStored(f"{shown(missing[0])}: not in the store" + (
                f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
        docs = chosen
    return [_check_one(store, d, stored_paths) for d in docs]


class NotStored(QuotesError):
    """A path given to ``check`` names no stored document."""


def _same_path(d: Any, given: str) -> bool:
    """Does ``given`` name the stored document ``d``: its stored path, or (for a file the
    reader read) the same file? Names are compared, never opened."""
    if d.path == given:
        return True
    if d.origin != "file" or d.source_file is None:
        return False
    try:
        return os.path.abspath(from_storable(d.source_file)) == os.path.abspath(given)
    except (OSError, ValueError):
        return False


_NO_SOURCE = {
    "stdin": "read from standard input: no source file to re-read",
    "text": "given to the library as text: no source file to re-read",
    None: "stored before quotes recorded where documents come from: not re-read "
          "(--stored-paths re-reads the stored path)",
}


def _source(d: Any, stored_paths: bool) -> tuple[str | None, str | None]:
    """(the file to re-read, None) or (None, why there is none)."""
    if d.origin == "file" and d.source_file is not None:
        return from_storable(d.source_file), None
    if d.origin == "jsonl":
        where = f"{label(from_storable(d.source_file))}:{d.source_line}" if d.source_file else "a file"
        return None, f"a JSONL record ({shown(where)}): no source file to re-read"
    if d.origin is None and stored_paths and _has_source(d.path):
        return d.path, None
    return None, _NO_SOURCE.get(d.origin, f"origin {d.origin!r}: no source file to re-read")


def _check_one(store: Any, d: Any, stored_paths: bool) -> Drift:
    text = store._first(select(documents.c.text).where(documents.c.id == d.id)).text
    spans = stored_spans(store, d.id)
    problems = _bad_spans(text, spans)
    status = "spans" if problems else "ok"
    current = None
    path, why = _source(d, stored_paths)
    if path is None:
        return Drift(d.id, d.path, status if problems else "no source", d.sha256, None, tuple(problems), note=why)
    if not os.path.isfile(path):
        return Drift(d.id, d.path, "missing", d.sha256, None, (f"{shown(path)}: no such file",) + tuple(problems))
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        return Drift(d.id, d.path, "unreadable", d.sha256, None,
                     (f"{shown(path)}: {e.strerror or e}",) + tuple(problems))
    current = hashlib.sha256(data).hexdigest()
    if current == d.sha256:
        return Drift(d.id, d.path, status, d.sha256, current, tuple(problems))
    try:
        new_text = (html_document(data, shown(path)).text if path.lower().endswith(HTML_SUFFIXES)
                    else decode(data, shown(path)))
    except ReadError as e:
        return Drift(d.id, d.path, "changed", d.sha256, current, (str(e),) + tuple(problems))
    moved = _bad_spans(new_text, spans)
    summary = (f"{len(moved)} of {len(spans)} stored spans no longer read the same"
               if moved else f"all {len(spans)} stored spans still read the same")
    first = where_differ(text, new_text)
    return Drift(d.id, d.path, "changed", d.sha256, current,
                 (f"sha256 {d.sha256[:12]}… is now {current[:12]}…; {summary}",)
                 + ((first,) if first else ()) + tuple(moved[:5]) + tuple(problems))


def where_differ(old: str, new: str, context: int = 20, most: int = 60) -> str | None:
    """Where two texts first differ, in one line: the character, its line and column in the
    stored text, and the changed stretch marked ``[-stored-]{+source+}`` between a little
    of the text around it. None when they are the same."""
    if old == new:
        return None
    n = min(len(old), len(new))
    lo, hi = 0, n
    while lo < hi:  # the common prefix, by halves (texts are long, differences few)
        mid = (lo + hi + 1) // 2
        if old[:mid] == new[:mid]:
            lo = mid
        else:
            hi = mid - 1
    start = lo
    tail = 0
    while tail < n - start and old[len(old) - 1 - tail] == new[len(new) - 1 - tail]:
        tail += 1
        if tail > 4 * most:
            break
    was, now = old[start:len(old) - tail], new[start:len(new) - tail]
    line = old.count("\n", 0, start) + 1
    column = start - (old.rfind("\n", 0, start) + 1) + 1
    before = old[max(0, start - context):start]
    after = old[start + len(was):start + len(was) + context]

    def cut(s: str) -> str:
        return s if len(s) <= most else s[:most - 1] + "…"

    piece = (("…" if start > context else "") + before
             + (f"[-{cut(was)}-]" if was else "") + (f"{{+{cut(now)}+}}" if now else "")
             + after + ("…" if start + len(was) + context < len(old) else ""))
    return f"first difference at character {start} (line {line}, column {column}): {shown(piece)}"


def _has_source(path: str) -> bool:
    """Is ``path`` meant to be a file (not ``<stdin>``, a JSONL record label or an id)?"""
    if path.startswith("<") or "#" in os.path.basename(path):
        return False
    return os.sep in path or "." in os.path.basename(path)
