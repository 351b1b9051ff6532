"""What may name a speaker: function words, dates, numbers and clause fragments never do."""
from __future__ import annotations

import pytest

from quotes.extract.names import gender, is_group, is_plural_list, why_not_a_name, why_not_a_speaker


@pytest.mark.parametrize("name", [
    "It", "It’s", "That", "That's", "More", "In", "Within", "Though the", "They", "January", "2021",
    "Monday", "twenty", "Constitution does not", "letter further", "",
])
def test_no_name(name):
    assert why_not_a_name(name) is not None


@pytest.mark.parametrize("name", [
    "Maria Lopez", "Theresa May", "US", "ATM", "the ministry", "Kim Jong-un", "Abd al-Rahman", "police",
    "one insider", "Joburg Central police", "María Fernández de la Vega", "Carol-Ann", "Chief",
])
def test_names(name):
    assert why_not_a_name(name) is None


def test_the_article_says_whether_a_capitalised_word_is_a_name():
    # "More" written in lower case inside sentences: capitalised only at a sentence start
    assert why_not_a_speaker("More", lower_only={"more"}) is not None
    assert why_not_a_speaker("Insiders", lower_only={"insiders"}) is not None
    # "Will" capitalised inside a sentence ("Instead, Will called for …"): a name, though a word too
    assert why_not_a_speaker("Will", lower_only=set(), capitalised_inside={"will"}) is None
    assert why_not_a_speaker("Will") is not None
    # a pronoun stays a pronoun however it is written
    assert why_not_a_speaker("It", capitalised_inside={"it"}) is not None


@pytest.mark.parametrize("phrase, expected", [
    ("David Tashiya, Elly Hinaivali and Malakia Shiweda", True),
    ("Ana Ruiz and Bo Li", True),
    ("Maria Lopez", False),
    ("Bank of America", False),
])
def test_plural_list(phrase, expected):
    assert is_plural_list(phrase) is expected


@pytest.mark.parametrize("phrase, expected", [
    ("the Palestinians", True), ("the Smiths", True), ("the Democrats", True),
    ("Bernie Sanders", False), ("the Congress", False), ("the boss", False), ("Jones", False),
])
def test_group(phrase, expected):
    assert is_group(phrase) is expected


@pytest.mark.parametrize("phrase, expected", [
    ("A Walvis Bay widow, Carol-Ann Möller", "female"),
    ("businessman Abdul Karim", "male"),
    ("Mrs Ana Ruiz", "female"),
    ("Maria Lopez", None),
    ("his wife and her husband", None),
])
def test_gender(phrase, expected):
    assert gender(phrase) == expected
