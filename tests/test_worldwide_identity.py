"""On the 40 worldwide-dev articles (../shared, when present): loaded into ONE database in
sorted order and in reverse order, every quote's speaker is the one it has when its article
is extracted into a database of its own (issue 18, "done when"). benchmarks/worldwide_identity.py
prints the same figures."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the benchmarks package, however pytest was started
from benchmarks.worldwide_identity import run  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "worldwide-dev"


@pytest.mark.skipif(not (DATA / "text").is_dir(), reason=f"no worldwide-dev articles at {DATA} (../shared is absent)")
def test_no_quote_changes_speaker_when_the_other_articles_share_its_database(tmp_path):
    result = run(DATA, "rules", work=tmp_path)
    assert result["articles"] == 40 and result["attributed"] > 200
    assert (result["differences"], result["examples"]) == (0, [])
