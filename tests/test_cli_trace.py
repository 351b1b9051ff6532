"""quotes trace: every document carrying a quote, oldest first, with its outlet."""
from __future__ import annotations

import json

import pytest

from conftest import quote, span
from quotes.store import Store
from quotes.types import Document, Outlet, Speaker

LINE = "\u201cThe bridge will open in June,\u201d Mayor Ana Ruiz told {outlet}."


@pytest.fixture
def traced_db(db_path):
    store = Store(db_path)
    docs = [  # stored newest first, to show the order comes from the dates
        ("late.txt", "2019-05-03", "Reuters", "Ruiz spoke on Friday. "),
        ("undated.txt", None, "El Pais", ""),
        ("early.txt", "May 1, 2019", "Associated Press", "Local news. "),
    ]
    for path, date, outlet, lead in docs:
        text = lead + LINE.format(outlet=outlet) + "\n"
        doc = Document.from_text(text, path=path, date=date, publisher=outlet)
        q = quote(text, "\u201cThe bridge will open in June,\u201d", "direct",
                  Speaker("Ana Ruiz", "person", span(text, "Mayor Ana Ruiz")), span(text, "told"),
                  Outlet(outlet, span(text, outlet)), sieve="trailing_cue", confidence=0.9)
        store.add(doc, [q], "rules")
    other = "\u201cThe bridge is late,\u201d a resident said.\n"
    store.add(Document.from_text(other, path="other.txt", date="2019-01-01"),
              [quote(other, "\u201cThe bridge is late,\u201d")], "rules")
    store.close()
    return db_path


def test_trace_oldest_first_undated_last(run, traced_db):
    result = run(["trace", "the bridge will open in June", "--db", traced_db])
    assert result.exit_code == 0
    assert result.stdout == """\
date         outlet            speaker   match  similarity  quote.id  quote.document.path  quote.document.title
-----------  ----------------  --------  -----  ----------  --------  -------------------  --------------------
May 1, 2019  Associated Press  Ana Ruiz  exact           1         3  early.txt
2019-05-03   Reuters           Ana Ruiz  exact           1         1  late.txt
             El Pais           Ana Ruiz  exact           1         2  undated.txt
"""


def test_trace_json_and_part_of_a_quote(run, traced_db):
    got = json.loads(run(["trace", "will open in June", "--db", traced_db, "--format", "json"]).stdout)
    assert [(a["date"], a["outlet"], a["match"]) for a in got] == [
        ("May 1, 2019", "Associated Press", "truncated"),
        ("2019-05-03", "Reuters", "truncated"),
        (None, "El Pais", "truncated"),
    ]
    assert got[0]["quote"]["document"]["path"] == "early.txt"
    assert got[0]["quote"]["matched"]["text"] == "will open in June"


def test_trace_not_found(run, traced_db):
    result = run(["trace", "a tunnel under the river", "--db", traced_db])
    assert (result.exit_code, result.stdout) == (0, "not found\n")


def test_trace_reported_speech_is_a_paraphrase(run, reported_db):
    out = run(["trace", "the talks were over", "--db", reported_db, "--format", "jsonl"]).stdout
    [a] = [json.loads(line) for line in out.splitlines()]
    assert (a["match"], a["outlet"], a["speaker"], a["quote"]["id"]) == (
        "paraphrase: reported, not quoted", "Reuters", "foreign ministry", 7)
    # a document with the words quoted and reported is shown by its quotation
    out = run(["trace", "the coup attempt has failed", "--db", reported_db, "--format", "jsonl"]).stdout
    assert [(a["match"], a["quote"]["id"]) for a in map(json.loads, out.splitlines())] == [("exact", 8)]
