"""``quotes export --format parquet``: the stored quotes as one Parquet file (pyarrow).

The columns are those of the CSV export (:data:`quotes.cli.output.QUOTE_COLUMNS`: the JSON
objects flattened with dots), typed: offsets and ids ``int64``, ``confidence`` ``float64``,
the rest ``string``; a missing speaker, outlet or cue is null. Rows are written in batches,
so memory stays flat on a large store, into a temporary file renamed over ``path`` at the
end: a failed export never leaves half a file. See docs/export.md.
"""
from __future__ import annotations

import os
import tempfile
from typing import Any, Iterable

from ..errors import QuotesError
from .output import QUOTE_COLUMNS, flatten

BATCH_ROWS = 10_000
INTEGER_COLUMNS = frozenset({
    "id", "start", "end", "speaker.start", "speaker.end", "outlet.start", "outlet.end",
    "cue.start", "cue.end",
})
FLOAT_COLUMNS = frozenset({"confidence"})


class ParquetUnavailable(QuotesError):
    """pyarrow is not installed."""


def schema() -> Any:
    """The Arrow schema of the export (raises ParquetUnavailable without pyarrow)."""
    pa = _pyarrow()
    return pa.schema([
        pa.field(name, pa.int64() if name in INTEGER_COLUMNS else
                 pa.float64() if name in FLOAT_COLUMNS else pa.string())
        for name in QUOTE_COLUMNS
    ])


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        raise ParquetUnavailable("--format parquet needs pyarrow (pip install pyarrow)") from None
    return pyarrow


def write_parquet(rows: Iterable[dict[str, Any]], path: str) -> int:
    """Write the quote objects ``rows`` to ``path``; returns how many were written."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    target = os.path.abspath(path)
    fd, tmp = tempfile.mkstemp(prefix=".quotes-export-", suffix=".parquet", dir=os.path.dirname(target))
    os.close(fd)
    arrow_schema = schema()
    n = 0
    try:
        with pq.ParquetWriter(tmp, arrow_schema, compression="zstd") as writer:
            batch: list[dict[str, Any]] = []
            for row in rows:
                flat = flatten(row)
                batch.append({c: flat.get(c) for c in QUOTE_COLUMNS})
                if len(batch) >= BATCH_ROWS:
                    writer.write_table(pa.Table.from_pylist(batch, schema=arrow_schema))
                    n += len(batch)
                    batch = []
            if batch or n == 0:
                writer.write_table(pa.Table.from_pylist(batch, schema=arrow_schema))
                n += len(batch)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return n
