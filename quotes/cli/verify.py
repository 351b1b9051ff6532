"""``quotes verify``, ``quotes trace`` and ``quotes check``: the fact-checker's commands.

Thin click wrappers over :mod:`quotes.factcheck` (verify, trace, check).
"""
from __future__ import annotations

import sys
from typing import Any, Iterator

import click

from ..errors import shown
from ..factcheck.check import check, quick_check
from ..factcheck.trace import Appearance, trace
from ..factcheck.verdicts import PARAPHRASE, Hit, Verdict
from ..factcheck.verify import verify
from .common import db_option, kind_label, open_store
from .output import emit, output_options


def _span(s: Any) -> str:
    return f'"{s.text}" at {s.start}-{s.end}' if s is not None else ""


def hit_lines(hit: Hit, indent: str = "   ") -> Iterator[str]:
    """The fields of one matched stored quote, for the terminal."""
    doc = hit.document
    speaker = "-"
    if hit.speaker is not None:
        speaker = f"{hit.speaker} ({hit.speaker_type}) {_span(hit.speaker_mention)}".rstrip()
    outlet = f"{hit.outlet} {_span(hit.outlet_mention)}".rstrip() if hit.outlet else "-"
    fields = [
        ("quote", f"{hit.quote_id} ({kind_label(hit.kind)}) at {hit.span.start}-{hit.span.end}"),
        ("speaker", speaker),
        ("cue", _span(hit.cue) or "-"),
        ("outlet", outlet),
        ("document", doc.path),
        ("title", doc.title),
        ("url", doc.url),
        ("publisher", doc.publisher),
        ("date", doc.date),
        ("sha256", doc.sha256),
        ("context", hit.context.marked.replace("\n", " ")),
    ]
    for name, value in fields:
        yield f"{indent}{name + ':':<10} {value if value is not None else '-'}"


def verdict_lines(number: int, v: Verdict) -> Iterator[str]:
    head = f"{number}. {v.verdict}"
    if v.verdict != "not found":
        head += f" (similarity {v.similarity:.3f})"
    if v.match and v.match != v.verdict and v.verdict != PARAPHRASE:  # (a paraphrase's note says it)
        head += f": the words are {v.match}"
    yield head
    if v.note:
        yield f"   {'note:':<10} {v.note}"
    if v.hit is not None:
        yield from hit_lines(v.hit)
    if v.diff:
        yield f"   {'diff:':<10} {v.wdiff()}"
        for c in v.diff:
            if c.op == "changed":
                yield f"   {'':<10} changed \"{c.stored}\" -> \"{c.claimed}\""
            elif c.op == "added":
                yield f"   {'':<10} added \"{c.claimed}\""
            else:
                yield f"   {'':<10} dropped \"{c.stored}\""
    for k, part in enumerate(v.parts, start=1):
        yield f"   part {k}: \"{part.claimed}\""
        yield from hit_lines(part.hit, indent="      ")


@click.command("verify")
@click.argument("claim")
@click.option("--speaker", default=None, help="Who the claim says said it.")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True,
              help="At most this many matches.")
@db_option
@output_options
def verify_command(claim: str, speaker: str | None, limit: int, db: str, fmt: str) -> None:
    """Was CLAIM said, in these words, by whom, where? (exit 0 even when not found)"""
    verdicts = verify(open_store(db), claim, speaker=speaker, limit=limit)
    if fmt != "table":
        emit((v.to_dict() for v in verdicts), fmt)
        return
    click.echo(f"claim:     \"{claim}\"")
    if speaker:
        click.echo(f"speaker:   {speaker}")
    for k, v in enumerate(verdicts, start=1):
        click.echo("")
        for line in verdict_lines(k, v):
            click.echo(line)


TRACE_TABLE = ("date", "outlet", "speaker", "match", "similarity", "quote.id", "quote.document.path",
               "quote.document.title")


@click.command("trace")
@click.argument("text")
@db_option
@output_options
def trace_command(text: str, db: str, fmt: str) -> None:
    """Every stored document carrying TEXT, oldest first, with the outlet each credits."""
    found: list[Appearance] = trace(open_store(db), text)
    if fmt == "table" and not found:
        click.echo("not found")
        return
    emit((a.to_dict() for a in found), fmt, table_columns=TRACE_TABLE)


@click.command("check")
@click.argument("paths", nargs=-1)
@db_option
@output_options
@click.option("--stored-paths", is_flag=True,
              help="Also re-read documents stored before quotes recorded where each came from, "
                   "at their stored path (only for a store whose JSONL records you trust).")
def check_command(paths: tuple[str, ...], db: str, fmt: str, stored_paths: bool = False) -> None:
    """Re-read stored documents' source files and confirm every stored span (exit 1 on drift).

    Only files that `quotes extract` read are re-read: documents from JSONL records, stdin or
    the library have no source file to re-read. The database itself gets SQLite's quick_check."""
    store = open_store(db)
    corrupt = quick_check(store)
    if corrupt:
        click.echo(f"error: {shown(store.name)}: the database fails SQLite's quick_check: {corrupt}", err=True)
    results = check(store, list(paths) if paths else None, stored_paths=stored_paths)
    drifted = [r for r in results if r.drifted]
    if fmt == "table":
        for r in results:
            click.echo(f"{r.status:<10} {shown(r.path)}")
            for line in ((r.note,) if r.note else ()) + r.problems:
                click.echo(f"           {line}")
        no_source = sum(r.status == "no source" for r in results)
        missing = sum(r.status == "missing" for r in results)
        click.echo(f"{len(results):,} document{'' if len(results) == 1 else 's'} checked: "
                   f"{len(drifted):,} drifted"
                   + (f" ({missing:,} source file{'' if missing == 1 else 's'} missing)" if missing else "")
                   + f", {no_source:,} without a source file to re-read")
    else:
        emit((r.to_dict() for r in results), fmt)
    if drifted or corrupt:
        sys.exit(1)
