"""Extract documents in parallel processes, keeping ONE writer.

    with ParallelExtractor(engine="rules", workers=2) as px:
        px.load()                                   # workers up, models loaded (or ModelError)
        for doc in px.prefetch(read_sources(paths), skip=store.find_document):
            quotes = px.extract(doc)                # the worker's result, in document order
            store.add(doc, quotes, "rules")         # the caller stays the only writer

Each worker process builds its :class:`~quotes.extract.pipeline.Extractor` once, in the
pool initializer (so a stanza model is loaded once per worker, not per
document). ``prefetch`` yields the sources in their original order, each one
only when its result is ready, while up to ``window`` documents are being
extracted ahead. ``extract`` then hands back the result of that document, or
raises the exception the worker raised, so a caller written for the serial
:class:`~quotes.extract.pipeline.Extractor` works unchanged.
"""
from __future__ import annotations

import logging
import os
import pickle
import sys
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from ..errors import ModelError, QuotesError
from ..extract.sieves import parse_config
from ..types import Document, Quote

log = logging.getLogger(__name__)

_WORKER: Any = None  # the Extractor of this worker process


class _Idle:
    def __repr__(self) -> str:
        return "IDLE"


IDLE = _Idle()  # what ``prefetch(..., idle=True)`` yields before it would wait for a worker


class WorkerError(QuotesError):
    """A worker failed in a way that cannot be sent back as the original exception."""


class _Failure:
    """What a worker sends back when extraction raised."""

    def __init__(self, exc: BaseException):
        try:
            pickle.dumps(exc)
            self.exc: BaseException = exc
        except Exception:
            self.exc = RuntimeError(f"{type(exc).__name__}: {exc}")


def _init(engine: str, models: str | None, sieves: str | None, threads: int | None) -> None:
    """Pool initializer: build this worker's Extractor (and load its model) once."""
    global _WORKER
    if threads:
        try:
            import torch

            torch.set_num_threads(threads)
        except ImportError:  # pragma: no cover - torch is a dependency; rules need none
            pass
    from ..extract.pipeline import Extractor, settle_for_a_long_run

    try:
        _WORKER = Extractor(engine=engine, models=models, sieves=sieves)
        _WORKER.load()
    except BaseException as e:  # kept and reported by _ready / _extract
        _WORKER = _Failure(e)
    settle_for_a_long_run()  # as `extract` does: the modules and the model live as long as the worker


def _ready(_: int) -> _Failure | None:
    return _WORKER if isinstance(_WORKER, _Failure) else None


def _extract(doc: Document) -> list[Quote] | _Failure:
    if isinstance(_WORKER, _Failure):
        return _WORKER
    try:
        return _WORKER.extract(doc)
    except Exception as e:  # one bad document must not sink the batch
        return _Failure(e)


def _extract_many(docs: list[Document]) -> list[list[Quote] | _Failure]:
    """One task, several documents: one round trip through the pool's queues instead of one each."""
    return [_extract(doc) for doc in docs]


def _start_method(engine: str) -> str:
    """How to start workers. Forking is cheapest: a worker inherits the imported modules (torch
    and stanza take about two seconds of CPU each time they are imported). But torch is not
    fork-safe once its thread pools exist, so a neural engine forks only on Linux and only
    from a process that has not imported torch yet; :func:`_preimport_neural` then imports it
    without running anything. Otherwise the workers start afresh (spawn)."""
    if engine == "rules":
        return "fork" if os.name == "posix" else "spawn"
    return "fork" if sys.platform.startswith("linux") and "torch" not in sys.modules else "spawn"


def _preimport_neural() -> None:
    """Import torch and stanza in the parent, before forking, and run nothing with them: no
    thread pool exists yet, and every worker inherits the modules instead of importing them."""
    try:
        import stanza  # noqa: F401
        import torch  # noqa: F401
    except ImportError:  # pragma: no cover - dependencies; the worker reports what is missing
        pass


class ParallelExtractor:
    """The serial Extractor's interface (``load``, ``extract``) over a process pool."""

    def __init__(self, engine: str = "stanza", models: str | os.PathLike | None = None,
                 sieves: str | None = None, workers: int = 2, window: int | None = None,
                 start_method: str | None = None, chunksize: int | None = None):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        parse_config(sieves)  # fail early on a bad configuration, as Extractor does
        self.engine = engine
        self.models = None if models is None else str(models)
        self.sieves = sieves
        self.workers = workers
        # rules take ~2 ms a document and the windowed stanza engine ~6 ms: send them 16 at a
        # time, and keep enough in flight that the workers stay busy while the caller writes a
        # batch (~0.1 s)
        self.window = window or workers * 128
        self.chunksize = max(1, min(chunksize or 16, self.window))
        self.start_method = start_method  # None: chosen by load() (_start_method)
        self._pool: Any = None
        self._done: dict[int, tuple[Document, list[Quote] | _Failure]] = {}

    # ------------------------------------------------------------ lifecycle
    def load(self) -> None:
        """Start the workers and wait until each has built its extractor; a model problem
        raises here (ModelError), before any document is read."""
        if self._pool is not None:
            return
        method = self.start_method or _start_method(self.engine)
        if method == "fork" and self.engine != "rules":
            _preimport_neural()
        import multiprocessing  # here, not at the top: `quotes extract` imports this module for one worker too

        ctx = multiprocessing.get_context(method)
        threads = 1 if self.engine != "rules" else None
        self._pool = ctx.Pool(self.workers, initializer=_init,
                              initargs=(self.engine, self.models, self.sieves, threads))
        # one probe per worker is not guaranteed to reach every worker, but any worker that
        # failed to initialise fails every probe it takes, and the first failure is enough
        for failure in self._pool.map(_ready, range(self.workers), chunksize=1):
            if failure is not None:
                self.close()
                exc = failure.exc
                if isinstance(exc, (ModelError, ValueError)):
                    raise exc
                raise ModelError(f"a worker could not start the {self.engine} engine "
                                 f"({type(exc).__name__}: {exc})")
        log.info("%d %s workers ready", self.workers, self.engine)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        self._done.clear()

    def __enter__(self) -> "ParallelExtractor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ------------------------------------------------------------ work
    def prefetch(self, sources: Iterable[Any], skip: Callable[[Document], Any] | None = None,
                 idle: bool = False) -> Iterator[Any]:
        """Yield ``sources`` in order; every Document is yielded once its result is ready
        (fetch it with :meth:`extract`). Documents for which ``skip(doc)`` is truthy (e.g.
        already stored) and anything that is not a Document are passed through unextracted.
        Documents go to the workers ``chunksize`` at a time, at most ``window`` items ahead.
        With ``idle``, :data:`IDLE` is yielded whenever the next result is not ready yet: the
        caller may do something useful (write what it has) before this waits for it."""
        self.load()
        pending: deque[tuple[Any, list[Any] | None]] = deque()  # (item, [job, index] or None)
        chunk: list[Document] = []
        slots: list[list[Any]] = []

        def submit() -> None:
            job = self._pool.apply_async(_extract_many, (list(chunk),))
            for slot in slots:
                slot[0] = job
            chunk.clear()
            slots.clear()

        def waits() -> bool:
            """Whether the next item's result is still being extracted (sending its chunk)."""
            slot = pending[0][1]
            if slot is None:
                return False
            if slot[0] is None:  # its chunk has not been sent yet
                submit()
            return idle and not slot[0].ready()

        def settle() -> Any:
            item, slot = pending.popleft()
            if slot is not None and slot[0] is None:  # its chunk has not been sent yet
                submit()
            return self._settle(item, slot)

        for item in sources:
            slot = None
            if isinstance(item, Document) and not (skip is not None and skip(item)):
                slot = [None, len(chunk)]
                chunk.append(item)
                slots.append(slot)
                if len(chunk) >= self.chunksize:
                    submit()
            pending.append((item, slot))
            while len(pending) >= self.window or (pending and pending[0][1] is None):
                if waits():
                    yield IDLE
                yield settle()
        if chunk:
            submit()
        while pending:
            if waits():
                yield IDLE
            yield settle()

    def _settle(self, item: Any, slot: list[Any] | None) -> Any:
        # the caller is done with the previous item: a result it did not ask for is dropped
        self._done.clear()
        if slot is not None:
            self._done[id(item)] = (item, slot[0].get()[slot[1]])
        return item

    def extract(self, document: Document | str) -> list[Quote]:
        """The result for a document that :meth:`prefetch` yielded (or, for any other
        document, extracted now by a worker)."""
        doc = Document.from_text(document) if isinstance(document, str) else document
        item, result = self._done.pop(id(doc), (None, None))
        if item is not doc:
            self.load()
            result = self._pool.apply(_extract, (doc,))
        if isinstance(result, _Failure):
            raise result.exc
        return result

    def map(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Quote] | BaseException]]:
        """Every document with its quotes (or the exception its extraction raised), in order."""
        for doc in self.prefetch(documents):
            try:
                yield doc, self.extract(doc)
            except Exception as e:
                yield doc, e
