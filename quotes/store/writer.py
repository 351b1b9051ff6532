"""The store's bulk writer: a batch of documents' quotes, mentions and attributions, their
speakers resolved (:mod:`.speakers`) and their search index written once per batch."""
from __future__ import annotations

import json
from typing import Any, Iterable, Sequence

from sqlalchemy import text

from ..types import Document, Outlet, Quote
from .identity import Identity, identity, scoped
from .keys import fold_key
from .rows import _chunks
from .speakers import SpeakerResolver

_NO_SPAN = (None, None, None)  # an attribution's (start, end, text) of a span it does not have


# the writer's memo (names repeat: every quote of a batch asks): speaker (name, type, affiliation)
# -> (its identity, the spelling with whitespace collapsed), or None for a name with no key
_WHO: dict[tuple[str, str, str | None], tuple[Identity, tuple[str, str]] | None] = {}


def _who(found: Iterable[Quote]) -> list[tuple[Identity, tuple[str, str]] | None]:
    """Each quote's speaker as (identity, (spelling, type)), or None (no speaker, or a name
    with no key)."""
    memo = _WHO
    if len(memo) > 1 << 16:
        memo.clear()
    out: list[tuple[Identity, tuple[str, str]] | None] = []
    for q in found:
        sp = q.speaker
        if sp is None:
            out.append(None)
            continue
        kind = sp.type or "unknown"
        ask = (sp.name, kind, sp.affiliation)
        known = memo.get(ask, False)
        if known is False:
            who = identity(*ask)
            known = memo[ask] = (who, (" ".join(sp.name.split()), kind)) if who.key else None
        out.append(known)
    return out


class _Writer(SpeakerResolver):
    """Writes quotes in bulk and resolves their speakers, inside the store's write transactions."""

    def __init__(self) -> None:
        self.defer_search = False  # index quotes in one statement per batch (revision 0005's trigger)
        self.who_cache: dict[int, Any] = {}  # begin_batch: id(quotes of a document) -> _who(them)
        self.reset()

    def reset(self) -> None:
        super().reset()
        self.outlet: dict[str, int | None] = {}  # outlet key -> id (None: no outlet yet)
        self.outlet_spell: dict[str, dict[str, list[Any]]] = {}  # key -> {spelling: [row id, quotes]}
        self.outlet_name: dict[str, str] = {}  # key -> the outlet's stored name
        self.batch_search: int | None = None  # begin_batch: the first quote id end_batch indexes

    def begin_batch(self, documents: Iterable[Sequence[Quote]]) -> None:
        """Before a batch of documents is inserted one by one in this transaction: load what
        the database knows of all their shared speaker keys at once (the caches then follow
        every write, as between transactions; a document's own keys are new), and index their
        quotes for search once, at :meth:`end_batch`, instead of once per document."""
        self.who_cache = {}
        keys: set[str] = set()
        for found in documents:
            each = self.who_cache[id(found)] = _who(found)
            keys.update(w[0].key for w in each if w is not None and w[0].shared)
        self._prime(keys)
        self.batch_search = None
        if self.defer_search:
            self.raw.execute("INSERT INTO quote_search_deferred (id) VALUES (1)")
            self.batch_search = self._next("quotes")

    def end_batch(self) -> None:
        """Index the batch's quotes for search (before its COMMIT)."""
        first, self.batch_search = self.batch_search, None
        self.who_cache = {}
        if first is not None:
            self.raw.execute("INSERT INTO quote_search (rowid, text) SELECT id, text FROM quotes WHERE id >= ?",
                             (first,))
            self.raw.execute("DELETE FROM quote_search_deferred")

    def insert(self, docs: Sequence[tuple[int, Document, Sequence[Quote]]]) -> list[int]:
        """Insert the quotes of new documents; their ids, in order."""
        found = [(doc_id, q) for doc_id, _, qs in docs for q in qs]
        if not found:
            return []
        known = self.who_cache.get(id(docs[0][2])) if len(docs) == 1 else None
        who = known if known is not None else _who(q for _, q in found)
        named: dict[str, dict[tuple[str, str], int]] = {}
        scope: dict[str, tuple[int | None, str]] = {}
        said: list[tuple[str, tuple[str, str]] | None] = []  # (key, spelling) of each quote's speaker
        for (doc_id, _), w in zip(found, who):
            if w is None:
                said.append(None)
                continue
            ident, spelling = w
            key = ident.key if ident.shared else scoped(ident.key, doc_id)
            counts = named.get(key)
            if counts is None:
                named[key] = {spelling: 1}
                scope[key] = (None if ident.shared else doc_id, ident.evidence)
            else:
                counts[spelling] = counts.get(spelling, 0) + 1
            said.append((key, spelling))
        self.resolve(named, scope)
        self._outlets(q.outlet for _, q in found)
        each = self.defer_search and self.batch_search is None  # else indexed by end_batch
        if each:  # the trigger stands aside; only this transaction ever sees the row
            self.raw.execute("INSERT INTO quote_search_deferred (id) VALUES (1)")
        quote_ids = self._insert("quotes", [
            (doc_id, q.span.start, q.span.end, q.content.start, q.content.end, q.content.text, q.kind,
             bool(q.closed)) for doc_id, q in found])
        if each:
            self.raw.execute("INSERT INTO quote_search (rowid, text) SELECT id, text FROM quotes "
                             "WHERE id BETWEEN ? AND ?", (quote_ids[0], quote_ids[-1]))
            self.raw.execute("DELETE FROM quote_search_deferred")
        alias, spell = self.alias, self.spell
        mention_rows: list[tuple] = []
        for (doc_id, q), who in zip(found, said):
            if who is not None and q.speaker.mention is not None:
                m, sp = q.speaker.mention, q.speaker
                mention_rows.append((doc_id, alias[who[0]], m.start, m.end, m.text, sp.role, sp.affiliation))
        mention_ids = iter(self._insert("speaker_mentions", mention_rows))
        rows = []
        name_rows = []
        explained: dict[tuple[str, ...], str] = {}
        outlet_ids = self.outlet
        for (_, q), qid, who in zip(found, quote_ids, said):
            outlet, cue = q.outlet, q.cue
            if outlet is not None:
                oid, om = outlet_ids.get(fold_key(outlet.name)), outlet.mention
                outlet_span = (om.start, om.end, om.text) if om else _NO_SPAN  # (an empty span: none)
            else:
                oid, outlet_span = None, _NO_SPAN
            why = explained.get(q.explanation)
            if why is None:
                why = explained[q.explanation] = json.dumps(list(q.explanation), ensure_ascii=False)
            if who is None:
                sid = mid = None
            else:
                sid = alias[who[0]]
                mid = next(mention_ids) if q.speaker.mention is not None else None
                name_rows.append((qid, spell[who[0]][who[1]][0]))
            rows.append((qid, sid, mid, oid, *outlet_span, *((cue.start, cue.end, cue.text) if cue else _NO_SPAN),
                         q.sieve, float(q.confidence or 0.0), why))
        self._insert("attributions", rows)
        self._insert("quote_names", name_rows)
        return quote_ids

    def _outlets(self, outlets: Iterable[Outlet | None]) -> None:
        """Bring the outlets up to date with a batch's spellings: each spelling's count of
        quotes (``outlet_names``), a new outlet for a new key, and each touched outlet called by
        its most frequent spelling (ties: the smallest), so that its name is a function of the
        stored quotes, not of the order they came in (issue #19, item 10)."""
        batch: dict[str, dict[str, int]] = {}
        for o in outlets:
            if o is None:
                continue
            key = fold_key(o.name)
            if key:
                names = batch.setdefault(key, {})
                name = " ".join(o.name.split())
                names[name] = names.get(name, 0) + 1
        if not batch:
            return
        todo = sorted(k for k in batch if k not in self.outlet_spell)
        for chunk in _chunks(todo, 200):
            marks = ", ".join("?" * len(chunk))
            for k in chunk:
                self.outlet[k] = None
                self.outlet_spell[k] = {}
            for what, key, i, name, n in self._fetch(
                    f"SELECT 'o', key, id, name, NULL FROM outlets WHERE key IN ({marks}) "
                    f"UNION ALL SELECT 'n', key, id, name, quotes FROM outlet_names WHERE key IN ({marks})",
                    list(chunk) * 2):
                if what == "o":
                    self.outlet[key], self.outlet_name[key] = i, name
                else:
                    self.outlet_spell[key][name] = [i, n]
        new_rows, bumps = [], []
        for key, names in batch.items():
            spell = self.outlet_spell[key]
            for name, n in names.items():
                entry = spell.get(name)
                if entry is None:
                    spell[name] = entry = [None, n]
                    new_rows.append((key, name, n, entry))
                else:
                    entry[1] += n
                    bumps.append({"n": n, "i": entry[0]})
        for (_, _, _, entry), i in zip(new_rows, self._insert("outlet_names", [r[:3] for r in new_rows])):
            entry[0] = i
        if bumps:
            sql = "UPDATE outlet_names SET quotes = quotes + :n WHERE id = :i"
            if self.sqlite:
                self.raw.executemany(sql, bumps)
            else:
                self.conn.execute(text(sql), bumps)
        fresh = []
        for key in sorted(batch):
            spell = self.outlet_spell[key]
            best = min(spell, key=lambda x: (-spell[x][1], x))
            if self.outlet[key] is None:
                fresh.append((best, key))
            elif self.outlet_name.get(key) != best:
                self._run("UPDATE outlets SET name = :n WHERE id = :i", n=best, i=self.outlet[key])
            self.outlet_name[key] = best
        for (_, key), i in zip(fresh, self._insert("outlets", fresh)):
            self.outlet[key] = i
