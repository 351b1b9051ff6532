"""A hyphen in a name folds like a space in every stored key (issue 15).

"Kim Jong Un" and "Kim Jong-un", "Bashar al-Assad" and "Bashar al Assad", "Jean-Pierre
Raffarin" and "Jean Pierre Raffarin" had two keys, so two speakers, where "Nicolás Maduro" and
"Nicolas Maduro" had one. From this revision ``quotes.store.keys.fold_key`` reads a hyphen as
a space, and this revision refolds the keys stored with a hyphen in every table that holds a
speaker or outlet key: ``speakers``, ``speaker_aliases``, ``speaker_names``, ``speaker_tokens``,
``speaker_mention_keys``, ``speaker_pins``, ``speaker_links``, ``outlets``, ``outlet_names``.

* A key is refolded from the key itself (:func:`refold`, the rules frozen here as of this
  revision): a document's scope (``" #17"``) kept; for a name with its organisation
  (``"al-assad (syrian foreign ministry)"``) the name word without the particles the hyphen
  joined to it (``"assad"``, what the writer now computes for "al-Assad" and "al Assad" alike)
  and the organisation's key; keys without a hyphen are not touched.
* Speakers that come to share a key (their own key or an alias) are merged as ``quotes speakers
  merge`` merges: into one of them (a speaker every document shares before a document's own,
  then the lowest id), with their quotes, mentions and aliases; each key of the speaker folded
  in is recorded in ``speaker_links`` (``how`` = ``refold``, with the two speakers' names before
  this revision), which ``quotes explain`` prints.
  The speaker is then called by the most frequent spelling of its key (ties: the smaller
  string) and typed by its most frequent known type, as the writer calls it.
* Outlets that come to share a key are merged the same way into the lowest id, recorded in a
  new table, ``outlet_links``, and called by their most frequent spelling (``outlet_names``,
  whose counts of one spelling are added up).

No quote is added or lost; a quote changes speaker or outlet only to join the one its variant
spelling had. A downgrade drops ``outlet_links`` and leaves the keys refolded and the merged
speakers and outlets merged (the old writer would give a hyphenated spelling a speaker of its
own again, as it did before this revision).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from __future__ import annotations

import datetime as _dt
import logging
import re
from typing import Any, Iterable

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

log = logging.getLogger("quotes.migrations")

HOW = "refold"
# quotes.store.keys.TITLES and quotes.lang.en.NAME_PARTICLES as of this revision: frozen, so that a
# later change to either never changes what this revision does
TITLES = frozenset(
    """
    adm admiral ayatollah capt captain chancellor cmdr col colonel commander dame dr father fr gen general
    gov governor judge justice king lady lord lt maj major mayor minister miss mr mrs ms mx pope premier
    president prime prince princess prof professor queen rep representative rev reverend secretary sen
    senator sergeant sgt sheikh sir vice
    """.split())
PARTICLES = frozenset(
    "& al and at bin bint binti da das de del den der di do dos du e el for ibn in la las le los of on ter "
    "the to van von y".split())
_SCOPE = re.compile(r" #\d+$")
_WITH_ORGANISATION = re.compile(r"^(.*) \((.*)\)$")
_CHUNK = 500


def _fold_key(key: str) -> str:
    """``fold_key`` of a key folded before this revision: each hyphen a space, then what the old
    fold could not see inside a hyphenated word: a leading "the" ("the-guardian"), leading
    titles ("vice-president"), a final 's."""
    words = key.replace("-", " ").split()
    if words and words[0] == "the" and not key.startswith("the "):  # a lone "the" was taken off then
        words = words[1:]
    i = 0
    while i < len(words) - 1 and words[i] in TITLES:
        i += 1
    words = words[i:]
    if words and words[-1].endswith("'s") and len(words[-1]) > 2:
        words[-1] = words[-1][:-2]
    return " ".join(words) or " ".join(key.replace("-", " ").split())


def refold(key: str) -> str:
    """The key the writer gives, from this revision on, to the name stored under ``key`` before it."""
    if "-" not in key:
        return key
    scope = _SCOPE.search(key)
    base, tail = (key[:scope.start()], scope.group()) if scope else (key, "")
    with_org = _WITH_ORGANISATION.match(base)
    if with_org:
        words = _fold_key(with_org.group(1)).split()
        while len(words) > 1 and words[0] in PARTICLES:
            words = words[1:]
        org = _fold_key(with_org.group(2))
        new = f"{' '.join(words)} ({org})" if words and org else ""
    else:
        new = _fold_key(base)
    return new + tail if new else key


def token_words(key: str) -> list[str]:
    """``quotes.store.identity.token_words``: the words ``list --speaker`` finds a key by."""
    plain = _SCOPE.sub("", key).replace("(", " ").replace(")", " ")
    words = list(dict.fromkeys(plain.split()))
    if key == plain and len(words) < 2:
        return []
    return words


# ------------------------------------------------------------------ statements

def _rows(sql: str, **params: Any) -> list[Any]:
    return list(op.get_bind().execute(sa.text(sql), params))


def _run(sql: str, rows: list[dict[str, Any]]) -> None:
    if rows:
        op.get_bind().execute(sa.text(sql), rows)


def _rows_in(sql: str, values: Iterable[Any]) -> list[Any]:
    """``sql`` with ``IN :v`` over the values, a chunk at a time."""
    values = sorted(set(values))
    stmt = sa.text(sql).bindparams(sa.bindparam("v", expanding=True))
    out: list[Any] = []
    for i in range(0, len(values), _CHUNK):
        out += list(op.get_bind().execute(stmt, {"v": values[i:i + _CHUNK]}))
    return out


def _hyphenated(table: str, column: str, columns: str) -> list[Any]:
    return _rows(f"SELECT {columns} FROM {table} WHERE {column} LIKE '%-%' ORDER BY 1")


# ------------------------------------------------------------------ speakers

def _speaker_groups() -> list[list[Any]]:
    """The speakers that come to share a key (as their own key or an alias), each group sorted
    with the one to keep first: a shared speaker (document_id NULL) before a document's own,
    then the lowest id."""
    owners: dict[str, set[int]] = {}
    for sid, key in _hyphenated("speakers", "key", "id, key"):
        owners.setdefault(refold(key), set()).add(sid)
    for sid, key in _hyphenated("speaker_aliases", "alias_key", "speaker_id, alias_key"):
        owners.setdefault(refold(key), set()).add(sid)
    for sid, key in _rows_in("SELECT id, key FROM speakers WHERE key IN :v", owners):
        owners[key].add(sid)
    for sid, key in _rows_in("SELECT speaker_id, alias_key FROM speaker_aliases WHERE alias_key IN :v", owners):
        owners[key].add(sid)
    parent: dict[int, int] = {}

    def root(s: int) -> int:
        while parent.setdefault(s, s) != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for ids in owners.values():
        first, *rest = sorted(ids)
        for other in rest:
            parent[root(other)] = root(first)
    members: dict[int, list[int]] = {}
    for s in list(parent):
        members.setdefault(root(s), []).append(s)
    joined = [ids for ids in members.values() if len(ids) > 1]
    info = {r.id: r for r in _rows_in("SELECT id, key, name, document_id FROM speakers WHERE id IN :v",
                                      [s for ids in joined for s in ids])}
    groups = [sorted((info[s] for s in ids), key=lambda r: (r.document_id is not None, r.id)) for ids in joined]
    return sorted(groups, key=lambda g: g[0].id)


def _merge_speakers(groups: list[list[Any]]) -> tuple[list[tuple[str, int, str, str]], dict[str, int]]:
    """Fold each group into its first speaker; the links to record (key, kept id, the names of
    the two speakers before this revision: the kept one, the one folded in) and the refolded own
    keys of the speakers folded in (-> the kept one)."""
    links: list[tuple[str, int, str, str]] = []
    roots: dict[str, int] = {}
    for keep, *others in groups:
        for other in others:
            keys = {refold(k) for (k,) in _rows("SELECT alias_key FROM speaker_aliases WHERE speaker_id = :o",
                                                o=other.id)} | {refold(other.key)}
            links += [(k, keep.id, keep.name, other.name) for k in sorted(keys)]
            roots[refold(other.key)] = keep.id
            params = {"k": keep.id, "o": other.id}
            op.get_bind().execute(sa.text("UPDATE speaker_aliases SET speaker_id = :k WHERE speaker_id = :o"), params)
            op.get_bind().execute(sa.text(
                "UPDATE speaker_mentions SET speaker_id = :k WHERE id IN "
                "(SELECT mention_id FROM attributions WHERE speaker_id = :o AND mention_id IS NOT NULL)"), params)
            op.get_bind().execute(sa.text("UPDATE attributions SET speaker_id = :k WHERE speaker_id = :o"), params)
            op.get_bind().execute(sa.text("DELETE FROM speakers WHERE id = :o"), {"o": other.id})
    return links, roots


def _refold_aliases(roots: dict[str, int]) -> set[str]:
    """Refold speaker_aliases (one row per key, the one already spelled so first, else the
    oldest) and give each merged speaker's own key an alias of the speaker kept; the keys."""
    hyphenated = _hyphenated("speaker_aliases", "alias_key", "id, speaker_id, alias_key")
    rows: dict[str, list[Any]] = {}
    for r in _rows_in("SELECT id, speaker_id, alias_key FROM speaker_aliases WHERE alias_key IN :v",
                      [refold(r.alias_key) for r in hyphenated]):
        rows.setdefault(r.alias_key, []).append(r)
    for r in hyphenated:
        rows.setdefault(refold(r.alias_key), []).append(r)
    drop, move = [], []
    for key, found in rows.items():
        if len({r.speaker_id for r in found}) > 1:  # pragma: no cover - the groups joined them
            raise RuntimeError(f"revision 0010: alias {key!r} of speakers {sorted({r.speaker_id for r in found})}")
        kept, *rest = found
        drop += [{"i": r.id} for r in rest]
        if kept.alias_key != key:
            move.append({"i": kept.id, "k": key})
    _run("DELETE FROM speaker_aliases WHERE id = :i", drop)
    _run("UPDATE speaker_aliases SET alias_key = :k WHERE id = :i", move)
    have = {k for (k,) in _rows_in("SELECT alias_key FROM speaker_aliases WHERE alias_key IN :v", roots)}
    _run("INSERT INTO speaker_aliases (speaker_id, alias_key) VALUES (:s, :k)",
         [{"s": sid, "k": k} for k, sid in sorted(roots.items()) if k not in have])
    return set(rows) | set(roots)


def _refold_tokens(aliases: set[str]) -> None:
    """The word index: the rows of hyphenated keys replaced by the words of their refolded keys
    (and of every alias key refolded or added)."""
    old = {refold(k) for (k,) in _rows("SELECT DISTINCT alias_key FROM speaker_tokens "
                                       "WHERE alias_key LIKE '%-%' OR token LIKE '%-%'")}
    op.get_bind().execute(sa.text("DELETE FROM speaker_tokens WHERE alias_key LIKE '%-%' OR token LIKE '%-%'"))
    keys = old | aliases
    have = {(t, k) for t, k in _rows_in("SELECT token, alias_key FROM speaker_tokens WHERE alias_key IN :v", keys)}
    _run("INSERT INTO speaker_tokens (token, alias_key) VALUES (:t, :k)",
         [{"t": w, "k": k} for k in sorted(keys) for w in token_words(k) if (w, k) not in have])


def _refold_key_table(table: str) -> None:
    """speaker_mention_keys, speaker_pins: a key per row, the primary key."""
    old = [k for (k,) in _hyphenated(table, "key", "key")]
    if not old:
        return
    op.get_bind().execute(sa.text(f"DELETE FROM {table} WHERE key LIKE '%-%'"))
    new = {refold(k) for k in old}
    have = {k for (k,) in _rows_in(f"SELECT key FROM {table} WHERE key IN :v", new)}
    _run(f"INSERT INTO {table} (key) VALUES (:k)", [{"k": k} for k in sorted(new - have)])


def _refold_names() -> set[str]:
    """speaker_names: each (key, spelling, type) once, its quotes moved to the row kept; the
    keys that now hold the spellings of several old keys."""
    hyphenated = _hyphenated("speaker_names", "key", "id, key, name, type")
    new_keys = {refold(r.key) for r in hyphenated}
    known = {(r.key, r.name, r.type): r.id
             for r in _rows_in("SELECT id, key, name, type FROM speaker_names WHERE key IN :v", new_keys)}
    joined = {k for k, _, _ in known}
    sources: dict[str, set[str]] = {}
    for r in hyphenated:
        key = refold(r.key)
        sources.setdefault(key, set()).add(r.key)
        at = known.get((key, r.name, r.type))
        if at is None:
            known[(key, r.name, r.type)] = r.id
            op.get_bind().execute(sa.text("UPDATE speaker_names SET key = :k WHERE id = :i"), {"k": key, "i": r.id})
        else:  # the same spelling under two old keys: one row
            op.get_bind().execute(sa.text("UPDATE quote_names SET name_id = :a WHERE name_id = :b"),
                                  {"a": at, "b": r.id})
            op.get_bind().execute(sa.text("DELETE FROM speaker_names WHERE id = :b"), {"b": r.id})
    return {k for k, old in sources.items() if len(old) > 1 or k in joined}


def _rename_speakers(ids: Iterable[int]) -> None:
    """Call each speaker by the most frequent spelling of its own key among its quotes (ties:
    the smaller string) and type it by the most frequent known type (none: unknown)."""
    for sid, key in _rows_in("SELECT id, key FROM speakers WHERE id IN :v", ids):
        names: dict[str, int] = {}
        kinds: dict[str, int] = {}
        for name, kind, n in _rows(
                "SELECT n.name, n.type, (SELECT count(*) FROM quote_names qn JOIN attributions a "
                "ON a.quote_id = qn.quote_id WHERE qn.name_id = n.id AND a.speaker_id = :s) "
                "FROM speaker_names n WHERE n.key = :k", s=sid, k=key):
            names[name] = names.get(name, 0) + n
            if kind != "unknown":
                kinds[kind] = kinds.get(kind, 0) + n
        if names:
            best = min(names, key=lambda x: (-names[x], x))
            kind = min(kinds, key=lambda x: (-kinds[x], x)) if kinds else "unknown"
            op.get_bind().execute(sa.text("UPDATE speakers SET name = :n, type = :t WHERE id = :i"),
                                  {"n": best, "t": kind, "i": sid})


def _speakers(now: str) -> None:
    groups = _speaker_groups()
    links, roots = _merge_speakers(groups)
    for sid, key in _hyphenated("speakers", "key", "id, key"):
        op.get_bind().execute(sa.text("UPDATE speakers SET key = :k WHERE id = :i"), {"k": refold(key), "i": sid})
    aliases = _refold_aliases(roots)
    _refold_tokens(aliases)
    _refold_key_table("speaker_mention_keys")
    _refold_key_table("speaker_pins")
    _run("UPDATE speaker_links SET key = :k WHERE id = :i",
         [{"k": refold(key), "i": i} for i, key in _hyphenated("speaker_links", "key", "id, key")])
    spelled = _refold_names()
    touched = {g[0].id for g in groups} | {sid for (sid,) in _rows_in("SELECT id FROM speakers WHERE key IN :v",
                                                                     spelled)}
    _rename_speakers(touched)
    _run("INSERT INTO speaker_links (key, speaker_id, speaker_name, from_name, how, at) "
         "VALUES (:k, :s, :n, :f, :h, :a)",
         [{"k": k, "s": sid, "n": to, "f": frm, "h": HOW, "a": now} for k, sid, to, frm in links])
    if groups:
        log.info("revision 0010: %d speakers folded into %d whose keys became theirs",
                 sum(len(g) - 1 for g in groups), len(groups))


# ------------------------------------------------------------------ outlets

def _outlets(now: str) -> None:
    hyphenated = _hyphenated("outlets", "key", "id, key, name")
    groups: dict[str, list[Any]] = {}
    for r in _rows_in("SELECT id, key, name FROM outlets WHERE key IN :v", [refold(r.key) for r in hyphenated]):
        groups.setdefault(r.key, []).append(r)
    for r in hyphenated:
        groups.setdefault(refold(r.key), []).append(r)
    links = []
    for key, found in groups.items():
        keep, *others = sorted(found, key=lambda r: r.id)
        for other in others:
            op.get_bind().execute(sa.text("UPDATE attributions SET outlet_id = :k WHERE outlet_id = :o"),
                                  {"k": keep.id, "o": other.id})
            op.get_bind().execute(sa.text("DELETE FROM outlets WHERE id = :o"), {"o": other.id})
            links.append((key, keep.id, keep.name, other.name))
        if keep.key != key:
            op.get_bind().execute(sa.text("UPDATE outlets SET key = :k WHERE id = :i"), {"k": key, "i": keep.id})
    spellings = _hyphenated("outlet_names", "key", "id, key, name, quotes")
    known = {(r.key, r.name): r.id for r in _rows_in("SELECT id, key, name FROM outlet_names WHERE key IN :v",
                                                     [refold(r.key) for r in spellings])}
    touched = {key for key, found in groups.items() if len(found) > 1}
    for r in spellings:
        key = refold(r.key)
        at = known.get((key, r.name))
        if at is None:
            known[(key, r.name)] = r.id
            op.get_bind().execute(sa.text("UPDATE outlet_names SET key = :k WHERE id = :i"), {"k": key, "i": r.id})
        else:  # the same spelling under two old keys: one row, with the quotes of both
            op.get_bind().execute(sa.text("UPDATE outlet_names SET quotes = quotes + :n WHERE id = :i"),
                                  {"n": r.quotes, "i": at})
            op.get_bind().execute(sa.text("DELETE FROM outlet_names WHERE id = :i"), {"i": r.id})
            touched.add(key)
    for key in sorted(touched):
        spelled = _rows("SELECT name, quotes FROM outlet_names WHERE key = :k", k=key)
        if spelled:
            best = min(spelled, key=lambda r: (-r.quotes, r.name)).name
            op.get_bind().execute(sa.text("UPDATE outlets SET name = :n WHERE key = :k"), {"n": best, "k": key})
    _run("INSERT INTO outlet_links (key, outlet_id, outlet_name, from_name, how, at) VALUES (:k, :o, :n, :f, :h, :a)",
         [{"k": k, "o": oid, "n": to, "f": frm, "h": HOW, "a": now} for k, oid, to, frm in links])
    if links:
        log.info("revision 0010: %d outlets folded into others whose keys became theirs", len(links))


def upgrade() -> None:
    op.create_table(
        "outlet_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("outlet_id", sa.Integer(), nullable=False),
        sa.Column("outlet_name", sa.Text(), nullable=False),
        sa.Column("from_name", sa.Text(), nullable=True),
        sa.Column("how", sa.String(length=16), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outlet_links"),
    )
    op.create_index("ix_outlet_links_key", "outlet_links", ["key"])
    now = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    _speakers(now)
    _outlets(now)


def downgrade() -> None:
    op.drop_index("ix_outlet_links_key", table_name="outlet_links")
    op.drop_table("outlet_links")
