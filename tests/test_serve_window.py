"""`quotes serve` shows a window of a long article around the quote, built off the event loop
(issue 19, item 9): a 5 MB document's quote page is a few kilobytes of its text, every offset
still exact, and the document page walks the whole text part by part."""
from __future__ import annotations

import asyncio
import threading

import pytest

pytest.importorskip("datasette", reason="quotes serve needs datasette (pip install datasette)")
lxml_html = pytest.importorskip("lxml.html", reason="these tests read the pages with lxml")

from conftest import quote, span  # noqa: E402
from quotes.store import Store  # noqa: E402
from quotes.types import Document, Speaker  # noqa: E402
from quotes.web.datasette_plugin import views  # noqa: E402
from quotes.web.serve import build  # noqa: E402

FILLER = "The council met again on Tuesday and the budget was discussed at length.\n\n"


def long_store(db: str, size: int) -> tuple[str, int]:
    """A document of about ``size`` characters with one quote near its middle; (text, quote start)."""
    half = FILLER * (size // 2 // len(FILLER))
    middle = "Mayor Jane Smith spoke.\n\n\u201cWe will not raise taxes,\u201d Smith told reporters.\n\n"
    text = half + middle + half + "\u201cThe end,\u201d she said.\n"
    found = [quote(text, "\u201cWe will not raise taxes,\u201d",
                   speaker=Speaker("Jane Smith", "person", span(text, "Smith", 2)), cue=span(text, "told")),
             quote(text, "\u201cThe end,\u201d")]
    store = Store(db)
    store.add(Document.from_text(text, path="long.txt"), found, "rules")
    store.close()
    return text, text.index("\u201cWe will")


def get(ds, path: str):
    async def fetch():
        return await ds.client.get(path)

    return asyncio.run(fetch())


def test_a_quote_page_of_a_5_mb_article_shows_a_window_with_exact_offsets(tmp_path):
    db = str(tmp_path / "q.db")
    text, at = long_store(db, 5_000_000)
    response = get(build(db), "/-/quotes/quote/1")
    assert response.status_code == 200
    assert len(response.text) < 100_000  # not the 5 MB article
    tree = lxml_html.fromstring(response.text)
    shown = tree.xpath('//*[@id="article"]')[0].text_content()
    start = text.index(shown)
    assert start < at and at - start < 3 * views.WINDOW and text[start:start + len(shown)] == shown
    assert start == 0 or text[start - 1] == "\n"  # the window starts at a line
    [focus] = tree.xpath('//*[@id="q1"]')
    assert focus.text_content() == "\u201cWe will not raise taxes,\u201d"
    assert tree.xpath('//*[@id="focus-speaker"]')[0].text_content() == "Smith"
    assert tree.xpath('//*[@id="focus-cue"]')[0].text_content() == "told"
    assert "q2" not in [el.get("id") for el in tree.xpath('//*[@id="article"]//span')]
    assert tree.xpath('//*[@id="earlier"]//a/@href') and tree.xpath('//*[@id="later"]//a/@href')
    assert "1 of the article's 2" in tree.xpath('//*[@id="quote-list"]/h2')[0].text_content()


def test_the_document_page_walks_the_whole_article_part_by_part(tmp_path):
    db = str(tmp_path / "q.db")
    text, _ = long_store(db, 60_000)
    ds = build(db)
    path, parts, marked = "/-/quotes/document/1", [], []
    while path:
        tree = lxml_html.fromstring(get(ds, path).text)
        article = tree.xpath('//*[@id="article"]')[0]
        parts.append(article.text_content())
        marked += [el.text_content() for el in article.xpath('.//span[contains(@class, "quote")]')
                   if "cont" not in el.get("class")]
        later = tree.xpath('//*[@id="later"]//a/@href')
        path = later[0] if later else None
        assert len(parts) < 50
    assert len(parts) > 2 and "".join(parts) == text
    assert marked == ["\u201cWe will not raise taxes,\u201d", "\u201cThe end,\u201d"]


def test_pages_are_built_off_the_event_loop(filled_db, monkeypatch):
    built = []
    real = views._article_context

    def spy(*args):
        built.append(threading.current_thread() is not loop_thread)
        return real(*args)

    monkeypatch.setattr(views, "_article_context", spy)
    ds = build(filled_db)

    async def fetch():
        global loop_thread
        loop_thread = threading.current_thread()
        return [await ds.client.get(p) for p in ("/-/quotes/quote/1", "/-/quotes/document/2")]

    assert [r.status_code for r in asyncio.run(fetch())] == [200, 200]
    assert built == [True, True]


loop_thread = None
