"""Verify a claimed quote against the store, trace it, and check stored spans.

    from quotes.store import Store
    from quotes.factcheck.verify import verify, trace, check

    for v in verify(Store("quotes.db"), "We will not raise taxes", speaker="Smith"):
        print(v.verdict, v.similarity, v.hit.speaker if v.hit else None)

``verify`` compares words (see :mod:`quotes.store.search`: case, quote marks,
dashes, whitespace and accents never count as differences) and returns the
best matches, each a :class:`Verdict`:

* ``exact``: the claim is the stored quote, word for word;
* ``truncated``: the claim is a contiguous part of a stored quote;
* ``extended``: the claim holds a stored quote and runs past it;
* ``altered``: words added, dropped or changed (``diff`` lists them);
* ``stitched``: the claim joins pieces of two or more stored quotes (``parts``);
* ``misattributed``: said, but the store credits someone other than the
  claimed speaker (``match`` keeps the word-level verdict);
* ``not found``: nothing close enough.

Matches are ranked by the share of words that line up, then by how close
the stored span's length is to the claim's (a six-word claim with one word
changed is the six-word quote, not the same words inside a longer one),
then by the share of the whole stored quote matched. An ``altered`` match
must be more than chance: :func:`chance` estimates how many stored quotes
would line up with as many of the claim's words (any of them) by chance, and
the match is dropped above ``MAX_CHANCE`` (so "the weather is nice" is not an
altered version of some short quote sharing "the" and "is", nor "big the" of
"Big time.", while "This is trombone!" is "This is fantastic!" altered when
few quotes are that short, and "single walrus" is "single superpower" altered
when few quotes hold "single").

Every hit carries the speaker, cue and outlet, the document's provenance
and the paragraph around it with the quote marked ``[[...]]``.
"""
from __future__ import annotations

import datetime as _dt
import email.utils
import functools
import hashlib
import logging
import math
import os
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Iterable, Sequence

from sqlalchemy import select

from ..store import queries
from ..errors import QuotesError, ReadError
from ..sources.reader import decode
from ..store.schema import attributions, documents, quotes, speaker_mentions
from ..store.search import (SHORT, Lengths, TermStats, Word, candidate_ids, content_terms, gapped_ids, phrase_ids,
                     quote_lengths, ranked_ids, reading, term_stats, word_keys, words)
from ..extract.segment import RuleSegmenter, paragraphs
from ..types import Span

log = logging.getLogger(__name__)

VERDICTS = ("exact", "truncated", "stitched", "altered", "extended", "misattributed", "not found")
_ORDER = {v: i for i, v in enumerate(VERDICTS)}

MIN_SIMILARITY = 0.6  # altered: 2*matched / (claim words + stored words in the window)
MIN_PIECE = 2  # stitched: words per piece
CANDIDATES = 100
MARK_OPEN, MARK_CLOSE = "[[", "]]"


class ClaimError(QuotesError):
    """The claimed text has nothing to compare (no words)."""


# ------------------------------------------------------------------ results

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


# ------------------------------------------------------------------ stored rows

@dataclass(frozen=True)
class _Row:
    """A candidate quote as loaded from the store (no document text yet)."""

    id: int
    document_id: int
    start: int
    end: int
    content_start: int
    text: str
    kind: str
    speaker_id: int | None
    keys: tuple[str, ...]

    @property
    def words(self) -> list[Word]:
        return words(self.text)


def _load_rows(store: Any, ids: Sequence[int]) -> list[_Row]:
    if not ids:
        return []
    stmt = (
        select(quotes.c.id, quotes.c.document_id, quotes.c.start, quotes.c.end,
               quotes.c.content_start, quotes.c.text, quotes.c.kind, attributions.c.speaker_id)
        .select_from(quotes.outerjoin(attributions, attributions.c.quote_id == quotes.c.id))
        .where(quotes.c.id.in_(list(ids)))
    )
    out = []
    for r in store._rows(stmt):
        out.append(_Row(r.id, r.document_id, r.start, r.end, r.content_start, r.text, r.kind,
                        r.speaker_id, tuple(word_keys(r.text))))
    order = {qid: i for i, qid in enumerate(ids)}
    return sorted(out, key=lambda r: order.get(r.id, len(order)))


def _hits(store: Any, rows: Iterable[tuple[_Row, int, int]]) -> dict[tuple[int, int, int], Hit]:
    """Full hits (attribution, provenance, context) for ``(row, first, last)``
    stored-word ranges, loading each document's text once."""
    rows = list(rows)
    ids = list({r.id for r, _, _ in rows})
    info = {d["id"]: d for d in (_quote_info(store, ids) if ids else [])}
    doc_cache: dict[int, Any] = {}
    out = {}
    for row, first, last in rows:
        if row.document_id not in doc_cache:
            doc_cache[row.document_id] = store._first(
                select(documents).where(documents.c.id == row.document_id))
        doc = doc_cache[row.document_id]
        out[(row.id, first, last)] = _make_hit(row, first, last, info[row.id], doc)
    return out


def _quote_info(store: Any, ids: list[int]) -> list[dict[str, Any]]:
    stmt = queries.filter_quotes(queries.quote_select(), ids=ids).add_columns(
        quotes.c.content_start, quotes.c.content_end)
    out = []
    for r in store._rows(stmt):
        d = queries.quote_dict(r)
        d["content_start"], d["content_end"] = r.content_start, r.content_end
        d["speaker_id"] = r.speaker_id
        out.append(d)
    return out


def _span(d: dict[str, Any] | None) -> Span | None:
    if not d or d.get("start") is None:
        return None
    return Span(d["start"], d["end"], d["text"])


def _make_hit(row: _Row, first: int, last: int, info: dict[str, Any], doc: Any) -> Hit:
    text = doc.text
    base = row.content_start
    rw = row.words
    if rw and 0 <= first <= last < len(rw):
        m_lo, m_hi = base + rw[first].start, base + rw[last].end
    else:
        m_lo, m_hi = base, base + len(row.text)
    sp, ou = info["speaker"], info["outlet"]
    return Hit(
        quote_id=row.id, kind=row.kind,
        span=Span.of(text, row.start, row.end),
        content=Span.of(text, info["content_start"], info["content_end"]),
        matched=Span.of(text, m_lo, m_hi),
        speaker=sp["name"] if sp else None, speaker_id=info["speaker_id"],
        speaker_type=sp["type"] if sp else None, speaker_mention=_span(sp),
        cue=_span(info["cue"]),
        outlet=ou["name"] if ou else None, outlet_mention=_span(ou),
        document=Provenance(doc.id, doc.path, doc.url, doc.title, doc.publisher, doc.date, doc.sha256),
        context=context_around(text, row.start, row.end),
    )


# ------------------------------------------------------------------ context

def context_around(text: str, start: int, end: int, n: int = 0, unit: str = "paragraph") -> Context:
    """The text around ``text[start:end]``: its paragraph (``n`` more on each
    side), or with ``unit="sentence"`` its sentence(s) and ``n`` more on each
    side; the span is marked with ``[[`` ``]]``."""
    if unit == "paragraph":
        if n <= 0:
            span = queries.paragraph_around(text, start, end)
        else:
            span = _widen(text, paragraphs(text), start, end, n)
    elif unit == "sentence":
        paras = paragraphs(text)
        sents = [Span.of(text, a, b) for a, b in
                 RuleSegmenter().sentences(text, [(p.start, p.end) for p in paras])]
        span = _widen(text, sents, start, end, n)
    else:
        raise ValueError(f"unknown context unit {unit!r}")
    lo, hi = min(span.start, start), max(span.end, end)
    span = Span.of(text, lo, hi)
    marked = text[lo:start] + MARK_OPEN + text[start:end] + MARK_CLOSE + text[end:hi]
    return Context(span, marked)


def add_context(store: Any, found: dict[str, Any], n: int, unit: str = "sentence") -> dict[str, Any]:
    """``found`` (a :meth:`Store.get` dict) plus ``context``: ``n`` sentences
    (or paragraphs) on each side of the quote, the quote marked ``[[...]]``."""
    with reading(store) as reader:
        doc = reader._first(select(documents.c.text).where(documents.c.id == found["document"]["id"]))
    ctx = context_around(doc.text, found["start"], found["end"], n, unit)
    return {**found, "context": {**ctx.to_dict(), "unit": unit, "n": n}}


def _widen(text: str, units: list[Span], start: int, end: int, n: int) -> Span:
    if not units:
        return Span.of(text, start, end)
    first = next((i for i, u in enumerate(units) if u.end > start), len(units) - 1)
    last = next((i for i in range(len(units) - 1, -1, -1) if units[i].start < end), first)
    last = max(last, first)
    lo = units[max(0, first - n)].start
    hi = units[min(len(units) - 1, last + n)].end
    return Span.of(text, lo, hi)


# ------------------------------------------------------------------ alignment

@dataclass(frozen=True)
class _Align:
    match: str  # exact | truncated | extended | altered
    similarity: float
    first: int  # stored word range matched (inclusive)
    last: int
    changes: tuple[tuple[str, int, int, int, int], ...]  # (op, c_lo, c_hi, s_lo, s_hi) word indices
    note: str | None = None
    coverage: float = 1.0  # share of the claim's words, or of the stored span's, that match
    whole: float = 1.0  # share of the claim's words, or of the whole stored quote's, that match
    spread: int = 0  # how many more (or fewer) words the claim has than the stored span
    shared: tuple[str, ...] = ()  # the claim's words that match, in order
    framed: bool = True  # the claim lines up with the whole stored quote (no words cut or added at an end)

    @property
    def rank(self) -> tuple[float, int, float]:
        """What candidates are ranked by, best first when sorted descending.

        First the share of matched words (one changed word costs as much as one
        added word, so "He was very meadow." is the stored "He was very happy."
        altered, not "He was very" extended); then, on a tie, the span as long
        as the claim (a claim of n words with one word changed is the stored
        quote of n words, not a longer one with a word added); then the share of
        the whole stored quote that matches (a quote the claim covers beats a
        longer one holding the same words). The similarity shown stays the
        Dice score."""
        return (round(self.coverage, 3), -self.spread, round(self.whole, 3))


def _align(claim: Sequence[str], stored: Sequence[str]) -> _Align | None:
    """How the claim's words line up with one stored quote's words, or None."""
    n, m = len(claim), len(stored)
    if not n or not m:
        return None
    ops = _positional(claim, stored)
    if ops is None:
        ops = _split_end_replaces(SequenceMatcher(None, claim, stored, autojunk=False).get_opcodes())
    i, j = 0, len(ops)
    while i < j and ops[i][0] in ("insert", "delete"):
        i += 1
    while j > i and ops[j - 1][0] in ("insert", "delete"):
        j -= 1
    core = ops[i:j]
    if not core:
        return None
    ends = ops[:i] + ops[j:]
    extended = any(op == "delete" for op, *_ in ends)  # claim-only words at an end
    truncated = any(op == "insert" for op, *_ in ends)  # stored-only words at an end
    shared = tuple(k for op, a1, a2, _, _ in core if op == "equal" for k in claim[a1:a2])
    matched = len(shared)
    window = core[-1][4] - core[0][3]
    first, last = core[0][3], core[-1][4] - 1
    inner = [(op, a1, a2, b1, b2) for op, a1, a2, b1, b2 in core if op != "equal"]
    similarity = 2 * matched / (n + window) if (n + window) else 0.0
    framed = not extended and not truncated
    shape = {"shared": shared, "framed": framed, "whole": matched / max(n, m)}
    if not inner:
        if not extended:
            return _Align("exact" if not truncated else "truncated", 1.0, first, last, (), None, 1.0,
                          **shape)
        if matched >= 3 and 2 * matched >= n or matched == m and matched >= 3:
            note = "the claim starts inside the stored quote and runs past its end" if truncated else None
            adds = tuple(("added", a1, a2, _edge(b1, b2, core), _edge(b1, b2, core))
                         for op, a1, a2, b1, b2 in ends if op == "delete")
            return _Align("extended", 2 * matched / (n + m if not truncated else n + window),
                          first, last, adds, note, matched / max(n, window), spread=n - window, **shape)
        return None
    # one word changed in a quote of as many words: altered however short ("Your walrus" for
    # "Your Honor"); whether one shared word says enough is for _believed to judge
    swapped = framed and matched >= 1 and len(inner) == 1 and inner[0][0] == "replace" and \
        inner[0][2] - inner[0][1] == 1 == inner[0][4] - inner[0][3]
    if (matched < 2 or 2 * matched < n or similarity < MIN_SIMILARITY) and not swapped:
        return None
    changes = []
    for op, a1, a2, b1, b2 in inner:
        kind = {"replace": "changed", "delete": "added", "insert": "dropped"}[op]
        changes.append((kind, a1, a2, b1, b2))
    for op, a1, a2, b1, b2 in ends:
        if op == "delete":
            at = _edge(b1, b2, core)
            changes.append(("added", a1, a2, at, at))
    note = "part of a longer stored quote" if truncated else None
    return _Align("altered", similarity, first, last, tuple(sorted(changes, key=lambda c: c[1])), note,
                  matched / max(n, window), spread=abs(n - window), **shape)


MAX_SWAPS = 2


def _positional(claim: Sequence[str], stored: Sequence[str]) -> list | None:
    """Word-for-word opcodes when the claim has as many words as the stored
    quote and at most ``MAX_SWAPS`` of them differ, else None. (The longest-
    block matching can line a repeated word up with the wrong copy: "That's
    trombone, terrible," against "That's terrible, terrible," is one word
    changed, not one added and one cut.)"""
    if len(claim) != len(stored):
        return None
    differ = [k for k, (a, b) in enumerate(zip(claim, stored)) if a != b]
    if len(differ) > MAX_SWAPS:
        return None
    ops, pos = [], 0
    for k in differ:
        if ops and ops[-1][0] == "replace" and ops[-1][2] == k:
            ops[-1] = ("replace", ops[-1][1], k + 1, ops[-1][3], k + 1)
        else:
            if k > pos:
                ops.append(("equal", pos, k, pos, k))
            ops.append(("replace", k, k + 1, k, k + 1))
        pos = k + 1
    if pos < len(claim):
        ops.append(("equal", pos, len(claim), pos, len(claim)))
    return ops


def _edge(b1: int, b2: int, core: list) -> int:
    """Where claim-only words at an end attach in the stored words."""
    return core[0][3] if b1 <= core[0][3] else core[-1][4]


def _split_end_replaces(ops: list) -> list:
    """A long 'replace' at either end is a cut plus an extension, not a change."""
    def split(op: tuple) -> list:
        tag, a1, a2, b1, b2 = op
        if tag == "replace" and max(a2 - a1, b2 - b1) > 3:
            return [("delete", a1, a2, b1, b1), ("insert", a2, a2, b1, b2)]
        return [op]

    if not ops:
        return ops
    if len(ops) == 1:
        return ops
    return split(ops[0]) + ops[1:-1] + split(ops[-1])


# ------------------------------------------------------------------ verify

def verify(store: Any, claim: str, speaker: str | None = None, limit: int = 5) -> list[Verdict]:
    """The stored quotes that best match ``claim``, best first (at most
    ``limit``); ``[Verdict("not found", ...)]`` when none is close enough."""
    cwords = words(claim)
    if not cwords:
        raise ClaimError(f"the claim {claim!r} has no words to compare")
    with reading(store) as reader:
        return _verify(reader, claim, cwords, speaker, limit)


def _verify(store: Any, claim: str, cwords: list[Word], speaker: str | None, limit: int) -> list[Verdict]:
    ckeys = [w.key for w in cwords]
    aligned, stitched, stats = _search(store, claim, cwords)
    close = bool(aligned)
    aligned = _believed(store, ckeys, aligned, stats)
    speaker_ids = _speaker_ids(store, speaker) if speaker else None

    aligned.sort(key=lambda ra: (_desc(ra[1].rank), _ORDER[ra[1].match], -round(ra[1].similarity, 3),
                                 ra[0].id))
    if speaker_ids is not None:  # with equal words, the right speaker first
        aligned.sort(key=lambda ra: (-ra[1].rank[0], _wrong(ra[0], speaker_ids)))
    top = aligned[:limit]
    rivals = _rivals(aligned)
    hits = _hits(store, ((r, a.first, a.last) for r, a in top))
    out: list[Verdict] = []
    for row, a in top:
        hit = hits[(row.id, a.first, a.last)]
        verdict, note = a.match, _join(a.note, _tie_note(rivals.get(id(a), 0)))
        if speaker_ids is not None:
            if row.speaker_id is None:
                note = _join(note, "the store credits no speaker for this quote")
            elif row.speaker_id not in speaker_ids:
                verdict = "misattributed"
                note = _join(f"the store credits {hit.speaker}, not {speaker}", note)
        out.append(Verdict(verdict, a.similarity, claim, hit, a.match,
                           _changes(claim, cwords, row, hit, a), (), speaker, note))
    if stitched is not None:
        out.insert(0, stitched)
        out = out[:limit]
    if not out:
        note = ("stored quotes share only a few common words with it, as many would by chance"
                if close else "no stored quote has these words")
        out = [Verdict("not found", 0.0, claim, claimed_speaker=speaker, note=note)]
    return out


def _desc(key: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(-x for x in key)


def _rivals(aligned: list[tuple[_Row, _Align]]) -> dict[int, int]:
    """For each ``altered`` match, how many stored quotes with other words match
    the claim exactly as well (same rank, same similarity): "It's walrus," is
    "It's fine," altered as much as "It's unanimous,", and no word says which.
    Copies of one quote (the same words stored in several documents) are one
    quote, not a rival. Keyed by ``id()`` of the alignment."""
    groups: dict[tuple, set[tuple[str, ...]]] = {}
    for row, a in aligned:
        if a.match == "altered":
            groups.setdefault((a.rank, round(a.similarity, 3)), set()).add(row.keys)
    return {id(a): len(groups[(a.rank, round(a.similarity, 3))]) - 1
            for _, a in aligned if a.match == "altered"}


def _tie_note(rivals: int) -> str | None:
    if not rivals:
        return None
    who = "another stored quote differs" if rivals == 1 else f"{rivals} other stored quotes differ"
    return f"{who} {TIED}"


TIED = "from the claim as little: which one it alters, the words cannot tell"


def _search(store: Any, claim: str, cwords: list[Word]
            ) -> tuple[list[tuple[_Row, _Align]], Verdict | None, TermStats | None]:
    """The candidates aligned with the claim, a stitched verdict if the claim
    joins pieces of several quotes, and the frequencies of the claim's words
    looked up on the way."""
    ckeys = [w.key for w in cwords]
    rows = _load_rows(store, phrase_ids(store, ckeys, CANDIDATES))
    aligned = _aligned(ckeys, rows)
    stats: TermStats | None = None
    if any(a.match in ("exact", "truncated") for _, a in aligned):
        return aligned, None, stats
    # the words are not stored as they stand: look wider
    stats = term_stats(store, content_terms(ckeys))
    seen = {r.id for r in rows}
    more = _load_rows(store, [i for i in ranked_ids(store, ckeys, CANDIDATES, stats=stats) if i not in seen])
    rows += more
    aligned += _aligned(ckeys, more)
    if len(ckeys) <= SHORT or (not aligned and len(ckeys) <= 2 * SHORT):
        # few words, or none rare: with a word changed, the stop words may be all there is to go by
        stats = term_stats(store, ckeys, stats)
        seen = {r.id for r in rows}
        more = _load_rows(store, [i for i in gapped_ids(store, ckeys, stats, CANDIDATES) if i not in seen])
        rows += more
        aligned += _aligned(ckeys, more)
    missing = _uncovered(ckeys, rows)
    if missing:
        extra = ranked_ids(store, missing, limit=CANDIDATES // 2, stats=stats)
        seen = {r.id for r in rows}
        more = _load_rows(store, [i for i in extra if i not in seen])
        rows += more
        aligned += _aligned(ckeys, more)
    return aligned, _stitch(store, claim, cwords, rows), stats


# altered: at most this many stored quotes expected to line up as well by chance (see chance());
# calibrated on PolNeAR (benchmarks/verify_polnear.py prints the false-altered rate of random claims)
MAX_CHANCE = 0.2  # the claim lines up with a whole stored quote
MAX_CHANCE_ONE_WORD = 0.05  # ... sharing only one word with it (two-word claims)
MAX_CHANCE_IN_SPAN = 0.01  # the claim lines up with a span of a longer quote


def _bar(a: _Align) -> float:
    if not a.framed:
        return MAX_CHANCE_IN_SPAN
    return MAX_CHANCE_ONE_WORD if len(a.shared) == 1 else MAX_CHANCE


def chance(a: _Align, claim: Sequence[str], m: int, stats: TermStats, lengths: Lengths | None = None) -> float:
    """About how many stored quotes would line up with ``claim`` (its word
    keys) as well as ``a`` does (against a stored quote of ``m`` words) by
    chance alone: an E-value, as in sequence search. A stored word is taken
    to be ``key`` with probability q = (share of quotes holding it) / (mean
    words per quote), and "as well" means as many of the claim's words, any of
    them, in place: the sum over every set of that many claim words of the
    product of their q (so a claim word no stored quote holds adds nothing,
    and a common one the claim does not share still counts: "the banana"
    lines up by chance with fewer quotes than "the said").

    * the claim lines up with the whole stored quote (``a.framed``): quotes of
      ``m`` words, times that sum, times the ways to place the shared words
      among a longer quote's (C(max(n, m), M) / C(n, M); 1 when the claim has
      as many words as the quote: the words are then in place);
    * the claim lines up with a span of a longer quote: every word of the store
      could start the span (quotes x mean words), times that sum, times the
      ways to place the shared words in the span (C(span - 1, M - 1)).

    Without ``lengths`` the result is an upper bound (every quote taken to be
    ``m`` words long, the mean length taken as 1); a word not looked up in
    ``stats`` is taken to be in every quote."""
    k = len(a.shared)
    n = len(claim)
    mean = max(1.0, lengths.mean) if lengths is not None else 1.0
    lined = _subsets(tuple(_per_word(claim, stats, mean)))[k]
    e = float(max(1, stats.quotes)) * lined
    if a.framed:
        share = lengths.share(m) if lengths is not None else 1.0
        return e * share * _comb_ratio(max(n, m), n, k)
    span = a.last - a.first + 1
    return e * mean * _comb_ratio(max(span - 1, 0), 0, max(k - 1, 0))


def _per_word(claim: Sequence[str], stats: TermStats, mean: float) -> list[float]:
    """q for each claim word (1 / mean for a word not looked up: it may be in every quote)."""
    out = []
    for key in claim:
        share = stats.share(key)
        out.append((1.0 if share is None else share) / mean)
    return out


@functools.lru_cache(maxsize=4)  # one claim's q's are asked about once per candidate
def _subsets(qs: tuple[float, ...]) -> tuple[float, ...]:
    """For each k, the sum over every set of k of the ``qs`` of their product
    (the elementary symmetric polynomials e_0 .. e_n)."""
    e = [1.0] + [0.0] * len(qs)
    for i, q in enumerate(qs, 1):
        for j in range(i, 0, -1):
            e[j] += e[j - 1] * q
    return tuple(e)


def _comb_ratio(big: int, small: int, k: int) -> float:
    """C(big, k) / C(small, k) (C(small, k) taken as 1 when ``small`` < ``k``), in floats."""
    def log_comb(n: int, r: int) -> float:
        if r < 0 or r > n:
            return 0.0
        return math.lgamma(n + 1) - math.lgamma(r + 1) - math.lgamma(n - r + 1)

    return math.exp(min(700.0, log_comb(big, k) - log_comb(small, k)))


def _believed(store: Any, ckeys: list[str], aligned: list[tuple[_Row, _Align]],
              stats: TermStats | None) -> list[tuple[_Row, _Align]]:
    """``aligned`` without the altered matches that chance explains as well
    (\"the weather is nice\" shares a stop word or two with many quotes; a
    claim of two words shares one word with many two-word quotes): see
    :func:`chance` and ``MAX_CHANCE``. Word counts are looked up only when an
    upper bound from the counts at hand does not settle it. Without an FTS5
    index (no counts) an altered match needs two shared words."""
    if not any(a.match == "altered" for _, a in aligned):
        return aligned
    if stats is None:
        stats = term_stats(store, content_terms(ckeys))
    if stats is None:
        return [(r, a) for r, a in aligned if a.match != "altered" or len(a.shared) >= 2]
    open_ = [(r, a) for r, a in aligned
             if a.match == "altered" and chance(a, ckeys, len(r.keys), stats) > _bar(a)]
    if not open_:
        return aligned
    if any(stats.count(k) is None for k in ckeys):
        stats = term_stats(store, ckeys, stats)
    lengths = quote_lengths(store, stats.quotes)
    doubtful = {id(a) for r, a in open_ if chance(a, ckeys, len(r.keys), stats, lengths) > _bar(a)}
    return [(r, a) for r, a in aligned if id(a) not in doubtful]


def _worth(ckeys: list[str], row: _Row) -> bool:
    """Could ``row`` align at all? (An upper bound on the matched words.)"""
    present = set(row.keys)
    shared = sum(1 for k in ckeys if k in present)
    return shared >= 1 and (2 * shared >= len(ckeys) or len(row.keys) <= shared)


def _aligned(ckeys: list[str], rows: list[_Row]) -> list[tuple[_Row, _Align]]:
    out = []
    for row in rows:
        if not _worth(ckeys, row):
            continue
        a = _align(ckeys, row.keys)
        if a is not None:
            out.append((row, a))
    return out


def _wrong(row: _Row, speaker_ids: set[int]) -> int:
    return 0 if row.speaker_id is None or row.speaker_id in speaker_ids else 1


def _join(*notes: str | None) -> str | None:
    kept = [n for n in notes if n]
    return "; ".join(kept) if kept else None


def _speaker_ids(store: Any, speaker: str) -> set[int]:
    return {int(r[0]) for r in store._rows(queries.speaker_ids_matching(speaker))}


def _changes(claim: str, cwords: list[Word], row: _Row, hit: Hit, a: _Align) -> tuple[Change, ...]:
    base = row.content_start
    rw = row.words
    out = []
    for op, a1, a2, b1, b2 in a.changes:
        c_lo = cwords[a1].start if a2 > a1 else (cwords[a1].start if a1 < len(cwords) else len(claim))
        c_hi = cwords[a2 - 1].end if a2 > a1 else c_lo
        if b2 > b1:
            s_lo, s_hi = base + rw[b1].start, base + rw[b2 - 1].end
        elif b1 < len(rw) and (b1 == 0 or b1 <= a.first):
            s_lo = s_hi = base + rw[b1].start
        else:
            s_lo = s_hi = base + rw[b1 - 1].end if b1 > 0 else base
        out.append(Change(op, claim[c_lo:c_hi], row.text[s_lo - base:s_hi - base],
                          c_lo, c_hi, s_lo, s_hi))
    return tuple(out)


def _uncovered(ckeys: list[str], rows: list[_Row]) -> list[str]:
    """Claim words not inside any run of >= MIN_PIECE words shared with a candidate."""
    covered = [False] * len(ckeys)
    cset = set(ckeys)
    for row in rows:
        if len(cset.intersection(row.keys)) < MIN_PIECE:
            continue
        sm = SequenceMatcher(None, ckeys, row.keys, autojunk=False)
        for a, _b, size in sm.get_matching_blocks():
            if size >= MIN_PIECE:
                for k in range(a, a + size):
                    covered[k] = True
    return [k for k, c in zip(ckeys, covered) if not c]


def _runs(ckeys: list[str], pos: int, row: _Row) -> tuple[int, int]:
    """Longest run of claim words from ``pos`` found contiguously in ``row``:
    ``(length, stored index)``."""
    best = (0, -1)
    keys = row.keys
    for s in range(len(keys)):
        if keys[s] != ckeys[pos]:
            continue
        k = 0
        while pos + k < len(ckeys) and s + k < len(keys) and keys[s + k] == ckeys[pos + k]:
            k += 1
        if k > best[0]:
            best = (k, s)
    return best


def _stitch(store: Any, claim: str, cwords: list[Word], rows: list[_Row]) -> Verdict | None:
    """Cover the claim with the fewest runs of words found contiguously in
    the candidates; a cover by two or more different quotes is a stitched claim."""
    ckeys = [w.key for w in cwords]
    n = len(ckeys)
    # runs[pos] = [(length, row, stored index)], longest per row
    runs: list[list[tuple[int, _Row, int]]] = [[] for _ in range(n)]
    cset = set(ckeys)
    for row in rows:
        present = cset.intersection(row.keys)
        if len(present) < MIN_PIECE:
            continue
        for pos in range(n):
            if ckeys[pos] not in present:
                continue
            k, s = _runs(ckeys, pos, row)
            if k >= MIN_PIECE:
                runs[pos].append((k, row, s))
    inf = n + 1
    fewest = [inf] * (n + 1)
    choice: list[tuple[int, _Row, int] | None] = [None] * (n + 1)
    fewest[n] = 0
    for pos in range(n - 1, -1, -1):
        for k_max, row, s in sorted(runs[pos], key=lambda t: (-t[0], t[1].id)):
            for k in range(k_max, MIN_PIECE - 1, -1):
                if fewest[pos + k] + 1 < fewest[pos]:
                    fewest[pos] = fewest[pos + k] + 1
                    choice[pos] = (k, row, s)
    if fewest[0] >= inf:
        return None
    pieces: list[tuple[int, int, _Row, int]] = []
    pos = 0
    while pos < n:
        k, row, s = choice[pos]  # type: ignore[misc]
        pieces.append((pos, pos + k, row, s))
        pos += k
    if len(pieces) < 2 or len({p[2].id for p in pieces}) < 2:
        return None
    hits = _hits(store, ((row, s, s + (b - a) - 1) for a, b, row, s in pieces))
    parts = []
    for a, b, row, s in pieces:
        lo, hi = cwords[a].start, cwords[b - 1].end
        parts.append(Part(lo, hi, claim[lo:hi], hits[(row.id, s, s + (b - a) - 1)]))
    notes = []
    speakers = {p.hit.speaker for p in parts}
    if len(speakers) > 1:
        notes.append("the pieces are credited to different speakers: "
                     + ", ".join(sorted(s or "nobody" for s in speakers)))
    if len({p.hit.document.document_id for p in parts}) > 1:
        notes.append("the pieces come from different documents")
    elif len(speakers) == 1 and all(_joined(parts[i].hit, parts[i + 1].hit) for i in range(len(parts) - 1)):
        notes.append("consecutive quotes of one passage, split by the attribution")
    return Verdict("stitched", 1.0, claim, None, "stitched", (), tuple(parts), None,
                   _join(*notes))


def _joined(a: Hit, b: Hit) -> bool:
    """Does ``a`` end its quote and ``b`` start the next one, close by (an
    interrupted quote: "first half," he said, "second half")?"""
    tail = a.content.text[a.matched.end - a.content.start:]
    head = b.content.text[:b.matched.start - b.content.start]
    return (a.span.end <= b.span.start <= a.span.end + 120
            and not any(c.isalnum() for c in tail + head))


# ------------------------------------------------------------------ trace

@dataclass(frozen=True)
class Appearance:
    """One document that carries a quote (``match`` as in :class:`Verdict`)."""

    match: str
    similarity: float
    hit: Hit

    def to_dict(self) -> dict[str, Any]:
        return {"match": self.match, "similarity": round(self.similarity, 3),
                "date": self.hit.document.date, "outlet": self.hit.outlet,
                "speaker": self.hit.speaker, "quote": self.hit.to_dict()}


TRACE_MIN_SIMILARITY = 0.8


def trace(store: Any, text: str, limit: int = 1000) -> list[Appearance]:
    """Every stored document that carries ``text`` (word for word, as part of
    a longer quote, holding a shorter one, or nearly: similarity >= 0.8),
    oldest first by date, undated (or unreadable dates) last."""
    cwords = words(text)
    if not cwords:
        raise ClaimError(f"the text {text!r} has no words to compare")
    with reading(store) as reader:
        return _trace(reader, cwords, limit)


def _trace(store: Any, cwords: list[Word], limit: int) -> list[Appearance]:
    ckeys = [w.key for w in cwords]
    ids = candidate_ids(store, ckeys, limit)
    best: dict[int, tuple[_Row, _Align]] = {}
    for row, a in _believed(store, ckeys, _aligned(ckeys, _load_rows(store, ids)), None):
        if a.similarity < TRACE_MIN_SIMILARITY:
            continue
        old = best.get(row.document_id)
        if old is None or (a.similarity, -_ORDER[a.match]) > (old[1].similarity, -_ORDER[old[1].match]):
            best[row.document_id] = (row, a)
    hits = _hits(store, ((r, a.first, a.last) for r, a in best.values()))
    out = [Appearance(a.match, a.similarity, hits[(r.id, a.first, a.last)]) for r, a in best.values()]
    out.sort(key=lambda ap: (_date_key(ap.hit.document.date), ap.hit.document.document_id))
    return out


def parse_date(value: str | None) -> _dt.date | None:
    """A stored date string as a date (ISO 8601, RFC 2822 or "May 6, 2019"), or None."""
    if not value or not value.strip():
        return None
    s = value.strip()
    try:
        return _dt.date.fromisoformat(s[:10])
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%m/%d/%Y"):
        try:
            return _dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def _date_key(value: str | None) -> tuple[int, _dt.date]:
    d = parse_date(value)
    return (0, d) if d is not None else (1, _dt.date.max)


# ------------------------------------------------------------------ check

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
