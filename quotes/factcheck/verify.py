"""Verify a claimed quote against the store.

    from quotes import Store, verify

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
  claimed speaker (``match`` keeps the word-level verdict); not when the store
  has only a title the claimed person could hold, nor when the claim names only
  a title the credited person holds in the quote's document (:mod:`.titles`):
  the note says which;
* ``paraphrase: reported, not quoted``: the words are reported speech (a
  stored quote of kind ``indirect``, without quote marks): what the article
  says someone said, not a quotation, so never ``exact`` even word for word
  (``match`` keeps the word-level verdict; a wrong speaker is in the note);
* ``not found``: nothing close enough.

Quotations come first: a match with a stored quotation (in quote marks)
ranks above any match with reported speech, a claim is stitched from
quotations only and an altered quotation's rivals are quotations, so
reported speech never takes a quotation's place; the paraphrases follow.
(The chance bar of ``altered`` counts every stored quote's words, reported
speech included.)

Matches are ranked by the share of words that line up, then by how close
the stored span's length is to the claim's (a six-word claim with one word
changed is the six-word quote, not the same words inside a longer one),
then by the share of the whole stored quote matched. An ``altered`` match
must be more than chance: :func:`~quotes.factcheck.align.chance` estimates how many stored quotes
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

import re
from typing import Any

from sqlalchemy import select

from ..store import queries
from ..store.identity import ONE_NAME, ROLE, SHARED, identity
from ..store.keys import fold_key
from ..store.schema import documents, speakers
from ..store.search import Word, reading, words
from .align import _Align
from .candidates import MIN_PIECE, _believed, _hits, _Row, _search
from ..types import INDIRECT
from .titles import holder_note, never_holds
from .verdicts import _ORDER, PARAPHRASE, Change, ClaimError, Hit, Part, Verdict, _join


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
    aligned, pieces, stats = _search(store, cwords)
    # stitched from quotations only: reported speech is the reporter's words, not a piece of a quote
    stitched = (_stitch(store, claim, cwords, [r for r in pieces if r.kind != INDIRECT])
                if pieces is not None else None)
    close = bool(aligned)
    aligned = _believed(store, ckeys, aligned, stats)
    speaker_ids = _speaker_ids(store, speaker) if speaker else None

    # quotations first, then reported speech (kind indirect)
    aligned.sort(key=lambda ra: (ra[0].kind == INDIRECT, _desc(ra[1].rank), _ORDER[ra[1].match],
                                 -round(ra[1].similarity, 3), ra[0].id))
    if speaker_ids is not None:  # with equal words, the right speaker first
        aligned.sort(key=lambda ra: (ra[0].kind == INDIRECT, -ra[1].rank[0], _wrong(ra[0], speaker_ids)))
    top = aligned[:limit]
    rivals = _rivals(aligned)
    hits = _hits(store, ((r, a.first, a.last) for r, a in top))
    others = _unresolved_speakers(store, {r.speaker_id for r, _ in top if speaker_ids is not None
                                          and r.speaker_id is not None and r.speaker_id not in speaker_ids})
    out: list[Verdict] = []
    for row, a in top:
        hit = hits[(row.id, a.first, a.last)]
        verdict, note = a.match, _join(a.note, _tie_note(rivals.get(id(a), 0)))
        reported = row.kind == INDIRECT
        if reported:
            verdict, note = PARAPHRASE, _join(_reported_note(hit, a.match), note)
        if speaker_ids is not None:
            if row.speaker_id is None:
                note = _join(note, "the store credits no speaker for this quote")
            elif row.speaker_id not in speaker_ids:
                unresolved = _unresolved(store, others.get(row.speaker_id), speaker, hit)
                held = None if unresolved else holder_note(store, speaker, hit)
                if unresolved:  # a title, a surname or a common noun: not a different person
                    note = _join(unresolved, note)
                elif held:  # the claim names only a title, which the stored person holds
                    note = _join(held, note)
                elif reported:  # still a paraphrase; who it is credited to is said first
                    note = _join(f"misattributed: the store credits {hit.speaker}, not {speaker}",
                                 never_holds(speaker, hit.speaker), note)
                else:
                    verdict = "misattributed"
                    note = _join(f"the store credits {hit.speaker}, not {speaker}",
                                 never_holds(speaker, hit.speaker), note)
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


def _reported_note(hit: Hit, match: str) -> str:
    """What a paraphrase verdict says of the stored reported speech."""
    who = hit.speaker or "someone the store does not name"
    words = "word for word" if match == "exact" else f"the claim's words are {match}"
    return (f"reported speech: the document says {who} said this, without quote marks "
            f"({words}); not a quotation")


def _desc(key: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(-x for x in key)


def _rivals(aligned: list[tuple[_Row, _Align]]) -> dict[int, int]:
    """For each ``altered`` match, how many stored quotes with other words match
    the claim exactly as well (same rank, same similarity): "It's walrus," is
    "It's fine," altered as much as "It's unanimous,", and no word says which.
    Copies of one quote (the same words stored in several documents) are one
    quote, not a rival; quotations rival quotations only, reported speech reported
    speech. Keyed by ``id()`` of the alignment."""
    groups: dict[tuple, set[tuple[str, ...]]] = {}
    for row, a in aligned:
        if a.match == "altered":
            groups.setdefault((row.kind == INDIRECT, a.rank, round(a.similarity, 3)), set()).add(row.keys)
    return {id(a): len(groups[(row.kind == INDIRECT, a.rank, round(a.similarity, 3))]) - 1
            for row, a in aligned if a.match == "altered"}


def _tie_note(rivals: int) -> str | None:
    if not rivals:
        return None
    who = "another stored quote differs" if rivals == 1 else f"{rivals} other stored quotes differ"
    return f"{who} {TIED}"


TIED = "from the claim as little: which one it alters, the words cannot tell"


def _unresolved_speakers(store: Any, ids: set[int]) -> dict[int, Any]:
    """The stored speakers (id, name, type, evidence) of these ids whose name resolves to no
    one: a title or role, a first name or surname alone, a common noun or description."""
    if not ids:
        return {}
    stmt = select(speakers.c.id, speakers.c.name, speakers.c.type, speakers.c.evidence).where(
        speakers.c.id.in_(sorted(ids)))
    out = {}
    for sid, name, kind, evidence in store._rows(stmt):
        evidence = evidence or identity(name, kind).evidence  # a speaker stored before revision 0007
        if evidence not in SHARED:
            out[sid] = (name, evidence)
    return out


def _unresolved(store: Any, stored: tuple[str, str] | None, claimed: str, hit: Hit) -> str | None:
    """What to say when the store credits a quote to a speaker it could not resolve to a named
    one: the claimed speaker is then not contradicted. None when the stored speaker is a
    resolved one (a different person: misattributed), or a name that is not the claimed one's."""
    if stored is None:
        return None
    name, evidence = stored
    if evidence == ONE_NAME:
        if not set(fold_key(name).split()) & set(fold_key(claimed).split()):
            return None  # "Carlos" is not "Jane Smith"
        what = f"the store has only the name '{name}' for this quote, which {claimed} could be"
    elif evidence == ROLE:
        what = f"the store has only the title '{name}' for this quote, which {claimed} could hold"
    else:
        what = f"the store has only '{name}' for this quote, no name"
    return f"unresolved: {what}{_named_in(store, hit, claimed)}"


def _named_in(store: Any, hit: Hit, claimed: str) -> str:
    """Whether the quote's document names the claimed speaker, and where."""
    text = store._first(select(documents.c.text).where(documents.c.id == hit.document.document_id))[0]
    words = claimed.split()
    for needle in dict.fromkeys([claimed] + words[-1:] if len(words) > 1 else [claimed]):
        m = re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", text, re.IGNORECASE)
        if m:
            return f" (the document names '{m.group()}' at {m.start()}-{m.end()})"
    return f" (the document does not name {claimed})"


def _wrong(row: _Row, speaker_ids: set[int]) -> int:
    return 0 if row.speaker_id is None or row.speaker_id in speaker_ids else 1


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
