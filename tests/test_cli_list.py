"""quotes list: filters and every output format, exact output."""
from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import corpus, expected_objects, jsonl

TABLE = """\
id  speaker.name    kind     text                                document.path
--  --------------  -------  ----------------------------------  --------------
 1  Jane Smith      partial  balanced and fair.                  articles/a.txt
 2  Jane Smith      direct   We will not raise taxes this year,  articles/a.txt
 3  Bob Jones       direct   This budget is a fantasy,           articles/a.txt
 4  Nicolás Maduro  direct   We are ready,                       articles/b.txt
 5                  scare    coup                                articles/b.txt
"""


def test_table(run, filled_db):
    result = run(["list", "--db", filled_db])
    assert (result.exit_code, result.stdout, result.stderr) == (0, TABLE, "")


def test_db_from_environment(run, filled_db, monkeypatch):
    monkeypatch.setenv("QUOTES_DB", filled_db)
    assert run(["list"]).stdout == TABLE


def test_jsonl_is_the_extract_contract(run, filled_db):
    assert run(["list", "--db", filled_db, "--format", "jsonl"]).stdout == jsonl(expected_objects())


def test_json_is_one_array(run, filled_db):
    out = run(["list", "--db", filled_db, "--format", "json"]).stdout
    assert json.loads(out) == expected_objects()
    assert out.startswith('[{"id": 1, ') and out.endswith("}]\n")
    assert len(out.splitlines()) == 5


def test_csv_flattens_nested_objects(run, filled_db):
    out = run(["list", "--db", filled_db, "--format", "csv", "--speaker", "bob jones"]).stdout
    doc = corpus()[0][0]
    assert out == (
        "id,document.path,document.sha256,document.title,start,end,text,kind,"
        "speaker.name,speaker.type,speaker.start,speaker.end,speaker.text,"
        "outlet.name,outlet.start,outlet.end,outlet.text,cue.start,cue.end,cue.text,sieve,confidence\n"
        f"3,articles/a.txt,{doc.sha256},Budget,163,190,\"This budget is a fantasy,\",direct,"
        "Bob Jones,person,191,193,he,Reuters,217,224,Reuters,194,198,said,trailing_cue,0.95\n"
    )
    assert list(csv.DictReader(io.StringIO(out)))[0]["speaker.name"] == "Bob Jones"


@pytest.mark.parametrize("args, ids", [
    (["--speaker", "smith"], [1, 2]),
    (["--speaker", "Mayor Jane Smith"], [1, 2]),
    (["--speaker", "maduro"], [4]),
    (["--speaker", "NICOLAS"], [4]),
    (["--outlet", "reuters"], [3]),
    (["--outlet", "associated press"], [4]),
    (["--document", "b.txt"], [4, 5]),
    (["--document", "1"], [1, 2, 3]),
    (["--kind", "partial"], [1]),
    (["--kind", "direct", "--speaker", "smith"], [2]),
])
def test_filters(run, filled_db, args, ids):
    out = run(["list", "--db", filled_db, "--format", "jsonl", *args]).stdout
    assert [json.loads(line)["id"] for line in out.splitlines()] == ids


@pytest.mark.parametrize("hostile", ["x' OR 1=1 --", '" OR ""="', "%", "_%_", "'; DROP TABLE quotes; --"])
def test_hostile_speaker_filter_returns_nothing(run, filled_db, hostile):
    result = run(["list", "--db", filled_db, "--format", "jsonl", "--speaker", hostile])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert len(run(["list", "--db", filled_db, "--format", "jsonl"]).stdout.splitlines()) == 5


def test_empty_table_prints_the_header(run, filled_db):
    assert run(["list", "--db", filled_db, "--speaker", "nobody"]).stdout == (
        "id  speaker.name  kind  text  document.path\n"
        "--  ------------  ----  ----  -------------\n"
    )


def test_bad_kind_is_a_usage_error(run, filled_db):
    result = run(["list", "--db", filled_db, "--kind", "shouted"])
    assert result.exit_code == 2
    assert "Invalid value for '--kind'" in result.stderr


def _said(db: str, path: str, name: str, mention: str | None = None) -> None:
    from conftest import quote, span
    from quotes.store import Store
    from quotes.types import Document, Speaker

    mention = mention or name
    doc = Document.from_text(f"\u201cNo,\u201d said {mention}.", path=path)
    Store(db).add(doc, [quote(doc.text, "\u201cNo,\u201d", speaker=Speaker(name, "person", span(doc.text, mention)))],
                  "rules")


@pytest.mark.parametrize("query, ids", [
    ("maduro", [4, 6, 7]),  # every speaker with the word: Nicolás, the bare Maduro, Moises
    ("Maduro", [4, 6, 7]),
    ("nicolas maduro", [4]),
    ("President Moises Maduro", [7]),
    ("jong un", [8]),  # a phrase inside a longer name
    ("kim un", []),  # both words, not as a phrase
    ("president", [9]),  # no key has the word: the scan over names finds "President Obama"
    ("obama", [9]),
    ("nobody", []),
])
def test_speaker_words(run, filled_db, query, ids):
    _said(filled_db, "c.txt", "Maduro", "President Maduro")  # 6: joins Nicolás Maduro, until ...
    _said(filled_db, "d.txt", "Moises Maduro")  # 7: ... a second full name makes "maduro" ambiguous
    _said(filled_db, "e.txt", "Kim Jong Un")  # 8
    _said(filled_db, "f.txt", "President Obama")  # 9: key "obama", named as written
    out = run(["list", "--db", filled_db, "--format", "jsonl", "--speaker", query]).stdout
    assert [json.loads(line)["id"] for line in out.splitlines()] == ids


# ------------------------------------------------------------------ reported speech (issue 17)

INDIRECT_TABLE = """\
id  speaker.name      kind      text                                                     document.path
--  ----------------  --------  -------------------------------------------------------  --------------
 6  Nicolás Maduro    indirect  the coup attempt had failed and the army stood with him  articles/c.txt
 7  foreign ministry  indirect  The talks were over                                      articles/c.txt
"""


def test_list_kind_indirect(run, reported_db):
    result = run(["list", "--db", reported_db, "--kind", "indirect"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, INDIRECT_TABLE, "")
    direct = run(["list", "--db", reported_db, "--kind", "direct", "--format", "jsonl"]).stdout
    assert [json.loads(line)["id"] for line in direct.splitlines()] == [2, 3, 4, 8]  # unchanged by reported speech


def test_indirect_json_contract_is_the_contents(run, reported_db):
    from conftest import reported_corpus

    doc, found = reported_corpus()[2]
    out = run(["list", "--db", reported_db, "--kind", "indirect", "--format", "jsonl"]).stdout
    got = [json.loads(line) for line in out.splitlines()]
    assert got == [found[0].to_dict(doc, 6), found[1].to_dict(doc, 7)]
    for q in got:  # start/end/text are the content's: no marks, and the text reads back
        assert (q["kind"], doc.text[q["start"]:q["end"]]) == ("indirect", q["text"])
    assert got[0]["start"] == doc.text.index("the coup") and got[0]["text"] == (
        "the coup attempt had failed and the army stood with him")
