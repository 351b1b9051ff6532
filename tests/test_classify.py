"""Kinds of quotation (direct / partial / scare / title) through the rules pipeline on short texts."""
from __future__ import annotations

import pytest

from quotes.extract.pipeline import Extractor

EX = Extractor(engine="rules")


def kind_of(text: str, needle: str) -> str:
    start = text.index(needle)
    hit = [q for q in EX.extract(text) if q.start == start]
    assert hit, f"no quote at {needle!r}"
    return hit[0].kind


def xfail(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


CASES = [
    # direct: a whole sentence of speech
    ("“We will win this election,” Maria Lopez said.", "“We", "direct"),
    ("Maria Lopez said: “We will win this election and then we will govern.”", "“We", "direct"),
    ("“Our members have not had a pay rise in six years,” Mendis told Reuters.", "“Our", "direct"),
    ("“We waited,” she said. “Now the people of the north shore deserve a ferry.”", "“Now", "direct"),
    ('"We don\'t need the slogans of the \'90s," Pellow said.', '"We', "direct"),
    ("Achterberg said:\n\n“The river rose higher than ever this winter.", "“The", "direct"),
    ("A flabbergasted Noah quipped, “It’s like a lawyer with the dumbest client ever.”", "“It’s", "direct"),
    ("As prosecutor Agnes Pellow put it, “We could not hold him.”", "“We", "direct"),
    # a quote card / vox pop credited by a dash on its own line is a whole utterance
    ("Readers wrote in.\n\n“He never answers the question.” ― Esther Tapia\n“We can build a wall around him.” ― "
     "Steve Quinlan.\n\nGetty.", "“We can", "direct"),
    ("“The ferry must run every hour.”\xa0—\xa0Ana Ruiz", "“The", "direct"),
    # ... but not a reporter's sign-off after a fragment inside a sentence
    ('Rajoy insisted that his party was "still the No. 1 force in Spain."--Kim Hjelmgaard.\n\nNext.',
     '"still', "partial"),
    # partial: a fragment of speech inside reported speech
    ("Lopez said, in effect, that the plan was “a betrayal of the voters.”", "“a betrayal", "partial"),
    ("Lopez said the plan was “a betrayal of the voters” and left.", "“a betrayal", "partial"),
    ("Mayor Jane Smith said on Monday that the budget was “balanced and fair.”", "“balanced", "partial"),
    ("Arreaza said he is considering an “expanded” Russian presence.", "“expanded”", "partial"),
    ("North Korea called his swearing in “an abnormal situation” and left.", "“an abnormal", "partial"),
    ("“We are following the dispute closely,” the ministry said.", "“We", "direct"),
    # scare quotes: a word held at arm's length, no speech around it
    ("The so-called “reform” was dropped.", "“reform”", "scare"),
    ("The rail company's “final offer”, published on Saturday, added two percent.", "“final offer”", "scare"),
    ("The new “tax” was repealed last year.", "“tax”", "scare"),
    ("Critics call the levy a “tax” in all but name.", "“tax”", "partial"),  # the critics' word
    # titles
    ("She appeared on “Meet the Press” on Sunday.", "“Meet the Press”", "title"),
    ("The film “Harbour Lights” opens next week.", "“Harbour Lights”", "title"),
    ("His new album, titled “North Shore”, came out in May.", "“North Shore”", "title"),
    # known defects
    pytest.param("Brandt later said on Twitter that the so-called “final offer” was still on the table.",
                 "“final offer”", "scare"),
    pytest.param("He has read “The Long Road Home” twice.", "“The Long Road Home”", "title"),

    ("The drummer spoke. 「This is the best crowd of our tour」, Morimoto said.", "「This", "direct"),
    ("Kenji Morimoto, the drummer, said it was loud. 「This is the best crowd of our tour」, Morimoto said.",
     "「This", "direct"),
]


@pytest.mark.parametrize("text,needle,expected", CASES)
def test_kind(text, needle, expected):
    assert kind_of(text, needle) == expected


def test_nested_quote_kinds():
    text = "“The United States, acting like a ‘single superpower,’ is making reckless remarks,” the statement said."
    assert kind_of(text, "‘single") == "scare"
    text = "“I told her, ‘You won this fair and square,’ and I meant it,” Vrell said."
    assert kind_of(text, "‘You") == "partial"


def test_not_speech_kinds_get_no_speaker():
    text = "Mendis said on Sunday that she appeared on “Meet the Press” and that the “reform” was dead."
    for q in EX.extract(text):
        if q.kind in ("scare", "title"):
            assert q.speaker is None and q.sieve is None
