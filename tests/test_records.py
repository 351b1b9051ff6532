"""quotes.scale.records: one article in, plain rows out; rows written idempotently."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import corpus, expected_objects
from quotes.errors import ReadError, StoreError
from quotes.extract.pipeline import Extractor
from quotes.sources.reader import read_sources
from quotes.scale.records import (article_document, article_records, document_records, records_quotes,
                            write_records)
from quotes.store import Store
from quotes.types import Span

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def rules() -> Extractor:
    return Extractor(engine="rules")


def sample_articles() -> list[dict]:
    return [{"id": p.name, "text": p.read_text(encoding="utf-8"), "title": p.stem}
            for p in sorted(SAMPLES.glob("*.txt"))]


def test_records_are_plain_json_and_give_back_the_extracted_quotes(rules):
    articles = sample_articles()
    assert articles
    for article in articles:
        rec = article_records(article, rules)
        again = json.loads(json.dumps(rec))
        assert again == rec
        doc, found = records_quotes(again)
        assert doc == article_document(article)
        expected = rules.extract(doc)
        assert found == expected
        assert [q.explanation for q in found] == [q.explanation for q in expected]
        assert len(rec["quotes"]) == len(rec["attributions"]) == len(expected)


def test_records_cross_reference_by_index_and_keep_offsets(rules):
    for article in sample_articles():
        rec = article_records(article, rules)
        text = rec["document"]["text"]
        for q in rec["quotes"]:
            assert text[q["content_start"]:q["content_end"]] == q["text"]
        for m in rec["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
            assert 0 <= m["speaker"] < len(rec["speakers"])
        for a in rec["attributions"]:
            for key in ("cue", "outlet_span"):
                if a[key] is not None:
                    assert text[a[key]["start"]:a[key]["end"]] == a[key]["text"]
            if a["mention"] is not None:
                assert rec["mentions"][a["mention"]]["speaker"] == a["speaker"]


def test_article_document_follows_the_reader_rules(tmp_path):
    articles = [{"id": "a1", "text": "He said “yes.”", "url": "https://x/1", "date": "2020-01-01"},
                {"path": "p/2.txt", "text": "Two", "title": "T"},
                {"text": "No name at all", "publisher": "P"},
                {"id": 7, "text": "Numeric id"}]
    corpus_path = tmp_path / "c.jsonl"
    corpus_path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    read = list(read_sources([str(corpus_path)]))
    mine = [article_document(a, default_path=f"{corpus_path}#{n}") for n, a in enumerate(articles, start=1)]
    assert mine == read


@pytest.mark.parametrize("article, reason", [
    ({"title": "x"}, 'missing "text" string'),
    ({"text": 3}, 'missing "text" string'),
    ({"text": "t", "id": ["x"]}, '"id" must be a string'),
    ({"text": "t", "date": True}, '"date" must be a string'),
    (["text"], "expected a JSON object, got list"),
    ({"text": "bad \ud800 surrogate"}, '"text" contains an unpaired surrogate'),
])
def test_bad_articles_raise_one_line(article, reason, rules):
    with pytest.raises(ReadError) as e:
        article_records(article, rules)
    assert str(e.value) == reason


def test_write_records_stores_what_add_stores_and_reruns_add_nothing(db_path, tmp_path):
    records = [document_records(doc, found, "rules") for doc, found in corpus()]
    store = Store(db_path)
    results = write_records(store, records)
    assert [added for _, added in results] == [True, True]
    assert list(store.quotes()) == expected_objects()
    counts = {t: store.execute(f"select count(*) from {t}")[0][0]
              for t in ("documents", "quotes", "speakers", "speaker_mentions", "attributions", "outlets")}
    again = write_records(store, records + records)  # a rerun, and a batch holding duplicates
    assert again == [(doc_id, False) for doc_id, _ in results] * 2
    assert {t: store.execute(f"select count(*) from {t}")[0][0] for t in counts} == counts
    assert write_records(store, []) == []


def test_a_record_whose_span_does_not_match_writes_nothing(db_path):
    doc, found = corpus()[0]
    rec = document_records(doc, found, "rules")
    rec["mentions"][0]["text"] = "Mayor Jane Smyth"
    store = Store(db_path)
    with pytest.raises(StoreError, match=r"^articles/a.txt: speaker span 0-16 does not match the document text$"):
        write_records(store, [document_records(*corpus()[1], "rules"), rec])
    assert store.execute("select count(*) from documents")[0][0] == 0


def test_records_quotes_rejects_an_unknown_version():
    rec = document_records(*corpus()[0], "rules")
    rec["version"] = 99
    with pytest.raises(ValueError, match="unknown record version 99"):
        records_quotes(rec)


def test_quote_span_text_comes_from_the_document():
    doc, found = corpus()[0]
    _, back = records_quotes(document_records(doc, found, "rules"))
    assert [q.span for q in back] == [Span.of(doc.text, q.span.start, q.span.end) for q in found]
