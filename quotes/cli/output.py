"""Output formats shared by every listing command.

``@output_options`` adds ``--format table|json|jsonl|csv``; ``emit`` writes an
iterable of dicts in that format, streaming row by row (only ``table`` needs
all rows first, to size its columns).
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable, Iterable, Iterator, Sequence

import click

FORMATS = ("table", "json", "jsonl", "csv")
MAX_CELL = 60

# Flattened columns of a quote object (csv); the table shows fewer.
QUOTE_COLUMNS = (
    "id", "document.path", "document.sha256", "document.title", "start", "end", "text", "kind",
    "speaker.name", "speaker.type", "speaker.start", "speaker.end", "speaker.text",
    "outlet.name", "outlet.start", "outlet.end", "outlet.text",
    "cue.start", "cue.end", "cue.text", "sieve", "confidence",
)
QUOTE_TABLE = ("id", "speaker.name", "kind", "text", "document.path")


def output_options(fn: Callable | None = None, *, default: str | None = "table") -> Callable:
    """Decorator adding ``--format``; use bare or as ``output_options(default=...)``."""

    def decorate(f: Callable) -> Callable:
        return click.option(
            "--format", "fmt", type=click.Choice(FORMATS), default=default,
            show_default=default is not None, help="Output format.",
        )(f)

    return decorate(fn) if fn is not None else decorate


def dumps(obj: Any, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"speaker": {"name": x}}`` -> ``{"speaker.name": x}``; lists joined by "; "."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        name = prefix + key
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, (list, tuple)):
            flat[name] = "; ".join(str(v) for v in value)
        else:
            flat[name] = value
    return flat


def emit(
    rows: Iterable[dict[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    table_columns: Sequence[str] | None = None,
    write: Callable[[str], None] | None = None,
) -> int:
    """Write rows in ``fmt``; returns how many rows were written.

    ``columns`` fixes the csv/table columns (flattened names; default: the
    first row's); ``table_columns`` narrows the table further.
    """
    out = write or click.echo
    if fmt == "jsonl":
        return _count(out(dumps(row)) for row in rows)
    if fmt == "json":
        return _json_array(rows, out)
    if fmt == "csv":
        return _csv(rows, columns, out)
    if fmt == "table":
        return _table(rows, table_columns or columns, out)
    raise ValueError(f"unknown format {fmt!r}")


def _count(it: Iterator[Any]) -> int:
    return sum(1 for _ in it)


def _json_array(rows: Iterable[dict[str, Any]], out: Callable[[str], None]) -> int:
    """``[{..},\n {..}]``: one row per line, written with a one-row lag."""
    n = 0
    pending: str | None = None
    for row in rows:
        if pending is not None:
            out(pending + ",")
        pending = ("[" if n == 0 else " ") + dumps(row)
        n += 1
    out("[]" if pending is None else pending + "]")
    return n


def _csv(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None, out: Callable[[str], None]) -> int:
    buf = io.StringIO()
    writer: csv.writer | None = None  # type: ignore[valid-type]
    n = 0
    for row in rows:
        flat = flatten(row)
        if writer is None:
            columns = list(columns or flat)
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(columns)
        writer.writerow(["" if flat.get(c) is None else flat.get(c) for c in columns])  # type: ignore[union-attr]
        out(buf.getvalue().rstrip("\n"))
        buf.seek(0)
        buf.truncate()
        n += 1
    if writer is None and columns:
        out(",".join(columns))
    return n


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _table(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None, out: Callable[[str], None]) -> int:
    flat_rows = [flatten(r) for r in rows]
    if columns is None:
        columns = list(flat_rows[0]) if flat_rows else []
    if not columns:
        return 0
    cells = [[_cell(r.get(c)) for c in columns] for r in flat_rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    numeric = [
        all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in flat_rows) and bool(flat_rows)
        for c in columns
    ]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    out(line(list(columns)))
    out(line(["-" * w for w in widths]))
    for row in cells:
        out(line(row))
    return len(cells)
