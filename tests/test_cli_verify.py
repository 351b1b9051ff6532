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


# ------------------------------------------------------------------ reported speech (issue 17)

PARAPHRASE = "paraphrase: reported, not quoted"


def test_verify_a_paraphrase_on_the_terminal(run, reported_db):
    from conftest import reported_corpus

    sha = reported_corpus()[2][0].sha256
    result = run(["verify", "The coup attempt had failed and the army stood with him", "--db", reported_db])
    assert result.exit_code == 0
    assert result.stdout == f"""\
claim:     "The coup attempt had failed and the army stood with him"

1. paraphrase: reported, not quoted (similarity 1.000)
   note:      reported speech: the document says Nicol\u00e1s Maduro said this, without quote marks (word for word); not a quotation
   quote:     6 (indirect: reported, not quoted) at 12-67
   speaker:   Nicol\u00e1s Maduro (person) "Maduro" at 0-6
   cue:       "said" at 7-11
   outlet:    -
   document:  articles/c.txt
   title:     Coup
   url:       -
   publisher: -
   date:      2019-05-01
   sha256:    {sha}
   context:   Maduro said [[the coup attempt had failed and the army stood with him]].
"""


def test_verify_a_paraphrase_as_json_is_never_exact(run, reported_db):
    out = run(["verify", "the talks were over", "--db", reported_db, "--format", "jsonl"]).stdout
    [v] = [json.loads(line) for line in out.splitlines()]
    assert (v["verdict"], v["match"], v["similarity"]) == (PARAPHRASE, "exact", 1.0)  # match: the words alone
    assert (v["quote"]["id"], v["quote"]["kind"], v["quote"]["start"], v["quote"]["end"]) == (7, "indirect", 70, 89)
    assert v["quote"]["content"] == {"start": 70, "end": 89, "text": "The talks were over"}
    assert v["quote"]["outlet"]["name"] == "Reuters"
    for claim in ("the talks were over", "talks were over", "the coup attempt had failed",
                  "the coup attempt had failed and the army stood with him", "the army stood with him"):
        for v in map(json.loads, run(["verify", claim, "--db", reported_db, "--format", "jsonl"]).stdout.splitlines()):
            if v["quote"] and v["quote"]["kind"] == "indirect":
                assert v["verdict"] == PARAPHRASE, (claim, v)


def test_verify_quotations_keep_priority_over_reported_speech(run, reported_db):
    # the quotation has "has", the reported speech "had": the quotation still comes first
    out = run(["verify", "the coup attempt had failed", "--db", reported_db, "--format", "jsonl"]).stdout
    got = [(v["verdict"], v["quote"]["id"]) for v in map(json.loads, out.splitlines())]
    assert got == [("altered", 8), (PARAPHRASE, 6)]
    out = run(["verify", "The coup attempt has failed", "--db", reported_db, "--format", "jsonl"]).stdout
    assert [(v["verdict"], v["quote"]["id"]) for v in map(json.loads, out.splitlines())][0] == ("exact", 8)
    lines = run(["verify", "the coup attempt had failed", "--db", reported_db]).stdout.splitlines()
    assert [line for line in lines if line[:2] in ("1.", "2.")] == [
        "1. altered (similarity 0.800)", "2. paraphrase: reported, not quoted (similarity 1.000)"]


def test_verify_a_paraphrase_credited_to_someone_else(run, reported_db):
    out = run(["verify", "the coup attempt had failed and the army stood with him", "--speaker", "Jane Smith",
               "--db", reported_db, "--format", "jsonl"]).stdout
    [v] = [json.loads(line) for line in out.splitlines()]
    assert v["verdict"] == PARAPHRASE
    assert v["note"].startswith("misattributed: the store credits Nicol\u00e1s Maduro, not Jane Smith; reported speech")


def test_verify_a_title_the_credited_person_holds(run, tmp_path):
    # issue 18: "the Prime Minister said …" of a quote the store credits to the named Prime Minister
    from quotes.extract.pipeline import Extractor
    from quotes.store import Store
    from quotes.types import Document

    text = ("Prime Minister Jacinda Ardern spoke in Wellington on Tuesday.\n\n"
            "\u201cWe will hold the referendum this year,\u201d Ardern told reporters.\n")
    doc = Document.from_text(text, path="nz.txt")
    db = str(tmp_path / "nz.db")
    Store(db).add(doc, Extractor(engine="rules").extract(doc), "rules")
    result = run(["verify", "We will hold the referendum this year", "--speaker", "the Prime Minister",
                  "--limit", "1", "--db", db])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[3:5] == [
        "1. exact (similarity 1.000)",
        "   note:      unresolved: the claim names only the title 'Prime Minister'; the store credits "
        "Jacinda Ardern, who holds it in this document (the document names 'Prime Minister Jacinda Ardern' "
        "at 0-29)",
    ]
    got = json.loads(run(["verify", "We will hold the referendum this year", "--speaker", "the premier",
                          "--db", db, "--format", "json"]).stdout)
    assert got[0]["verdict"] == "misattributed"
