"""quotes explain ID: the chain of decisions behind one attribution."""
from __future__ import annotations

import json
from pathlib import Path

from quotes.store import Store

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
    Store(str(tmp_path / "q.db"))._ensure()
    result = run(["explain", "999", "--db", str(tmp_path / "q.db")])
    assert result.exit_code == 1
    assert result.stderr == "error: no quote with id 999\n"


MANGROVES = ("KAUST Professor Dr. Carlos Duarte leads the study.\n\n"
             "\u201cMangrove forests rank among the most intense carbon sinks,\u201d Duarte said.\n")
REEFS = "\u201cThe reefs are recovering,\u201d said Carlos Duarte, a marine scientist.\n"
MEZCAL = ("Carlos sells mezcal in Oaxaca.\n\n\u201cIf we were considered insane for selling mezcal, "
          "we were considered raving mad for selling pulque,\u201d Carlos says.\n")


def _extracted(run, tmp_path, **texts) -> str:
    db = str(tmp_path / "q.db")
    for name, text in texts.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        assert run(["extract", str(path), "--engine", "rules", "--db", db, "-q"]).exit_code == 0
    return db


def _explained(run, db, path_end):
    out = run(["list", "--db", db, "--format", "jsonl"]).stdout
    qid = next(r["id"] for r in map(json.loads, out.splitlines()) if r["document"]["path"].endswith(path_end))
    return run(["explain", str(qid), "--db", db]).stdout.splitlines(), qid


def test_explain_shows_the_link_inside_the_document_and_the_one_across_documents(run, tmp_path):
    db = _extracted(run, tmp_path, reefs=REEFS, mangroves=MANGROVES)
    lines, _ = _explained(run, db, "mangroves.txt")
    start = MANGROVES.index("Carlos Duarte")
    assert f"  in this document: 'Duarte' is 'Carlos Duarte', named at {start}-{start + 13} ('Carlos Duarte')" in lines
    assert "  speaker: Carlos Duarte (person)" in lines
    reefs = str(tmp_path / "reefs.txt")
    assert (f"  across documents: the full name 'carlos duarte' is the speaker of 1 other document: {reefs} (quote 1)"
            in lines)
    e = json.loads(run(["explain", "2", "--db", db, "--format", "json"]).stdout)
    assert e["speaker"]["across_documents"]["first"] == [{"id": 1, "path": reefs, "quote": 1}]
    assert e["speaker"]["in_document"]["named_at"] == {"start": start, "end": start + 13, "text": "Carlos Duarte"}


def test_explain_says_why_a_speaker_is_its_document_s_own_and_what_a_merge_did(run, tmp_path):
    db = _extracted(run, tmp_path, reefs=REEFS, mezcal=MEZCAL)
    lines, qid = _explained(run, db, "mezcal.txt")
    assert "  speaker: Carlos (person)" in lines
    assert ("  across documents: none; this document's own speaker: 'carlos' is a first name or surname alone, "
            "which links no documents") in lines
    assert not any(line.startswith("  in this document") for line in lines)  # the mention is the name
    assert run(["speakers", "merge", "Carlos Duarte", "carlos #2", "--db", db]).exit_code == 0
    lines, _ = _explained(run, db, "mezcal.txt")
    assert "  speaker: Carlos Duarte (person)" in lines
    moved = [line for line in lines if line.startswith("  moved by")]
    assert len(moved) == 1 and moved[0].startswith("  moved by `quotes speakers merge` at 20")
    assert moved[0].endswith(": 'carlos' from Carlos to Carlos Duarte")


def test_explain_names_the_rule_that_named_the_outlet(run, tmp_path):
    db = str(tmp_path / "q.db")
    run(["extract", str(SEED), "--engine", "rules", "--db", db])
    lines = run(["explain", str(_id_at(run, db, 1832)), "--db", db]).stdout.splitlines()
    assert ("  outlet named by: agency (outlet phrase 'carried by the state-run Korean Central "
            "News Agency (KCNA)')") in lines
    lines = run(["explain", str(_id_at(run, db, 5822)), "--db", db]).stdout.splitlines()
    assert ("  outlet named by: spokesperson (Foreign Ministry spokesman speaks for Iranian "
            "Foreign Ministry)") in lines


def test_every_outlet_the_extractor_names_has_a_rule_explain_knows(tmp_path):
    """Each way the extractor names an outlet writes a step explain recognises (the samples
    and the seed; PolNeAR dev too when ../shared is there)."""
    from quotes.extract.pipeline import Extractor
    from quotes.factcheck.explain import outlet_rule
    from quotes.sources.reader import read_sources

    root = Path(__file__).resolve().parents[1]
    paths = [str(SEED), str(root / "samples")]
    dev = root.parent / "shared" / "data" / "polnear" / "dev" / "text"
    if dev.is_dir():
        paths.append(str(dev))
    ex = Extractor(engine="rules")
    unknown, named = [], 0
    for doc in read_sources(paths):
        if not hasattr(doc, "text"):
            continue
        for q in ex.extract(doc):
            if q.outlet is not None:
                named += 1
                if outlet_rule(list(q.explanation)) is None:
                    unknown.append((doc.path, q.span.start, q.explanation))
    assert named >= 8 and unknown == []


def test_explain_places_the_name_where_the_resolver_found_it(run, tmp_path):
    # "Ana Ruiz" twice before the pronoun: the resolver links "she" to the subject of the
    # sentence before it, and explain shows that occurrence, not merely the nearest spelling
    text = ("Ana Ruiz chairs the council. Ana Ruiz met Bo Li on Monday and praised Ana Ruiz's own plan.\n\n"
            "\u201cWe will win,\u201d she said.\n")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    db = str(tmp_path / "q.db")
    run(["extract", str(tmp_path / "a.txt"), "--engine", "rules", "--db", db])
    e = json.loads(run(["explain", str(_id_at(run, db, text.index("\u201c"))), "--db", db,
                        "--format", "json"]).stdout)
    step = next(s for s in e["steps"] if s.startswith("pronoun 'she' -> Ana Ruiz (at "))
    at = int(step.rsplit("(at ", 1)[1].rstrip(")"))
    assert e["speaker"]["in_document"]["named_at"] == {"start": at, "end": at + 8, "text": "Ana Ruiz"}
    assert at == text.index("Ana Ruiz met")


def test_explain_reported_speech_adds_no_quote_marks(run, reported_db):
    result = run(["explain", "6", "--db", reported_db])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "quote 6 (indirect: reported, not quoted) articles/c.txt 12-67",
        "  the coup attempt had failed and the army stood with him",
        "  decided by sieve indirect (confidence 0.80)",
        "  mention: 'Maduro' at 0-6",
        "  cue: 'said' at 7-11",
    ]
    assert "  speaker: Nicol\u00e1s Maduro (person)" in lines
    assert lines[-1] == "  - test indirect: reported speech"
    assert run(["explain", "8", "--db", reported_db]).stdout.splitlines()[:2] == [
        "quote 8 (direct) articles/c.txt 145-175", "  \u201cThe coup attempt has failed,\u201d"]
    e = json.loads(run(["explain", "7", "--db", reported_db, "--format", "json"]).stdout)
    assert (e["kind"], e["closed"], e["start"], e["end"], e["text"], e["sieve"]) == (
        "indirect", True, 70, 89, "The talks were over", "indirect")
    assert e["outlet"]["name"] == "Reuters"
