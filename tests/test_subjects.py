"""The subject of a reporting clause: a capitalised word that only modifies the plural noun
after it names no one ("Aid groups warned", "Rights groups said"): invented sentences."""
from __future__ import annotations

import pytest

from quotes.extract.pipeline import Extractor


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(engine="rules")


@pytest.mark.parametrize("text, speaker", [
    ("Aid groups warned: “The camps are on the brink.”", "Aid groups"),
    ("Rights groups said: “The camps are on the brink.”", "Rights groups"),
    ("Opposition parties said the vote was “a sham”.", "Opposition parties"),
    ("White House officials said: “We are ready.”", "White House officials"),
    ("Kenyan police warned: “Stay at home.”", "Kenyan police"),
    ("Trump supporters chanted “lock her up”.", "Trump supporters"),
    # negatives: a name and an adverb, a possessor, a plain name
    ("Obama always says: “We are ready.”", "Obama"),
    ("Mayor Ana Ruiz also said: “We are ready.”", "Ana Ruiz"),
    ("Mr. Obama’s eyes welled up: “We are ready.”", "Obama"),
    ("Maria Lopez says: “We are ready.”", "Maria Lopez"),
])
def test_the_subject_of_the_reporting_clause(ex, text, speaker):
    (q,) = ex.extract(text)
    assert q.speaker is not None and q.speaker.name == speaker


@pytest.mark.parametrize("text, speaker", [
    ("“We will not back down,” the union’s secretary general, Joseph Mwangi, told the Daily Nation.",
     "Joseph Mwangi"),
    ("“We were not consulted,” said the chairperson of the farmers’ association, Ms Grace Achieng.",
     "Grace Achieng"),
    # no full name beside it: the description stays
    ("“We are ready,” the spokesman, speaking on Monday, said.", "spokesman"),
    ("“We are ready,” the minister said.", "minister"),
])
def test_a_description_with_a_name_beside_it_is_that_person(ex, text, speaker):
    (q,) = ex.extract(text)
    assert q.speaker is not None and q.speaker.name == speaker
