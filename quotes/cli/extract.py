"""``quotes extract``: read sources, extract their quotes, store them in batches."""
from __future__ import annotations

import codecs
import contextlib
import logging
import os
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Any, Iterator

import click

from ..errors import ModelError, ReadError, StoreError, StoreUnwritable, shown
from ..types import Document
from .common import ENGINES, db_option, indirect_option, open_store
from .output import QUOTE_COLUMNS, QUOTE_TABLE, emit, output_options

log = logging.getLogger("quotes")

DEFAULT_TIMEOUT = 600.0  # seconds per document for `extract --timeout`


@dataclass
class _Stats:
    documents: int = 0
    quotes: int = 0
    skipped: int = 0
    errors: int = 0
    not_text: int = 0

    def summary(self) -> str:
        other = f"{_n(self.not_text, 'file')} not text, JSONL or HTML (skipped); " if self.not_text else ""
        return (
            f"{_n(self.documents, 'document')}, {_n(self.quotes, 'quote')} stored; "
            f"{self.skipped:,} skipped (unchanged); {other}{_n(self.errors, 'error')}"
        )

    def interrupted(self) -> str:
        return (f"interrupted: {_n(self.documents, 'document')}, {_n(self.quotes, 'quote')} stored by this "
                "run; run the same command again to go on (stored documents are skipped)")


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _encoding(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError:
            raise click.BadParameter(f"unknown encoding {value!r}") from None
    return value


@click.command()
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
@indirect_option
@click.option("-q", "--quiet", is_flag=True, help="No summary line and no progress bar.")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Extract in N processes (results are still stored in order, by one writer).")
@click.option("--timeout", "time_limit", type=click.FloatRange(min=0), envvar="QUOTES_TIMEOUT",
              default=DEFAULT_TIMEOUT, show_default=True,
              help="Give up on a document whose extraction takes longer than this many seconds "
                   "(reported, the batch goes on; 0: no limit; --workers 1 only).")
@click.option("--include", "include", multiple=True, metavar="GLOB",
              help="In folders, also read files whose name matches GLOB (repeatable; by default "
                   "only .txt, .text, .jsonl, .html, .htm and names without an extension).")
@click.option("--allow-other-tables", is_flag=True,
              help="Store into a database that already holds tables of its own.")
def extract(paths: tuple[str, ...], db: str, fmt: str | None, engine: str, models: str | None,
            encoding: str | None, sieves: str | None, quiet: bool, workers: int = 1,
            time_limit: float = 0, include: tuple[str, ...] = (), allow_other_tables: bool = False,
            indirect: bool = False) -> None:
    """Extract and store the quotes of files, directories, - (stdin) or .jsonl.

    Ctrl-C stops the run: what was extracted is stored, the count is printed, and running the
    same command again goes on where it stopped (exit status 130)."""
    stats = _Stats()
    try:
        _extract(paths, db, fmt, engine, models, encoding, sieves, quiet, workers, time_limit, include,
                 allow_other_tables, stats, indirect)
    except KeyboardInterrupt:
        click.echo(stats.interrupted(), err=True)
        sys.exit(130)


def _extract(paths: tuple[str, ...], db: str, fmt: str | None, engine: str, models: str | None,
             encoding: str | None, sieves: str | None, quiet: bool, workers: int, time_limit: float,
             include: tuple[str, ...], allow_other_tables: bool, stats: "_Stats", indirect: bool = False) -> None:
    from ..scale.parallel import ParallelExtractor
    from ..extract.pipeline import Extractor, settle_for_a_long_run
    from .progress import Progress, count_documents
    from ..sources.reader import read_sources

    try:
        extractor = (Extractor(engine=engine, models=models, sieves=sieves, indirect=indirect) if workers == 1 else
                     ParallelExtractor(engine=engine, models=models, sieves=sieves, workers=workers,
                                       indirect=indirect))
    except ValueError as e:  # e.g. an unknown sieve name
        click.echo(f"error: --sieves: {e}", err=True)
        sys.exit(2)
    # before any model is loaded (seconds for stanza): the sources named exist, the store can be one
    paths = _existing(paths, stats)
    store = open_store(db, create=True, other_tables=allow_other_tables)
    if store.in_memory:
        raise StoreError(f"{store.name}: an in-memory database is thrown away when quotes extract "
                         "ends, with every quote stored in it; give a file (--db quotes.db)")
    if not paths:
        _finish(stats, fmt, quiet)
        return
    try:
        _load_models(extractor)  # a ModelError exits 2 before the database is touched
        settle_for_a_long_run()
        store._ensure()  # created or migrated now: a database that cannot be one says so at once
        not_text: list[str] = []
        progress = Progress(lambda: (stats.documents + stats.skipped + stats.errors + len(not_text), stats.quotes),
                            enabled=not quiet)
        if progress.enabled:  # how many documents there are, counted while the first are extracted
            count_documents(paths, include, progress.set_total)
        sources = progress.track(read_sources(paths, encoding, include=include,
                                              skipped=lambda path, why: not_text.append(path)))
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
        except _Stop:
            pass
        finally:
            progress.close()
            stats.not_text = len(not_text)
            for path in not_text:
                log.info("%s: skipped, not a text, JSONL or HTML file", shown(path))
    finally:
        if workers > 1:
            extractor.close()
    _finish(stats, fmt, quiet)


def _finish(stats: "_Stats", fmt: str | None, quiet: bool) -> None:
    if fmt is None and not quiet:
        click.echo(stats.summary(), err=True)
    if stats.errors:
        sys.exit(1)


def _existing(paths: tuple[str, ...], stats: "_Stats") -> tuple[str, ...]:
    """The sources that exist; one error line for each that does not, at once."""
    from ..sources.reader import STDIN

    kept = []
    for path in paths:
        if path != STDIN and not os.path.lexists(path):
            click.echo(f"error: {shown(path)}: no such file or directory", err=True)
            stats.errors += 1
        else:
            kept.append(path)
    return tuple(kept)


def _load_models(extractor: Any) -> None:
    """Load a lazily loaded engine now, so model problems surface up front."""
    load = getattr(extractor, "load", None) or getattr(getattr(extractor, "segmenter", None), "load", None)
    if callable(load):
        load()


class _Stop(Exception):
    """The store cannot be written: the run ends (what was stored stays)."""


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

    from ..scale.parallel import IDLE, WorkerDied
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
                    if isinstance(e, StoreUnwritable):  # no document can be stored: stop here, in one line
                        click.echo(f"error: {e}; stopped (run the same command again once the database "
                                   "can be written: stored documents are skipped)", err=True)
                        stats.errors += 1
                        raise _Stop()
                    if isinstance(e, (StoreError, ReadError)):
                        click.echo(f"error: {e}", err=True)
                    else:  # a bug on one document must not sink the batch
                        click.echo(f"error: {shown(item.source)}: extraction failed ({type(e).__name__}: "
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
                    except WorkerDied as e:  # its worker died, twice: this one document failed
                        events.append(("error", item, e))
                    except _TimeLimit:
                        events.append(("error", item, f"{shown(item.source)}: extraction took longer than "
                                                      f"{time_limit:g} s (--timeout); skipped"))
                    except ReadError as e:
                        events.append(("error", item, e))
                    except Exception as e:  # a bug on one document must not sink the batch
                        log.debug("extraction of %s failed", item.source, exc_info=True)
                        events.append(("error", item, f"{shown(item.source)}: extraction failed ({type(e).__name__}: "
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

