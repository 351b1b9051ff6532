"""quotes speakers / speakers merge / outlets."""
from __future__ import annotations

import json

from conftest import quote, span
from quotes.store import Store
from quotes.types import Document, Speaker

TABLE = """\
id  name            type    quotes  document  aliases
--  --------------  ------  ------  --------  --------------
 1  Jane Smith      person       2            jane smith
 2  Bob Jones       person       1            bob jones
 3  Nicolás Maduro  person       1            nicolas maduro
"""


def add_said(db: str, path: str, name: str, mention: str) -> None:
    doc = Document.from_text(f"\u201cNo,\u201d said {mention}.", path=path)
    Store(db).add(doc, [quote(doc.text, "\u201cNo,\u201d",
                              speaker=Speaker(name, "person", span(doc.text, mention)))], "rules")


def test_speakers_table(run, filled_db):
    result = run(["speakers", "--db", filled_db])
    assert (result.exit_code, result.stdout) == (0, TABLE)


def test_speakers_jsonl(run, filled_db):
    out = run(["speakers", "--db", filled_db, "--format", "jsonl"]).stdout
    assert [json.loads(line) for line in out.splitlines()][0] == {
        "id": 1, "name": "Jane Smith", "type": "person", "quotes": 2, "document": None, "evidence": "full name",
        "aliases": ["jane smith"]}


def test_merge(run, filled_db):
    # a surname alone, with or without a title, is its document's own speaker: nothing joins it
    add_said(filled_db, "c.txt", "Presidente Maduro", "Presidente Maduro")
    add_said(filled_db, "d.txt", "Maduro", "Maduro")
    names = [s["name"] for s in Store(filled_db).speakers()]
    assert sorted(names) == ["Bob Jones", "Jane Smith", "Maduro", "Nicolás Maduro", "Presidente Maduro"]
    result = run(["speakers", "merge", "Nicolás Maduro", "presidente maduro", "--db", filled_db])
    assert (result.exit_code, result.stdout) == (
        0, "merged Presidente Maduro into Nicolás Maduro (id 3); 1 quote moved\n")
    assert run(["speakers", "merge", "3", "maduro", "--db", filled_db]).exit_code == 0
    assert run(["speakers", "--db", filled_db]).stdout == (
        "id  name            type    quotes  document  aliases\n"
        "--  --------------  ------  ------  --------  -----------------------------------------------\n"
        " 3  Nicolás Maduro  person       3            maduro #4; nicolas maduro; presidente maduro #3\n"
        " 1  Jane Smith      person       2            jane smith\n"
        " 2  Bob Jones       person       1            bob jones\n"
    )
    out = run(["list", "--db", filled_db, "--format", "jsonl", "--speaker", "maduro"]).stdout
    assert [(json.loads(l)["id"], json.loads(l)["speaker"]["name"]) for l in out.splitlines()] == [
        (4, "Nicolás Maduro"), (6, "Nicolás Maduro"), (7, "Nicolás Maduro")]
    # the merge was about those two documents' speakers: a later document's "Maduro" is its own
    add_said(filled_db, "e.txt", "Maduro", "Maduro")
    assert [(s["name"], s["quotes"], s["document"]) for s in Store(filled_db).speakers()][-1] == ("Maduro", 1, 5)
    # a merged full name stays where the merge put it: later documents giving it join there
    add_said(filled_db, "f.txt", "Nicolas Maduro Moros", "Nicolas Maduro Moros")
    assert run(["speakers", "merge", "3", "nicolas maduro moros", "--db", filled_db]).exit_code == 0
    add_said(filled_db, "g.txt", "Nicolas Maduro Moros", "Nicolas Maduro Moros")
    assert [(s["name"], s["quotes"]) for s in Store(filled_db).speakers()][0] == ("Nicolás Maduro", 5)


def test_merge_by_id_with_db_on_the_group(run, filled_db):
    result = run(["speakers", "--db", filled_db, "merge", "1", "2"])
    assert result.stdout == "merged Bob Jones into Jane Smith (id 1); 1 quote moved\n"


def test_merge_errors(run, filled_db):
    missing = run(["speakers", "merge", "1", "nobody", "--db", filled_db])
    assert (missing.exit_code, missing.stderr) == (1, "error: no speaker 'nobody' (see `quotes speakers`)\n")
    same = run(["speakers", "merge", "1", "Jane Smith", "--db", filled_db])
    assert (same.exit_code, same.stderr) == (1, "error: 1 and Jane Smith are already the same speaker\n")
    add_said(filled_db, "c.txt", "police", "police")
    add_said(filled_db, "d.txt", "police", "police")
    several = run(["speakers", "merge", "1", "police", "--db", filled_db])
    assert (several.exit_code, several.stderr) == (1, "error: 'police' names 2 speakers (ids 4, 5); use an id\n")


def test_outlets(run, filled_db):
    assert run(["outlets", "--db", filled_db]).stdout == (
        "id  name              quotes\n"
        "--  ----------------  ------\n"
        " 2  Associated Press       1\n"
        " 1  Reuters                1\n"
    )
    assert run(["outlets", "--db", filled_db, "--format", "csv"]).stdout == (
        "id,name,quotes\n2,Associated Press,1\n1,Reuters,1\n")
