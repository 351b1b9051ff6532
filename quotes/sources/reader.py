"""Turn command-line sources into :class:`~quotes.types.Document` objects.

``read_sources`` accepts files, directories (walked recursively, sorted,
hidden entries skipped; only regular files are read there, a FIFO only when
named itself, a device never), ``-`` for standard input, and ``.jsonl`` files
with one article per line. It never raises for a bad source: it yields a
:class:`~quotes.errors.ReadError` carrying one line that starts with the
path, and goes on with the rest of the batch.

Decoding rules for plain files (offsets are into the text exactly as decoded;
line endings are never translated):

* a UTF-8 BOM is skipped, the rest is decoded as strict UTF-8;
* a UTF-16 / UTF-32 BOM selects that codec;
* NUL bytes in the first 8 KB otherwise mean a binary file;
* an explicit ``encoding`` overrides all of this.
"""
from __future__ import annotations

import codecs
import fnmatch
import hashlib
import json
import logging
import os
import stat
import sys
from dataclasses import replace
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from ..errors import ReadError, shown
from ..types import Document, label, storable

log = logging.getLogger(__name__)

STDIN = "-"
STDIN_NAME = "<stdin>"
SNIFF_BYTES = 8192
JSONL_FIELDS = ("id", "url", "title", "publisher", "date", "path", "author")

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_sources(
    paths: Iterable[str], encoding: str | None = None, stdin: IO[bytes] | None = None,
    include: Sequence[str] = (), skipped: Callable[[str, str], None] | None = None,
) -> Iterator[Document | ReadError]:
    """Yield one Document per article (or a ReadError per failure), in order.

    Inside a folder only text, JSONL and HTML files are read: by extension (``.txt``,
    ``.text``, ``.jsonl``, ``.html``, ``.htm``, or none), unless a name matches one of the
    ``include`` globs, and by content (a PDF, an image, an archive or anything with NUL bytes
    near its start is not text, whatever its name). Every other file is passed over and
    reported to ``skipped(path, reason)``; a file named on its own is always read.

    File names that are not UTF-8 (``os.fsdecode``'s surrogates) are read as they are and
    stored losslessly (:func:`quotes.types.storable`); every message shows a name on one line."""
    for path in paths:
        if path == STDIN:
            yield _read_stdin(stdin, encoding)
        elif os.path.isdir(path):
            for entry in _walk(path):
                if isinstance(entry, ReadError):
                    yield entry
                    continue
                yield from _read_path(entry, encoding, walked=True, skipped=skipped, root=path, include=include)
        else:
            yield from _read_path(path, encoding)


READABLE_SUFFIXES = (".txt", ".text", ".jsonl", ".html", ".htm")  # what a folder walk reads
# The first bytes of formats that are never text, whatever the file is called.
_NOT_TEXT = {
    b"%PDF": "PDF", b"\x89PNG": "PNG image", b"GIF8": "GIF image", b"\xff\xd8\xff": "JPEG image",
    b"PK\x03\x04": "ZIP archive or office document", b"\x1f\x8b": "gzip file", b"BZh": "bzip2 file",
    b"\xfd7zXZ": "xz file", b"7z\xbc\xaf": "7-Zip archive", b"Rar!": "RAR archive", b"II*\x00": "TIFF image",
    b"MM\x00*": "TIFF image", b"RIFF": "RIFF media file", b"OggS": "Ogg media file", b"ID3": "MP3 file",
    b"fLaC": "FLAC file", b"\x7fELF": "executable", b"SQLite format 3\x00": "SQLite database",
    b"\xd0\xcf\x11\xe0": "old office document", b"{\\rtf": "RTF document", b"\x00\x00\x00": "binary file",
}


def _not_readable_name(path: str, root: str, include: Sequence[str]) -> str | None:
    """Why a file found in a folder is not read, by its name (None: read it)."""
    name = os.path.basename(path)
    suffix = os.path.splitext(name)[1].lower()
    if suffix in READABLE_SUFFIXES or not suffix:
        return None
    rel = os.path.relpath(path, root)
    if any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(path, g) for g in include):
        return None
    return "not a text, JSONL or HTML file (--include GLOB reads such files)"


_ALWAYS_NOT_TEXT = (b"%PDF-", b"{\\rtf", b"SQLite format 3\x00", b"\x7fELF")


def not_text(head: bytes) -> str | None:
    """What the first bytes of a file say it is when that is not text (None: it may be text).
    A signature made of letters ("GIF8", "RIFF", "ID3") counts only when the bytes after it
    are not text too: a news story may well begin with "ID3"."""
    if head.startswith(tuple(bom for bom, _ in _BOMS)):
        return None
    if not head.startswith(_ALWAYS_NOT_TEXT) and b"\x00" not in head:
        try:
            head.decode("utf-8")
            return None
        except UnicodeDecodeError as e:
            if e.start >= len(head) - 3 and e.reason == "unexpected end of data":  # a character cut by the sniff
                return None
    for magic, kind in _NOT_TEXT.items():
        if head.startswith(magic):
            return kind
    if b"\x00" in head[:SNIFF_BYTES]:
        return "binary file"
    return None


def decode(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode raw bytes per the module rules; raise ReadError with one line."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ReadError(f"{name}: unknown encoding {encoding!r}") from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            raise ReadError(f"{name}: not valid {encoding} at byte {e.start}") from None
        return text[1:] if text.startswith("\ufeff") else text
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8":
                return _utf8(data[len(bom):], name, offset=len(bom))
            try:
                return data.decode(codec)  # these codecs consume the BOM
            except UnicodeDecodeError as e:
                raise ReadError(f"{name}: not valid {codec.upper()} at byte {e.start}") from None
    kind = not_text(data[:SNIFF_BYTES])
    if kind:
        raise ReadError(f"{name}: {kind}" if kind == "binary file" else f"{name}: not text ({kind})")
    return _utf8(data, name)


def _utf8(data: bytes, name: str, offset: int = 0) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReadError(
            f"{name}: not valid UTF-8 at byte {e.start + offset} (use --encoding to decode it)"
        ) from None


def _walk(root: str) -> Iterator[str | ReadError]:
    """Files under root, sorted by relative path, hidden entries skipped; a
    directory that cannot be listed is a ReadError in its place."""
    found: list[tuple[list[str], str | ReadError]] = []

    def key(p: str) -> list[str]:
        return os.path.relpath(p, root).split(os.sep)

    def failed(e: OSError) -> None:
        where = e.filename or root
        found.append((key(where), ReadError(f"{shown(where)}: cannot list directory: {_reason(e)}")))

    for dirpath, dirnames, filenames in os.walk(root, onerror=failed):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            full = os.path.join(dirpath, name)
            if not name.startswith(".") and not os.path.isdir(full):
                found.append((key(full), full))
    found.sort(key=lambda pair: pair[0])
    return iter([item for _, item in found])


def _read_stdin(stdin: IO[bytes] | None, encoding: str | None) -> Document | ReadError:
    stream = stdin if stdin is not None else sys.stdin.buffer
    found = _decoded(stream.read, STDIN_NAME, encoding)
    if isinstance(found, Document):
        return replace(found, origin="stdin")
    return found


def _read_path(path: str, encoding: str | None, walked: bool = False,
               skipped: Callable[[str, str], None] | None = None, root: str = "",
               include: Sequence[str] = ()) -> Iterator[Document | ReadError]:
    problem = _not_a_file(path, walked)
    if problem:
        yield ReadError(f"{shown(path)}: {problem}")
        return
    why = _not_readable_name(path, root, include) if walked else None
    if why:
        if skipped is not None:
            skipped(path, why)
        return
    jsonl = path.lower().endswith(".jsonl")
    data: bytes | None = None
    if walked:  # found in a folder: read only what is text (by content too)
        try:
            with open(path, "rb") as fh:
                data = fh.read(SNIFF_BYTES) if jsonl else fh.read()
        except OSError as e:
            yield ReadError(f"{shown(path)}: {_reason(e)}")
            return
        kind = not_text(data[:SNIFF_BYTES])
        if kind:
            if skipped is not None:
                skipped(path, f"not text ({kind})")
            return
    if jsonl:
        yield from _read_jsonl(path)
        return

    def read() -> bytes:
        if data is not None:
            return data
        with open(path, "rb") as fh:
            return fh.read()

    found = _decoded(read, path, encoding)
    if isinstance(found, Document):
        found = replace(found, path=label(path), origin="file", source_file=storable(path))
    yield found


def _decoded(read: Callable[[], bytes], name: str, encoding: str | None) -> Document | ReadError:
    """The document read by ``read``, or the one-line error saying why it can't be had."""
    try:
        return _document(read(), name, encoding)
    except ReadError as e:
        return e
    except OSError as e:
        return ReadError(f"{shown(name)}: {_reason(e)}")


def _not_a_file(path: str, walked: bool) -> str | None:
    """Why ``path`` must not be opened, or None. Devices and sockets are never read (``/dev/zero``
    would never end); a FIFO is read only when named on the command line (``<(cmd)``), never
    when found inside a directory, where opening it would wait for a writer forever."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # open() reports it with the precise reason
    if stat.S_ISREG(mode) or (stat.S_ISFIFO(mode) and not walked):
        return None
    kind = ("FIFO" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
            else "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file")
    return f"not a regular file ({kind})"


def _document(data: bytes, name: str, encoding: str | None) -> Document:
    if name.lower().endswith((".html", ".htm")):  # a web page: its main text (quotes/html.py)
        from .html import html_document

        return html_document(data, shown(name), encoding)
    text = decode(data, shown(name), encoding)
    log.debug("read %s (%d bytes)", name, len(data))
    return Document(text=text, path=name, sha256=hashlib.sha256(data).hexdigest())


def _read_jsonl(path: str) -> Iterator[Document | ReadError]:
    """One article per line; a bad line is reported and the rest still read.

    The ``path`` field is only a label: it never makes us open another file.
    """
    try:
        fh = open(path, "rb")
    except OSError as e:
        yield ReadError(f"{shown(path)}: {_reason(e)}")
        return
    with fh:
        for number, raw in enumerate(fh, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            if not raw.strip():
                continue
            try:
                yield _record(raw, path, number)
            except ReadError as e:
                yield e
            except OSError as e:  # pragma: no cover - a read failing mid-file
                yield ReadError(f"{shown(path)}:{number}: {_reason(e)}")
                return


def parse_json(line: str) -> Any:
    """One JSON value, or ReadError with the reason (a line nested deeper than the
    interpreter's recursion limit is invalid JSON like any other)."""
    try:
        return json.loads(line)
    except ValueError as e:
        raise ReadError(f"invalid JSON: {_one_line(str(e))}") from None
    except RecursionError:
        raise ReadError("invalid JSON: nested too deeply") from None


def _record(raw: bytes, path: str, number: int) -> Document:
    where = f"{shown(path)}:{number}"
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReadError(f"{where}: not valid UTF-8 at byte {e.start} of the line") from None
    try:
        obj: Any = parse_json(line)
    except ReadError as e:
        raise ReadError(f"{where}: {e}") from None
    if not isinstance(obj, dict):
        raise ReadError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str) and not isinstance(obj.get("html"), str):
        raise ReadError(f"{where}: missing \"text\" string")
    meta: dict[str, str | None] = {}
    for key in JSONL_FIELDS:
        value = obj.get(key)
        if value is None:
            meta[key] = None
        elif isinstance(value, (str, int)) and not isinstance(value, bool):
            meta[key] = _utf8_field(str(value), key, where)
        else:
            raise ReadError(f"{where}: \"{key}\" must be a string")
    source = {"origin": "jsonl", "source_file": storable(path), "source_line": number}
    if not isinstance(text, str):  # a web page in "html": its main text (quotes/html.py)
        from .html import record_document

        page = record_document(obj["html"], where, meta["id"] or meta["path"] or f"{label(path)}#{number}", meta)
        return replace(page, **source)
    try:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError:
        raise ReadError(f"{where}: \"text\" contains an unpaired surrogate") from None
    return Document(
        text=text,
        path=meta["id"] or meta["path"] or f"{label(path)}#{number}",
        url=meta["url"],
        title=meta["title"],
        publisher=meta["publisher"],
        date=meta["date"],
        author=meta["author"],
        external_id=meta["id"],
        sha256=digest,
        **source,
    )


def _utf8_field(value: str, key: str, where: str) -> str:
    """A record's string field, refused when it holds an unpaired surrogate (JSON can spell
    one, ``"\\udcff"``; no database takes it)."""
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ReadError(f"{where}: \"{key}\" contains an unpaired surrogate") from None
    return value


def _reason(e: OSError) -> str:
    reason = e.strerror or str(e)
    return reason[:1].lower() + reason[1:]


def _one_line(s: str) -> str:
    return " ".join(s.split())
