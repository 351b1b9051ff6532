"""Reading the store: ``quotes list``, ``export``, ``documents``, ``speakers`` (and
``speakers merge``), ``outlets`` and ``show``."""
from __future__ import annotations

from typing import Any, Iterator

import click

from ..errors import StoreError
from ..types import KINDS
from .common import db_option, kind_label, open_store
from .output import FORMATS, QUOTE_COLUMNS, QUOTE_TABLE, dumps, emit, output_options


@click.command("list")
@click.option("--speaker", help="Speaker name, alias or whole word of one.")
@click.option("--outlet", help="Outlet name or whole word of one.")
@click.option("--document", help="Document id, path, basename, external id or sha256.")
@click.option("--kind", type=click.Choice(KINDS), help="Only quotes of this kind.")
@db_option
@output_options
def list_quotes(speaker: str | None, outlet: str | None, document: str | None,
                kind: str | None, db: str, fmt: str) -> None:
    """List stored quotes."""
    rows = open_store(db).quotes(speaker=speaker, outlet=outlet, document=document, kind=kind)
    emit(rows, fmt, columns=QUOTE_COLUMNS, table_columns=QUOTE_TABLE)


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS + ("parquet",)), default="jsonl",
              show_default=True, help="Output format (parquet: needs pyarrow and --output).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to FILE instead of standard output.")
def export(db: str, fmt: str, output: str | None = None) -> None:
    """Every stored quote (default: JSON lines; docs/export.md)."""
    rows = open_store(db).quotes()
    if fmt == "parquet":
        if not output:
            raise click.UsageError("--format parquet needs --output FILE")
        from .parquet import write_parquet

        write_parquet(rows, output)
    elif output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            emit(rows, fmt, columns=QUOTE_COLUMNS, table_columns=QUOTE_TABLE, write=lambda s: fh.write(s + "\n"))
    else:
        emit(rows, fmt, columns=QUOTE_COLUMNS, table_columns=QUOTE_TABLE)


@click.command()
@db_option
@output_options
def documents(db: str, fmt: str) -> None:
    """Stored documents with their quote counts."""
    emit(open_store(db).documents(), fmt,
         table_columns=("id", "path", "title", "quotes", "engine", "extracted_at"))


@click.group(invoke_without_command=True)
@db_option
@output_options
@click.pass_context
def speakers(ctx: click.Context, db: str, fmt: str) -> None:
    """Canonical speakers with quote counts (and `speakers merge`)."""
    ctx.obj = db
    if ctx.invoked_subcommand is None:
        emit(open_store(db).speakers(), fmt, columns=("id", "name", "type", "quotes", "document", "evidence", "aliases"),
             table_columns=("id", "name", "type", "quotes", "document", "aliases"))


@speakers.command("merge")
@click.argument("keep")
@click.argument("other")
@click.option("--db", envvar="QUOTES_DB", default=None, help="As for `quotes speakers`.")
@click.pass_context
def speakers_merge(ctx: click.Context, keep: str, other: str, db: str | None) -> None:
    """Fold speaker OTHER into KEEP (ids, names or aliases); OTHER's keys become aliases."""
    result = open_store(db or ctx.obj).merge_speakers(keep, other)
    click.echo(f"merged {result['merged']} into {result['name']} (id {result['id']}); "
               f"{result['quotes']} quote{'' if result['quotes'] == 1 else 's'} moved")


@speakers.command("relink")
@click.option("--dry-run", is_flag=True, help="Say what would move; change nothing.")
@click.option("--db", envvar="QUOTES_DB", default=None, help="As for `quotes speakers`.")
@click.pass_context
def speakers_relink(ctx: click.Context, dry_run: bool, db: str | None) -> None:
    """Move quotes stored before the identity rules (docs/identity.md) to the speaker their own
    name gives: a surname, a title or a common noun to its document's own speaker."""
    moves = open_store(db or ctx.obj).relink_speakers(dry_run=dry_run)
    for m in moves:
        n = len(m["quotes"])
        click.echo(f"{m['from_key']} -> {m['to_key']}: {n} quote{'' if n == 1 else 's'} from {m['from']} "
                   f"({m['evidence']})")
    quotes_n = sum(len(m["quotes"]) for m in moves)
    click.echo(f"{'would move' if dry_run else 'moved'} {quotes_n} quote{'' if quotes_n == 1 else 's'}")


@click.command()
@db_option
@output_options
def outlets(db: str, fmt: str) -> None:
    """Outlets quotes were attributed through, with counts."""
    emit(open_store(db).outlets(), fmt, columns=("id", "name", "quotes"))


@click.command()
@click.argument("quote_id", type=int)
@db_option
@output_options
@click.option("--context", type=click.IntRange(min=0), default=None,
              help="Show N sentences on each side of the quote (--paragraphs: N paragraphs).")
@click.option("--paragraphs", is_flag=True, help="Count --context in paragraphs.")
def show(quote_id: int, db: str, fmt: str, context: int | None = None, paragraphs: bool = False) -> None:
    """One quote in its paragraph, with its attribution and provenance."""
    store = open_store(db)
    found = store.get(quote_id)
    if found is None:
        raise StoreError(f"no quote with id {quote_id}")
    if context is not None:
        from ..factcheck.context import add_context

        found = add_context(store, found, context, "paragraph" if paragraphs else "sentence")
    if fmt == "table":
        for line in render_quote({**found, "paragraph": found.get("context", found["paragraph"])}):
            click.echo(line)
    elif fmt == "json":
        click.echo(dumps(found, indent=2))
    else:
        emit([found], fmt)


def _span(d: dict[str, Any] | None) -> str:
    if not d:
        return "-"
    where = f" at {d['start']}-{d['end']}" if d.get("start") is not None else ""
    return f"\"{d['text']}\"{where}" if d.get("text") is not None else where.strip() or "-"


def render_quote(q: dict[str, Any]) -> Iterator[str]:
    """The terminal view of ``quotes show``: paragraph with [[the quote]], then fields."""
    para = q["paragraph"]
    s, e = q["start"] - para["start"], q["end"] - para["start"]
    yield para["text"][:s] + "[[" + para["text"][s:e] + "]]" + para["text"][e:]
    yield ""
    sp, ou, doc = q["speaker"], q["outlet"], q["document"]
    fields = [
        ("quote", f"{q['id']} ({kind_label(q['kind'])}) at {q['start']}-{q['end']}"),
        ("speaker", f"{sp['name']} ({sp['type']}) {_span(sp)}".rstrip() if sp else "-"),
        ("cue", _span(q["cue"])),
        ("outlet", f"{ou['name']} {_span(ou) if ou.get('text') else ''}".rstrip() if ou else "-"),
        ("sieve", f"{q['sieve'] or '-'} (confidence {q['confidence']:g})"),
        ("document", doc["path"]),
        ("title", doc["title"]),
        ("url", doc["url"]),
        ("publisher", doc["publisher"]),
        ("date", doc["date"]),
        ("sha256", doc["sha256"]),
    ]
    for name, value in fields:
        yield f"{name + ':':<10} {value if value is not None else '-'}"

