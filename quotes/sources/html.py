"""HTML articles in: a saved web page becomes a :class:`~quotes.types.Document`.

The article's main text is taken out of the page by trafilatura (boilerplate, menus,
comments, related links, scripts and styles left out; see docs/html.md for why trafilatura),
with paragraphs separated by blank lines. That text is the document text: every stored
offset points into it. The page's metadata fills the document's ``url`` (canonical link or
``og:url``), ``title``, ``publisher`` (site name) and ``date`` (ISO ``YYYY-MM-DD``);
``sha256`` is of the raw page as read (the bytes of a file, the UTF-8 of a JSONL ``html``).

Nothing in a page is executed or fetched: the page is decoded here and handed to
trafilatura as a string (trafilatura only downloads in ``fetch_url``, which is never
called; htmldate, which finds the date, is given the parsed tree, never a URL), and lxml
parses without network access. Scripts are dropped, never run.

Decoding (offsets are into the extracted text, so only the characters matter): an explicit
``encoding`` wins; then a byte-order mark; then the charset the page declares in its first
1024 bytes (``<meta charset>`` or ``http-equiv``; ``iso-8859-1``/``ascii`` read as
windows-1252, as browsers do); otherwise strict UTF-8. Bytes that do not decode are one
:class:`~quotes.errors.ReadError` line naming the file, never a guess.
"""
from __future__ import annotations

import codecs
import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any, Mapping

from ..errors import ReadError
from ..types import Document

log = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm")
PRESCAN_BYTES = 1024  # where a page must declare its charset (WHATWG "prescan")

# trafilatura and its helpers log parse problems themselves; the reader reports them in one
# line, so keep theirs off stderr unless the application configures logging.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# WHATWG encoding labels that browsers read differently from Python's codec of that name.
_BROWSER_CODEC = {
    "iso-8859-1": "windows-1252", "iso8859-1": "windows-1252", "latin1": "windows-1252",
    "latin-1": "windows-1252", "l1": "windows-1252", "us-ascii": "windows-1252",
    "ascii": "windows-1252", "x-user-defined": "windows-1252",
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",  # a declaration cannot say these
}


@dataclass(frozen=True)
class Page:
    """What was taken out of one page: the document, plus metadata the store has no column
    for yet (``author``; see docs/html.md)."""

    document: Document
    author: str | None = None
    description: str | None = None


def is_html(name: str) -> bool:
    """Is this source read as a web page (by its name: ``.html`` or ``.htm``, any case)?"""
    return name.lower().endswith(HTML_SUFFIXES)


def declared_charset(data: bytes) -> str | None:
    """The codec a page declares in its first 1024 bytes, mapped as browsers map it;
    None when it declares none (or one Python does not know)."""
    m = _META_CHARSET.search(data[:PRESCAN_BYTES])
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").strip().lower()
    label = _BROWSER_CODEC.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        log.debug("unknown declared charset %r: reading as UTF-8", label)
        return None


def decode_html(data: bytes, name: str, encoding: str | None = None) -> str:
    """The characters of a page (see the module's decoding rules); ReadError on failure."""
    source = "--encoding"
    codec = encoding
    if codec is None:
        for bom, bom_codec in _BOMS:
            if data.startswith(bom):
                codec, source = bom_codec, "its byte-order mark"
                break
    if codec is None:
        codec = declared_charset(data)
        source = "declared by the page"
    if codec is None:
        codec, source = "utf-8", ""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        why = f" ({source})" if source else ""
        raise ReadError(f"{name}: not valid {codec}{why} at byte {e.start} "
                        f"(use --encoding to decode it)") from None
    except LookupError:
        raise ReadError(f"{name}: unknown encoding {codec!r}") from None
    return text[1:] if text.startswith("\ufeff") else text


def main_text(extracted: str) -> str:
    """trafilatura's text with one blank line between paragraphs and no stray spaces at
    line ends (the form of the plain-text inputs, so paragraphs segment the same way)."""
    return "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip())


def extract_page(html: str, name: str, *, sha256: str, path: str | None = None,
                 overrides: Mapping[str, str | None] | None = None) -> Page:
    """The main text and metadata of a decoded page. ``overrides`` (``url``, ``title``,
    ``publisher``, ``date``, ``external_id``) win over what the page says when not None."""
    try:
        import trafilatura
    except ImportError:
        raise ReadError(f"{name}: reading HTML needs trafilatura (pip install trafilatura)") from None

    given = dict(overrides or {})
    try:
        result: Any = trafilatura.bare_extraction(
            html, url=given.get("url"), with_metadata=True, include_comments=False,
            include_tables=False, include_images=False, include_links=False, deduplicate=False,
        )
    except Exception as e:  # a parser failure on one page must not sink the batch
        log.debug("trafilatura failed on %s", name, exc_info=True)
        raise ReadError(f"{name}: cannot parse the HTML ({type(e).__name__})") from None
    text = main_text(getattr(result, "text", None) or "") if result is not None else ""
    if not text:
        raise ReadError(f"{name}: no article text found in the page")

    def pick(key: str, found: str | None) -> str | None:
        value = given.get(key)
        return value if value is not None else (found.strip() or None if found else None)

    document = Document(
        text=text,
        path=path if path is not None else name,
        url=pick("url", result.url),
        title=pick("title", result.title),
        publisher=pick("publisher", result.sitename),
        date=pick("date", result.date),
        author=pick("author", result.author),
        external_id=given.get("external_id"),
        sha256=sha256,
    )
    log.debug("%s: %d characters of article text from %d of HTML", name, len(text), len(html))
    return Page(document=document, author=(result.author or None), description=(result.description or None))


def read_page(data: bytes, name: str, encoding: str | None = None) -> Page:
    """A page read from ``name`` (raw bytes ``data``)."""
    html = decode_html(data, name, encoding)
    return extract_page(html, name, sha256=hashlib.sha256(data).hexdigest())


def html_document(data: bytes, name: str, encoding: str | None = None) -> Document:
    """The reader's hook for ``.html``/``.htm`` files."""
    return read_page(data, name, encoding).document


def record_document(html: str, where: str, label: str, meta: Mapping[str, str | None]) -> Document:
    """The reader's hook for a JSONL record with an ``html`` field and no ``text``: the
    record's own ``id``/``url``/``title``/``publisher``/``date`` win over the page's."""
    try:
        raw = html.encode("utf-8")
    except UnicodeEncodeError:
        raise ReadError(f"{where}: \"html\" contains an unpaired surrogate") from None
    overrides = {key: meta.get(key) for key in ("url", "title", "publisher", "date")}
    overrides["external_id"] = meta.get("id")
    page = extract_page(html, where, sha256=hashlib.sha256(raw).hexdigest(), path=label,
                        overrides=overrides)
    return page.document
