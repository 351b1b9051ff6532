"""Canonical speakers, kept up to date as quotes are written (issue #4).

Canonical speakers are a function of what has been stored, not of the order it arrived in:
every multi-word name key ("nicolas maduro") is a speaker; a one-word key ("maduro", from a
name or a name-like mention) belongs to the one full-name speaker one of whose words it is,
or, when there is none or several ("kim" for Kim Jong-un and Kim Yong-nam), is a speaker of
its own if some quote was given that name, else no one's alias. A speaker is called by the
most frequent spelling of its key (ties: the smallest string), and typed by its most frequent
known type. ``speakers merge`` pins the merged keys where it put them.
"""
from __future__ import annotations

import functools
from typing import Any, Iterable

from sqlalchemy import select, text

from .keys import key_words, surname_like
from .legacy import _fold
from .rows import RowWriter, _chunks
from .schema import speaker_aliases


# The writer's statements that find rows by speaker go through the one speaker index,
# attributions.speaker_id (revision 0006 dropped those of speaker_mentions and quote_names): a
# mention's speaker is its attribution's, and a quote named by key K has K's speaker.
_FOLD_MENTIONS_SQL = ("UPDATE speaker_mentions SET speaker_id = ? WHERE id IN "
                      "(SELECT mention_id FROM attributions WHERE speaker_id = ? AND mention_id IS NOT NULL)")
_NAMED_BY = ("EXISTS (SELECT 1 FROM quote_names qn JOIN speaker_names n ON n.id = qn.name_id "
             "WHERE qn.quote_id = {}.quote_id AND n.key = :k)")  # the quote's name has key :k
_MOVE_MENTIONS_SQL = ("UPDATE speaker_mentions SET speaker_id = :d WHERE id IN (SELECT a.mention_id FROM "
                      f"attributions a WHERE a.speaker_id = :s AND {_NAMED_BY.format('a')})")
_MOVE_ATTRIBUTIONS_SQL = ("UPDATE attributions SET speaker_id = :d WHERE speaker_id = :s AND "
                          f"{_NAMED_BY.format('attributions')}")
_COUNT_NAMES_SQL = ("SELECT qn.name_id, count(*) FROM attributions a JOIN quote_names qn ON qn.quote_id = a.quote_id "
                    "WHERE a.speaker_id = ? AND qn.name_id IN ({}) GROUP BY qn.name_id")  # speaker, name ids


@functools.lru_cache(maxsize=1 << 16)
def _surname_words(key: str) -> tuple[str, ...]:
    """The words of a multi-word key that may stand for it alone (none for a one-word key)."""
    return tuple(w for w in key_words(key) if surname_like(w))


class SpeakerResolver(RowWriter):
    """Resolves speakers inside the store's write transactions (the speaker half of the writer).

    Caches mirror the database (every write goes through them too). On SQLite they are kept
    across transactions while ``PRAGMA data_version`` is unchanged, i.e. while no other
    connection has committed; otherwise, and on any failure, they are dropped.

    Resolution (see the module docstring) is maintained incrementally: a new multi-word name
    key is a new speaker, and every one-word key among its words that has been seen is
    re-settled (it may now join it, or, ambiguous, leave the one it had joined); a new one-word
    key is settled once. Moving a one-word key's quotes uses ``quote_names``.
    """

    def reset(self) -> None:
        super().reset()
        self.alias: dict[str, int | None] = {}  # alias key -> speaker id (None: no alias row)
        self.root: dict[int, str] = {}  # speaker id -> speakers.key
        self.canon: dict[int, tuple[str, str]] = {}  # speaker id -> stored (name, type)
        # key -> {(name, type): [id, quotes]}; quotes None: not counted (needed, and counted from
        # quote_names, only once a key has several spellings)
        self.spell: dict[str, dict[tuple[str, str], list[Any]]] = {}
        self.mentioned: set[str] = set()  # in speaker_mention_keys
        self.pinned: set[str] = set()  # in speaker_pins
        self.primed: set[str] = set()  # keys whose alias/spellings/mention/pin state is cached

    def _prime(self, keys: Iterable[str]) -> None:
        """Load what the database knows of these keys: one query per 200 keys."""
        todo = sorted(set(keys) - self.primed)
        for chunk in _chunks(todo, 200):
            ks = list(chunk)
            marks = ", ".join("?" * len(ks))
            rows = self._fetch(
                f"SELECT 'a', alias_key, speaker_id, NULL, NULL FROM speaker_aliases WHERE alias_key IN ({marks}) "
                f"UNION ALL SELECT 'n', key, id, name, type FROM speaker_names WHERE key IN ({marks}) "
                f"UNION ALL SELECT 'm', key, NULL, NULL, NULL FROM speaker_mention_keys WHERE key IN ({marks}) "
                f"UNION ALL SELECT 'p', key, NULL, NULL, NULL FROM speaker_pins WHERE key IN ({marks})", ks * 4)
            for k in ks:
                self.alias[k] = None
                self.spell[k] = {}
            for what, key, i, name, kind in rows:
                if what == "a":
                    self.alias[key] = i
                elif what == "n":
                    self.spell[key][(name, kind)] = [i, None]
                elif what == "m":
                    self.mentioned.add(key)
                else:
                    self.pinned.add(key)
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
    def _new_speaker(self, key: str) -> int:
        return self._new_speakers([key])[0]

    def _new_speakers(self, keys: list[str]) -> list[int]:
        """Speakers whose roots are these keys (none of them an alias yet), named and typed
        from the keys' spellings as far as they are known; alias key -> its speaker."""
        best = [self._best(k) or (k, "unknown") for k in keys]
        ids = self._insert("speakers", [(name, k, kind) for k, (name, kind) in zip(keys, best)])
        for sid, k, b in zip(ids, keys, best):
            self.root[sid] = k
            self.canon[sid] = b
        self._insert("speaker_aliases", [(sid, k) for sid, k in zip(ids, keys)])
        self._add_tokens(keys)
        for sid, k in zip(ids, keys):
            self.alias[k] = sid
        return ids

    def _add_tokens(self, keys: list[str]) -> None:
        rows = [(w, k) for k in keys for w in key_words(k)]
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

    def _candidates(self, words: Iterable[str]) -> dict[str, set[int]]:
        """word -> the speakers one of whose multi-word alias keys has that word."""
        out: dict[str, set[int]] = {}
        for chunk in _chunks(sorted(set(words))):
            for word, sid in self._fetch(
                    "SELECT t.token, a.speaker_id FROM speaker_tokens t JOIN speaker_aliases a "
                    f"ON a.alias_key = t.alias_key WHERE t.token IN ({', '.join('?' * len(chunk))})", chunk):
                out.setdefault(word, set()).add(sid)
        return out

    def _settle(self, key: str, candidates: set[int], touched: set[str]) -> None:
        """Put a one-word key where the rules say: in the one full-name speaker containing it,
        else in a speaker of its own if it is a name some quote had, else nowhere."""
        if key in self.pinned:
            return
        named = bool(self.spell.get(key))
        cur = self.alias.get(key)
        self._load_speakers([cur])
        own = cur is not None and self.root[cur] == key  # key is the root of its speaker
        target = next(iter(candidates)) if len(candidates) == 1 and surname_like(key) else None
        if target is not None:
            if cur == target:
                return
            if own:
                self._fold(cur, target)  # the key's own speaker joins the full name
            elif cur is not None:
                self._move_key(key, cur, target)
                self._set_alias(key, target)
            else:
                self._set_alias(key, target)
            return
        if not named:  # a mention word only: an alias of no one now
            if cur is not None and not own:
                self._run("DELETE FROM speaker_aliases WHERE alias_key = :k", k=key)
                self.alias[key] = None
            return
        if cur is None:
            self._new_speaker(key)
            touched.add(key)
        elif not own:  # it had joined a full name that no longer is the only one: split it off
            src = cur
            best = self._best(key) or (key, "unknown")
            sid = self._insert("speakers", [(best[0], key, best[1])])[0]
            self.root[sid] = key
            self.canon[sid] = best
            self._move_key(key, src, sid)
            self._set_alias(key, sid)
            touched.add(key)

    def _move_key(self, key: str, src: int, dst: int) -> None:
        """Move the quotes (and their mentions) whose speaker was named ``key`` from src to dst:
        src's quotes (its index) whose name has that key (``quote_names`` by quote id)."""
        self._run(_MOVE_MENTIONS_SQL, d=dst, s=src, k=key)
        self._run(_MOVE_ATTRIBUTIONS_SQL, d=dst, s=src, k=key)

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

    def resolve(self, named: dict[str, dict[tuple[str, str], int]], mentions: set[str]) -> None:
        """Bring the speakers up to date with a batch's spellings ({key: {(name, type): quotes}})
        and one-word mention keys; afterwards ``alias[key]`` is each name key's speaker."""
        self._prime(set(named) | mentions)
        new_multi = [k for k in named if not self.spell[k] and len(k.split()) > 1]  # in order of appearance
        new_single = {k for k in named if not self.spell[k] and len(k.split()) == 1}
        new_mentions = sorted(mentions - self.mentioned)
        # the batch's spellings: counts now, rows for new ones (ids assigned below)
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
        self._new_speakers([k for k in new_multi if self.alias[k] is None])
        words = {w for k in new_multi for w in _surname_words(k)}
        self._prime(words)
        if new_mentions:
            self._insert("speaker_mention_keys", [(k,) for k in new_mentions])
            self.mentioned.update(new_mentions)
        settle = new_single | set(new_mentions) | {w for w in words if self.spell[w] or w in self.mentioned}
        if settle:
            candidates = self._candidates(settle)
            for key in sorted(settle):
                self._settle(key, candidates.get(key, set()), touched)
        ids = self._insert("speaker_names", [(key, name, kind) for key, name, kind, _ in fresh])
        for (_, _, _, entry), i in zip(fresh, ids):
            entry[0] = i
        self._canonicalise(touched)

    def merge(self, other: Any, keep: Any) -> None:
        """``speakers merge``: fold OTHER into KEEP and pin OTHER's keys there; one-word keys
        that now have one full name to join are settled again."""
        self.reset()
        keys = [r[0] for r in self.conn.execute(select(speaker_aliases.c.alias_key)
                                                .where(speaker_aliases.c.speaker_id == other.id))]
        keys = sorted(set(keys) | {other.key})
        self._prime(keys + [keep.key])
        if self.alias.get(other.key) is None:
            self._set_alias(other.key, other.id)
        new_pins = [k for k in keys if k not in self.pinned]
        self._insert("speaker_pins", [(k,) for k in new_pins])
        self.pinned.update(new_pins)
        self._fold(other.id, keep.id)
        multi = [r[0] for r in self.conn.execute(select(speaker_aliases.c.alias_key)
                                                 .where(speaker_aliases.c.speaker_id == keep.id))]
        words = {w for k in multi for w in key_words(k) if surname_like(w)}
        self._prime(words)
        settle = {w for w in words if self.spell[w] or w in self.mentioned}
        touched: set[str] = set()
        candidates = self._candidates(settle)
        for key in sorted(settle):
            self._settle(key, candidates.get(key, set()), touched)
        self._canonicalise(touched)
        self.reset()
