"""The seed article: the rules extractor against the hand-made gold in ../shared/eval (when
present), scored with the same leniency as ../shared/eval/score.py, plus facts checked directly."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from quotes.extract.pipeline import Extractor
from quotes.types import Document

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_133ad203e76a5764.txt"
EVAL = ROOT.parent / "shared" / "eval"
GOLD = EVAL / "seed.gold.json"
SCORER = EVAL / "score.py"


@pytest.fixture(scope="module")
def seed():
    text = SEED.read_text(encoding="utf-8")
    doc = Document.from_text(text, path=f"seeds/{SEED.name}")
    return doc, Extractor(engine="rules").extract(doc)


def _at(quotes, start, end):
    hit = [q for q in quotes if (q.start, q.end) == (start, end)]
    assert hit, f"no quote at {start}-{end}"
    return hit[0]


def _gold_rows(seed):
    if not GOLD.exists() or not SCORER.exists():
        pytest.skip(f"no shared gold/scorer at {EVAL} (../shared is not beside the repo)")
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    doc, quotes = seed
    # predictions in the scorer's own reading of the JSON contract
    preds = []
    for q in quotes:
        r = q.to_dict(doc)
        if r["kind"] in score.NON_SPEECH:
            continue
        sp, ou = r["speaker"] or {}, r["outlet"] or {}
        preds.append({"start": r["start"], "end": r["end"], "kind": r["kind"], "speaker": sp.get("name"),
                      "speaker_text": sp.get("text"),
                      "speaker_span": (sp["start"], sp["end"]) if sp.get("start") is not None else None,
                      "outlet": ou.get("name")})
    counts, rows = score.score_gold_doc(gold, preds)
    return gold, counts, rows


def test_seed_gold_is_the_seed(seed):
    if not GOLD.exists():
        pytest.skip(f"no shared gold at {GOLD}")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    doc, _ = seed
    assert gold["chars"] == len(doc.text)
    assert sum(1 for q in gold["quotes"] if not q["optional"]) == 13


def _row_ids():
    if not GOLD.exists():
        return ["no-gold"]
    return [f"{q['start']}" for q in json.loads(GOLD.read_text(encoding="utf-8"))["quotes"] if not q["optional"]]


@pytest.mark.parametrize("idx", range(13), ids=_row_ids() if len(_row_ids()) == 13 else None)
def test_required_gold_quote(seed, idx):
    gold, counts, rows = _gold_rows(seed)
    assert counts["required"] == 13
    row = rows[idx]
    assert row["found"], row
    assert row["speaker_ok"], row
    if "outlet_ok" in row:
        assert row["outlet_ok"], row


def test_seed_totals(seed):
    _, counts, _ = _gold_rows(seed)
    assert counts["found"] == 13
    assert counts["speaker_ok"] == 13
    assert counts["outlet_ok"] == counts["outlet_needed"]
    assert counts["false_positives"] == 0


# ------------------------------------------------------------- facts independent of ../shared

def test_mousavi(seed):
    doc, quotes = seed
    q = _at(quotes, 5822, 5934)
    assert doc.text[5822] == "“" and doc.text[5933] == "”"
    assert q.kind == "direct"
    assert q.speaker is not None and q.speaker.name == "Seyyed Abbas Mousavi"
    assert q.outlet is not None and "Foreign Ministry" in q.outlet.name


def test_expanded_is_arreaza(seed):
    doc, quotes = seed
    start = doc.text.index("“expanded”")
    q = _at(quotes, start, start + len("“expanded”"))
    assert q.speaker is not None and "Arreaza" in q.speaker.name


def test_single_superpower_nested_in_2508(seed):
    doc, quotes = seed
    outer = _at(quotes, 2508, 2745)
    start = doc.text.index("‘single superpower,’")
    inner = _at(quotes, start, start + len("‘single superpower,’"))
    assert outer.start < inner.start and inner.end < outer.end
    assert inner.kind in ("scare", "partial")
    assert outer.kind == "direct"


def test_kcna_statement(seed):
    doc, quotes = seed
    q = _at(quotes, 1832, 2041)
    assert q.kind == "direct" and q.sieve == "trailing_cue"
    assert "foreign ministry" in q.speaker.name.lower()
    assert q.outlet is not None and q.outlet.name == "Korean Central News Agency"
    assert q.outlet.mention is not None and "KCNA" in q.outlet.mention.text


def test_statement_continued_is_the_ministry(seed):
    _, quotes = seed
    for start, end in ((2157, 2482), (2508, 2745)):
        q = _at(quotes, start, end)
        assert q.speaker is not None and "foreign ministry" in q.speaker.name.lower(), (start, q.speaker)


def test_stray_break_quote_is_one_span(seed):
    doc, quotes = seed
    start = doc.text.index("“the firm support")
    end = doc.text.index("revolution.”") + len("revolution.”")
    q = _at(quotes, start, end)
    assert q.closed and "\n\nand solidarity" in q.text


def test_no_apostrophe_quotes(seed):
    doc, quotes = seed
    for q in quotes:
        assert doc.text[q.start] in "“‘", q
        assert doc.text[q.start:q.end] == q.span.text


def test_party_is_workers_party(seed):
    """“the party” resolves to the party named earlier in the paragraph."""
    doc, quotes = seed
    start = doc.text.index("“the firm support")
    q = next(q for q in quotes if q.start == start)
    assert q.speaker.name == "Workers’ Party of Korea"


def test_maduro_full_name(seed):
    """A surname resolves to the full name used earlier; the outlet comes from 'on Twitter'."""
    doc, quotes = seed
    start = doc.text.index("“strengthen")
    q = next(q for q in quotes if q.start == start)
    assert q.speaker.name in ("Nicolás Maduro", "Nicolas Maduro")
    assert q.outlet is not None and q.outlet.name == "Twitter"
