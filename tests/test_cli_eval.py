"""quotes eval: the same figures as ../shared/eval/score.py, on brat and JSON gold."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
POLNEAR = SHARED / "data" / "polnear"
needs_shared = pytest.mark.skipif(not (SCORER.exists() and POLNEAR.is_dir()),
                                  reason="../shared (scorer and PolNeAR) is not beside this clone")


def test_eval_json_gold_of_a_sample(run, tmp_path):
    text = "“We will win,” Jane Smith said. “Never,” said Bob Jones.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    gold = {"document": "a.txt", "chars": len(text), "quotes": [
        {"start": 0, "end": 14, "text": text[0:14], "kind": "direct", "speaker": ["Jane Smith"],
         "outlet": None, "optional": False},
        {"start": 31, "end": 39, "text": text[31:39], "kind": "direct", "speaker": ["Bob Jones"],
         "outlet": ["Reuters"], "optional": False}]}
    (tmp_path / "a.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    result = run(["eval", "--gold", str(tmp_path / "a.gold.json"), "--engine", "rules"])
    assert result.exit_code == 0, result.stderr
    r = json.loads(result.stdout)
    assert {k: r[k] for k in ("required", "found", "speaker_ok", "outlet_ok", "outlet_needed",
                              "false_positives")} == \
        {"required": 2, "found": 2, "speaker_ok": 2, "outlet_ok": 0, "outlet_needed": 1, "false_positives": 0}


def test_eval_missing_document(run, tmp_path):
    (tmp_path / "a.gold.json").write_text(json.dumps({"document": "nope.txt", "chars": 1, "quotes": []}))
    result = run(["eval", "--gold", str(tmp_path / "a.gold.json"), "--engine", "rules"])
    assert result.exit_code == 1
    assert "document nope.txt not found" in result.stderr


@needs_shared
@pytest.mark.parametrize("split", ["dev"])
def test_eval_agrees_with_the_shared_scorer_on_polnear(run, tmp_path, split):
    pred = tmp_path / "pred.jsonl"
    from quotes.extract.pipeline import Extractor
    from quotes.types import Document
    ex = Extractor(engine="rules")
    with pred.open("w", encoding="utf-8") as fh:
        for p in sorted((POLNEAR / split / "text").glob("*.txt")):
            doc = Document.from_text(p.open(encoding="utf-8", newline="").read(), path=str(p))
            for q in ex.extract(doc):
                fh.write(json.dumps(q.to_dict(doc), ensure_ascii=False) + "\n")
    ours = json.loads(run(["eval", "--gold", str(POLNEAR), "--split", split, "--pred", str(pred)]).stdout)
    theirs = json.loads(subprocess.run([sys.executable, str(SCORER), "polnear", "--data", str(POLNEAR),
                                        "--split", split, "--pred", str(pred)],
                                       capture_output=True, text=True, check=True).stdout)
    assert ours == theirs


@needs_shared
def test_eval_agrees_with_the_shared_scorer_on_the_seed(run, tmp_path):
    gold = SHARED / "eval" / "seed.gold.json"
    ours = json.loads(run(["eval", "--gold", str(gold), "--texts", str(ROOT / "seeds"), "--engine", "rules"]).stdout)
    pred = tmp_path / "p.jsonl"
    run(["extract", str(ROOT / "seeds"), "--engine", "rules", "--db", str(tmp_path / "q.db"), "--format", "jsonl"])
    pred.write_text(run(["export", "--db", str(tmp_path / "q.db")]).stdout, encoding="utf-8")
    theirs = json.loads(subprocess.run([sys.executable, str(SCORER), "seed", "--gold", str(gold), "--pred", str(pred)],
                                       capture_output=True, text=True, check=True).stdout)
    assert ours == theirs
    assert (ours["found"], ours["speaker_ok"], ours["outlet_ok"], ours["false_positives"]) == (13, 13, 8, 0)


WORLDWIDE = SHARED / "data" / "worldwide-dev"


@pytest.mark.skipif(not (SCORER.exists() and (WORLDWIDE / "gold").is_dir()),
                    reason="../shared (scorer and worldwide-dev) is not beside this clone")
def test_eval_agrees_with_the_shared_scorer_on_worldwide_dev(run, tmp_path):
    ours = json.loads(run(["eval", "--gold", str(WORLDWIDE), "--engine", "rules"]).stdout)
    db = str(tmp_path / "q.db")
    pred = tmp_path / "p.jsonl"
    pred.write_text(run(["extract", str(WORLDWIDE / "text"), "--engine", "rules", "--db", db,
                         "--format", "jsonl"]).stdout, encoding="utf-8")
    theirs = json.loads(subprocess.run([sys.executable, str(SCORER), "seed", "--gold", str(WORLDWIDE / "gold"),
                                        "--pred", str(pred)], capture_output=True, text=True, check=True).stdout)
    assert ours == theirs
