"""Names in NFD text (issue 19, item 11): a name is a run of letters with their combining
marks, so "said Jose\u0301 Ma\u0301rquez" names José Márquez, not "Jose"; an article in NFD gives
the attributions its NFC form gives."""
from __future__ import annotations

import unicodedata

import pytest

from quotes.extract.pipeline import Extractor
from quotes.types import Document


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_names_keep_their_combining_marks(form):
    text = unicodedata.normalize(form, "\u201cWe will win the vote,\u201d said Jos\u00e9 M\u00e1rquez, "
                                       "the mayor of S\u00e3o Paulo.\n")
    [q] = Extractor(engine="rules").extract(Document.from_text(text))
    assert q.speaker is not None
    assert q.speaker.mention.text == unicodedata.normalize(form, "Jos\u00e9 M\u00e1rquez")
    assert text[q.speaker.mention.start:q.speaker.mention.end] == q.speaker.mention.text
    assert unicodedata.normalize("NFC", q.speaker.name) == "Jos\u00e9 M\u00e1rquez"


def test_nfd_and_nfc_articles_give_the_same_attributions():
    text = ("\u201cThe road will be rebuilt,\u201d S\u00e9gol\u00e8ne Roy\u00e1l told T\u00e9l\u00e9vision "
            "Fran\u00e7aise Une.\n\n"
            "\u201cNo,\u201d answered \u00c9milie Br\u00fbl\u00e9, the opposition leader.\n\n"
            "\u201cNever,\u201d Ana Pe\u00f1a said in an interview with Soci\u00e9t\u00e9 G\u00e9n\u00e9rale.\n\n"
            "\u201cNot again.\u201d \u2015 Azucena Gonz\u00e0lez\n")
    ex = Extractor(engine="rules")
    got = {}
    for form in ("NFC", "NFD"):
        found = ex.extract(Document.from_text(unicodedata.normalize(form, text)))
        got[form] = [(unicodedata.normalize("NFC", q.content.text),
                      q.speaker and unicodedata.normalize("NFC", q.speaker.name),
                      q.outlet and unicodedata.normalize("NFC", q.outlet.name)) for q in found]
    assert got["NFD"] == got["NFC"]
    assert [(s, o) for _, s, o in got["NFC"]] == [
        ("S\u00e9gol\u00e8ne Roy\u00e1l", "T\u00e9l\u00e9vision Fran\u00e7aise Une"),
        ("\u00c9milie Br\u00fbl\u00e9", None), ("Ana Pe\u00f1a", "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale"),
        ("Azucena Gonz\u00e0lez", None)]
