"""quotes serve: the plugin's pages and Datasette's read-only setup, through Datasette's own
test client (no server, no browser)."""
from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

pytest.importorskip("datasette", reason="quotes serve needs datasette (pip install datasette)")
lxml_html = pytest.importorskip("lxml.html", reason="these tests read the pages with lxml")

from conftest import ARTICLE_A, ARTICLE_B, quote  # noqa: E402
from quotes.web.serve import ServeError, build  # noqa: E402
from quotes.web.datasette_plugin.marks import Mark, mark_up  # noqa: E402
from quotes.web.datasette_plugin.views import verify_module  # noqa: E402
from quotes.store import Store  # noqa: E402
from quotes.types import Document  # noqa: E402


def get(ds, *paths: str):
    async def fetch():
        return [await ds.client.get(p) for p in paths]

    out = asyncio.run(fetch())
    return out if len(out) > 1 else out[0]


def page(response):
    assert response.status_code == 200, response.text[:500]
    return lxml_html.fromstring(response.text)


def text_of(tree, css_id: str) -> str:
    [el] = tree.xpath(f'//*[@id="{css_id}"]')
    return el.text_content()


@pytest.fixture
def ds(filled_db):
    return build(filled_db)


def test_quote_page_marks_every_quote_and_highlights_speaker_cue_outlet(ds):
    tree = page(get(ds, "/-/quotes/quote/3"))  # “This budget is a fantasy,” he said … to Reuters
    article = tree.xpath('//*[@id="article"]')[0]
    assert article.text_content() == ARTICLE_A  # the page shows the stored text, exactly
    marked = {el.get("id"): el for el in article.xpath('.//span[contains(@class, "quote")]')}
    assert sorted(marked) == ["q1", "q2", "q3"]
    assert "focus" in marked["q3"].get("class") and "focus" not in marked["q2"].get("class")
    assert marked["q3"].text_content() == "\u201cThis budget is a fantasy,\u201d"
    assert (text_of(tree, "focus-speaker"), text_of(tree, "focus-cue"), text_of(tree, "focus-outlet")) == (
        "he", "said", "Reuters")
    assert text_of(tree, "focus-speaker-name").startswith("Bob Jones (person")
    assert text_of(tree, "focus-outlet-name").startswith("Reuters")
    assert text_of(tree, "focus-sieve").startswith("trailing_cue")
    links = tree.xpath('//*[@id="quote-list"]//a/@href')
    assert links == ["/-/quotes/quote/1#q1", "/-/quotes/quote/2#q2", "/-/quotes/quote/3#q3"]


def test_quote_page_links_to_the_speakers_other_quotes(ds):
    tree = page(get(ds, "/-/quotes/quote/2"))
    assert tree.xpath('//*[@id="other-quotes"]//ol//a/@href') == ["/-/quotes/quote/1#q1"]
    facet_link = tree.xpath('//*[@id="other-quotes"]//p/a/@href')[-1]
    rows = get(ds, facet_link.replace("attributions?", "attributions.json?") + "&_shape=array")
    assert rows.status_code == 200 and [r["quote_id"] for r in rows.json()] == [1, 2]


def test_document_page_and_missing_pages(ds):
    tree = page(get(ds, "/-/quotes/document/2"))
    article = tree.xpath('//*[@id="article"]')[0]
    assert article.text_content() == ARTICLE_B
    assert [el.get("id") for el in article.xpath('.//span[contains(@class, "quote")]')] == ["q4", "q5"]
    assert not tree.xpath('//*[contains(@class, "focus")]') and not tree.xpath('//*[@id="focus-speaker"]')
    assert get(ds, "/-/quotes/quote/99").status_code == 404
    assert get(ds, "/-/quotes/document/99").status_code == 404


def test_speakers_and_outlets_are_facets_with_names(ds, filled_db):
    name = Path(filled_db).stem
    data = get(ds, f"/{name}/attributions.json?_extra=facet_results").json()
    facets = data["facet_results"]
    facets = facets.get("results", facets)
    speakers = {f["label"]: f["count"] for f in facets["speaker_id"]["results"]}
    outlets = {f["label"]: f["count"] for f in facets["outlet_id"]["results"]}
    assert speakers == {"Jane Smith": 2, "Bob Jones": 1, "Nicol\u00e1s Maduro": 1}
    assert outlets == {"Reuters": 1, "Associated Press": 1}
    table = get(ds, f"/{name}/quotes").text
    assert 'href="/-/quotes/quote/4#q4"' in table  # quote text links to the article page
    found = get(ds, f"/{name}/quotes.json?_search=fantasy&_shape=array").json()
    assert [q["id"] for q in found] == [3]  # Datasette's search box runs on the store's FTS index


def test_extractions_made_while_serving_are_seen(ds, filled_db):
    text = "\u201cWe are fine,\u201d Jane Doe said.\n"
    store = Store(filled_db)
    store.add(Document.from_text(text, path="c.txt"), [quote(text, "\u201cWe are fine,\u201d")], "rules")
    store.close()
    tree = page(get(ds, "/-/quotes/document/3"))
    assert tree.xpath('//*[@id="article"]')[0].text_content() == text


def test_read_only_no_sql_and_the_file_is_untouched(filled_db):
    before = hashlib.sha256(Path(filled_db).read_bytes()).hexdigest()
    ds = build(filled_db)
    name = Path(filled_db).stem
    responses = get(ds, f"/{name}?sql=select+1", f"/{name}.json?sql=select+1",
                    f"/{name}/quotes?_where=1=1", "/-/quotes/quote/1",
                    "/-/quotes/verify?claim=We+will+not+raise+taxes")
    assert [r.status_code for r in responses[:3]] == [403, 403, 403]
    assert [r.status_code for r in responses[3:]] == [200, 200]
    assert hashlib.sha256(Path(filled_db).read_bytes()).hexdigest() == before
    with_sql = build(filled_db, allow_sql=True)
    r = get(with_sql, f"/{name}.json?sql=select+count(*)+from+quotes&_shape=array")
    assert r.status_code == 200 and list(r.json()[0].values()) == [5]
    # Datasette's own connections are read-only: a write is refused by SQLite itself
    r = get(with_sql, f"/{name}.json?sql=delete+from+quotes")
    assert r.status_code == 400
    assert Store(filled_db).execute("select count(*) from quotes")[0][0] == 5


def test_article_text_is_escaped(tmp_path):
    text = 'A <script>alert("x")</script> page & \u201cstill <b>quoted</b>,\u201d she said.\n'
    db = str(tmp_path / "x.db")
    store = Store(db)
    store.add(Document.from_text(text, path="x.txt"), [quote(text, "\u201cstill <b>quoted</b>,\u201d")], "rules")
    store.close()
    response = get(build(db), "/-/quotes/quote/1")
    assert "<script>alert" not in response.text and "<b>quoted" not in response.text
    assert page(response).xpath('//*[@id="article"]')[0].text_content() == text


def test_marks_nest_and_cross_without_changing_the_text():
    text = "abcdefghij"
    html = mark_up(text, [Mark(0, 6, "a", id="A"), Mark(2, 4, "b", id="B"), Mark(5, 9, "c", id="C")])
    assert html == ('<span class="a" id="A">ab<span class="b" id="B">cd</span>e'
                    '<span class="c" id="C">f</span></span><span class="c cont">ghi</span>j')
    assert lxml_html.fromstring(f"<div>{html}</div>").text_content() == text


def test_verify_form_shows_the_verdicts(ds):
    if verify_module() is None:
        pytest.skip("quotes.factcheck.verify (verify(store, claim, speaker=None)) is not in this checkout")
    tree = page(get(ds, "/-/quotes/verify?claim=we+will+not+raise+taxes+this+year"))
    first = tree.xpath('//*[@id="verdicts"]//article')[0]
    assert first.xpath('.//*[@class="verdict-word"]')[0].text_content() == "exact"
    assert first.xpath('.//a[@class="verdict-quote"]/@href') == ["/-/quotes/quote/2#q2"]
    assert first.xpath('.//*[@class="verdict-speaker"]')[0].text_content() == "Jane Smith"
    tree = page(get(ds, "/-/quotes/verify?claim=We+will+not+raise+taxes+this+year&speaker=Bob+Jones"))
    words = [w.text_content() for w in tree.xpath('//*[@class="verdict-word"]')]
    assert words[0] == "misattributed"
    tree = page(get(ds, "/-/quotes/verify?claim=%E2%80%9C%E2%80%9D"))  # marks only: no words
    assert "no words" in text_of(tree, "verify-error")
    assert not tree.xpath('//*[@id="verdicts"]')


def test_serve_refuses_what_it_cannot_serve(run, tmp_path, filled_db):
    with pytest.raises(ServeError, match="no such database file"):
        build(str(tmp_path / "missing.db"))
    with pytest.raises(ServeError, match="needs a SQLite database file"):
        build("postgresql://u:secret@localhost/quotes")
    sqlite3.connect(tmp_path / "other.db").execute("create table t (x)").connection.close()
    result = run(["serve", "--db", str(tmp_path / "other.db")])
    assert (result.exit_code, result.stderr) == (1, f"error: {tmp_path / 'other.db'}: not a quotes database "
                                                    "(no schema revision)\n")
    old = tmp_path / "old.db"
    old.write_bytes(Path(filled_db).read_bytes())
    con = sqlite3.connect(old)
    con.execute("update alembic_version set version_num = '0001'")
    con.commit()
    con.close()
    result = run(["serve", "--db", str(old)])
    assert result.exit_code == 1 and "quotes db upgrade" in result.stderr and result.stderr.count("\n") == 1
    assert sqlite3.connect(old).execute("select version_num from alembic_version").fetchone() == ("0001",)
    assert not os.path.exists(str(old) + "-journal")


def test_reported_speech_has_a_style_of_its_own_and_no_marks(reported_db):
    from conftest import ARTICLE_C

    ds = build(reported_db)
    tree = page(get(ds, "/-/quotes/quote/6"))
    article = tree.xpath('//*[@id="article"]')[0]
    assert article.text_content() == ARTICLE_C  # nothing added: no quote marks around reported speech
    marked = {el.get("id"): el for el in article.xpath('.//span[contains(@class, "quote")]')}
    assert sorted(marked) == ["q6", "q7", "q8"]
    assert marked["q6"].get("class").split() == ["quote", "kind-indirect", "focus"]
    assert marked["q6"].text_content() == "the coup attempt had failed and the army stood with him"
    assert marked["q6"].get("title") == "#6 indirect (reported speech, no quote marks) \u00b7 Nicol\u00e1s Maduro"
    assert "kind-direct" in marked["q8"].get("class")
    assert text_of(tree, "focus-text") == "the coup attempt had failed and the army stood with him"
    assert text_of(tree, "focus-reported").startswith("Reported speech:")
    assert not page(get(ds, "/-/quotes/quote/8")).xpath('//*[@id="focus-reported"]')
    assert tree.xpath('//*[contains(@class, "legend")]//span[contains(@class, "kind-indirect")]')
    if verify_module() is None:
        return
    tree = page(get(ds, "/-/quotes/verify?claim=the+talks+were+over"))
    [first] = tree.xpath('//*[@id="verdicts"]//article')
    assert first.get("class") == "verdict verdict-paraphrase-reported-not-quoted"
    assert first.xpath('.//*[@class="verdict-word"]')[0].text_content() == "paraphrase: reported, not quoted"
    assert "the words are" not in first.text_content()
