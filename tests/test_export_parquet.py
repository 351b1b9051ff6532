"""quotes export --format parquet --output FILE (and --output for the text formats)."""
from __future__ import annotations

import os
import stat

import pytest

from conftest import expected_objects
from quotes.cli.output import QUOTE_COLUMNS, flatten
from quotes.store import Store

pa = pytest.importorskip("pyarrow", reason="--format parquet needs pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def test_parquet_has_the_csv_columns_typed(run, filled_db, tmp_path):
    out = tmp_path / "quotes.parquet"
    result = run(["export", "--db", filled_db, "--format", "parquet", "--output", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    table = pq.read_table(out)
    assert table.schema.names == list(QUOTE_COLUMNS)
    types = {f.name: str(f.type) for f in table.schema}
    assert types["id"] == types["start"] == types["speaker.start"] == types["cue.end"] == "int64"
    assert types["confidence"] == "double" and types["text"] == types["speaker.name"] == "string"
    expected = [{c: flatten(o).get(c) for c in QUOTE_COLUMNS} for o in expected_objects()]
    assert table.to_pylist() == expected
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o666 & ~_umask()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".quotes-export-")]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_parquet_of_an_empty_store_has_the_schema(run, db_path, tmp_path):
    out = tmp_path / "empty.parquet"
    Store(db_path)._ensure()  # an empty store (export never creates one)
    assert run(["export", "--db", db_path, "--format", "parquet", "-o", str(out)]).exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == 0 and table.schema.names == list(QUOTE_COLUMNS)


def test_parquet_needs_an_output_file(run, filled_db):
    result = run(["export", "--db", filled_db, "--format", "parquet"])
    assert result.exit_code == 2 and "--format parquet needs --output FILE" in result.stderr
    assert result.stdout == ""


def test_output_file_for_text_formats(run, filled_db, tmp_path):
    for fmt in ("jsonl", "csv"):
        out = tmp_path / f"q.{fmt}"
        assert run(["export", "--db", filled_db, "--format", fmt, "--output", str(out)]).stdout == ""
        assert out.read_text(encoding="utf-8") == run(["export", "--db", filled_db, "--format", fmt]).stdout
