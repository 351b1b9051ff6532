"""Run a JSONL corpus on a Dask distributed cluster, writing into any store URL.

    result = run_corpus("corpus.jsonl", "postgresql+psycopg://host/quotes", workers=2, engine="rules")
    print(result.summary())

The corpus is read with ``dask.bag.read_text`` in byte blocks cut at line ends
(``blocksize``), so one file makes many partitions. Each partition is one task:
its worker parses the lines (``json.loads``, with the rules of
:mod:`quotes.sources.reader`), skips the articles already stored, maps
:func:`quotes.scale.records.article_records` over the rest and writes the records in
batches of ``batch_size`` documents, one transaction per batch
(:func:`quotes.scale.records.write_records`). Documents are keyed by ``(path, sha256)``,
so a partition that runs again — a worker died and the scheduler retried it
elsewhere, or the whole command was rerun — adds no duplicates.

Each worker process builds its :class:`~quotes.extract.pipeline.Extractor` (and loads
the stanza model) ONCE: :class:`ExtractorPlugin` builds it when the worker
starts (also a worker the nanny restarted) and tasks take it from a module-level
cache keyed by the configuration. ``workers`` starts a ``LocalCluster``
(processes, one thread each); ``scheduler`` connects to an existing cluster
instead, whose workers must have this package installed and reach the database.

Articles are called by their ``id`` (else ``path``, else ``CORPUS#LINE`` exactly as
``quotes extract CORPUS`` calls them): a first cheap pass counts the lines of
each partition so line numbers are those of the file.

Dask is an optional dependency: ``pip install 'dask[distributed]'``.
"""
from __future__ import annotations

import codecs
import logging
import os
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable

from ..errors import ModelError, QuotesError, ReadError, StoreError
from ..types import storable
from .records import article_document, document_records, write_records
from ..sources.reader import parse_json
from ..store import Store, database_url

log = logging.getLogger(__name__)

DEFAULT_BATCH = 50


class ClusterError(QuotesError):
    """The distributed engine is missing or the cluster cannot run the corpus."""


def _dask() -> tuple[Any, Any]:
    try:
        import dask.bag
        import distributed
    except ImportError as e:
        raise ClusterError(f"the distributed engine needs Dask: pip install 'dask[distributed]' ({e})") from None
    return dask, distributed


@dataclass(frozen=True)
class Job:
    """What every partition task needs: the extractor's configuration and the store."""

    db: str
    engine: str = "stanza"
    models: str | None = None
    sieves: str | None = None
    batch_size: int = DEFAULT_BATCH
    indirect: bool = False  # reported speech too (kind indirect), as Extractor(indirect=...)

    @property
    def key(self) -> tuple[str, str | None, str | None, bool]:
        return (self.engine, self.models, self.sieves, self.indirect)


@dataclass(frozen=True)
class ClusterResult:
    documents: int = 0
    quotes: int = 0
    skipped: int = 0
    errors: tuple[str, ...] = ()
    partitions: int = 0
    seconds: float = 0.0
    loads: dict[int, int] = field(default_factory=dict)  # worker pid -> extractors it built

    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        return (f"{n(self.documents, 'document')}, {n(self.quotes, 'quote')} stored; "
                f"{self.skipped} skipped (unchanged); {n(len(self.errors), 'error')} "
                f"({self.partitions} partitions on {n(len(self.loads), 'worker')}, {self.seconds:.1f} s)")


# ------------------------------------------------------------------ worker side

_EXTRACTORS: dict[tuple[str, str | None, str | None, bool], Any] = {}
_STORES: dict[str, Store] = {}
_LOADS = 0  # extractors built in this process (the tests check it stays at one)


def worker_extractor(engine: str, models: str | None, sieves: str | None, indirect: bool = False) -> Any:
    """This process's Extractor for a configuration, built (model loaded) on first use."""
    global _LOADS
    key = (engine, models, sieves, indirect)
    if key not in _EXTRACTORS:
        from ..extract.pipeline import Extractor

        extractor = Extractor(engine=engine, models=models, sieves=sieves, indirect=indirect)
        load = getattr(extractor.segmenter, "load", None)
        if callable(load):
            load()
        _EXTRACTORS[key] = extractor
        _LOADS += 1
        log.info("worker %d: %s extractor loaded", os.getpid(), engine)
    return _EXTRACTORS[key]


def _worker_store(db: str) -> Store:
    if db not in _STORES:
        _STORES[db] = Store(db)
    return _STORES[db]


def _plugin_class() -> type:
    _, distributed = _dask()

    class ExtractorPlugin(distributed.WorkerPlugin):
        """Builds the worker's extractor when the worker starts (once per worker process)."""

        name = "quotes-extractor"

        def __init__(self, engine: str, models: str | None, sieves: str | None, indirect: bool = False):
            self.engine, self.models, self.sieves, self.indirect = engine, models, sieves, indirect

        def setup(self, worker: Any) -> None:
            worker_extractor(self.engine, self.models, self.sieves, self.indirect)

    return ExtractorPlugin


def ExtractorPlugin(engine: str, models: str | None = None, sieves: str | None = None,
                    indirect: bool = False) -> Any:
    """A ``distributed.WorkerPlugin`` that loads the extractor at worker start."""
    return _plugin_class()(engine, models, sieves, indirect)


def count_lines(lines: Iterable[str]) -> int:
    return sum(1 for _ in lines)


def process_partition(lines: Iterable[str], corpus: str, first_line: int, job: Job,
                      after_batch: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Extract and store one partition (runs on a worker). Returns its counts and errors;
    a bad line or document is one error line and the partition goes on."""
    extractor = worker_extractor(*job.key)
    store = _worker_store(job.db)
    out: dict[str, Any] = {"pid": os.getpid(), "loads": _LOADS, "documents": 0, "quotes": 0,
                           "skipped": 0, "errors": []}
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        if not batch:
            return
        for rec, (_, added) in zip(batch, _write(store, batch, out["errors"])):
            if added is None:
                continue
            if added:
                out["documents"] += 1
                out["quotes"] += len(rec["quotes"])
            else:
                out["skipped"] += 1
        written = len(batch)
        batch.clear()
        if after_batch is not None:
            after_batch(written)

    for number, line in enumerate(lines, start=first_line):
        raw = line.encode("utf-8", "surrogateescape")
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        if not raw.strip():
            continue
        where = f"{corpus}:{number}"
        try:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise ReadError(f"not valid UTF-8 at byte {e.start} of the line") from None
            article = parse_json(text)
            doc = replace(article_document(article, default_path=f"{corpus}#{number}"),
                          origin="jsonl", source_file=storable(corpus), source_line=number)
        except ReadError as e:
            out["errors"].append(f"{where}: {e}")
            continue
        try:
            if store.find_document(doc) is not None:
                out["skipped"] += 1
                continue
            batch.append(document_records(doc, extractor.extract(doc), extractor.engine))
        except (ModelError, StoreError):
            raise  # the engine or the database is broken for every document: stop
        except Exception as e:  # one bad document must not sink the batch
            out["errors"].append(f"{doc.source}: extraction failed ({type(e).__name__}: "
                                 f"{' '.join(str(e).split())})")
            continue
        if len(batch) >= job.batch_size:
            flush()
    flush()
    return out


def _write(store: Store, batch: list[dict[str, Any]], errors: list[str]) -> list[tuple[int | None, bool | None]]:
    """One transaction for the batch; if the store refuses it (a span that does not match
    its text, say), each record alone, so only the bad one is reported."""
    try:
        return list(write_records(store, batch))
    except StoreError:
        if len(batch) == 1:
            raise
    out: list[tuple[int | None, bool | None]] = []
    for rec in batch:
        try:
            out.extend(write_records(store, [rec]))
        except StoreError as e:
            errors.append(str(e))
            out.append((None, None))
    return out


# ------------------------------------------------------------------ driver side

def _store_url(db: str) -> str:
    """A URL every worker resolves to the same database (SQLite paths made absolute)."""
    url = database_url(db)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise ClusterError("an in-memory SQLite database cannot be shared by workers; give a file or a URL")
        url = url.set(database=os.path.abspath(url.database))
    return url.render_as_string(hide_password=False)


def _blocksize(path: str, workers: int) -> int:
    """About four partitions per worker, 64 KiB to 64 MiB each."""
    size = os.path.getsize(path)
    return max(64 << 10, min(64 << 20, size // max(1, workers * 4) + 1))


def run_corpus(corpus: str | Iterable[str], db: str, workers: int = 2, engine: str = "stanza",
               models: str | None = None, sieves: str | None = None,
               batch_size: int = DEFAULT_BATCH, blocksize: int | None = None,
               scheduler: str | None = None, client: Any = None,
               after_batch: Callable[[int], None] | None = None, indirect: bool = False) -> ClusterResult:
    """Extract every article of the corpus file(s) on a Dask cluster into the store ``db``.

    ``client`` (a ``distributed.Client``) or ``scheduler`` (its address) use an existing
    cluster; otherwise a ``LocalCluster`` of ``workers`` processes is started and stopped.
    ``after_batch(n)`` runs on the worker after each committed batch (tests use it to kill one).
    ``indirect`` as for :class:`~quotes.extract.pipeline.Extractor` (reported speech too).
    """
    dask, distributed = _dask()
    from ..extract.sieves import parse_config

    parse_config(sieves)  # a bad configuration fails here, not on every worker
    paths = [corpus] if isinstance(corpus, str) else list(corpus)
    for path in paths:
        if not os.path.isfile(path):
            raise ClusterError(f"{path}: not a file")
    url = _store_url(db)
    Store(url).upgrade()  # migrate once, before any worker writes
    job = Job(db=url, engine=engine, models=None if models is None else str(models), sieves=sieves,
              batch_size=batch_size, indirect=indirect)
    started = time.perf_counter()
    cluster = None
    if client is None:
        if scheduler:
            client = distributed.Client(scheduler)
        else:
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=":0", silence_logs=logging.ERROR)
            client = distributed.Client(cluster)
        own_client = True
    else:
        own_client = False
    try:
        client.register_plugin(ExtractorPlugin(*job.key))
        total: dict[str, Any] = {"documents": 0, "quotes": 0, "skipped": 0, "errors": [], "loads": {}}
        partitions = 0
        for path in paths:
            size = blocksize or _blocksize(path, len(client.scheduler_info().get("workers", {})) or workers)
            bag = dask.bag.read_text(path, blocksize=size, linedelimiter="\n", encoding="utf-8",
                                     errors="surrogateescape")
            parts = bag.to_delayed()
            counts = client.gather(client.compute([dask.delayed(count_lines)(p) for p in parts]))
            firsts, line = [], 1
            for c in counts:
                firsts.append(line)
                line += c
            tasks = [dask.delayed(process_partition, pure=False)(p, path, first, job, after_batch)
                     for p, first in zip(parts, firsts)]
            partitions += len(tasks)
            for result in client.gather(client.compute(tasks)):
                for k in ("documents", "quotes", "skipped"):
                    total[k] += result[k]
                total["errors"].extend(result["errors"])
                total["loads"][result["pid"]] = max(total["loads"].get(result["pid"], 0), result["loads"])
            log.info("%s: %d partitions done", path, len(tasks))
    except distributed.client.FutureCancelledError as e:  # pragma: no cover - cluster went away
        raise ClusterError(f"the cluster cancelled the run ({e})") from None
    finally:
        if own_client:
            client.close()
        if cluster is not None:
            cluster.close()
    return ClusterResult(documents=total["documents"], quotes=total["quotes"], skipped=total["skipped"],
                         errors=tuple(total["errors"]), partitions=partitions,
                         seconds=time.perf_counter() - started, loads=dict(total["loads"]))
