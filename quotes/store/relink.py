"""``quotes speakers relink``: the stored quotes under the identity rules of revision 0007.

A store written before revision 0007 keeps the speakers the old resolution gave its quotes: a
one-word name ("Carlos", "police", "official") joined the one full-name speaker containing
that word, whichever document it came from. Adding documents never moves those quotes (nothing
does, but a merge); this is the explicit relink that does, on request: every quote whose own
name (the spelling it was stored with, its type and organisation) gives another key under
:func:`~quotes.store.identity.identity` moves to that key's speaker (its document's own for a
surname, a title or a common noun), unless ``speakers merge`` pinned its name where it is.
Each move is recorded in ``speaker_links`` (``how`` = relink), which ``explain`` prints;
speakers left with no quote and no pinned key are deleted. A store written at 0007 or later
has nothing to relink.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter
from typing import Any

from .identity import identity, scoped
from .speakers import SpeakerResolver

_QUOTES_SQL = (
    "SELECT a.quote_id, a.speaker_id, a.mention_id, q.document_id, n.key, n.name, n.type, m.affiliation "
    "FROM attributions a JOIN quotes q ON q.id = a.quote_id JOIN quote_names qn ON qn.quote_id = a.quote_id "
    "JOIN speaker_names n ON n.id = qn.name_id LEFT JOIN speaker_mentions m ON m.id = a.mention_id "
    "WHERE a.speaker_id IS NOT NULL ORDER BY a.quote_id")


def plan(writer: SpeakerResolver) -> list[dict[str, Any]]:
    """The moves relink would make: for each (old key, new key), its quotes."""
    pinned = {k for (k,) in writer._fetch("SELECT key FROM speaker_pins", [])}
    names = dict(writer._fetch("SELECT id, name FROM speakers", []))
    moves: dict[tuple[str, str], dict[str, Any]] = {}
    for qid, sid, mid, doc, key, name, kind, affiliation in writer._fetch(_QUOTES_SQL, []):
        ident = identity(name, kind, affiliation)
        if not ident.key:
            continue
        target = ident.key if ident.shared else scoped(ident.key, doc)
        if target == key or key in pinned:
            continue  # under the rules already, or where a merge put it
        move = moves.setdefault((key, target), {
            "from_key": key, "to_key": target, "from": names.get(sid), "evidence": ident.evidence,
            "document": None if ident.shared else doc, "quotes": [], "from_ids": set()})
        move["quotes"].append((qid, mid, name, kind))
        move["from_ids"].add(sid)
    return list(moves.values())


def relink(writer: SpeakerResolver, dry_run: bool = False) -> list[dict[str, Any]]:
    """Move the quotes :func:`plan` finds, inside the caller's write transaction."""
    writer.reset()
    moves = plan(writer)
    if dry_run or not moves:
        return moves
    named: dict[str, dict[tuple[str, str], int]] = {}
    scope: dict[str, tuple[int | None, str]] = {}
    for move in moves:
        counts = Counter((name, kind) for _, _, name, kind in move["quotes"])
        spell = named.setdefault(move["to_key"], {})
        for spelling, n in counts.items():
            spell[spelling] = spell.get(spelling, 0) + n
        scope[move["to_key"]] = (move["document"], move["evidence"])
    writer.resolve(named, scope)  # the target speakers, created where new, and their spellings
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    links, left = [], set()
    for move in moves:
        to = move["to_key"]
        sid = writer.alias[to]
        for qid, mid, name, kind in move["quotes"]:
            writer._run("UPDATE attributions SET speaker_id = :s WHERE quote_id = :q", s=sid, q=qid)
            if mid is not None:
                writer._run("UPDATE speaker_mentions SET speaker_id = :s WHERE id = :m", s=sid, m=mid)
            writer._run("UPDATE quote_names SET name_id = :n WHERE quote_id = :q",
                        n=writer.spell[to][(name, kind)][0], q=qid)
        links.append((to, sid, writer.canon[sid][0], move["from"], "relink", now))
        left.update(move["from_ids"])
    writer._insert("speaker_links", links)
    for sid in sorted(left):  # a speaker the moves left with no quote, and no key a merge pinned to it
        if writer._fetch("SELECT 1 FROM attributions WHERE speaker_id = ? LIMIT 1", [sid]) or writer._fetch(
                "SELECT 1 FROM speaker_aliases a JOIN speaker_pins p ON p.key = a.alias_key WHERE a.speaker_id = ?",
                [sid]):
            continue
        writer._run("DELETE FROM speaker_tokens WHERE alias_key IN (SELECT alias_key FROM speaker_aliases "
                    "WHERE speaker_id = :s)", s=sid)
        writer._run("DELETE FROM speaker_aliases WHERE speaker_id = :s", s=sid)
        writer._run("DELETE FROM speakers WHERE id = :s", s=sid)
    writer.reset()
    return moves
