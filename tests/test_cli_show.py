"""quotes show: one quote in its paragraph, with attribution and provenance."""
from __future__ import annotations

import json

from conftest import corpus


def test_show_on_the_terminal(run, filled_db):
    sha = corpus()[0][0].sha256
    result = run(["show", "3", "--db", filled_db])
    assert result.exit_code == 0
    assert result.stdout == f"""\
Senator Bob Jones disagreed. [[\u201cThis budget is a fantasy,\u201d]] he said in a statement to Reuters.

quote:     3 (direct) at 163-190
speaker:   Bob Jones (person) "he" at 191-193
cue:       "said" at 194-198
outlet:    Reuters "Reuters" at 217-224
sieve:     trailing_cue (confidence 0.95)
document:  articles/a.txt
title:     Budget
url:       -
publisher: -
date:      -
sha256:    {sha}
"""


def test_show_unattributed(run, filled_db):
    out = run(["show", "5", "--db", filled_db]).stdout.splitlines()
    assert out[:6] == [
        "Maduro called the plan a [[\u201ccoup\u201d]] against his government.",
        "",
        "quote:     5 (scare) at 108-114",
        "speaker:   -",
        "cue:       -",
        "outlet:    -",
    ]
    assert out[9] == "url:       https://example.com/b"


def test_show_json(run, filled_db):
    result = run(["show", "4", "--db", filled_db, "--format", "json"])
    got = json.loads(result.stdout)
    doc = corpus()[1][0]
    assert got["document"] == {
        "id": 2, "path": "articles/b.txt", "url": "https://example.com/b", "title": None,
        "publisher": None, "author": None, "date": None, "sha256": doc.sha256, "external_id": None,
        "engine": "rules",
        "extracted_at": got["document"]["extracted_at"],
    }
    para = doc.text.split("\n")[0]
    assert got["paragraph"] == {"start": 0, "end": len(para), "text": para}
    assert got["speaker"] == {"name": "Nicol\u00e1s Maduro", "type": "person", "start": 16, "end": 40,
                              "text": "President Nicol\u00e1s Maduro"}
    assert (got["id"], got["text"], got["outlet"]["name"]) == (4, "We are ready,", "Associated Press")


def test_show_missing_id(run, filled_db):
    result = run(["show", "99", "--db", filled_db])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "error: no quote with id 99\n")


def test_show_reported_speech(run, reported_db):
    from conftest import reported_corpus

    sha = reported_corpus()[2][0].sha256
    result = run(["show", "6", "--db", reported_db])
    assert result.exit_code == 0
    assert result.stdout == f"""\
Maduro said [[the coup attempt had failed and the army stood with him]].

quote:     6 (indirect: reported, not quoted) at 12-67
speaker:   Nicol\u00e1s Maduro (person) "Maduro" at 0-6
cue:       "said" at 7-11
outlet:    -
sieve:     indirect (confidence 0.8)
document:  articles/c.txt
title:     Coup
url:       -
publisher: -
date:      2019-05-01
sha256:    {sha}
"""
    got = json.loads(run(["show", "7", "--db", reported_db, "--format", "json"]).stdout)
    assert (got["kind"], got["start"], got["end"], got["text"]) == ("indirect", 70, 89, "The talks were over")
    assert got["outlet"]["name"] == "Reuters"
