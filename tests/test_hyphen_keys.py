"""A hyphen in a name folds like a space in every key the store computes (issue 15, names from
other languages): "Kim Jong-un" and "Kim Jong Un", "al-Assad" and "al Assad", "Jean-Pierre" and
"Jean Pierre" have one key, as "Nicolás" and "Nicolas" have.

Here: the keys themselves, variants across documents in both orders, lookups by either
spelling, a document's own speakers.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import quote
from quotes.store import Store
from quotes.store.identity import FULL_NAME, ONE_NAME, ROLE, identity
from quotes.store.keys import fold_key
from quotes.types import Document, Outlet, Span, Speaker

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ------------------------------------------------------------------ keys

@pytest.mark.parametrize("a, b", [
    ("Kim Jong-un", "Kim Jong Un"), ("al-Assad", "al Assad"), ("Jean-Pierre", "Jean Pierre"),
    ("Bashar al-Assad", "Bashar Al Assad"), ("Al-Jazeera", "Al Jazeera"), ("Coca-Cola", "coca cola"),
    ("Kim Jong-un's", "Kim Jong Un"), ("Vice-President", "Vice President"),
])
def test_a_hyphen_folds_like_a_space(a, b):
    assert fold_key(a) == fold_key(b)
    assert "-" not in fold_key(a)


@SETTINGS
@given(st.text(alphabet=st.sampled_from("aBé -'.’&xY#(1")))
def test_every_name_has_the_key_of_its_spelling_with_spaces(name):
    assert fold_key(name) == fold_key(name.replace("-", " "))


@pytest.mark.parametrize("a, b, shared, key", [
    (("Kim Jong-un",), ("Kim Jong Un",), True, "kim jong un"),
    (("Bashar al-Assad",), ("Bashar al Assad",), True, "bashar al assad"),
    (("Jean-Pierre Raffarin",), ("Jean Pierre Raffarin",), True, "jean pierre raffarin"),
    (("Al-Shabaab", "organization"), ("Al Shabaab", "organization"), True, "al shabaab"),
    # a name with its organisation: the name word without the particle, hyphen or space
    (("al-Hashemi", "person", "Iraqi Foreign Ministry"), ("al Hashemi", "person", "Iraqi Foreign Ministry"), True,
     "hashemi (iraqi foreign ministry)"),
    (("Geng", "person", "Al-Aqsa Foundation"), ("Geng", "person", "Al Aqsa Foundation"), True,
     "geng (al aqsa foundation)"),
    # a surname alone, hyphenated or not: one key, each document's own
    (("al-Assad",), ("al Assad",), False, "al assad"),
])
def test_variants_have_one_identity(a, b, shared, key):
    assert identity(*a) == identity(*b)
    assert (identity(*a).shared, identity(*a).key) == (shared, key)


@pytest.mark.parametrize("name, shared, evidence", [
    ("Jean-Pierre", False, ONE_NAME),  # a hyphenated word is one word: a first name alone
    ("Jean Pierre", True, FULL_NAME),  # two name words
    ("Jong-un", False, ONE_NAME),
    ("Secretary-General", False, ROLE),  # one title, as before
    ("Secretary-General Antonio Guterres", True, FULL_NAME),
])
def test_a_hyphenated_word_is_still_one_word_of_a_name(name, shared, evidence):
    found = identity(name)
    assert (found.shared, found.evidence) == (shared, evidence)
    assert identity("Secretary-General Antonio Guterres").key == "antonio guterres"


# ------------------------------------------------------------------ across documents

def said(path: str, *names: tuple, outlet: str | None = None) -> tuple[Document, list]:
    """A document whose Nth quote is said by the Nth (name, kind, affiliation) and told OUTLET."""
    lines, found = [], []
    for n, (name, *rest) in enumerate(names):
        lines.append(f"\u201cLine {n} of {path},\u201d said {name}" + (f" to {outlet}." if outlet else "."))
    text = "\n\n".join(lines) + "\n"
    for n, (name, *rest) in enumerate(names):
        kind = rest[0] if rest else "person"
        affiliation = rest[1] if len(rest) > 1 else None
        marked = f"\u201cLine {n} of {path},\u201d"
        at = text.index(marked)
        mention = Span.of(text, text.index(name, at), text.index(name, at) + len(name))
        told = None
        if outlet:
            o = text.index(f" to {outlet}", at) + 4
            told = Outlet(outlet, Span.of(text, o, o + len(outlet)))
        found.append(quote(text, marked, speaker=Speaker(name, kind, mention, affiliation=affiliation), outlet=told,
                           sieve="trailing_cue", confidence=0.95))
    return Document.from_text(text, path=path), found


def owners(store: Store) -> dict[str, int]:
    """Speaker id of each document's first quote, by path."""
    return {path: sid for path, sid in store.execute(
        "select d.path, a.speaker_id from attributions a join quotes q on q.id = a.quote_id "
        "join documents d on d.id = q.document_id order by q.id desc")}


VARIANT_PAIRS = [
    (("Kim Jong Un",), ("Kim Jong-un",)),
    (("Bashar al-Assad",), ("Bashar Al Assad",)),
    (("Jean-Pierre Raffarin",), ("Jean Pierre Raffarin",)),
    (("Al-Shabaab", "organization"), ("Al Shabaab", "organization")),
    (("al-Hashemi", "person", "Iraqi Foreign Ministry"), ("al Hashemi", "person", "Iraqi Foreign Ministry")),
]


@pytest.mark.parametrize("pair", VARIANT_PAIRS, ids=[f"{a[0]}-{b[0]}" for a, b in VARIANT_PAIRS])
def test_variants_across_documents_are_one_speaker_in_either_order(tmp_path, pair):
    for n, order in enumerate((pair, pair[::-1])):
        store = Store(str(tmp_path / f"{n}.db"))
        for i, who in enumerate(order):
            store.add(*said(f"{'ab'[i]}.txt", who), "rules")
        ids = owners(store)
        assert ids["a.txt"] == ids["b.txt"]
        [speaker] = list(store.speakers())
        assert speaker["quotes"] == 2 and speaker["name"] == min(pair[0][0], pair[1][0])  # a tie: the smaller
        for who in pair:  # either spelling finds both
            assert len(list(store.quotes(speaker=who[0]))) == 2


@pytest.mark.parametrize("pair", [(("al-Assad",), ("al Assad",)), (("Jean-Pierre",), ("Jean Pierre",)),
                                  (("al-Assad",), ("al-Assad",))], ids=["surname", "first-name", "same"])
def test_a_document_s_own_speaker_stays_its_own_whatever_its_hyphens(tmp_path, pair):
    """A surname or first name alone is its document's own, hyphenated or not: two documents,
    two speakers; in one document the two spellings are one speaker."""
    store = Store(str(tmp_path / "q.db"))
    store.add(*said("a.txt", pair[0]), "rules")
    store.add(*said("b.txt", pair[1]), "rules")
    ids = owners(store)
    assert ids["a.txt"] != ids["b.txt"]
    store.add(*said("c.txt", pair[0], pair[1]), "rules")
    rows = store.execute("select a.speaker_id from attributions a join quotes q on q.id = a.quote_id "
                         "join documents d on d.id = q.document_id where d.path = 'c.txt'")
    assert len({sid for (sid,) in rows}) == (2 if pair[0][0] == "Jean-Pierre" else 1)  # "Jean Pierre" is a full name
    assert len(list(store.quotes(speaker=pair[1][0]))) == 4


def test_a_name_with_its_organisation_is_found_by_every_spelling(tmp_path):
    """"al-Hashemi", "al Hashemi" and "Hashemi" of the Iraqi Foreign Ministry are one speaker,
    keyed without the particle; each spelling finds all its quotes."""
    store = Store(str(tmp_path / "q.db"))
    for i, name in enumerate(["al-Hashemi", "Hashemi", "al-Hashemi", "al Hashemi"]):
        store.add(*said(f"{i}.txt", (name, "person", "Iraqi Foreign Ministry")), "rules")
    assert [(s["name"], s["quotes"], s["aliases"]) for s in store.speakers()] == [
        ("al-Hashemi", 4, ["hashemi (iraqi foreign ministry)"])]
    for query in ("al-Hashemi", "al Hashemi", "Hashemi", "AL-HASHEMI"):
        assert len(list(store.quotes(speaker=query))) == 4, query


def test_a_document_s_own_key_is_named_as_typed(tmp_path):
    store = Store(str(tmp_path / "q.db"))
    store.add(*said("a.txt", ("Bashar al-Assad",)), "rules")
    store.add(*said("b.txt", ("al-Assad",)), "rules")
    assert store.merge_speakers("Bashar al-Assad", "Al-Assad #2")["quotes"] == 1
    assert [(s["name"], s["quotes"], s["aliases"]) for s in store.speakers()] == [
        ("Bashar al-Assad", 2, ["al assad #2", "bashar al assad"])]


def test_outlet_variants_are_one_outlet_in_either_order(tmp_path):
    for n, order in enumerate((["Al Jazeera", "Al-Jazeera", "Al-Jazeera"], ["Al-Jazeera", "Al-Jazeera", "Al Jazeera"])):
        store = Store(str(tmp_path / f"{n}.db"))
        for i, outlet in enumerate(order):
            store.add(*said(f"{i}.txt", ("Jane Smith",), outlet=outlet), "rules")
        assert [(o["name"], o["quotes"]) for o in store.outlets()] == [("Al-Jazeera", 3)]
        assert len(list(store.quotes(outlet="al jazeera"))) == 3


ARTICLES = {"a.txt": "\u201cWe will build more,\u201d said Kim Jong Un.\n",
            "b.txt": "\u201cWe will test again,\u201d said Kim Jong-un.\n"}


@pytest.mark.parametrize("order", [["a.txt", "b.txt"], ["b.txt", "a.txt"]])
def test_the_issue_s_two_articles_give_one_speaker(run, tmp_path, order):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    db = str(tmp_path / "q.db")
    for name in order:  # one after the other, as two runs
        assert run(["extract", str(tmp_path / name), "--db", db, "--engine", "rules", "-q"]).exit_code == 0
    rows = [json.loads(line) for line in run(["speakers", "--db", db, "--format", "jsonl"]).stdout.splitlines()]
    assert [(s["name"], s["quotes"]) for s in rows] == [("Kim Jong Un", 2)]
    for spelling in ("Kim Jong Un", "Kim Jong-un", "jong-un"):
        listed = run(["list", "--db", db, "--speaker", spelling, "--format", "jsonl"]).stdout.splitlines()
        assert sorted(Path(json.loads(line)["document"]["path"]).name for line in listed) == ["a.txt", "b.txt"]
