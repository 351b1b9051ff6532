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
