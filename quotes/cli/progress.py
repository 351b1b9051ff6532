"""A one-line progress display for long runs, on stderr.

    progress = Progress(lambda: (stats.documents, stats.quotes), total=None)
    for item in progress.track(sources):
        ...                       # the line is redrawn at most every ``interval`` seconds
    progress.close()              # clears the line

Silent when the stream is not a terminal (pipes, files, CI logs) or when
disabled (``--quiet``). The line reads::

    1,204 documents of 10,000 (12%) · 9,876 quotes · 61.3 docs/s · 0:19 elapsed · about 2:23 left
"""
from __future__ import annotations

import os
import sys
import threading
import time
from typing import IO, Callable, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def render(done: int, quotes: int, elapsed: float, total: int | None = None, nbytes: int = 0) -> str:
    """The progress line for ``done`` documents and ``quotes`` quotes after ``elapsed`` s (of
    ``total``, when known: then the time left too, at the rate so far)."""
    parts = [f"{done:,} document{'' if done == 1 else 's'}"
             + (f" of {total:,} ({min(100, 100 * done / total):.0f}%)" if total else "")]
    parts.append(f"{quotes:,} quote{'' if quotes == 1 else 's'}")
    if elapsed > 0:
        parts.append(f"{done / elapsed:,.1f} docs/s")
        if nbytes:
            parts.append(f"{nbytes / elapsed / 1e6:.2f} MB/s")
    parts.append(f"{_clock(elapsed)} elapsed")
    if total and done and elapsed >= 1:
        parts.append(f"about {_clock(max(0, total - done) * elapsed / done)} left")
    return " · ".join(parts)


def count_documents(paths: Iterable[str], include: Sequence[str], found: Callable[[int], None]) -> threading.Thread:
    """Count the documents ``paths`` hold (files a folder walk reads, lines of JSONL files), in
    a thread of its own, and hand the count to ``found`` (not at all when a source is stdin:
    its size is unknown). An estimate: files turn out not to be text, lines to be blank."""
    from ..sources.reader import STDIN, _not_readable_name, _walk

    def lines(path: str) -> int:
        with open(path, "rb") as fh:
            return sum(1 for line in fh if not line.isspace())

    def count(path: str) -> int:
        return lines(path) if path.lower().endswith(".jsonl") else 1

    def run() -> None:
        total = 0
        try:
            for path in paths:
                if path == STDIN:
                    return
                if os.path.isdir(path):
                    total += sum(count(f) for f in _walk(path)
                                 if isinstance(f, str) and not _not_readable_name(f, path, include))
                else:
                    total += count(path)
        except OSError:
            return  # the reader reports it
        found(total)

    thread = threading.Thread(target=run, name="quotes-count", daemon=True)
    thread.start()
    return thread


class Progress:
    """Redraws :func:`render`'s line in place; ``counts()`` gives (documents, quotes)."""

    def __init__(self, counts: Callable[[], tuple[int, int]], enabled: bool = True,
                 stream: IO[str] | None = None, interval: float = 0.2, total: int | None = None,
                 force: bool = False):
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = enabled and (force or bool(isatty and isatty()))
        self.counts = counts
        self.interval = interval
        self.total = total
        self.nbytes = 0
        self._start = time.monotonic()
        self._last = float("-inf")
        self._width = 0

    def track(self, items: Iterable[T], size: Callable[[T], int] | None = None) -> Iterator[T]:
        """Pass ``items`` through, refreshing the line before each is handed on and once
        at the end (when the caller has finished with the last one)."""
        for item in items:
            self.update()
            if size is not None:
                self.nbytes += size(item)
            yield item
        self.update(force=True)

    def set_total(self, total: int) -> None:
        """How many documents there are, once known (the line then shows N of M and the time left)."""
        self.total = total

    def update(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        done, quotes = self.counts()
        line = render(done, quotes, now - self._start, self.total, self.nbytes)
        pad = max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()

    def close(self) -> None:
        """Clear the line (the command's own summary follows)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
