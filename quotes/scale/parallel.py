"""Extract documents in parallel processes, keeping ONE writer.

    with ParallelExtractor(engine="rules", workers=2) as px:
        px.load()                                   # workers up, models loaded (or ModelError)
        for doc in px.prefetch(read_sources(paths), skip=store.find_document):
            quotes = px.extract(doc)                # the worker's result, in document order
            store.add(doc, quotes, "rules")         # the caller stays the only writer

Each worker process builds its :class:`~quotes.extract.pipeline.Extractor` once, when it
starts (so a stanza model is loaded once per worker, not per document). ``prefetch`` yields
the sources in their original order, each one only when its result is ready, while up to
``window`` documents are being extracted ahead. ``extract`` then hands back the result of
that document, or raises the exception the worker raised, so a caller written for the
serial :class:`~quotes.extract.pipeline.Extractor` works unchanged.

The workers are plain processes, each with a pipe of its own, not a ``multiprocessing.Pool``:
the parent always knows which documents each worker holds, so

* a worker that dies (killed, out of memory, a crash in native code) is noticed at once (its
  process sentinel), a new worker takes its place, and the documents it held are tried again
  one at a time in new workers; a document whose worker dies a second time raises
  :class:`WorkerDied` naming it, and the run goes on (a Pool waited for its result forever);
* workers ignore SIGINT: Ctrl-C reaches the parent alone, which stops them (SIGTERM, then
  SIGKILL after a grace period) and waits for nothing else (a Pool's shutdown could hang).
"""
from __future__ import annotations

import logging
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from ..errors import ModelError, QuotesError, shown
from ..extract.sieves import parse_config
from ..types import Document, Quote

log = logging.getLogger(__name__)

_WORKER: Any = None  # the Extractor of this worker process
STOP_GRACE = 2.0  # seconds a stopping worker gets after SIGTERM before SIGKILL


class _Idle:
    def __repr__(self) -> str:
        return "IDLE"


IDLE = _Idle()  # what ``prefetch(..., idle=True)`` yields before it would wait for a worker


class WorkerError(QuotesError):
    """A worker failed in a way that cannot be sent back as the original exception."""


class WorkerDied(QuotesError):
    """A document's worker process died while extracting it, twice (in two workers)."""


class _Failure:
    """What a worker sends back when extraction raised."""

    def __init__(self, exc: BaseException):
        try:
            pickle.dumps(exc)
            self.exc: BaseException = exc
        except Exception:
            self.exc = RuntimeError(f"{type(exc).__name__}: {exc}")


def _init(engine: str, models: str | None, sieves: str | None, threads: int | None,
          indirect: bool = False) -> None:
    """Build this worker's Extractor (and load its model) once."""
    global _WORKER
    if threads:
        try:
            import torch

            torch.set_num_threads(threads)
        except ImportError:  # pragma: no cover - torch is a dependency; rules need none
            pass
    from ..extract.pipeline import Extractor, settle_for_a_long_run

    try:
        _WORKER = Extractor(engine=engine, models=models, sieves=sieves, indirect=indirect)
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
    """One task, several documents: one round trip through the pipes instead of one each."""
    return [_extract(doc) for doc in docs]


def _work(tasks: Any, results: Any, init: tuple[Any, ...]) -> None:
    """A worker process: build the extractor, say so, then extract each chunk it is sent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _init(*init)
    results.send(("ready", _ready(0)))
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        number, docs = task
        results.send((number, _extract_many(docs)))


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


def _death(process: Any) -> str:
    code = process.exitcode
    if code is None:
        return "it stopped answering"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


class _Chunk:
    """Documents sent to one worker together, and, once back, their results."""

    def __init__(self, crew: "_Crew", number: int, docs: list[Document], tries: int = 0):
        self.crew = crew
        self.number = number
        self.docs = docs
        self.tries = tries  # how many workers died holding these documents
        self.results: list[Any] | None = None

    def ready(self) -> bool:
        if self.results is None:
            self.crew.poll(0)
        return self.results is not None

    def get(self) -> list[Any]:
        while self.results is None:
            self.crew.poll(None)
        return self.results


class _Hand:
    """One worker process, its two pipes, the thread that feeds it, and the chunks it holds."""

    def __init__(self, ctx: Any, init: tuple[Any, ...]):
        task_out, self.tasks = ctx.Pipe(duplex=False)
        self.results, result_in = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_work, args=(task_out, result_in, init), daemon=True)
        self.process.start()
        task_out.close()
        result_in.close()
        self.ready = False
        self.failure: _Failure | None = None
        self.held: deque[_Chunk] = deque()  # sent, not yet answered: in the order sent
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._feeder = threading.Thread(target=self._feed, daemon=True)
        self._feeder.start()

    def _feed(self) -> None:
        """Send chunks as the worker takes them (a blocking send never holds up the parent)."""
        while True:
            item = self._queue.get()
            try:
                self.tasks.send(item)
            except (OSError, ValueError):  # the worker is gone: its chunks are retried by the parent
                return
            if item is None:
                return

    def send(self, chunk: _Chunk) -> None:
        self.held.append(chunk)
        self._queue.put((chunk.number, chunk.docs))

    def stop(self) -> None:
        self._queue.put(None)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.terminate()

    def close(self) -> None:
        for conn in (self.tasks, self.results):
            try:
                conn.close()
            except OSError:  # pragma: no cover
                pass


class _Crew:
    """The worker processes and the chunks waiting for one. Chunks go to the worker holding
    the fewest (at most ``depth`` each); a dead worker is replaced and what it held is tried
    again, one document per chunk; a document that dies twice fails with WorkerDied."""

    def __init__(self, ctx: Any, size: int, init: tuple[Any, ...], depth: int = 2):
        self.ctx, self.size, self.init, self.depth = ctx, size, init, depth
        self.hands: list[_Hand] = []
        self.waiting: deque[_Chunk] = deque()
        self._numbers = iter(range(1, sys.maxsize))
        self.deaths = 0

    def start(self) -> None:
        while len(self.hands) < self.size:
            self.hands.append(_Hand(self.ctx, self.init))

    def wait_ready(self) -> _Failure | None:
        """Wait until every worker has built its extractor; the first failure, if any."""
        while True:
            for hand in self.hands:
                if hand.failure is not None:
                    return hand.failure
            if all(hand.ready for hand in self.hands):
                return None
            self.poll(None, starting=True)

    def submit(self, docs: list[Document], tries: int = 0) -> _Chunk:
        chunk = _Chunk(self, next(self._numbers), docs, tries)
        self.waiting.append(chunk)
        self._dispatch()
        return chunk

    def _dispatch(self) -> None:
        while self.waiting:
            free = [h for h in self.hands if h.ready and len(h.held) < self.depth]
            if not free:
                return
            min(free, key=lambda h: len(h.held)).send(self.waiting.popleft())

    def poll(self, timeout: float | None, starting: bool = False) -> None:
        """Take what the workers have sent (waiting up to ``timeout`` s for something: a result
        or a death), then hand waiting chunks to free workers."""
        from multiprocessing.connection import wait

        by_fd: dict[Any, tuple[str, _Hand]] = {}
        for hand in self.hands:
            by_fd[hand.results] = ("result", hand)
            by_fd[hand.process.sentinel] = ("death", hand)
        for ready in wait(list(by_fd), timeout):
            kind, hand = by_fd[ready]
            if hand not in self.hands:
                continue
            if kind == "result":
                self._receive(hand, starting)
        for hand in list(self.hands):  # deaths after results: what a worker sent before dying counts
            if not hand.process.is_alive() and hand in self.hands:
                self._drain(hand, starting)
                if hand in self.hands:
                    self._lost(hand, starting)
        self._dispatch()

    def _receive(self, hand: _Hand, starting: bool) -> None:
        try:
            message = hand.results.recv()
        except (EOFError, OSError):
            self._lost(hand, starting)
            return
        self._take(hand, message)

    def _drain(self, hand: _Hand, starting: bool) -> None:
        """Whatever a dead worker managed to send."""
        try:
            while hand.results.poll():
                self._take(hand, hand.results.recv())
        except (EOFError, OSError):
            pass

    def _take(self, hand: _Hand, message: tuple[Any, Any]) -> None:
        tag, payload = message
        if tag == "ready":
            hand.ready = True
            hand.failure = payload
            return
        chunk = hand.held.popleft()
        assert chunk.number == tag, (chunk.number, tag)
        chunk.results = payload

    def _lost(self, hand: _Hand, starting: bool) -> None:
        """A worker died: replace it, and try what it held again. The first chunk it held is
        the one it was extracting: each of its documents is tried again alone in a new worker
        (so that a second death names the document that caused it), and one that has already
        killed a worker fails with WorkerDied. The chunks queued behind it never ran: they go
        back to the queue as they are."""
        hand.process.join(STOP_GRACE)  # a worker whose pipe closed is dying: let it finish, to say how
        if hand.process.is_alive():  # it closed its pipe but lives on: stop it
            hand.kill()
            hand.process.join(STOP_GRACE)
            if hand.process.is_alive():
                hand.process.kill()
                hand.process.join(STOP_GRACE)
        why = _death(hand.process)
        self.hands.remove(hand)
        hand.close()
        self.deaths += 1
        if not hand.ready:
            failure = ModelError(f"a worker died while starting the {self.init[0]} engine ({why})")
            if starting:
                hand.failure = _Failure(failure)
                self.hands.append(hand)  # wait_ready reports it
                return
            raise failure  # it would die again: the engine cannot run here any more
        log.info("a worker died (%s) holding %d documents; each is tried again alone in a new worker",
                 why, len(hand.held[0].docs) if hand.held else 0)
        self.hands.append(_Hand(self.ctx, self.init))
        for n, chunk in enumerate(hand.held):
            if n > 0:
                parts = [self.submit(chunk.docs, tries=chunk.tries)]
            elif chunk.tries >= 1 and len(chunk.docs) == 1:  # it killed a worker before: it fails
                chunk.results = [_Failure(WorkerDied(
                    f"{shown(chunk.docs[0].source)}: extraction failed: its worker process died, "
                    f"twice ({why})"))]
                continue
            else:
                parts = [self.submit([doc], tries=chunk.tries + 1) for doc in chunk.docs]
            chunk.results = _Pending(parts)

    def close(self) -> None:
        """Stop every worker: ask, then terminate, then kill; never wait without a bound."""
        hands, self.hands = self.hands, []
        for hand in hands:
            hand.stop()
            hand.kill()
        deadline = time.monotonic() + STOP_GRACE
        for hand in hands:
            hand.process.join(max(0.0, deadline - time.monotonic()))
        for hand in hands:
            if hand.process.is_alive():
                hand.process.kill()
                hand.process.join(STOP_GRACE)
            hand.close()
        self.waiting.clear()


class _Pending(list):
    """A chunk's results while its documents are being tried again: the parts' results, read
    when asked for (see :meth:`_Chunk.get`)."""

    def __init__(self, parts: list[_Chunk]):
        super().__init__()
        self.parts = parts


def _results(chunk: _Chunk) -> list[Any]:
    """The results of a chunk, through any retries."""
    got = chunk.get()
    if isinstance(got, _Pending):
        return [r for part in got.parts for r in _results(part)]
    return got


def _done(chunk: _Chunk) -> bool:
    if not chunk.ready():
        return False
    got = chunk.results
    return not isinstance(got, _Pending) or all(_done(part) for part in got.parts)


class ParallelExtractor:
    """The serial Extractor's interface (``load``, ``extract``) over worker processes."""

    def __init__(self, engine: str = "stanza", models: str | os.PathLike | None = None,
                 sieves: str | None = None, workers: int = 2, window: int | None = None,
                 start_method: str | None = None, chunksize: int | None = None, indirect: bool = False):
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        parse_config(sieves)  # fail early on a bad configuration, as Extractor does
        self.engine = engine
        self.models = None if models is None else str(models)
        self.sieves = sieves
        self.indirect = indirect  # reported speech too (kind indirect), as Extractor(indirect=...)
        self.workers = workers
        # rules take ~2 ms a document and the windowed stanza engine ~6 ms: send them 16 at a
        # time, and keep enough in flight that the workers stay busy while the caller writes a
        # batch (~0.1 s)
        self.window = window or workers * 128
        self.chunksize = max(1, min(chunksize or 16, self.window))
        self.start_method = start_method  # None: chosen by load() (_start_method)
        self._crew: _Crew | None = None
        self._done: dict[int, tuple[Document, list[Quote] | _Failure]] = {}

    # ------------------------------------------------------------ lifecycle
    def load(self) -> None:
        """Start the workers and wait until each has built its extractor; a model problem
        raises here (ModelError), before any document is read."""
        if self._crew is not None:
            return
        method = self.start_method or _start_method(self.engine)
        if method == "fork" and self.engine != "rules":
            _preimport_neural()
        import multiprocessing  # here, not at the top: `quotes extract` imports this module for one worker too

        ctx = multiprocessing.get_context(method)
        threads = 1 if self.engine != "rules" else None
        depth = max(2, -(-self.window // (self.chunksize * self.workers)))
        self._crew = _Crew(ctx, self.workers, (self.engine, self.models, self.sieves, threads, self.indirect),
                           depth=depth)
        self._crew.start()
        failure = self._crew.wait_ready()
        if failure is not None:
            self.close()
            exc = failure.exc
            if isinstance(exc, (ModelError, ValueError)):
                raise exc
            raise ModelError(f"a worker could not start the {self.engine} engine "
                             f"({type(exc).__name__}: {exc})")
        log.info("%d %s workers ready", self.workers, self.engine)

    def close(self) -> None:
        if self._crew is not None:
            crew, self._crew = self._crew, None
            crew.close()
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
        pending: deque[tuple[Any, list[Any] | None]] = deque()  # (item, [chunk, index] or None)
        chunk: list[Document] = []
        slots: list[list[Any]] = []

        def submit() -> None:
            assert self._crew is not None
            job = self._crew.submit(list(chunk))
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
            return idle and not _done(slot[0])

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
            self._done[id(item)] = (item, _results(slot[0])[slot[1]])
        return item

    def extract(self, document: Document | str) -> list[Quote]:
        """The result for a document that :meth:`prefetch` yielded (or, for any other
        document, extracted now by a worker)."""
        doc = Document.from_text(document) if isinstance(document, str) else document
        item, result = self._done.pop(id(doc), (None, None))
        if item is not doc:
            self.load()
            assert self._crew is not None
            result = _results(self._crew.submit([doc]))[0]
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
