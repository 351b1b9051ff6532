"""quotes explain ID: the chain of decisions behind one attribution."""
from __future__ import annotations

import json
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_133ad203e76a5764.txt"


def _id_at(run, db, start):
    out = run(["list", "--db", db, "--format", "jsonl"]).stdout
    return next(r["id"] for r in map(json.loads, out.splitlines()) if r["start"] == start)


def test_explain_the_spokesman_quote(run, tmp_path):
    db = str(tmp_path / "q.db")
    assert run(["extract", str(SEED), "--engine", "rules", "--db", db]).exit_code == 0
    qid = _id_at(run, db, 5822)
    result = run(["explain", str(qid), "--db", db])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"quote {qid} (direct) {SEED} 5822-5934"
    assert lines[2] == "  decided by sieve next_paragraph_cue (confidence 0.85)"
    assert lines[3].startswith("  mention: 'Foreign Ministry spokesman Seyyed Abbas Mousavi' at ")
    assert "role Foreign Ministry spokesman" in lines[3]
    assert "  speaker: Seyyed Abbas Mousavi (person)" in lines
    assert "  outlet: Iranian Foreign Ministry" in lines


def test_explain_a_pronoun_free_continuation_and_json(run, tmp_path):
    db = str(tmp_path / "q.db")
    run(["extract", str(SEED), "--engine", "rules", "--db", db])
    qid = _id_at(run, db, 2508)  # the statement's third quote: no cue of its own
    e = json.loads(run(["explain", str(qid), "--db", db, "--format", "json"]).stdout)
    assert e["sieve"] == "continuation"
    assert e["speaker"]["name"] == "North Korean foreign ministry"
    assert any(step.startswith("continues quote at 2157") for step in e["steps"])
    assert e["outlet"]["name"] == "Korean Central News Agency"


def test_explain_unknown_id(run, tmp_path):
    result = run(["explain", "999", "--db", str(tmp_path / "q.db")])
    assert result.exit_code == 1
    assert result.stderr == "error: no quote with id 999\n"
