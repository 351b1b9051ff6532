"""The ``quotes`` command line: a thin click layer over reader, pipeline and store.

Every command takes ``--db`` (env ``QUOTES_DB``). Known failures print one
``error: ...`` line on stderr: exit 1 for read/store problems, 2 for model
(or configuration) problems. Listings stream through :func:`quotes.cli.output.emit`.
"""
from __future__ import annotations

import codecs
import contextlib
import logging
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import click

from ..errors import ModelError, QuotesError, ReadError, StoreError
from .output import FORMATS, QUOTE_COLUMNS, QUOTE_TABLE, dumps, emit, output_options
from ..types import KINDS, Document

log = logging.getLogger("quotes")

ENGINES = ("stanza", "rules")
DEFAULT_TIMEOUT = 600.0  # seconds per document for `extract --timeout`


class QuotesGroup(click.Group):
    """Turns the package's own errors into one line on stderr, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QuotesError as e:
            click.echo(f"error: {e}", err=True)
            ctx.exit(2 if isinstance(e, ModelError) else 1)


class _EchoHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        click.echo(self.format(record), err=True)


def setup_logging(verbose: int) -> None:
    logger = logging.getLogger("quotes")
    for handler in [h for h in logger.handlers if isinstance(h, _EchoHandler)]:
        logger.removeHandler(handler)
    handler = _EchoHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.getLogger("stanza").setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)


def db_option(fn: Callable) -> Callable:
    return click.option(
        "--db", envvar="QUOTES_DB", default="quotes.db", show_default=True,
        help="Database path or SQLAlchemy URL (env QUOTES_DB).",
    )(fn)


def open_store(db: str | None) -> Any:
    from ..store import Store

    return Store(db)


@click.group(cls=QuotesGroup)
@click.version_option(package_name="quotes")
@click.option("-v", "--verbose", count=True, help="Log progress to stderr (-vv: debug).")
def cli(verbose: int) -> None:
    """Extract attributed quotes from news text and keep their provenance."""
    setup_logging(verbose)


# ------------------------------------------------------------------ extract

@dataclass
class _Stats:
    documents: int = 0
    quotes: int = 0
    skipped: int = 0
    errors: int = 0

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (
            f"{n(self.documents, 'document')}, {n(self.quotes, 'quote')} stored; "
            f"{self.skipped} skipped (unchanged); {n(self.errors, 'error')}"
        )


def _encoding(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            raise click.BadParameter(f"unknown encoding {value!r}") from None
    return value


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@db_option
@output_options(default=None)
@click.option("--engine", type=click.Choice(ENGINES), default="stanza", show_default=True,
              help="Sentence engine: the shipped stanza model or plain rules.")
@click.option("--models", envvar="QUOTES_MODELS", default=None,
              help="Stanza model directory (env QUOTES_MODELS; default: the shipped one).")
@click.option("--encoding", callback=_encoding, default=None,
              help="Decode plain-text sources with this codec instead of UTF-8.")
@click.option("--sieves", default=None, help="Comma-separated sieves to run, in order.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line and no progress bar.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract in N processes (results are still stored in order, by one writer).")
@click.option("--timeout", "time_limit", type=click.FloatRange(min=0), envvar="QUOTES_TIMEOUT",
              default=DEFAULT_TIMEOUT, show_default=True,
              help="Give up on a document whose extraction takes longer than this many seconds "
                   "(reported, the batch goes on; 0: no limit; --workers 1 only).")
def extract(paths: tuple[str, ...], db: str, fmt: str | None, engine: str, models: str | None,
            encoding: str | None, sieves: str | None, quiet: bool, workers: int = 1,
            time_limit: float = 0) -> None:
    """Extract and store the quotes of files, directories, - (stdin) or .jsonl."""
    from ..scale.parallel import ParallelExtractor
    from ..extract.pipeline import Extractor, settle_for_a_long_run
    from .progress import Progress
    from ..sources.reader import read_sources

    try:
        extractor = (Extractor(engine=engine, models=models, sieves=sieves) if workers == 1 else
                     ParallelExtractor(engine=engine, models=models, sieves=sieves, workers=workers))
    except ValueError as e:  # e.g. an unknown sieve name
        click.echo(f"error: --sieves: {e}", err=True)
        sys.exit(2)
    _load_models(extractor)  # a ModelError exits 2 before the database is touched
    settle_for_a_long_run()
    store = open_store(db)
    stats = _Stats()
    progress = Progress(lambda: (stats.documents + stats.skipped, stats.quotes), enabled=not quiet)
    sources = progress.track(read_sources(paths, encoding))
    if workers > 1:  # the writer writes while it would wait for the workers (IDLE)
        sources = extractor.prefetch(sources, skip=store.find_document, idle=True)
    rows = _extract_rows(sources, extractor, store, engine, stats,
                         time_limit=time_limit if workers == 1 else 0, want_rows=fmt is not None)
    try:
        if fmt is None:
            for _ in rows:
                pass
        else:
            emit(rows, fmt, columns=QUOTE_COLUMNS, table_columns=QUOTE_TABLE)
    finally:
        progress.close()
        if workers > 1:
            extractor.close()
    if fmt is None and not quiet:
        click.echo(stats.summary(), err=True)
    if stats.errors:
        sys.exit(1)


def _load_models(extractor: Any) -> None:
    """Load a lazily loaded engine now, so model problems surface up front."""
    load = getattr(extractor, "load", None) or getattr(getattr(extractor, "segmenter", None), "load", None)
    if callable(load):
        load()


class _TimeLimit(Exception):
    """Extraction of one document ran past ``--timeout``."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TimeLimit in the block after ``seconds`` (SIGALRM; main thread only, else no limit)."""
    if not seconds or not hasattr(signal, "setitimer") \
            or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _extract_rows(sources: Iterator[Document | ReadError], extractor: Any, store: Any,
                  engine: str, stats: _Stats, time_limit: float = 0,
                  want_rows: bool = True) -> Iterator[dict[str, Any]]:
    """Extract and store each source; yield the quote objects of each document (with
    ``want_rows=False`` nothing is yielded and no rows are built or read back: the single
    writer of ``--workers N`` has no time to spare).

    Documents are written in batches, one transaction per ``$QUOTES_BATCH`` documents (200)
    or per half second, whichever comes first (:meth:`quotes.store.Store.write_batch`: each
    document in a SAVEPOINT of its own, so one that cannot be stored is rolled back alone).
    What a document reports (its error line, its rows, the counts) comes out once its batch
    is written, in input order; a document read while nothing is waiting reports at once."""
    import time

    from ..scale.parallel import IDLE
    from ..store import BATCH_IDLE, BATCH_SECONDS, batch_documents

    limit = batch_documents()
    events: list[tuple[str, Any, Any]] = []  # what to report, in input order, since the last write
    batch: list[tuple[Document, Any]] = []  # the documents to write: (document, its quotes)
    opened = 0.0  # when the first document of the batch was queued

    def settle(rows: bool = True) -> Iterator[dict[str, Any]]:
        todo, waiting = list(batch), list(events)
        batch.clear()
        events.clear()
        written = iter(store.write_batch(todo, engine) if todo else ())
        for kind, item, data in waiting:
            if kind == "error":
                click.echo(f"error: {data}", err=True)
                stats.errors += 1
                continue
            if kind == "new":
                w = next(written)
                if w.error is not None:
                    e = w.error
                    if isinstance(e, (StoreError, ReadError)):
                        click.echo(f"error: {e}", err=True)
                    else:  # a bug on one document must not sink the batch
                        click.echo(f"error: {item.source}: extraction failed ({type(e).__name__}: "
                                   f"{' '.join(str(e).split())})", err=True)
                    stats.errors += 1
                    continue
                if w.added:
                    stats.documents += 1
                    stats.quotes += len(data)
                    log.info("%s: %d quotes", item.source, len(data))
                    if rows and want_rows:
                        for quote, quote_id in zip(data, w.quote_ids):
                            yield quote.to_dict(item, quote_id)
                    continue
                data = w.document_id  # stored meanwhile (by another process, or earlier in the input)
            stats.skipped += 1
            log.info("%s: unchanged, already stored", item.source)
            if rows and want_rows:
                yield from store.quotes(document=data)

    try:
        for item in sources:
            if item is IDLE:  # --workers: nothing is ready; write what is waiting if worth a transaction
                if len(batch) >= BATCH_IDLE or (batch and time.monotonic() - opened >= BATCH_SECONDS):
                    yield from settle()
                continue
            if isinstance(item, ReadError):
                events.append(("error", None, item))
            else:
                doc_id = store.find_document(item)
                if doc_id is not None:
                    events.append(("skip", item, doc_id))
                else:
                    try:
                        with _time_limit(time_limit):  # never around the write: that must not be cut short
                            found = extractor.extract(item)
                    except ModelError:
                        raise  # the engine is broken for every document: stop (exit 2)
                    except _TimeLimit:
                        events.append(("error", item, f"{item.source}: extraction took longer than "
                                                      f"{time_limit:g} s (--timeout); skipped"))
                    except ReadError as e:
                        events.append(("error", item, e))
                    except Exception as e:  # a bug on one document must not sink the batch
                        log.debug("extraction of %s failed", item.source, exc_info=True)
                        events.append(("error", item, f"{item.source}: extraction failed ({type(e).__name__}: "
                                                      f"{' '.join(str(e).split())})"))
                    else:
                        if not batch:
                            opened = time.monotonic()
                        batch.append((item, found))
                        events.append(("new", item, found))
            if not batch or len(batch) >= limit or time.monotonic() - opened >= BATCH_SECONDS:
                yield from settle()
    except ModelError:
        yield from settle()  # what was extracted before the engine broke is still stored
        raise
    except Exception:
        for _ in settle(rows=False):
            pass
        raise
    except BaseException as e:  # interrupted (^C): the documents already extracted are still stored
        if not isinstance(e, GeneratorExit):
            for _ in settle(rows=False):
                pass
        raise
    yield from settle()


# ------------------------------------------------------------------ listings

@cli.command("list")
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


@cli.command()
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


@cli.command()
@db_option
@output_options
def documents(db: str, fmt: str) -> None:
    """Stored documents with their quote counts."""
    emit(open_store(db).documents(), fmt,
         table_columns=("id", "path", "title", "quotes", "engine", "extracted_at"))


@cli.group(invoke_without_command=True)
@db_option
@output_options
@click.pass_context
def speakers(ctx: click.Context, db: str, fmt: str) -> None:
    """Canonical speakers with quote counts (and `speakers merge`)."""
    ctx.obj = db
    if ctx.invoked_subcommand is None:
        emit(open_store(db).speakers(), fmt, columns=("id", "name", "type", "quotes", "aliases"))


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


@cli.command()
@db_option
@output_options
def outlets(db: str, fmt: str) -> None:
    """Outlets quotes were attributed through, with counts."""
    emit(open_store(db).outlets(), fmt, columns=("id", "name", "quotes"))


@cli.command()
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
        from ..factcheck.verify import add_context

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
        ("quote", f"{q['id']} ({q['kind']}) at {q['start']}-{q['end']}"),
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


# ------------------------------------------------------------------ models

@cli.group()
def models() -> None:
    """Stanza model directories."""


@models.command("download")
@click.argument("dest", required=False, envvar="QUOTES_MODELS")
@click.option("--resources-url", default=None, help="Folder holding stanza's resources_*.json.")
def models_download(dest: str | None, resources_url: str | None) -> None:
    """Download the official stanza English models into DEST (default: $QUOTES_MODELS
    or the package's model directory); use it with --models DEST."""
    from ..extract.stanza_engine import default_model_dir, download_models

    target = dest or str(default_model_dir())
    download_models(target, resources_url=resources_url)
    click.echo(f"downloaded stanza models into {target}")


# ------------------------------------------------------------------ db

@cli.group()
def db() -> None:
    """Database schema migrations."""


def _revision_line(store: Any) -> str:
    current = store.current()
    head = store.head()
    if current is None:
        return "base (empty database)"
    return f"{current} (head)" if current == head else current


@db.command("upgrade")
@click.argument("revision", default="head")
@db_option
def db_upgrade(revision: str, db: str) -> None:
    """Upgrade the schema (default: to head)."""
    store = open_store(db)
    store.upgrade(revision)
    click.echo(_revision_line(store))


@db.command("downgrade")
@click.argument("revision")
@db_option
def db_downgrade(revision: str, db: str) -> None:
    """Downgrade the schema to REVISION ("base" empties the database)."""
    store = open_store(db)
    store.downgrade(revision)
    click.echo(_revision_line(store))


@db.command("current")
@db_option
def db_current(db: str) -> None:
    """Print the schema revision of the database."""
    click.echo(_revision_line(open_store(db)))


# Commands that live in modules of their own register here, one line each
# (`from .cli_xxx import register as _r; _r(cli)`), so this file stays a thin table.
# --- command modules ---
from .verify import register as _r_verify; _r_verify(cli)  # noqa: E402
from .cluster import register as _r_cluster; _r_cluster(cli)  # noqa: E402
from .eval import register as _r_eval; _r_eval(cli)  # noqa: E402,E702
from .serve import register as _r_serve; _r_serve(cli)  # noqa: E402,E702
# --- end of command modules ---


def main() -> None:
    try:
        cli(prog_name="quotes")
    except BrokenPipeError:  # `quotes export | head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()
