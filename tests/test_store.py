"""quotes.store: transactions, span checks, speaker resolution, streaming reads."""
from __future__ import annotations

import inspect
import itertools
import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from conftest import ARTICLE_A, corpus, expected_objects, quote, span
from quotes.errors import StoreError
from quotes.store import Store, identity
from quotes.types import Document, Quote, Span, Speaker


def test_add_stores_and_reads_back_exactly(db_path):
    store = Store(db_path)
    for doc, found in corpus():
        doc_id, added = store.add(doc, found, "rules")
        assert added
    assert list(store.quotes()) == expected_objects()


def test_same_path_and_sha_adds_nothing(filled_db):
    store = Store(filled_db)
    doc, found = corpus()[0]
    assert store.add(doc, found, "rules") == (1, False)
    assert store.execute("select count(*) from documents")[0][0] == 2
    assert store.execute("select count(*) from quotes")[0][0] == 5
    changed = Document.from_text(doc.text + "More.\n", path=doc.path)
    assert store.add(changed, [], "rules") == (3, True)


def test_bad_span_writes_nothing(db_path):
    store = Store(db_path)
    doc = Document.from_text("He said \u201cyes\u201d.", path="x.txt")
    wrong = Quote(span=Span(8, 13, "\u201cyes\u201d"), content=Span(9, 12, "yes"),
                  speaker=Speaker("He", mention=Span(0, 2, "Xe")))
    with pytest.raises(StoreError, match=r"^x.txt: speaker span 0-2 does not match the document text$"):
        store.add(doc, [wrong], "rules")
    assert store.execute("select count(*) from documents")[0][0] == 0


def test_every_stored_span_matches_the_document_text(filled_db):
    con = sqlite3.connect(filled_db)
    checks = {
        "quote": "select d.text, q.start, q.end, null from quotes q join documents d on d.id = q.document_id",
        "content": "select d.text, q.content_start, q.content_end, q.text from quotes q "
                   "join documents d on d.id = q.document_id",
        "mention": "select d.text, m.start, m.end, m.text from speaker_mentions m "
                   "join documents d on d.id = m.document_id",
        "cue": "select d.text, a.cue_start, a.cue_end, a.cue_text from attributions a "
               "join quotes q on q.id = a.quote_id join documents d on d.id = q.document_id "
               "where a.cue_start is not null",
        "outlet": "select d.text, a.outlet_start, a.outlet_end, a.outlet_text from attributions a "
                  "join quotes q on q.id = a.quote_id join documents d on d.id = q.document_id "
                  "where a.outlet_start is not null",
    }
    for name, sql in checks.items():
        rows = con.execute(sql).fetchall()
        assert rows, name
        for doc_text, start, end, span_text in rows:
            if span_text is None:  # quote spans include their marks
                assert doc_text[start] in "\"\u201c" and doc_text[end - 1] in "\"\u201d"
            else:
                assert doc_text[start:end] == span_text, name


def said(i: int, name: str | None, mention: str | None = None, kind: str = "person") -> tuple[Document, list[Quote]]:
    """Document i: one quote said by NAME (mentioned as MENTION, default NAME; None: unattributed)."""
    mention = mention or name
    text = f"\u201cLine {i},\u201d said {mention or 'nobody'}."
    doc = Document.from_text(text, path=f"docs/{i:02d}.txt")
    speaker = Speaker(name, kind, span(text, mention)) if name else None
    return doc, [quote(text, f"\u201cLine {i},\u201d", speaker=speaker)]


def resolved(store: Store) -> tuple[list[tuple], list[tuple]]:
    """The speakers table (name, type, quotes, document, aliases) and which speaker each quote
    has, by document path: what must not depend on the order documents were stored in. A
    document's own speaker is shown with its document's path, not its id (ids follow the order)."""
    paths = {d["id"]: d["path"] for d in store.documents()}

    def show(key: str) -> str:
        scope = identity.scope_of(key)
        return key if scope is None else f"{identity.base_key(key)} #{paths[scope]}"

    table = sorted((s["name"], s["type"], s["quotes"], s["document"] and paths[s["document"]],
                    tuple(sorted(map(show, s["aliases"])))) for s in store.speakers())
    owners = sorted((q["document"]["path"], q["start"], q["speaker"] and q["speaker"]["name"])
                    for q in store.quotes())
    return table, owners


def test_a_surname_alone_stays_in_its_document(filled_db):
    store = Store(filled_db)
    store.add(*said(1, "Maduro", "President Maduro"), "rules")
    table = {s["name"]: (s["id"], s["quotes"], s["document"], s["evidence"], s["aliases"]) for s in store.speakers()}
    assert table["Nicol\u00e1s Maduro"] == (3, 1, None, "full name", ["nicolas maduro"])
    assert table["Maduro"] == (4, 1, 3, "first name or surname alone", ["maduro #3"])
    # a lookup by the word still finds both, each under its own speaker
    assert [x["speaker"]["name"] for x in store.quotes(speaker="president maduro")] == ["Nicol\u00e1s Maduro", "Maduro"]


def test_adding_a_document_never_moves_a_stored_quote_and_a_merge_says_so(filled_db):
    store = Store(filled_db)
    store.add(*said(1, "Maduro"), "rules")
    owners = "select quote_id, speaker_id from attributions order by quote_id"
    before = [tuple(r) for r in store.execute(owners)]
    store.add(*said(2, "Moises Maduro"), "rules")  # a second full name with "maduro": nothing moves
    store.add(*said(3, "Nicol\u00e1s Maduro"), "rules")  # the same full name: joins it, moves nothing
    assert [tuple(r) for r in store.execute(owners)][:len(before)] == before
    table = {s["name"]: (s["quotes"], s["aliases"]) for s in store.speakers()}
    assert table["Maduro"] == (1, ["maduro #3"])
    assert table["Nicol\u00e1s Maduro"] == (2, ["nicolas maduro"])
    assert table["Moises Maduro"] == (1, ["moises maduro"])
    # every speaker with the word, as before: the word index finds a document's own speakers too
    assert [q["speaker"]["name"] for q in store.quotes(speaker="maduro")] == [
        "Nicol\u00e1s Maduro", "Maduro", "Moises Maduro", "Nicol\u00e1s Maduro"]
    store.merge_speakers("Nicolás Maduro", "maduro #3")
    assert [(s["name"], s["quotes"], s["aliases"]) for s in store.speakers()][0] == (
        "Nicol\u00e1s Maduro", 3, ["maduro #3", "nicolas maduro"])
    links = store.execute("select key, speaker_name, from_name, how from speaker_links")
    assert [tuple(r) for r in links] == [("maduro #3", "Nicol\u00e1s Maduro", "Maduro", "merge")]


DOCS = [
    ("Nicol\u00e1s Maduro", "President Nicol\u00e1s Maduro"), ("Maduro", None), ("Nicolas Maduro", "Maduro"),
    ("Nicolas Maduro", None),  # two plain spellings against one accented: the plain one names him
    ("Kim Jong-un", None), ("Kim", None), ("Kim Yong-nam", None),  # a surname alone: its document's own
    ("Martin O\u2019Malley", None), ("Martin O'Malley", "O'Malley"), ("Martin O'Malley", None),
    ("Jane Smith", "Smith"), ("Smith", None),
    ("Xi", None), ("Xi Jinping", "Xi"), ("the President", None), ("Reuters", None),
    ("police", None), ("Joburg Central police", None), ("police", None), ("the minister", None),
    ("the minister", None), ("official", None), ("official", None), ("His family", None), ("Family Kim", None),
    ("Carlos", None), ("Carlos Duarte", "Duarte"), ("Carlos Nava", None),
    # a hyphen folds like a space (revision 0010): one speaker for the variants of a name, and a
    # surname alone still its document's own
    ("Kim Jong Un", None), ("Kim Jong-un", "Kim Jong-un"), ("Bashar al-Assad", None), ("Bashar al Assad", None),
    ("al-Assad", None), ("al Assad", None), ("Jean-Pierre Raffarin", None), ("Jean Pierre Raffarin", "Raffarin"),
]


@pytest.mark.parametrize("how", ["reversed, one by one", "shuffled, in batches", "shuffled twice, one by one"])
def test_speakers_are_the_same_whatever_the_order(tmp_path, how):
    docs = [said(i, name, mention) for i, (name, mention) in enumerate(DOCS)]
    docs.append(said(len(docs), None))
    forwards = Store(str(tmp_path / "forwards.db"))
    for doc, found in docs:
        forwards.add(doc, found, "rules")
    want = resolved(forwards)
    rnd = __import__("random").Random(len(how))
    order = docs[::-1] if how.startswith("reversed") else rnd.sample(docs, len(docs))
    other = Store(str(tmp_path / "other.db"))
    if "batches" in how:
        for i in range(0, len(order), 5):
            other.add_many(order[i:i + 5], "rules")
    else:
        for doc, found in order:
            other.add(doc, found, "rules")
    assert resolved(other) == want
    table: dict[str, list[tuple]] = {}
    for name, _, quotes, document, aliases in want[0]:
        table.setdefault(name, []).append((quotes, document, aliases))
    assert table["Nicolas Maduro"] == [(3, None, ("nicolas maduro",))]
    assert table["Maduro"] == [(1, "docs/01.txt", ("maduro #docs/01.txt",))]
    assert table["Kim"] == [(1, "docs/05.txt", ("kim #docs/05.txt",))]
    assert table["Kim Jong-un"] == [(3, None, ("kim jong un",))]  # two spelled so, one "Kim Jong Un"
    assert table["Kim Yong-nam"] == [(1, None, ("kim yong nam",))]
    assert table["Bashar al Assad"] == [(2, None, ("bashar al assad",))]  # one each: the smaller spelling
    assert table["al-Assad"] == [(1, "docs/32.txt", ("al assad #docs/32.txt",))]
    assert table["al Assad"] == [(1, "docs/33.txt", ("al assad #docs/33.txt",))]
    assert table["Jean Pierre Raffarin"] == [(2, None, ("jean pierre raffarin",))]
    assert table["Martin O'Malley"] == [(3, None, ("martin o'malley",))]
    assert table["Jane Smith"] == [(1, None, ("jane smith",))] and table["Smith"][0][:2] == (1, "docs/11.txt")
    assert table["Xi Jinping"] == [(1, None, ("xi jinping",))] and table["Xi"][0][:2] == (1, "docs/12.txt")
    # generic groups, titles and unnamed speakers: one speaker per document, never shared
    assert [t[:2] for t in table["police"]] == [(1, "docs/16.txt"), (1, "docs/18.txt")]
    assert table["Joburg Central police"] == [(1, None, ("joburg central police",))]
    assert [t[:2] for t in table["the minister"]] == [(1, "docs/19.txt"), (1, "docs/20.txt")]
    assert [t[:2] for t in table["official"]] == [(1, "docs/21.txt"), (1, "docs/22.txt")]
    assert [t[:2] for t in table["His family"]] == [(1, "docs/23.txt")]
    assert [t[:2] for t in table["Family Kim"]] == [(1, "docs/24.txt")]
    assert [t[:2] for t in table["Carlos"]] == [(1, "docs/25.txt")]
    assert table["Carlos Duarte"] == [(1, None, ("carlos duarte",))]


def test_a_writer_sees_what_another_connection_committed(db_path):
    """The writer's caches outlive a transaction only while nobody else wrote."""
    one, two = Store(db_path), Store(db_path)
    one.add(*said(1, "Nicolás Maduro"), "rules")
    one.add(*said(2, "Jane Smith"), "rules")  # one's caches now hold both
    two.add(*said(3, "Nicolas Maduro"), "rules")  # two: the same speaker, spelled another way
    two.add(*said(4, "Nicolas Maduro"), "rules")
    one.add(*said(5, "Nicolás Maduro"), "rules")  # must count two's spellings: 2 to 2, the smaller wins
    one.add(*said(6, "Bob Jones"), "rules")
    assert sorted((s["name"], s["quotes"]) for s in Store(db_path).speakers()) == [
        ("Bob Jones", 1), ("Jane Smith", 1), ("Nicolas Maduro", 4)]
    ids = [r[0] for r in Store(db_path).execute("select id from quotes order by id")]
    assert ids == [1, 2, 3, 4, 5, 6]


def test_a_failed_write_leaves_nothing_and_the_next_one_is_whole(db_path, monkeypatch):
    from quotes.store import writer as store_module

    store = Store(db_path)
    store.add(*said(1, "Jane Smith"), "rules")
    real = store_module._Writer._insert

    def broken(self, table, rows):
        if table == "attributions":
            raise OperationalError("INSERT", {}, sqlite3.OperationalError("disk I/O error"))
        return real(self, table, rows)

    monkeypatch.setattr(store_module._Writer, "_insert", broken)
    with pytest.raises(StoreError, match="disk I/O error"):
        store.add_many([said(2, "Bob Jones"), said(3, "Smith")], "rules")
    monkeypatch.setattr(store_module._Writer, "_insert", real)
    assert store.execute("select count(*) from documents")[0][0] == 1
    assert store.execute("select count(*) from speakers")[0][0] == 1
    store.add_many([said(2, "Bob Jones"), said(3, "Smith")], "rules")
    assert resolved(store) == resolved(_fresh(db_path + ".2", [said(1, "Jane Smith"), said(2, "Bob Jones"),
                                                                said(3, "Smith")]))
    assert [r[0] for r in store.execute("select id from quotes order by id")] == [1, 2, 3]


def _fresh(path: str, docs: list) -> Store:
    store = Store(path)
    for doc, found in docs:
        store.add(doc, found, "rules")
    return store


def test_speaker_keys_are_the_names_not_the_mentions(filled_db):
    """A speaker's keys are the names quotes gave it ("Smith" and "he" are mentions of Jane
    Smith and Bob Jones in their document, not keys other documents could join by)."""
    keys = {k for (k,) in Store(filled_db).execute("select alias_key from speaker_aliases")}
    assert keys == {"jane smith", "bob jones", "nicolas maduro"}


@pytest.mark.parametrize("query, ids", [
    ("smith", [1, 2]),
    ("Jane  SMITH", [1, 2]),
    ("Mayor Jane Smith", [1, 2]),
    ("nicolas", [4]),
    ("Nicolás Maduro", [4]),
    ("nicol", []),
    ("x' OR 1=1 --", []),
    ("%", []),
    ("_", []),
    ("", []),
])
def test_speaker_filter(filled_db, query, ids):
    assert [q["id"] for q in Store(filled_db).quotes(speaker=query)] == ids


def test_other_filters(filled_db):
    store = Store(filled_db)
    assert [q["id"] for q in store.quotes(outlet="reuters")] == [3]
    assert [q["id"] for q in store.quotes(outlet="press")] == [4]
    assert [q["id"] for q in store.quotes(kind="scare")] == [5]
    assert [q["id"] for q in store.quotes(document="b.txt")] == [4, 5]
    assert [q["id"] for q in store.quotes(document="articles/a.txt")] == [1, 2, 3]
    assert [q["id"] for q in store.quotes(document=2)] == [4, 5]
    sha_b = corpus()[1][0].sha256
    assert [q["id"] for q in store.quotes(document=sha_b)] == [4, 5]
    assert [q["id"] for q in store.quotes(ids=[5, 1])] == [1, 5]
    assert [q["id"] for q in store.quotes(speaker="smith", kind="direct")] == [2]


def test_reads_are_generators(filled_db):
    store = Store(filled_db)
    for method in (store.quotes, store.speakers, store.outlets, store.documents):
        assert inspect.isgenerator(method())


def test_get_has_provenance_and_paragraph(filled_db):
    got = Store(filled_db).get(3)
    assert got["document"] == {
        "id": 1, "path": "articles/a.txt", "url": None, "title": "Budget", "publisher": None, "author": None,
        "date": None, "sha256": corpus()[0][0].sha256, "external_id": None, "engine": "rules",
        "extracted_at": got["document"]["extracted_at"],
    }
    para = "Senator Bob Jones disagreed. \u201cThis budget is a fantasy,\u201d he said in a statement to Reuters."
    start = ARTICLE_A.index(para)
    assert got["paragraph"] == {"start": start, "end": start + len(para), "text": para}
    assert Store(filled_db).get(99) is None


def test_outlets_and_documents(filled_db):
    store = Store(filled_db)
    assert list(store.outlets()) == [{"id": 2, "name": "Associated Press", "quotes": 1},
                                     {"id": 1, "name": "Reuters", "quotes": 1}]
    assert [(d["id"], d["path"], d["quotes"]) for d in store.documents()] == [
        (1, "articles/a.txt", 3), (2, "articles/b.txt", 2)]


def test_explanation_is_json(filled_db):
    rows = Store(filled_db).execute("select explanation from attributions order by id")
    assert json.loads(rows[0][0]) == ["test partial"]


def test_sqlite_pragmas(db_path):
    store = Store(db_path)
    list(store.quotes())
    with store.engine.connect() as conn:
        assert conn.execute(text("pragma journal_mode")).scalar() == "wal"
        assert conn.execute(text("pragma foreign_keys")).scalar() == 1
        assert conn.execute(text("pragma busy_timeout")).scalar() == 30000


def test_default_database_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTES_DB", str(tmp_path / "env.db"))
    assert Store().url.database == str(tmp_path / "env.db")
    monkeypatch.delenv("QUOTES_DB")
    assert Store().url.database == "quotes.db"
    assert Store(f"sqlite:///{tmp_path}/u.db").url.database == f"{tmp_path}/u.db"


def test_unknown_newer_revision_is_one_clear_error(filled_db):
    con = sqlite3.connect(filled_db)
    con.execute("update alembic_version set version_num = '9999'")
    con.commit()
    con.close()
    with pytest.raises(StoreError) as err:
        list(Store(filled_db).quotes())
    assert str(err.value) == (f"{filled_db}: database schema revision 9999 is newer than this version "
                              f"of quotes knows (head {Store(filled_db).head()}); upgrade quotes")


def test_unopenable_database(tmp_path):
    with pytest.raises(StoreError, match=r"nodir/q.db: cannot create the database: no such folder .*nodir$"):
        list(Store(str(tmp_path / "nodir" / "q.db")).quotes())


_SERIAL = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_valid_spans_round_trip(db_path, data):
    """Whatever spans an extractor produces, the store gives back exactly
    ``Quote.to_dict`` and every span still slices the stored text."""
    text = data.draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=4, max_size=80))
    n = len(text)

    def a_span():
        start = data.draw(st.integers(0, n - 2))
        end = data.draw(st.integers(start + 2, n))
        return Span.of(text, start, end)

    found = []
    for _ in range(data.draw(st.integers(0, 3))):
        whole = a_span()
        content = Span.of(text, whole.start + 1, whole.end - 1)
        name = data.draw(st.sampled_from(["Ana Li", "Mr. Ana Li", "B\u00f6b", "ana  LI"]))
        speaker = Speaker(name, "person", a_span()) if data.draw(st.booleans()) else None
        cue = a_span() if data.draw(st.booleans()) else None
        found.append(Quote(span=whole, content=content, speaker=speaker, cue=cue,
                           sieve="prop", confidence=data.draw(st.floats(0, 1))))
    store = Store(db_path)
    doc = Document.from_text(text, path=f"doc-{next(_SERIAL)}")
    doc_id, added = store.add(doc, found, "rules")
    assert added
    got = list(store.quotes(document=doc_id))
    ids = store.quote_ids(doc_id)
    for q, i, row in zip(found, ids, got):
        want = q.to_dict(doc, i)
        if q.speaker is not None:  # the canonical row has the most frequent spelling of a key
            want["speaker"]["name"] = row["speaker"]["name"]
            assert row["speaker"]["name"] in ("Ana Li", "Mr. Ana Li", "B\u00f6b", "ana LI")
        assert row == want
    assert len(got) == len(found)


def test_full_text_index_matches_the_quotes_after_bulk_and_other_writers(db_path):
    """Batches are indexed in one statement while the trigger stands aside (revision 0005);
    a writer that is not the store is still indexed by the trigger."""
    store = Store(db_path)
    store.add_many(corpus(), "rules")
    store.add(*said(1, "Jane Smith"), "rules")
    con = sqlite3.connect(db_path)
    con.execute("INSERT INTO quotes (document_id, start, \"end\", content_start, content_end, text, kind, closed) "
                "VALUES (1, 0, 4, 1, 3, 'zebra crossing', 'direct', 1)")
    con.commit()
    con.execute("INSERT INTO quote_search(quote_search) VALUES ('integrity-check')")  # index == quotes.text
    assert con.execute("SELECT count(*) FROM quote_search_deferred").fetchone() == (0,)
    for word, n in (("budget", 1), ("zebra", 1), ("line", 1), ("taxes", 1)):
        assert con.execute("SELECT count(*) FROM quote_search WHERE quote_search MATCH ?", (word,)).fetchone() == (n,)
    assert con.execute("SELECT doc FROM quote_search_terms WHERE term = 'we'").fetchone() == (2,)
    con.close()


@pytest.mark.parametrize("query", ["smith", "Jane Smith", "nicolas", "maduro", "Nicolás Maduro", "president",
                                   "bob", "jones bob", "reuters", "100%", "a_b", "nobody", ""])
def test_store_speaker_lookup_agrees_with_the_one_statement_form(filled_db, query):
    """``list --speaker`` looks speakers up in two steps (indexes, then a scan only if they
    found none); ``queries.speaker_ids_matching`` (used by verify) is the same as one statement."""
    from quotes.store import queries

    store = Store(filled_db)
    store.add(*said(1, "Maduro", "President Maduro"), "rules")
    store.add(*said(2, "President Obama"), "rules")
    one = sorted(int(r[0]) for r in store._rows(queries.speaker_ids_matching(query)))
    assert store.speaker_ids(query) == one
