"""HTML input (quotes/html.py): the article's main text, its metadata, the raw page's sha256;
nothing fetched, nothing run; bad pages are one line and the batch goes on."""
from __future__ import annotations

import hashlib
import json
import re
import socket
from pathlib import Path

import pytest

pytest.importorskip("trafilatura", reason="HTML input needs trafilatura (pip install trafilatura)")

from quotes.errors import ReadError  # noqa: E402
from quotes.sources.html import decode_html, read_page  # noqa: E402
from quotes.extract.pipeline import Extractor  # noqa: E402
from quotes.sources.reader import read_sources  # noqa: E402
from quotes.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "samples" / "html"
KCNA = PAGES / "kcna_statement.html"
FERRY = PAGES / "ferry_cp1252.htm"
SAMPLES = sorted(p for p in PAGES.iterdir() if p.suffix in (".html", ".htm"))
DOUBLE_QUOTED = re.compile(r"“[^”]*”")


def read(*paths, **kw):
    return list(read_sources([str(p) for p in paths], **kw))


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


@pytest.fixture(scope="module")
def rules():
    return Extractor(engine="rules")


def test_page_becomes_a_document_with_its_metadata_and_raw_sha256():
    raw = KCNA.read_bytes()
    [doc] = read(KCNA)
    assert doc.path == str(KCNA)
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.url == "https://worldledger.example/2019/05/06/north-korea-maduro-support/"
    assert doc.title == "North Korea Sends Maduro ‘Invariable Support’ Against ‘Reckless’ U.S."
    assert (doc.publisher, doc.date) == ("World Ledger", "2019-05-06")
    assert read_page(raw, str(KCNA)).author == "Frances Lindqvist"


@pytest.mark.parametrize("page", SAMPLES, ids=lambda p: p.name)
def test_main_text_keeps_the_articles_quotes_and_drops_the_boilerplates(page):
    """The hand-selected body of each sample (NAME.expected.txt): every paragraph of it is a
    paragraph of the text, and the quotes in the text are exactly the body's (none from
    comments, teasers, newsletters, letters or scripts)."""
    [doc] = read(page)
    expected = (PAGES / f"{page.stem}.expected.txt").read_text(encoding="utf-8")
    got = paragraphs(doc.text)
    missing = [p for p in paragraphs(expected) if p not in got and not p.startswith("—")]
    assert missing == []
    assert DOUBLE_QUOTED.findall(doc.text) == DOUBLE_QUOTED.findall(expected)
    assert "\n\n" in doc.text and "\n\n\n" not in doc.text


def test_declared_charset_and_entities(tmp_path):
    [doc] = read(FERRY)  # windows-1252 bytes, CRLF, &ldquo; and &#8220; entities
    assert "“The people of the north shore deserve a ferry that runs on time.”" in doc.text
    assert "“If the yard delivers on schedule" in doc.text
    assert (doc.title, doc.publisher, doc.date) == ("Harbour Council Approves Ferry Budget",
                                                   "Port Alder Gazette", "2024-03-05")
    assert "\r" not in doc.text
    with pytest.raises(ReadError, match=r"^x\.html: not valid utf-8 \(declared by the page\) at byte \d+ \(use --encoding"):
        decode_html(FERRY.read_bytes().replace(b"windows-1252", b"utf-8     "), "x.html")
    undeclared = tmp_path / "plain.htm"
    undeclared.write_bytes(FERRY.read_bytes().replace(b"charset=windows-1252", b""))
    [err] = read(undeclared)
    assert isinstance(err, ReadError) and str(err).startswith(f"{undeclared}: not valid utf-8")
    [doc] = read(undeclared, encoding="cp1252")
    assert "“We have waited eleven years for a second boat,”" in doc.text


def test_offsets_point_into_the_stored_text_and_the_kcna_quote_is_attributed(rules, tmp_path):
    [doc] = read(KCNA)
    found = rules.extract(doc)
    for q in found:
        assert doc.text[q.start:q.end] == q.span.text
    kcna = [q for q in found if q.text.startswith("The latest coup d’état attempt")]
    assert len(kcna) == 1
    q = kcna[0]
    assert (q.speaker.name, q.outlet.name, q.cue.text) == (
        "North Korean foreign ministry", "Korean Central News Agency", "said")
    store = Store(str(tmp_path / "q.db"))
    doc_id, added = store.add(doc, found, "rules")
    stored = store.get(store.quote_ids(doc_id)[found.index(q)])
    assert stored["document"]["url"] == doc.url and stored["document"]["sha256"] == doc.sha256
    assert store.execute("select text from documents")[0][0] == doc.text


def test_jsonl_record_with_html(tmp_path):
    page = KCNA.read_text(encoding="utf-8")
    src = tmp_path / "a.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in [
        {"id": "k1", "html": page, "url": "https://mirror.example/k1", "date": "2019-05-07"},
        {"html": page},
        {"text": "plain “text” wins", "html": page},
        {"html": 42},
        {"id": "empty", "html": "<html><body><script>var x = '“no”';</script></body></html>"},
    ]) + "\n", encoding="utf-8")
    first, second, third, bad, empty = read(src)
    assert first.path == first.external_id == "k1"
    assert (first.url, first.date, first.publisher) == ("https://mirror.example/k1", "2019-05-07", "World Ledger")
    assert first.sha256 == hashlib.sha256(page.encode("utf-8")).hexdigest()
    assert second.path == f"{src}#2" and second.url.startswith("https://worldledger.example/")
    assert second.text == first.text and "“The latest coup d’état attempt" in first.text
    assert third.text == "plain “text” wins"
    assert str(bad) == f'{src}:4: missing "text" string'
    assert str(empty) == f"{src}:5: no article text found in the page"


def test_nothing_is_fetched(tmp_path, monkeypatch):
    """Pages full of remote resources, a bare URL as a page, a refresh to another page: no
    socket is ever opened and no name looked up while reading them."""
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network use in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    (tmp_path / "url.html").write_text("https://worldledger.example/2019/05/06/north-korea-maduro-support/")
    (tmp_path / "refresh.html").write_text(
        '<html><head><meta http-equiv="refresh" content="0; url=https://x.example/">'
        '<link rel="import" href="https://x.example/a.html"><base href="https://x.example/">'
        '</head><body><article><p>“Stay here,” the page said. <img src="https://x.example/p.gif">'
        '<iframe src="https://x.example/f"></iframe></p></article></body></html>')
    results = read(KCNA, tmp_path / "url.html", tmp_path / "refresh.html")
    assert attempts == []
    kcna, url_page, refresh = results
    assert "must never be extracted" not in kcna.text and "cookies" not in kcna.text
    assert isinstance(url_page, ReadError) or "worldledger" in url_page.text
    assert refresh.text == "“Stay here,” the page said."


def test_cli_batch_goes_on_after_a_bad_page(run, db_path, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><head><title>Gone</title></head><body><script>var a = 1;</script></body></html>")
    result = run(["extract", str(empty), str(KCNA), "--db", db_path, "--engine", "rules", "-q"])
    assert result.exit_code == 1
    assert result.stderr == f"error: {empty}: no article text found in the page\n"
    docs = [json.loads(line) for line in
            run(["documents", "--db", db_path, "--format", "jsonl"]).stdout.splitlines()]
    assert [(d["path"], d["publisher"], d["date"]) for d in docs] == [(str(KCNA), "World Ledger", "2019-05-06")]
    again = run(["extract", str(KCNA), "--db", db_path, "--engine", "rules"])
    assert again.exit_code == 0 and "1 skipped (unchanged)" in again.stderr


def test_page_author_is_stored(tmp_path):
    """The page's author is document metadata, stored and shown with the provenance."""
    from click.testing import CliRunner

    from quotes.cli import cli
    from quotes.store import Store

    page = PAGES / "hearing_jsonld.html"
    author = read_page(page.read_bytes(), str(page)).document.author
    assert author  # the sample page names its author in JSON-LD
    db = tmp_path / "q.db"
    result = CliRunner().invoke(cli, ["extract", str(page), "--engine", "rules", "--db", str(db)])
    assert result.exit_code == 0, result.output
    store = Store(str(db))
    first = next(iter(store.quotes()))
    assert store.get(first["id"])["document"]["author"] == author
