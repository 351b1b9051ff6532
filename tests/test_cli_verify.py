"""quotes verify (and show --context): the fact-checker's terminal and JSON views."""
from __future__ import annotations

import json

from conftest import corpus


def test_verify_exact_on_the_terminal(run, filled_db):
    sha = corpus()[0][0].sha256
    result = run(["verify", "we will NOT raise taxes this year", "--db", filled_db])
    assert result.exit_code == 0
    assert result.stdout == f"""\
claim:     "we will NOT raise taxes this year"

1. exact (similarity 1.000)
   quote:     2 (direct) at 74-110
   speaker:   Jane Smith (person) "Smith" at 111-116
   cue:       "told" at 117-121
   outlet:    -
   document:  articles/a.txt
   title:     Budget
   url:       -
   publisher: -
   date:      -
   sha256:    {sha}
   context:   [[\u201cWe will not raise taxes this year,\u201d]] Smith told reporters.
"""


def test_verify_altered_and_misattributed_shows_the_diff(run, filled_db):
    result = run(["verify", "We will not raise rates this year.", "--speaker", "Jones",
                  "--limit", "1", "--db", filled_db])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "claim:     \"We will not raise rates this year.\"",
        "speaker:   Jones",
        "",
        "1. misattributed (similarity 0.857): the words are altered",
        "   note:      the store credits Jane Smith, not Jones",
    ]
    assert lines[-2:] == [
        "   diff:      We will not raise [-taxes-] {+rates+} this year",
        "              changed \"taxes\" -> \"rates\"",
    ]


def test_verify_not_found_exits_0(run, filled_db):
    result = run(["verify", "Nobody ever said this", "--db", filled_db])
    assert result.exit_code == 0
    assert result.stdout == (
        "claim:     \"Nobody ever said this\"\n\n1. not found\n   note:      no stored quote has these words\n"
    )
    got = json.loads(run(["verify", "Nobody ever said this", "--db", filled_db, "--format", "json"]).stdout)
    assert [(v["verdict"], v["quote"]) for v in got] == [("not found", None)]


def test_verify_jsonl(run, filled_db):
    result = run(["verify", "\u201cWE ARE READY\u201d", "--db", filled_db, "--format", "jsonl"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 1
    v = rows[0]
    assert (v["verdict"], v["similarity"], v["match"]) == ("exact", 1.0, "exact")
    q = v["quote"]
    assert (q["id"], q["text"], q["matched"]) == (4, "We are ready,", {"start": 1, "end": 13, "text": "We are ready"})
    assert q["outlet"]["name"] == "Associated Press"
    assert q["document"]["url"] == "https://example.com/b"
    assert q["context"]["marked"].startswith("[[\u201cWe are ready,\u201d]] President")


def test_verify_claim_without_words(run, filled_db):
    result = run(["verify", "\u2014", "--db", filled_db])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the claim '\u2014' has no words")


def test_show_context_sentences(run, filled_db):
    result = run(["show", "2", "--context", "1", "--paragraphs", "--db", filled_db])
    assert result.stdout.splitlines()[:5] == [
        "Mayor Jane Smith said on Monday that the budget was \"balanced and fair.\"",
        "",
        "[[\u201cWe will not raise taxes this year,\u201d]] Smith told reporters.",
        "",
        "Senator Bob Jones disagreed. \u201cThis budget is a fantasy,\u201d he said in a statement to Reuters.",
    ]
    got = json.loads(run(["show", "3", "--context", "0", "--format", "json", "--db", filled_db]).stdout)
    assert got["context"] == {
        "start": 163, "end": 225, "unit": "sentence", "n": 0,
        "text": "\u201cThis budget is a fantasy,\u201d he said in a statement to Reuters.",
        "marked": "[[\u201cThis budget is a fantasy,\u201d]] he said in a statement to Reuters.",
    }
    assert got["paragraph"]["start"] == 134  # the plain paragraph is still there
