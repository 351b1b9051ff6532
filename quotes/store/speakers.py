"""Canonical speakers, kept up to date as quotes are written (issues #4 and #18).

Which quotes share a speaker is decided by :mod:`.identity` from each quote's own evidence:
a key every document shares for a full name, an organisation's or a country's name, or a name
with its organisation; a key of the quote's document alone (``"police #17"``) for anything
else. A key is one speaker, created with its first quote; a later document joins it only by
giving the same key, so adding a document never moves a stored quote. ``speakers merge``
folds one speaker into another, pins the keys it moved there and records that it did
(``speaker_links``, which ``explain`` reads). A speaker is called by the most frequent
spelling of its key (ties: the smallest string) and typed by its most frequent known type:
both a function of what is stored, not of the order it arrived in.
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from sqlalchemy import select, text

from .identity import token_words
from .legacy import _fold
from .rows import RowWriter, _chunks
from .schema import speaker_aliases


# The writer's statements that find rows by speaker go through the one speaker index,
# attributions.speaker_id (revision 0006 dropped those of speaker_mentions and quote_names): a
# mention's speaker is its attribution's, and a quote named by key K has K's speaker.
_FOLD_MENTIONS_SQL = ("UPDATE speaker_mentions SET speaker_id = ? WHERE id IN "
                      "(SELECT mention_id FROM attributions WHERE speaker_id = ? AND mention_id IS NOT NULL)")
_COUNT_NAMES_SQL = ("SELECT qn.name_id, count(*) FROM attributions a JOIN quote_names qn ON qn.quote_id = a.quote_id "
                    "WHERE a.speaker_id = ? AND qn.name_id IN ({}) GROUP BY qn.name_id")  # speaker, name ids


class SpeakerResolver(RowWriter):
    """Resolves speakers inside the store's write transactions (the speaker half of the writer).

    Caches mirror the database (every write goes through them too). On SQLite they are kept
    across transactions while ``PRAGMA data_version`` is unchanged, i.e. while no other
    connection has committed; otherwise, and on any failure, they are dropped.
    """

    def reset(self) -> None:
        super().reset()
        self.alias: dict[str, int | None] = {}  # alias key -> speaker id (None: no alias row)
        self.root: dict[int, str] = {}  # speaker id -> speakers.key
        self.canon: dict[int, tuple[str, str]] = {}  # speaker id -> stored (name, type)
        # key -> {(name, type): [id, quotes]}; quotes None: not counted (needed, and counted from
        # quote_names, only once a key has several spellings)
        self.spell: dict[str, dict[tuple[str, str], list[Any]]] = {}
        self.primed: set[str] = set()  # keys whose alias and spellings are cached

    def _prime(self, keys: Iterable[str]) -> None:
        """Load what the database knows of these keys: one query per 200 keys."""
        todo = sorted(set(keys) - self.primed)
        for chunk in _chunks(todo, 200):
            ks = list(chunk)
            marks = ", ".join("?" * len(ks))
            rows = self._fetch(
                f"SELECT 'a', alias_key, speaker_id, NULL, NULL FROM speaker_aliases WHERE alias_key IN ({marks}) "
                f"UNION ALL SELECT 'n', key, id, name, type FROM speaker_names WHERE key IN ({marks})", ks * 2)
            for k in ks:
                self.alias[k] = None
                self.spell[k] = {}
            for what, key, i, name, kind in rows:
                if what == "a":
                    self.alias[key] = i
                else:
                    self.spell[key][(name, kind)] = [i, None]
            self._load_speakers(self.alias[k] for k in ks)
            self.primed.update(ks)

    def _load_speakers(self, ids: Iterable[int | None]) -> None:
        todo = sorted({i for i in ids if i is not None and i not in self.root})
        for chunk in _chunks(todo):
            for sid, key, name, kind in self._fetch(
                    f"SELECT id, key, name, type FROM speakers WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                self.root[sid] = key
                self.canon[sid] = (name, kind)

    # ------------------------------------------------------------ speakers
    def _new_speakers(self, keys: list[str], scope: dict[str, tuple[int | None, str]]) -> list[int]:
        """Speakers whose roots are these keys (none of them an alias yet), named and typed
        from the keys' spellings, with the document each belongs to (None: shared) and the
        evidence that decided it; alias key -> its speaker."""
        best = [self._best(k) or (k, "unknown") for k in keys]
        ids = self._insert("speakers", [(name, k, kind, *scope.get(k, (None, None)))
                                        for k, (name, kind) in zip(keys, best)])
        for sid, k, b in zip(ids, keys, best):
            self.root[sid] = k
            self.canon[sid] = b
        self._insert("speaker_aliases", [(sid, k) for sid, k in zip(ids, keys)])
        self._add_tokens(keys)
        for sid, k in zip(ids, keys):
            self.alias[k] = sid
        return ids

    def _add_tokens(self, keys: list[str]) -> None:
        rows = [(w, k) for k in keys for w in token_words(k)]
        if not rows:
            return
        if self.sqlite:  # a token row may outlive an alias of an older revision
            self.raw.executemany("INSERT OR IGNORE INTO speaker_tokens (token, alias_key) VALUES (?, ?)", rows)
        else:
            self.conn.execute(text("DELETE FROM speaker_tokens WHERE alias_key = :k"),
                              [{"k": k} for k in dict.fromkeys(k for _, k in rows)])
            self._insert("speaker_tokens", rows)

    def _set_alias(self, key: str, sid: int) -> None:
        cur = self.alias.get(key)
        if cur is None:
            self._insert("speaker_aliases", [(sid, key)])
            self._add_tokens([key])
        elif cur != sid:
            self._run("UPDATE speaker_aliases SET speaker_id = :s WHERE alias_key = :k", s=sid, k=key)
        self.alias[key] = sid

    def _fold(self, src: int, dst: int) -> None:
        if self.sqlite:
            self.raw.execute("UPDATE speaker_aliases SET speaker_id = ? WHERE speaker_id = ?", (dst, src))
            self.raw.execute(_FOLD_MENTIONS_SQL, (dst, src))
            self.raw.execute("UPDATE attributions SET speaker_id = ? WHERE speaker_id = ?", (dst, src))
            self.raw.execute("DELETE FROM speakers WHERE id = ?", (src,))
        else:
            _fold(self.conn, src, dst)
        for k, v in self.alias.items():
            if v == src:
                self.alias[k] = dst
        self.root.pop(src, None)
        self.canon.pop(src, None)

    def _count(self, keys: Iterable[str]) -> None:
        """Count the stored quotes of every uncounted spelling of these keys that have several.

        A key's quotes all have the key's speaker (they are given it when stored, and moved
        with the key), so they are counted among that speaker's quotes (its index), not
        by a scan of every quote's name."""
        todo: dict[int | None, list[list[Any]]] = {}  # speaker -> spelling entries
        for k in keys:
            entries = self.spell.get(k) or {}
            if len(entries) > 1:
                todo.setdefault(self.alias.get(k), []).extend(e for e in entries.values() if e[1] is None)
        for sid, entries in todo.items():
            for chunk in _chunks(entries):
                marks = ", ".join("?" * len(chunk))
                if sid is None:  # pragma: no cover - a named key always has a speaker
                    rows = self._fetch(f"SELECT name_id, count(*) FROM quote_names WHERE name_id IN ({marks}) "
                                       "GROUP BY name_id", [e[0] for e in chunk])
                else:
                    rows = self._fetch(_COUNT_NAMES_SQL.format(marks), [sid] + [e[0] for e in chunk])
                counts = dict(rows)
                for e in chunk:
                    e[1] = counts.get(e[0], 0)

    def _best(self, key: str) -> tuple[str, str] | None:
        """(name, type) of the speaker whose root is key: its most frequent spelling (ties: the
        smallest) and most frequent known type (ties: the smallest; none known: unknown)."""
        spellings = self.spell.get(key)
        if not spellings:
            return None
        if len(spellings) == 1:
            return next(iter(spellings))
        self._count([key])
        names: dict[str, int] = {}
        kinds: dict[str, int] = {}
        for (name, kind), (_, n) in spellings.items():
            names[name] = names.get(name, 0) + n
            if kind != "unknown":
                kinds[kind] = kinds.get(kind, 0) + n
        return (min(names, key=lambda x: (-names[x], x)),
                min(kinds, key=lambda x: (-kinds[x], x)) if kinds else "unknown")

    def _canonicalise(self, keys: Iterable[str]) -> None:
        """Name and type each speaker whose root is one of keys from its root's spellings."""
        keys = sorted(set(keys))
        self._count(keys)
        for key in keys:
            sid = self.alias.get(key)
            if sid is None or self.root.get(sid) != key or not self.spell.get(key):
                continue
            best = self._best(key)
            if self.canon.get(sid) != best:
                self._run("UPDATE speakers SET name = :n, type = :t WHERE id = :i", n=best[0], t=best[1], i=sid)
                self.canon[sid] = best

    def resolve(self, named: dict[str, dict[tuple[str, str], int]],
                scope: dict[str, tuple[int | None, str]]) -> None:
        """Bring the speakers up to date with a batch's spellings ({key: {(name, type): quotes}});
        ``scope`` gives each key's document (None: shared by every document) and evidence.
        Afterwards ``alias[key]`` is each key's speaker: the one its alias names, else a new
        one whose root it is."""
        self._prime(named)
        touched = set()  # keys whose speaker's name or type may change
        fresh: list[tuple[str, str, str, list[Any]]] = []
        for key, spellings in named.items():
            entries = self.spell[key]
            for spelling in spellings:
                if spelling not in entries:
                    entries[spelling] = entry = [None, 0]
                    fresh.append((key, spelling[0], spelling[1], entry))
                    touched.add(key)
            if len(entries) > 1:
                touched.add(key)
        self._count(touched)  # before this batch's quotes are added in
        for key, spellings in named.items():
            entries = self.spell[key]
            for spelling, n in spellings.items():
                entry = entries[spelling]
                if entry[1] is not None:
                    entry[1] = entry[1] + n if key in touched else None  # untouched: one spelling
        self._new_speakers([k for k in named if self.alias[k] is None], scope)  # in order of appearance
        ids = self._insert("speaker_names", [(key, name, kind) for key, name, kind, _ in fresh])
        for (_, _, _, entry), i in zip(fresh, ids):
            entry[0] = i
        self._canonicalise(touched)

    def merge(self, other: Any, keep: Any) -> None:
        """``speakers merge``: fold OTHER into KEEP, pin OTHER's keys there and record each
        move in ``speaker_links`` (what ``explain`` reads)."""
        self.reset()
        keys = [r[0] for r in self.conn.execute(select(speaker_aliases.c.alias_key)
                                                .where(speaker_aliases.c.speaker_id == other.id))]
        keys = sorted(set(keys) | {other.key})
        self._prime(keys + [keep.key])
        if self.alias.get(other.key) is None:
            self._set_alias(other.key, other.id)
        pinned = {r[0] for r in self._fetch(
            f"SELECT key FROM speaker_pins WHERE key IN ({', '.join('?' * len(keys))})", keys)}
        self._insert("speaker_pins", [(k,) for k in keys if k not in pinned])
        now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        self._insert("speaker_links", [(k, keep.id, keep.name, other.name, "merge", now) for k in keys])
        self._fold(other.id, keep.id)
        self.reset()
