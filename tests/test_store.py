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

from conftest import ARTICLE_A, corpus, expected_objects, quote, span
from quotes.errors import StoreError
from quotes.store import Store
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


def test_speakers_resolve_through_keys_and_aliases(filled_db):
    store = Store(filled_db)
    doc = Document.from_text("\u201cNo,\u201d said President Maduro.", path="c.txt")
    q = quote(doc.text, "\u201cNo,\u201d", speaker=Speaker("Maduro", "person", span(doc.text, "President Maduro")))
    store.add(doc, [q], "rules")
    # "maduro" was not an alias yet: a new speaker row; merge folds it in
    names = {s["name"]: s for s in store.speakers()}
    assert names["Maduro"]["aliases"] == ["maduro"]
    assert store.merge_speakers("Nicolás Maduro", "Maduro") == {
        "id": 3, "name": "Nicol\u00e1s Maduro", "merged": "Maduro", "quotes": 1}
    maduro = [s for s in store.speakers() if s["id"] == 3]
    assert maduro == [{"id": 3, "name": "Nicol\u00e1s Maduro", "type": "person", "quotes": 2,
                       "aliases": ["maduro", "nicolas maduro"]}]
    # the old key now resolves to the kept speaker
    doc2 = Document.from_text("\u201cSi,\u201d Maduro said.", path="d.txt")
    q2 = quote(doc2.text, "\u201cSi,\u201d", speaker=Speaker("Maduro", "person", span(doc2.text, "Maduro")))
    store.add(doc2, [q2], "rules")
    assert [x["speaker"]["name"] for x in store.quotes(speaker="president maduro")] == ["Nicol\u00e1s Maduro"] * 3


def test_mention_names_become_aliases_but_pronouns_do_not(filled_db):
    keys = {k for (k,) in Store(filled_db).execute("select alias_key from speaker_aliases")}
    assert keys == {"jane smith", "smith", "bob jones", "nicolas maduro"}


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
    with pytest.raises(StoreError, match=r"nodir/q.db: unable to open database file"):
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
        if q.speaker is not None:  # the canonical row keeps the first spelling of a key
            want["speaker"]["name"] = row["speaker"]["name"]
            assert row["speaker"]["name"] in ("Ana Li", "Mr. Ana Li", "B\u00f6b", "ana LI")
        assert row == want
    assert len(got) == len(found)
