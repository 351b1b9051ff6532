"""Names and roles of speaker mentions: language data in action, negatives included."""
from __future__ import annotations

import pytest

from quotes.extract.mentions import clean_name, split_role


@pytest.mark.parametrize("mention,expected", [
    ("Foreign Ministry spokesman Seyyed Abbas Mousavi", ("Seyyed Abbas Mousavi", "Foreign Ministry spokesman")),
    ("President Barack Obama", ("Barack Obama", "President")),
    ("9/11 widow Terry Strada", ("Terry Strada", "9/11 widow")),
    ("master of ceremonies Asab Al-Tabchi", ("Asab Al-Tabchi", "master of ceremonies")),
    # no role: a name alone, name particles, a phrase that is no name
    ("Ursula von der Leyen", ("Ursula von der Leyen", None)),
    ("Bashar al-Assad", ("Bashar al-Assad", None)),
    ("the people of New York", ("the people of New York", None)),
    ("widow Strada", ("widow Strada", None)),
])
def test_split_role(mention, expected):
    assert split_role(mention) == expected


@pytest.mark.parametrize("mention,expected", [
    ("Rep. John Mica (R-Fla.)", "John Mica"),
    ("Sen. Richard J. Durbin (D-Ill.)", "Richard J. Durbin"),
    ("the spokesman", "spokesman"),
    ("Maduro’s", "Maduro"),
])
def test_clean_name(mention, expected):
    assert clean_name(mention) == expected
