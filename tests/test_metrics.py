"""The scorer behind `quotes eval`: matching, name comparison, brat and JSON gold."""
from __future__ import annotations

import json

import pytest

from quotes.evaluation import metrics


@pytest.mark.parametrize("text, span, expected", [
    ("“Hello, world.”", (0, 15), (1, 13)),
    ("say ‘yes’ now", (4, 9), (5, 8)),
    ("   ", (0, 3), (3, 3)),
])
def test_trim(text, span, expected):
    assert metrics.trim(text, *span) == expected


@pytest.mark.parametrize("pred, accept, ok", [
    ("Nicolás Maduro", ["Maduro"], True),
    ("President Maduro", ["Nicolas Maduro"], True),
    ("the North Korean foreign ministry", ["North Korean foreign ministry"], True),
    ("Kim Jong-un", ["Kim Yong-nam"], False),
    ("he", ["Maduro"], False),  # no content words
    (None, ["Maduro"], False),
])
def test_names_match(pred, accept, ok):
    assert metrics.names_match(pred, accept) is ok


def test_match_is_one_to_one_and_thresholded():
    text = "“aaaa bbbb” and “cccc dddd eeee”"
    gold = [(0, 11), (16, 32)]
    pred = [(16, 26), (0, 11)]
    m = metrics.match(gold, pred, text, 0.8)
    assert m == {0: (1, 1.0)}  # (16, 26) keeps 9 of the 14 trimmed chars of the second: below 0.8
    assert metrics.match(gold, pred, text, 0.5) == {0: (1, 1.0), 1: (0, 9 / 14)}
    # one prediction per gold quote: two gold quotes never share one prediction
    assert len(metrics.match([(0, 11), (0, 11)], [(0, 11)], text, 0.8)) == 1


def _brat(tmp_path, text, ann):
    (tmp_path / "dev" / "text").mkdir(parents=True)
    (tmp_path / "dev" / "attributions").mkdir()
    (tmp_path / "dev" / "text" / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "dev" / "attributions" / "a_x1.ann").write_text(ann, encoding="utf-8")


TEXT = "Smith spoke. “We win,” he said. Jones said it was “a lie” today. “Hi.”"
ANN = (
    "T1\tSource 13+9 13+9\the\n".replace("13+9 13+9", "23 25")
    + "T2\tCue 26 30\tsaid\n"
    + "T3\tContent 13 22\t“We win,”\n"
    + "E1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n"
    + "T4\tSource 32 37\tJones\n"
    + "T5\tCue 38 42\tsaid\n"
    + "T6\tContent 43 57\tit was “a lie”\n"
    + "E2\tAttribution:T5 Content:T6 Cue:T5 Source:T4\n"
    + "T7\tSource 0 5\tSmith\n"
    + "T8\tCue 6 11\tspoke\n"
    + "T9\tContent 0 0\t\n"
    + "E3\tAttribution:T8 Content:T9 Cue:T8 Source:T7\n"
)


def test_brat_scores(tmp_path):
    assert (TEXT[13:22], TEXT[23:25], TEXT[50:57]) == ("“We win,”", "he", "“a lie”")
    _brat(tmp_path, TEXT, ANN)
    preds = metrics.predictions_by_document([
        {"document": {"path": "x/a.txt"}, "start": 13, "end": 22, "kind": "direct",
         "speaker": {"name": "Smith", "start": 23, "end": 25, "text": "he"}},
        {"document": {"path": "x/a.txt"}, "start": 50, "end": 57, "kind": "partial",
         "speaker": {"name": "Smith", "start": 0, "end": 5, "text": "Smith"}},
        {"document": {"path": "x/a.txt"}, "start": 65, "end": 70, "kind": "direct", "speaker": None},
        {"document": {"path": "x/a.txt"}, "start": 0, "end": 5, "kind": "scare", "speaker": None},
    ])
    r = metrics.score_brat(tmp_path, "dev", preds)
    assert r["direct"] == {"gold": 1, "found": 1, "recall@0.8": 1.0, "exact_recall": 1.0,
                           "speaker_acc": 1.0, "mention_acc": 1.0}
    assert r["partial"]["found"] == 1 and r["partial"]["speaker_acc"] == 0.0  # Smith is not Jones
    assert (r["pred"], r["pred_fp"], r["pred_neutral"]) == (3, 1, 0)  # the scare quote is not speech
    assert r["precision@0.8"] == round(2 / 3, 4)
    assert r["direct_end_to_end_recall"] == 1.0


def test_pronoun_source_reads_as_the_nearest_earlier_name(tmp_path):
    _brat(tmp_path, TEXT, ANN)
    preds = metrics.predictions_by_document([
        {"document": {"path": "a.txt"}, "start": 13, "end": 22, "kind": "direct",
         "speaker": {"name": "Smith", "start": 60, "end": 62, "text": "xx"}},
    ])
    # the gold source of the first quote is "he": read as Smith, the nearest earlier named source
    assert metrics.score_brat(tmp_path, "dev", preds)["direct"]["speaker_acc"] == 1.0


def test_indirect_block(tmp_path):
    # E2's content "it was “a lie”" and E3's empty one hold no fragment wholly in quote marks
    _brat(tmp_path, TEXT, ANN)
    rec = {"document": {"path": "a.txt"}, "kind": "indirect"}
    preds = metrics.predictions_by_document([
        {**rec, "start": 43, "end": 57, "speaker": {"name": "Jones", "start": 32, "end": 37, "text": "Jones"}},
        {**rec, "start": 13, "end": 22, "speaker": None},   # inside annotated content: neutral
        {**rec, "start": 0, "end": 11, "speaker": None},    # outside any content: a false positive
    ])
    r = metrics.score_brat(tmp_path, "dev", preds)
    assert r["indirect"] == {"gold": 2, "pred": 3, "found": 1, "recall@0.5": 0.5,
                             "precision@0.5": round(1 / 3, 4), "precision_outside_content": 0.5,
                             "f1@0.5": 0.4, "speaker_acc": 1.0, "end_to_end_recall": 0.5}
    # indirect predictions never count for or against direct and partial quotes
    assert (r["pred"], r["direct"]["found"], r["partial"]["found"]) == (0, 0, 0)


def test_outlet_extra_counts_outlets_the_gold_does_not_name(tmp_path):
    text = "“We win,” Ana Ruiz said. “We lose,” Bo Li told Reuters."
    gold = {"document": "a.txt", "chars": len(text), "quotes": [
        {"start": 0, "end": 9, "text": text[0:9], "speaker": ["Ana Ruiz"], "outlet": None},
        {"start": 25, "end": 35, "text": text[25:35], "speaker": ["Bo Li"], "outlet": ["Reuters"]}]}
    (tmp_path / "a.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    rec = {"document": {"path": "a.txt"}, "kind": "direct", "outlet": {"name": "Reuters"}}
    preds = metrics.predictions_by_document([
        {**rec, "start": 0, "end": 9, "speaker": {"name": "Ana Ruiz"}},
        {**rec, "start": 25, "end": 35, "speaker": {"name": "Bo Li"}}])
    r = metrics.score_json_gold([tmp_path / "a.gold.json"], preds)
    assert (r["outlet_ok"], r["outlet_needed"], r["outlet_extra"]) == (1, 1, 1)
