"""quotes.factcheck.verify: each verdict on real quotes of the seed article (rules engine)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import quote
from conftest import span as span_of
from quotes.store import search
from quotes.extract.pipeline import Extractor
from quotes.sources.reader import read_sources
from quotes.store.search import normalize, words
from quotes.store import Store
from quotes.types import Document, Speaker
from quotes.factcheck.context import context_around
from quotes.factcheck.trace import trace
from quotes.factcheck.verdicts import ClaimError
from quotes.factcheck.verify import verify

SEED = Path(__file__).resolve().parents[1] / "seeds" / "000_133ad203e76a5764.txt"
LATEST = "The latest coup d\u2019\u00e9tat attempt is an extremely dangerous act of violence"
SITUATION = "The situation in Venezuela is being aggravated day by day"
ISLAMIC = "The Islamic Republic\u00a0condemns U.S. attempts to stage a coup"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("verify") / "quotes.db")
    store = Store(db)
    doc = next(read_sources([str(SEED)]))
    store.add(doc, Extractor(engine="rules").extract(doc), "rules")
    return store, doc


def stored(store: Store, prefix: str) -> dict:
    return next(q for q in store.quotes() if q["text"].startswith(prefix))


def check_hit(doc, hit) -> None:
    """Offsets are sacred: every span of a hit reads the same in the document."""
    for span in (hit.span, hit.content, hit.matched, hit.cue, hit.speaker_mention, hit.context.span):
        if span is not None:
            assert doc.text[span.start:span.end] == span.text


def test_exact_despite_quote_marks_case_and_dashes(seeded):
    store, doc = seeded
    q = stored(store, LATEST)
    claim = "\u201c" + q["text"].replace("\u2019", "'").upper().replace(", having", " \u2014 having") + "\u201d"
    top = verify(store, claim)[0]
    assert (top.verdict, top.similarity, top.hit.quote_id) == ("exact", 1.0, q["id"])
    assert top.diff == ()
    assert top.hit.speaker == q["speaker"]["name"]
    assert top.hit.outlet == q["outlet"]["name"]
    assert top.hit.document.sha256 == doc.sha256
    assert top.hit.content.text == q["text"]
    assert "[[\u201c" + q["text"] + "\u201d]]" in top.hit.context.marked
    check_hit(doc, top.hit)


def test_one_word_changed_is_altered_with_the_diff(seeded):
    store, doc = seeded
    q = stored(store, LATEST)
    claim = q["text"].replace("act of violence", "act of aggression")
    top = verify(store, claim)[0]
    assert (top.verdict, top.hit.quote_id) == ("altered", q["id"])
    assert [(c.op, c.stored, c.claimed) for c in top.diff] == [("changed", "violence", "aggression")]
    change = top.diff[0]
    assert doc.text[change.start:change.end] == "violence"
    assert claim[change.claim_start:change.claim_end] == "aggression"
    assert 0.9 < top.similarity < 1
    assert "[-violence-] {+aggression+}" in top.wdiff()
    check_hit(doc, top.hit)


def test_words_dropped_and_added(seeded):
    store, _ = seeded
    q = stored(store, LATEST)
    claim = q["text"].replace("an extremely dangerous", "a dangerous")
    top = verify(store, claim)[0]
    assert top.verdict == "altered"
    assert [(c.op, c.stored, c.claimed) for c in top.diff] == [("changed", "an extremely", "a")]
    claim = q["text"].replace("utmost instability", "utmost and total instability")
    top = verify(store, claim)[0]
    assert [(c.op, c.stored, c.claimed) for c in top.diff] == [("added", "", "and total")]
    claim = q["text"].replace("having a highly negative", "having a negative")
    top = verify(store, claim)[0]
    assert [(c.op, c.stored, c.claimed) for c in top.diff] == [("dropped", "highly", "")]


def test_quote_cut_in_half_is_truncated(seeded):
    store, doc = seeded
    q = stored(store, SITUATION)
    half = q["text"][: len(q["text"]) // 2].rsplit(" ", 1)[0]
    top = verify(store, half)[0]
    assert (top.verdict, top.similarity, top.hit.quote_id) == ("truncated", 1.0, q["id"])
    assert top.hit.matched.start == top.hit.content.start
    assert top.hit.matched.end < top.hit.content.end
    assert doc.text[top.hit.matched.start:top.hit.matched.end] == half
    check_hit(doc, top.hit)


def test_claim_running_past_the_quote_is_extended(seeded):
    store, _ = seeded
    q = stored(store, ISLAMIC)
    top = verify(store, "Iran said: " + q["text"])[0]
    assert (top.verdict, top.hit.quote_id) == ("extended", q["id"])
    assert [(c.op, c.claimed) for c in top.diff] == [("added", "Iran said")]


def test_two_quotes_stitched(seeded):
    store, doc = seeded
    first = stored(store, SITUATION)
    second = stored(store, "At the same time")
    tail = "a military action is possible with regard to the Venezuelan situation"
    claim = SITUATION + ", " + tail
    top = verify(store, claim)[0]
    assert top.verdict == "stitched"
    assert [(p.claimed, p.hit.quote_id) for p in top.parts] == [(SITUATION, first["id"]), (tail, second["id"])]
    for part in top.parts:
        check_hit(doc, part.hit)
        assert part.hit.matched.text == part.claimed


def test_right_words_wrong_speaker(seeded):
    store, doc = seeded
    q = stored(store, ISLAMIC)
    assert q["speaker"]["name"] == "Seyyed Abbas Mousavi"
    top = verify(store, q["text"], speaker="Nicolas Maduro")[0]
    assert (top.verdict, top.match, top.hit.quote_id) == ("misattributed", "exact", q["id"])
    assert top.hit.speaker == "Seyyed Abbas Mousavi"
    assert "Seyyed Abbas Mousavi, not Nicolas Maduro" in top.note
    assert verify(store, q["text"], speaker="Mousavi")[0].verdict == "exact"
    altered = verify(store, q["text"].replace("coup", "revolt"), speaker="Maduro")[0]
    assert (altered.verdict, altered.match) == ("misattributed", "altered")


def test_changing_the_last_word_of_a_quote_that_goes_on_is_altered_not_extended(seeded):
    store, doc = seeded
    q = stored(store, LATEST)
    assert q["text"].startswith(LATEST + " that")  # the stored quote goes on after "violence"
    claim = LATEST.replace("violence", "aggression")
    top = verify(store, claim)[0]
    assert (top.verdict, top.hit.quote_id) == ("altered", q["id"])
    assert [(c.op, c.stored, c.claimed) for c in top.diff] == [("changed", "violence", "aggression")]
    assert top.note == "part of a longer stored quote"
    change = top.diff[0]
    assert doc.text[change.start:change.end] == "violence"
    # the last word of the whole quote changed, and the last two: altered too
    whole = q["text"].rsplit(" ", 1)[0] + " scheme."
    assert [(v.verdict, [(c.op, c.claimed) for c in v.diff]) for v in verify(store, whole)[:1]] == [
        ("altered", [("changed", "scheme")])]
    cut = stored(store, SITUATION)["text"]
    claim = " ".join(cut.split()[:9]) + " night"  # "... aggravated day by day, ..." goes on
    top = verify(store, claim)[0]
    assert (top.verdict, [(c.op, c.stored, c.claimed) for c in top.diff]) == ("altered", [("changed", "day", "night")])
    # words past the end of a quote that ends there still make the claim extended
    assert verify(store, stored(store, ISLAMIC)["text"] + " and more words after it")[0].verdict == "extended"


def speaker_said(tmp_path, name: str, kind: str, mention: str, lead: str = "") -> Store:
    """A store of one article: a quote credited to NAME (mentioned as MENTION) after LEAD."""
    text = lead + "\u201cWe will hold the referendum this year,\u201d " + mention + " told reporters.\n"
    doc = Document.from_text(text, path="a.txt")
    store = Store(str(tmp_path / "q.db"))
    store.add(doc, [quote(text, "\u201cWe will hold the referendum this year,\u201d",
                          speaker=Speaker(name, kind, span_of(text, mention)))], "rules")
    return store


def test_a_title_the_claimed_speaker_could_hold_is_unresolved_not_misattributed(tmp_path):
    store = speaker_said(tmp_path, "Prime Minister", "person", "the Prime Minister",
                         "Anthony Albanese spoke in Canberra.\n\n")
    top = verify(store, "We will hold the referendum this year", speaker="Anthony Albanese")[0]
    assert (top.verdict, top.match) == ("exact", "exact")
    assert top.note == ("unresolved: the store has only the title 'Prime Minister' for this quote, which "
                        "Anthony Albanese could hold (the document names 'Anthony Albanese' at 0-16)")
    # altered words: the word-level verdict, with the same note
    top = verify(store, "We will hold the plebiscite this year", speaker="Anthony Albanese")[0]
    assert top.verdict == "altered" and top.note.startswith("unresolved: the store has only the title")


def test_a_surname_or_common_noun_is_unresolved_a_different_name_misattributed(tmp_path):
    store = speaker_said(tmp_path, "Duarte", "person", "Duarte")
    top = verify(store, "We will hold the referendum this year", speaker="Carlos Duarte")[0]
    assert top.verdict == "exact"
    assert top.note == ("unresolved: the store has only the name 'Duarte' for this quote, which Carlos Duarte "
                        "could be (the document names 'Duarte' at 41-47)")
    top = verify(store, "We will hold the referendum this year", speaker="Jane Smith")[0]
    assert top.verdict == "misattributed" and top.note == "the store credits Duarte, not Jane Smith"
    (tmp_path / "police").mkdir()
    other = speaker_said(tmp_path / "police", "police", "organization", "police")
    top = verify(other, "We will hold the referendum this year", speaker="Xoli Mbele")[0]
    assert top.verdict == "exact"
    assert top.note == ("unresolved: the store has only 'police' for this quote, no name "
                        "(the document does not name Xoli Mbele)")


def test_a_different_resolved_speaker_is_misattributed(tmp_path):
    store = speaker_said(tmp_path, "Peter Dutton", "person", "Peter Dutton")
    top = verify(store, "We will hold the referendum this year", speaker="Anthony Albanese")[0]
    assert (top.verdict, top.match) == ("misattributed", "exact")
    assert top.note == "the store credits Peter Dutton, not Anthony Albanese"


ARDERN = ("Prime Minister Jacinda Ardern spoke in Wellington on Tuesday.\n\n"
          "\u201cWe will hold the referendum this year,\u201d Ardern told reporters.\n\n"
          "Finance Minister Grant Robertson said the books were tight. "
          "\u201cThe surplus will come back next year,\u201d Robertson said.\n")
REFERENDUM = "We will hold the referendum this year"


@pytest.fixture
def ardern(tmp_path):
    """An invented article stored through the extractor: Ardern is named with her title."""
    doc = Document.from_text(ARDERN, path="nz.txt")
    store = Store(str(tmp_path / "nz.db"))
    store.add(doc, Extractor(engine="rules").extract(doc), "rules")
    return store


def test_a_title_the_credited_person_holds_is_unresolved_not_misattributed(ardern):
    # the reverse of the case above (issue 18): the claim names only the title, the store the person
    for claimed, title in (("Prime Minister", "Prime Minister"), ("the prime minister", "prime minister")):
        top = verify(ardern, REFERENDUM, speaker=claimed)[0]
        assert (top.verdict, top.match, top.hit.speaker) == ("exact", "exact", "Jacinda Ardern")
        assert top.note == (f"unresolved: the claim names only the title '{title}'; the store credits "
                            "Jacinda Ardern, who holds it in this document (the document names "
                            "'Prime Minister Jacinda Ardern' at 0-29)")
    # a role phrase that stands for the title (en.ROLE_SYNONYMS)
    top = verify(ardern, REFERENDUM, speaker="the head of government")[0]
    assert top.verdict == "exact" and top.note.startswith(
        "unresolved: the claim names only the title 'head of government'; the store credits Jacinda Ardern")
    # altered words keep the word-level verdict and the note
    top = verify(ardern, "We will hold the plebiscite this year", speaker="the Prime Minister")[0]
    assert top.verdict == "altered" and top.note.startswith("unresolved: the claim names only the title")


def test_a_title_the_credited_person_is_not_given_stays_misattributed(ardern):
    # a different person, named with another title
    top = verify(ardern, "The surplus will come back next year", speaker="the Prime Minister")[0]
    assert (top.verdict, top.match, top.hit.speaker) == ("misattributed", "exact", "Grant Robertson")
    assert top.note == ("the store credits Grant Robertson, not the Prime Minister; the document never "
                        "names Grant Robertson with the title 'Prime Minister'")
    # "premier" is not "prime minister" (a state's premier is not the country's prime minister)
    top = verify(ardern, REFERENDUM, speaker="the premier")[0]
    assert top.verdict == "misattributed"
    assert top.note.endswith("the document never names Jacinda Ardern with the title 'premier'")


def test_a_deputy_or_a_person_never_given_the_title_is_not_the_title(tmp_path):
    (tmp_path / "deputy").mkdir()
    store = speaker_said(tmp_path / "deputy", "Grant Robertson", "person", "Robertson",
                         "Deputy Prime Minister Grant Robertson spoke in Wellington.\n\n")
    top = verify(store, REFERENDUM, speaker="the Prime Minister")[0]
    assert top.verdict == "misattributed"
    top = verify(store, REFERENDUM, speaker="the deputy prime minister")[0]
    assert top.verdict == "exact" and top.note.startswith("unresolved: the claim names only the title")
    store = speaker_said(tmp_path, "Peter Dutton", "person", "Peter Dutton",
                         "Prime Minister Anthony Albanese spoke in Canberra.\n\n")
    top = verify(store, REFERENDUM, speaker="Prime Minister")[0]
    assert (top.verdict, top.note) == ("misattributed", "the store credits Peter Dutton, not Prime Minister; "
                                       "the document never names Peter Dutton with the title 'Prime Minister'")


def test_a_spokesman_the_document_names_with_his_ministry(tmp_path):
    lead = "Chinese Foreign Ministry spokesman Wang Wenbin spoke in Beijing on Monday.\n\n"
    store = speaker_said(tmp_path, "Wang Wenbin", "person", "Wang", lead)
    for claimed in ("the foreign ministry spokesman", "the ministry's spokesperson"):
        top = verify(store, REFERENDUM, speaker=claimed)[0]
        assert top.verdict == "exact", claimed
        assert top.note.endswith("the store credits Wang Wenbin, who holds it in this document (the document "
                                 "names 'Chinese Foreign Ministry spokesman Wang Wenbin' at 0-46)")
    top = verify(store, REFERENDUM, speaker="the defence ministry spokesman")[0]
    assert top.verdict == "misattributed"


def test_an_apposition_or_the_stored_mention_gives_the_title(tmp_path):
    (tmp_path / "a").mkdir()
    store = speaker_said(tmp_path / "a", "Jacinda Ardern", "person", "Ardern",
                         "Jacinda Ardern, New Zealand\u2019s prime minister, spoke on Tuesday.\n\n")
    top = verify(store, REFERENDUM, speaker="the Prime Minister")[0]
    assert top.verdict == "exact"
    assert top.note.endswith("(the document names 'Jacinda Ardern, New Zealand\u2019s prime minister' at 0-44)")
    # the extractor linked "the Prime Minister" to her: the store's mention is the evidence
    store = speaker_said(tmp_path, "Jacinda Ardern", "person", "the Prime Minister",
                         "Jacinda Ardern arrived in Auckland.\n\n")
    top = verify(store, REFERENDUM, speaker="Prime Minister")[0]
    assert top.verdict == "exact"
    assert top.note.endswith("(the store links 'the Prime Minister' at 78-96 to Jacinda Ardern)")


def test_not_found(seeded):
    store, _ = seeded
    got = verify(store, "Pigs will fly over Caracas before the election")
    assert [v.verdict for v in got] == ["not found"]
    assert got[0].hit is None
    with pytest.raises(ClaimError):
        verify(store, "\u201c \u2014 \u201d")


def test_like_fallback_finds_the_same(seeded, monkeypatch):
    store, _ = seeded
    q = stored(store, LATEST)
    monkeypatch.setattr(search, "uses_fts", lambda _store: False)
    top = verify(store, q["text"].replace("violence", "aggression"))[0]
    assert (top.verdict, top.hit.quote_id) == ("altered", q["id"])


def test_index_follows_deletes(tmp_path):
    db = str(tmp_path / "q.db")
    store = Store(db)
    doc = next(read_sources([str(SEED)]))
    store.add(doc, Extractor(engine="rules").extract(doc), "rules")
    assert verify(store, ISLAMIC)[0].verdict == "truncated"
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = ON")
    con.execute("DELETE FROM documents")
    con.commit()
    con.close()
    assert verify(store, ISLAMIC)[0].verdict == "not found"
    assert store.execute("SELECT count(*) FROM quote_search WHERE quote_search MATCH 'islamic'")[0][0] == 0


def test_context_units():
    text = "One. Two \u201cthree\u201d here. Four.\n\nFive. Six."
    start = text.index("\u201c")
    end = text.index("\u201d") + 1
    assert context_around(text, start, end, 0, "sentence").marked == "Two [[\u201cthree\u201d]] here."
    assert context_around(text, start, end, 1, "sentence").marked == \
        "One. Two [[\u201cthree\u201d]] here. Four."
    assert context_around(text, start, end, 1, "paragraph").span.text == text


@given(st.text())
def test_normalize_keeps_offsets(s):
    norm = normalize(s)
    assert len(norm) == len(s)
    for w in words(s):
        assert normalize(s[w.start:w.end]) == norm[w.start:w.end]


# ------------------------------------------------------------------ short quotes

SHORT_QUOTES = (  # stored in this order: the long "build the wall" quote first
    "And I always say the wall, we\u2019re going to build the wall. It\u2019s going to be a real deal,",
    "We\u2019re going to build a wall,",
    "This is fantastic!",
    "It\u2019s fine,",
    "It\u2019s doable,",
    "It\u2019s nonsense,",
    "That\u2019s terrible, terrible,",
    "He talked the talk and walked the walk,",
    "Will we be thrown out of this country?",
    "No country can be an outsider of this issue,",
    "Your Honor,",
    "Big time.",
    "I hope so,",
    "We need change,",
)


@pytest.fixture(scope="module")
def short_store(tmp_path_factory):
    return build_short_store(str(tmp_path_factory.mktemp("verify_short") / "quotes.db"))


def build_short_store(db: str) -> Store:
    """The seed article (rules engine) and an article of short quotes (hand-marked)."""
    store = Store(db)
    doc = next(read_sources([str(SEED)]))
    store.add(doc, Extractor(engine="rules").extract(doc), "rules")
    text = "".join(f"\u201c{q}\u201d Speaker {i} said.\n\n" for i, q in enumerate(SHORT_QUOTES))
    marked = [quote(text, f"\u201c{q}\u201d", "direct",
                    Speaker(f"Speaker {i}", "person", span_of(text, f"Speaker {i} ")),
                    span_of(text, "said", i + 1))
              for i, q in enumerate(SHORT_QUOTES)]
    store.add(Document.from_text(text, path="short.txt"), marked, "rules")
    return store


def diff_of(v) -> list[tuple[str, str, str]]:
    return [(c.op, c.stored, c.claimed) for c in v.diff]


@pytest.mark.parametrize("claim, stored, old, new", [
    ("This is trombone!", "This is fantastic!", "fantastic", "trombone"),  # only stop words left
    ("I hope walrus,", "I hope so,", "so", "walrus"),
    # a repeated word: the longest-block match would line "terrible" up with the wrong copy
    ("That\u2019s trombone, terrible,", "That\u2019s terrible, terrible,", "terrible", "trombone"),
    ("walrus Honor,", "Your Honor,", "Your", "walrus"),  # one shared word, rare in this store
])
def test_short_quote_with_one_word_changed(short_store, claim, stored, old, new):
    top = verify(short_store, claim)[0]
    assert (top.verdict, top.hit.text, diff_of(top)) == ("altered", stored, [("changed", old, new)])


def test_quote_as_long_as_the_claim_comes_first(short_store):
    """One word changed in a six-word quote, not the same six words altered inside a longer one."""
    got = verify(short_store, "We\u2019re going to build volcano wall,")
    assert (got[0].verdict, got[0].hit.text, diff_of(got[0])) == \
        ("altered", "We\u2019re going to build a wall,", [("changed", "a", "volcano")])
    assert got[1].hit.text.startswith("And I always say the wall")


NOTHING = "no stored quote has these words"
CHANCE = "stored quotes share only a few common words with it, as many would by chance"


@pytest.mark.parametrize("claim, note", [
    ("the weather is nice", NOTHING),
    ("the and", CHANCE),  # "talked the talk and walked ..." with a word dropped
    ("we out", CHANCE),  # "will we be thrown out": two common words with a gap
    ("an of", CHANCE),
    ("It\u2019s walrus,", CHANCE),  # one common word shared with three two-word quotes
    ("walrus,", NOTHING),  # a one-word quote changed shares nothing
])
def test_unrelated_short_claim_is_not_found(short_store, claim, note):
    got = verify(short_store, claim)
    assert [(v.verdict, v.note) for v in got] == [("not found", note)]


def test_trace_lists_no_chance_alteration(short_store):
    assert trace(short_store, "the and") == []
    got = trace(short_store, "We\u2019re going to build a wall")
    assert [(a.match, a.hit.text) for a in got] == [("exact", "We\u2019re going to build a wall,")]


# ------------------------------------------------------------------ chance of a two-word match

@pytest.fixture(scope="module")
def samples_store(tmp_path_factory):
    """The short-quote store plus the sample articles (rules engine): "final
    offer" and "Meet the Press" are quotes of samples/d_reported_speech.txt,
    "single superpower" one of the seed article."""
    store = build_short_store(str(tmp_path_factory.mktemp("verify_samples") / "quotes.db"))
    samples = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "samples").glob("*.txt"))
    extractor = Extractor(engine="rules")
    for doc in read_sources(samples):
        store.add(doc, extractor.extract(doc), "rules")
    return store


@pytest.mark.parametrize("claim, stored, old, new", [
    ("final walrus", "final offer", "offer", "walrus"),
    ("walrus offer", "final offer", "final", "walrus"),
    ("Meet the walrus", "Meet the Press", "Press", "walrus"),
    ("Your walrus,", "Your Honor,", "Honor", "walrus"),
    ("Big walrus.", "Big time.", "time", "walrus"),
    # "single" and "superpower" are each in a few stored quotes, "walrus" in none: only
    # the shared word can line up by chance (counting the claim's other word as just as
    # common, as chance() did, called these not found)
    ("single walrus,", "single superpower,", "superpower", "walrus"),
    ("walrus superpower,", "single superpower,", "single", "walrus"),
])
def test_two_word_quote_with_one_word_changed_is_altered(samples_store, claim, stored, old, new):
    top = verify(samples_store, claim)[0]
    assert (top.verdict, top.hit.text, diff_of(top)) == ("altered", stored, [("changed", old, new)])


@pytest.mark.parametrize("claim", [
    "the offer",  # each shares one word, in place, with a two-word quote above ...
    "final the",
    "big the",
    "your the",
    "to honor",  # ... but its other word is common: many quotes line up as well by chance
])
def test_pair_of_common_words_is_not_altered(samples_store, claim):
    got = verify(samples_store, claim)
    assert [(v.verdict, v.note) for v in got] == [("not found", CHANCE)]


def test_chance_counts_the_claim_words_not_shared():
    """The E-value of one shared word in place grows with how common the claim's
    other word is, and equals the old estimate (shared words only, times the
    ways to place them) when every claim word is as common."""
    from quotes.store.search import Lengths, TermStats
    from quotes.factcheck.align import _align, chance

    stats = TermStats(1000, {"big": 2, "time": 2, "the": 600, "walrus": 0})
    lengths = Lengths(10.0, {2: 99}, 999)  # a tenth of the quotes are two words long
    rare = _align(["big", "walrus"], ["big", "time"])
    common = _align(["big", "the"], ["big", "time"])
    assert rare.shared == common.shared == ("big",)
    e_rare = chance(rare, ["big", "walrus"], 2, stats, lengths)
    e_common = chance(common, ["big", "the"], 2, stats, lengths)
    assert e_rare < 0.05 < e_common
    q_big, q_walrus = 2 / 1000 / 10, 1 / 1000 / 10  # share / mean words; an unseen word counts once
    assert e_rare == pytest.approx(1000 * 0.1 * (q_big + q_walrus))
    same = _align(["big", "time"], ["big", "crowd"])
    assert chance(same, ["big", "time"], 2, stats, lengths) == pytest.approx(
        1000 * 0.1 * 2 * q_big)  # C(2, 1) x q: as before
    # without lengths: an upper bound, words not looked up taken to be in every quote
    assert chance(rare, ["big", "walrus"], 2, TermStats(1000, {"big": 10}), None) >= e_rare


# ------------------------------------------------------------------ equally close quotes

TIE = "differs from the claim as little: which one it alters, the words cannot tell"


@pytest.fixture(scope="module")
def tie_store(tmp_path_factory):
    """The seed article, an article with two quotes one word apart, and a copy of one of them."""
    store = Store(str(tmp_path_factory.mktemp("verify_tie") / "quotes.db"))
    doc = next(read_sources([str(SEED)]))
    store.add(doc, Extractor(engine="rules").extract(doc), "rules")
    for path, said in (("a.txt", ("We need change now,", "We need jobs now,")), ("b.txt", ("We need change now,",))):
        text = "".join(f"\u201c{q}\u201d Speaker {i} said.\n\n" for i, q in enumerate(said))
        marked = [quote(text, f"\u201c{q}\u201d", "direct",
                        Speaker(f"Speaker {i}", "person", span_of(text, f"Speaker {i} ")), span_of(text, "said", i + 1))
                  for i, q in enumerate(said)]
        store.add(Document.from_text(text, path=path), marked, "rules")
    return store


def test_equally_close_quotes_say_so(tie_store):
    got = verify(tie_store, "We need walrus now,")
    assert sorted((v.verdict, v.hit.text, v.note) for v in got) == [
        ("altered", "We need change now,", f"another stored quote {TIE}"),
        ("altered", "We need change now,", f"another stored quote {TIE}"),  # the copy in b.txt: not a rival
        ("altered", "We need jobs now,", f"another stored quote {TIE}"),
    ]


def test_a_closer_quote_has_no_rival(tie_store):
    got = verify(tie_store, "We need change walrus,")
    assert [(v.verdict, v.hit.text, v.note) for v in got[:2]] == [
        ("altered", "We need change now,", None), ("altered", "We need change now,", None)]
    assert all(v.hit.text != "We need jobs now," or v.similarity < got[0].similarity for v in got)


def test_reported_speech_is_no_rival_of_a_quotation(tmp_path):
    # issue 17: an altered quotation is tied only with quotations; the reported speech that
    # differs from the claim as little is a paraphrase after it, with no tie note on either
    from conftest import reported

    text = ("\u201cThe talks with the union were off,\u201d Ruiz said.\n\n"
            "The talks with the union were over, the ministry said.\n")
    doc = Document.from_text(text, path="t.txt")
    store = Store(str(tmp_path / "q.db"))
    store.add(doc, [quote(text, "\u201cThe talks with the union were off,\u201d"),
                    reported(text, "The talks with the union were over")], "rules")
    got = verify(store, "The talks with the union were done")
    assert [(v.verdict, v.match, v.hit.kind) for v in got] == [
        ("altered", "altered", "direct"), ("paraphrase: reported, not quoted", "altered", "indirect")]
    assert got[0].note is None
    assert "differ" not in (got[1].note or "") and got[1].note.startswith("reported speech: ")
