"""Transcripts (issue 18): "SPEAKER: words" lines with no quote marks are direct speech of that
speaker in a document read as a transcript, with the briefing's organisation as the outlet
when its heading names one; and no document that is not a transcript is read as one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotes.extract.finder import find_quotes
from quotes.extract.pipeline import extract
from quotes.extract.segment import paragraphs
from quotes.extract.transcript import transcript_quotes

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"

MFA = """Foreign Ministry Spokesperson Wang Wenbin's Regular Press Conference on May 5, 2023

CCTV: Yesterday the talks in Geneva ended without a joint statement. What is China's comment?

Wang Wenbin: China has always supported dialogue and consultation. We hope all parties will stay calm.

Reuters: The United States said on Thursday that it would impose new export controls. How will China respond?

Wang Wenbin: We firmly oppose the abuse of export controls.

China will take necessary measures to safeguard its legitimate rights.

Bloomberg: Will the foreign minister travel to Europe next week?

Wang Wenbin: We will release information in due course.

Read more: the full text on the ministry's website.
"""
STATE = """Department Press Briefing \u2013 May 5, 2023

Ned Price, Department Spokesperson
U.S. Department of State
Washington, D.C.

MR PRICE: Good afternoon, everyone. I have one item at the top.

QUESTION: Thank you, Ned. Can you say anything about the talks?

MR PRICE: We are not going to get ahead of the talks. We remain in close contact with our partners.

QUESTION: And on the sanctions?

MR PRICE: The sanctions remain in place.
"""
INTERVIEW = """An interview with Jane Doe, the mayor of Springfield, about the new budget.

Q: How will you fund the new bridge?

A: We will raise the money from municipal bonds.

Q: When will construction start?

A: Next spring, if the council agrees.
"""


def turns(text: str) -> list[tuple]:
    return [(q.span.text, q.speaker and q.speaker.name, q.speaker and q.speaker.mention.text,
             q.outlet and q.outlet.name) for q in extract(text) if q.sieve == "transcript_line"]


def test_a_press_briefing_with_the_spokesperson_named_and_reporters_asking():
    got = turns(MFA)
    assert got == [
        ("Yesterday the talks in Geneva ended without a joint statement. What is China's comment?",
         None, None, "Foreign Ministry"),
        ("China has always supported dialogue and consultation. We hope all parties will stay calm.",
         "Wang Wenbin", "Wang Wenbin", "Foreign Ministry"),
        ("The United States said on Thursday that it would impose new export controls. How will China respond?",
         None, None, "Foreign Ministry"),
        ("We firmly oppose the abuse of export controls.\n\nChina will take necessary measures to safeguard its "
         "legitimate rights.", "Wang Wenbin", "Wang Wenbin", "Foreign Ministry"),  # a turn goes on for paragraphs
        ("Will the foreign minister travel to Europe next week?", None, None, "Foreign Ministry"),
        ("We will release information in due course.", "Wang Wenbin", "Wang Wenbin", "Foreign Ministry"),
    ]  # the last turn ends with its paragraph: "Read more:" is no one speaking
    quote = next(q for q in extract(MFA) if q.speaker is not None)
    assert (quote.kind, quote.span, quote.sieve) == ("direct", quote.content, "transcript_line")
    assert quote.outlet.mention.text == "Foreign Ministry" and quote.outlet.mention.start == 0
    assert quote.explanation[-1] == "transcript: the briefing of Foreign Ministry (named at 0)"


def test_an_all_capitals_label_is_the_person_the_document_names():
    got = turns(STATE)
    assert [(who, mention, outlet) for _, who, mention, outlet in got] == [
        ("Ned Price", "MR PRICE", "U.S. Department of State"), (None, None, "U.S. Department of State"),
        ("Ned Price", "MR PRICE", "U.S. Department of State"), (None, None, "U.S. Department of State"),
        ("Ned Price", "MR PRICE", "U.S. Department of State")]
    first = next(q for q in extract(STATE) if q.speaker is not None)
    assert "'MR PRICE' is 'Ned Price' in this document (at 41)" in first.explanation


def test_an_interview_s_answers_are_the_interviewee_s():
    assert turns(INTERVIEW) == [
        ("How will you fund the new bridge?", None, None, None),
        ("We will raise the money from municipal bonds.", "Jane Doe", "A", None),
        ("When will construction start?", None, None, None),
        ("Next spring, if the council agrees.", "Jane Doe", "A", None),
    ]


@pytest.mark.parametrize("text", [
    # a tally, not a dialogue: nobody speaks after the colons
    "Delegate Update: The latest count.\n\nHillary Clinton: 1,769.\n\nBernie Sanders: 1,501.\n\n"
    "Clinton: 547.\n\nSanders: 46.\n\nClinton: 2,316.\n",
    # a news story with a dateline and notes
    "ISLAMABAD: Prime Minister Shehbaz Sharif on Monday said the budget would be passed.\n\n"
    "Note: This story has been updated.\n\nPhoto: The prime minister in Islamabad.\n\n"
    "Source: Staff report.\n\nRead more: Budget talks resume.\n",
    # only three labelled lines
    "Smith: We will win this.\n\nJones: No, you will not.\n\nSmith: We will see about that.\n",
    # one speaker only
    "Smith: We will win this.\n\nSmith: No doubt about it.\n\nSmith: We will see about that.\n\n"
    "Smith: That is all I have to say.\n",
    # a headline with a colon and list items
    "Biden: A Life In Politics And Public Service\n\nA: first item of the list here.\n\n"
    "B: second item of the list.\n\nA: third item of the list.\n\nB: fourth item of it.\n",
])
def test_what_is_not_a_transcript(text):
    paras = paragraphs(text)
    assert transcript_quotes(text, paras, find_quotes(text, paras)) == []


def test_quoted_turns_are_left_to_the_sieves():
    """A transcript whose turns are in quote marks ("CALDWELL: “…”") is read as before."""
    text = (ROOT / "samples" / "f_transcript.txt").read_text(encoding="utf-8")
    assert [q for q in extract(text) if q.sieve == "transcript_line"] == []
    assert {q.sieve for q in extract(text)} >= {"transcript"}


def test_turns_are_stored_with_sacred_offsets_and_explained(run, tmp_path):
    path = tmp_path / "briefing.txt"
    path.write_text(MFA, encoding="utf-8")
    db = str(tmp_path / "q.db")
    assert run(["extract", str(path), "--engine", "rules", "--db", db, "-q"]).exit_code == 0
    rows = [json.loads(line) for line in run(["list", "--db", db, "--format", "jsonl"]).stdout.splitlines()]
    assert len(rows) == 6
    for r in rows:
        assert MFA[r["start"]:r["end"]].startswith(r["text"][:20]) and MFA[r["start"]:r["end"]] == r["text"]
    qid = next(r["id"] for r in rows if r["speaker"])
    lines = run(["explain", str(qid), "--db", db]).stdout.splitlines()
    assert "  decided by sieve transcript_line (confidence 0.90)" in lines
    assert ("  outlet named by: the transcript's organisation (transcript: the briefing of Foreign Ministry "
            "(named at 0))") in lines


@pytest.mark.parametrize("corpus", ["polnear/dev/text", "worldwide-dev/text"])
def test_no_article_of_the_evaluation_data_is_read_as_a_transcript(corpus):
    """PolNeAR dev and worldwide-dev hold no transcript: their extraction does not change."""
    folder = SHARED / corpus
    if not folder.is_dir():
        pytest.skip(f"no {folder} (../shared is absent)")
    read = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paras = paragraphs(text)
        if transcript_quotes(text, paras, find_quotes(text, paras)):
            read.append(path.name)
    assert read == []


def test_the_seed_and_the_samples_are_not_transcripts():
    for path in sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "samples").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paras = paragraphs(text)
        assert transcript_quotes(text, paras, find_quotes(text, paras)) == [], path.name
