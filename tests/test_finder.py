"""The quote finder: spans of text between matching marks, negatives included."""
from __future__ import annotations

import pytest

from quotes.extract.finder import find_quotes


def spans(text: str) -> list[str]:
    return [f.span.text for f in find_quotes(text)]


CASES = [
    # apostrophes are not quotes
    ("North Korea’s foreign ministry spoke.", []),
    ("The Workers’ Party of Korea met.", []),
    ("It was a hit in the ’90s and again in the '90s.", []),
    ("The coup d’état failed.", []),
    pytest.param("He loved rock ’n’ roll all his life.", []),
    ("We don't know and they can't say, the members' view is clear.", []),
    # plain and nested
    ("He said “we are ready” on Monday.", ["“we are ready”"]),
    ("“We will act, ‘whatever it takes,’ now,” she said.", ["“We will act, ‘whatever it takes,’ now,”", "‘whatever it takes,’"]),
    ("“The Workers’ Party is ‘strong,’ ” he said.", ["“The Workers’ Party is ‘strong,’ ”", "‘strong,’"]),
    # split by attribution
    ("“We waited,” she said. “Now we act.”", ["“We waited,”", "“Now we act.”"]),
    # straight quotes
    ('He said "we are ready" and left.', ['"we are ready"']),
    ('"I told her, \'You won,\' and I meant it," Vrell said.', ['"I told her, \'You won,\' and I meant it,"', "'You won,'"]),
    ('"Don\'t go," he said. "It\'s late."', ['"Don\'t go,"', '"It\'s late."']),
    # other conventions
    ("She said: « Nous sommes prêts. »", ["« Nous sommes prêts. »"]),
    ("Er sagte: „Wir sind bereit.“", ["„Wir sind bereit.“"]),
    ("„Wir haben gewartet“, sagte Albrand.", ["„Wir haben gewartet“"]),
    ("「This is the best crowd」, Morimoto said.", ["「This is the best crowd」"]),
    # markup attributes are not quotes
    ('<tweet author="x">We are “ready” now</tweet>', ["“ready”"]),
    ('<a href="http://example.com/a">link</a> and <tweet author="y" id="2">no quotes</tweet>', []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_spans(text, expected):
    assert spans(text) == expected


def test_content_and_depth():
    text = "“We will act, ‘whatever it takes,’ now,” she said."
    outer, inner = find_quotes(text)
    assert outer.content.text == "We will act, ‘whatever it takes,’ now,"
    assert (outer.depth, inner.depth) == (0, 1)
    assert inner.content.text == "whatever it takes,"
    assert outer.closed and inner.closed


def test_multi_paragraph_quote_is_one_quote():
    # each paragraph reopens with a mark and only the last closes: one quote, first mark to last
    text = ("Achterberg said:\n\n“The river rose.\n\n“We will raise the bank.\n\n“Sign up now.”\n\n"
            "“A new quote,” she said.")
    fs = find_quotes(text)
    assert [f.span.text for f in fs] == ["“The river rose.\n\n“We will raise the bank.\n\n“Sign up now.”",
                                         "“A new quote,”"]
    assert [f.closed for f in fs] == [True, True]
    assert fs[0].content.text == "The river rose.\n\n“We will raise the bank.\n\n“Sign up now."
    assert fs[0].group != fs[1].group


@pytest.mark.parametrize("text, expected", [
    # a straight mark reopening curly copy continues it
    ("“We ensure the best standards.\n\n\"The gauge is unified,\" Al Hashemi added.",
     ["“We ensure the best standards.\n\n\"The gauge is unified,\""]),
    # curly marks after an unclosed straight one are the quotes of an excerpt, not its continuation
    ("The paper reports:\n\n\"Kevin was snoring.\n\n“Here he is, babe,” she said.",
     ["\"Kevin was snoring.", "“Here he is, babe,”"]),
    # a quoted phrase left open inside a sentence ends with its paragraph
    ("One sign read “Welcome home.\n\n“We are back,” she said.", ["“Welcome home.", "“We are back,”"]),
    # the quote opens a sentence mid-paragraph and runs on
    ("He paused. “We will go.\n\n“And we will win,” he said.", ["“We will go.\n\n“And we will win,”"]),
])
def test_which_quotes_run_over_paragraphs(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text, expected", [
    # ” typed as an opening mark, at a paragraph's start or after a space
    ("The wait is long.\n\n”We intend to change that,” Barreto told reporters.",
     ["”We intend to change that,”"]),
    ("Participants met. ”As a specialist, I congratulate you,” Gomes said.", ["”As a specialist, I congratulate you,”"]),
    # “ typed as a closing mark, glued to the end of the sentence
    ("He said: “The rate is 51 percent.“\n\nIt was labeled “Mostly True.”",
     ["“The rate is 51 percent.“", "“Mostly True.”"]),
    # an opening mark that ends its paragraph opens the next one's quote
    ("“Our land needs protection,” she said. “\n\nWe used to live in a different world.”\n\nNext.",
     ["“Our land needs protection,”", "“\n\nWe used to live in a different world.”"]),
])
def test_misplaced_marks(text, expected):
    assert spans(text) == expected


def test_stray_line_break_inside_quote():
    text = ("The party sent a message expressing “the firm support\n\nand solidarity to the struggle.”\n\n"
            "Next paragraph.")
    fs = find_quotes(text)
    assert len(fs) == 1
    f = fs[0]
    assert f.closed
    assert f.span.text == "“the firm support\n\nand solidarity to the struggle.”"
    assert f.content.text == "the firm support\n\nand solidarity to the struggle."


def test_unclosed_mark_ends_at_its_paragraph():
    text = "Vuori said it was “the busiest night ever.\n\nThe festival continues until Sunday, she said."
    fs = find_quotes(text)
    assert len(fs) == 1
    f = fs[0]
    assert not f.closed
    assert f.span.text == "“the busiest night ever."
    assert f.span.end == text.index("\n\n")


def test_unclosed_mark_does_not_swallow_quotes_of_next_paragraph():
    text = "One sign read “Welcome home.\n\n“We are back,” she said."
    assert spans(text) == ["“Welcome home.", "“We are back,”"]
    assert [f.closed for f in find_quotes(text)] == [False, True]


def test_crlf_offsets_exact():
    text = "Intro line.\r\n\r\n“We are ready,” she said.\r\n\r\nShe added: “Now.”\r\n"
    fs = find_quotes(text)
    assert [f.span.text for f in fs] == ["“We are ready,”", "“Now.”"]
    for f in fs:
        assert text[f.span.start:f.span.end] == f.span.text
        assert text[f.content.start:f.content.end] == f.content.text
    assert fs[0].span.start == text.index("“We")


@pytest.mark.parametrize("text", [
    "", "“", "”", "'", "\"", "‘‘‘’’’", "«««", "„„„“““", "“a ‘b “c ‘d ” e’ f” g",
])
def test_degenerate_inputs(text):
    for f in find_quotes(text):
        assert text[f.span.start:f.span.end] == f.span.text
        assert f.span.start <= f.content.start <= f.content.end <= f.span.end
