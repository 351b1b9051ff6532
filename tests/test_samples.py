"""Golden tests: the rules extractor on samples/*.txt against the hand-checked samples/*.expected.json.

Expected files hold what is *right*. Quotes the current extractor gets wrong are listed in
samples/known_defects.json (with the reason); their tests are xfail(strict=True), so a fix
shows up as an XPASS failure and the entry must then be removed. Regenerate with
scripts/regen_golden.py after a deliberate change, and read the diff.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from quotes.extract.pipeline import Extractor
from quotes.types import Document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
NAMES = sorted(p.stem for p in SAMPLES.glob("*.txt"))
DEFECTS = json.loads((SAMPLES / "known_defects.json").read_text(encoding="utf-8"))


def _doc(name: str) -> Document:
    raw = (SAMPLES / f"{name}.txt").read_bytes()
    return Document.from_text(raw.decode("utf-8"), path=f"samples/{name}.txt",
                              sha256=hashlib.sha256(raw).hexdigest())


def _expected(name: str) -> list[dict]:
    return json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def predicted() -> dict[str, list[dict]]:
    ex = Extractor(engine="rules")
    return {n: [q.to_dict(_doc(n), None) for q in ex.extract(_doc(n))] for n in NAMES}


def _defects(name: str) -> list[dict]:
    return [d for d in DEFECTS if d["file"] == f"{name}.txt"]


def test_six_samples_each_with_golden_file():
    assert len(NAMES) == 6
    for n in NAMES:
        assert (SAMPLES / f"{n}.expected.json").exists(), n
        words = len(_doc(n).text.split())
        assert 80 <= words <= 250, (n, words)


def _file_params():
    out = []
    for n in NAMES:
        ds = _defects(n)
        marks = [pytest.mark.xfail(strict=True, reason="; ".join(sorted({d["reason"] for d in ds})))] if ds else []
        out.append(pytest.param(n, marks=marks, id=n))
    return out


@pytest.mark.parametrize("name", _file_params())
def test_golden_file_exact(name, predicted):
    assert predicted[name] == _expected(name)


def _quote_params():
    out = []
    for n in NAMES:
        for q in _expected(n):
            ds = [d for d in _defects(n) if (d["start"], d["end"]) == (q["start"], q["end"])]
            marks = [pytest.mark.xfail(strict=True, reason=ds[0]["reason"])] if ds else []
            out.append(pytest.param(n, q, marks=marks, id=f"{n}@{q['start']}-{q['end']}"))
    return out


@pytest.mark.parametrize("name,expected", _quote_params())
def test_golden_quote(name, expected, predicted):
    """One expected quote at a time, so one defect does not hide the rest of a file."""
    same = [p for p in predicted[name] if (p["start"], p["end"]) == (expected["start"], expected["end"])]
    assert same, f"no quote predicted at {expected['start']}-{expected['end']}"
    assert same[0] == expected


@pytest.mark.parametrize("name", NAMES)
def test_no_unexpected_quotes(name, predicted):
    """Every predicted span is expected, or is a wrong span a known defect accounts for."""
    expected = {(q["start"], q["end"]) for q in _expected(name)}
    dropped = {tuple(x) for d in _defects(name) for x in d.get("drop", [])}
    extra = [(p["start"], p["end"], p["text"]) for p in predicted[name]
             if (p["start"], p["end"]) not in expected and (p["start"], p["end"]) not in dropped]
    assert extra == []


@pytest.mark.parametrize("name", NAMES)
def test_spans_read_back(name, predicted):
    text = _doc(name).text
    for q in predicted[name] + _expected(name):
        span = text[q["start"]:q["end"]]
        assert q["text"] in span
        assert span[1:].startswith(q["text"]) or span.startswith(q["text"])
        for key in ("speaker", "outlet", "cue"):
            m = q[key]
            if m and m.get("start") is not None:
                assert text[m["start"]:m["end"]] == m["text"], (key, m)


def test_extracted_quote_spans_are_exact():
    """On the Quote objects themselves: text[start:end] is the span and the content text."""
    ex = Extractor(engine="rules")
    for n in NAMES:
        doc = _doc(n)
        for q in ex.extract(doc):
            assert doc.text[q.start:q.end] == q.span.text
            assert doc.text[q.content.start:q.content.end] == q.content.text == q.text
            assert q.span.start <= q.content.start <= q.content.end <= q.span.end


def test_known_defects_point_at_expected_entries():
    for d in DEFECTS:
        name = d["file"].removesuffix(".txt")
        assert any((q["start"], q["end"]) == (d["start"], d["end"]) for q in _expected(name)), d
        assert d["reason"]


def test_regen_golden_is_consistent():
    """scripts/regen_golden.py would leave the golden files as they are (defect entries kept)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("regen_golden", ROOT / "scripts" / "regen_golden.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    ex = Extractor(engine="rules")
    for n in NAMES:
        assert mod.merge(n, mod.predict(ex, n), _expected(n), DEFECTS) == _expected(n)
