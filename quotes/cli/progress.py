"""A one-line progress display for long runs, on stderr.

    progress = Progress(lambda: (stats.documents, stats.quotes), total=None)
    for item in progress.track(sources):
        ...                       # the line is redrawn at most every ``interval`` seconds
    progress.close()              # clears the line

Silent when the stream is not a terminal (pipes, files, CI logs) or when
disabled (``--quiet``). The line reads::

    1,204 documents (12%) · 9,876 quotes · 61.3 docs/s · 0.48 MB/s · 0:19 elapsed
"""
from __future__ import annotations

import sys
import time
from typing import IO, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")


def _clock(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def render(done: int, quotes: int, elapsed: float, total: int | None = None, nbytes: int = 0) -> str:
    """The progress line for ``done`` documents and ``quotes`` quotes after ``elapsed`` s."""
    parts = [f"{done:,} document{'' if done == 1 else 's'}"
             + (f" of {total:,} ({100 * done / total:.0f}%)" if total else "")]
    parts.append(f"{quotes:,} quote{'' if quotes == 1 else 's'}")
    if elapsed > 0:
        parts.append(f"{done / elapsed:.1f} docs/s")
        if nbytes:
            parts.append(f"{nbytes / elapsed / 1e6:.2f} MB/s")
    parts.append(f"{_clock(elapsed)} elapsed")
    return " · ".join(parts)


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
