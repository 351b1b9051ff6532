"""`quotes serve` against a hostile store or visitor (issue 19, items 1, 3, 4 and the 500 of the
minor list): only http(s) URLs become links, raw SQL cannot exhaust the server, a request for
another host is refused (DNS rebinding), and a file name with markup in it stays text."""
from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("datasette", reason="quotes serve needs datasette (pip install datasette)")
lxml_html = pytest.importorskip("lxml.html", reason="these tests read the pages with lxml")
httpx = pytest.importorskip("httpx")

from conftest import quote  # noqa: E402
from quotes.store import Store  # noqa: E402
from quotes.types import Document  # noqa: E402
from quotes.web.serve import allowed_hosts, build, guarded_app  # noqa: E402

TEXT = "\u201cWe are ready,\u201d the mayor said.\n"
URLS = ["javascript:alert(8)", "JaVaScRiPt:alert(8)", " javascript:alert(8)", "java\tscript:alert(8)",
        "data:text/html,<script>alert(8)</script>", "vbscript:msgbox(8)", "//evil.example/x",
        "https://example.com/ok?a=1&b=\"2\"", "http://example.com/fine"]


def get(ds, *paths: str):
    async def fetch():
        return [await ds.client.get(p) for p in paths]

    out = asyncio.run(fetch())
    return out if len(out) > 1 else out[0]


def hostile_store(path: Path) -> str:
    store = Store(str(path))
    for n, url in enumerate(URLS):
        text = f"{n}. {TEXT}"
        store.add(Document.from_text(text, path=f"doc{n}.txt", url=url, title=f"Title {n}"),
                  [quote(text, "\u201cWe are ready,\u201d")], "rules")
    store.close()
    return str(path)


def links(html: str) -> list[str]:
    tree = lxml_html.fromstring(html)
    return [v for el in tree.iter() for k, v in el.attrib.items()
            if k in ("href", "src", "action", "formaction", "srcdoc", "data") or k.startswith("on")]


def test_only_http_urls_become_links_anywhere(tmp_path):
    db = hostile_store(tmp_path / "q.db")
    ds = build(db)
    pages = [f"/-/quotes/quote/{n + 1}" for n in range(len(URLS))]
    pages += [f"/-/quotes/document/{n + 1}" for n in range(len(URLS))]
    pages += ["/q/documents", "/q/documents/1", "/q/quotes", "/q/attributions", "/",
              "/-/quotes/verify?claim=we+are+ready"]
    for path, response in zip(pages, get(ds, *pages)):
        assert response.status_code == 200, path
        for value in links(response.text):
            value = value.strip().lower()
            scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", re.sub(r"[\x00-\x20]", "", value))
            assert scheme is None or scheme.group(1) in ("http", "https"), (path, value)
            assert not value.startswith("//"), (path, value)
    for n, url in enumerate(URLS):
        tree = lxml_html.fromstring(get(ds, f"/-/quotes/document/{n + 1}").text)
        [shown] = tree.xpath('//*[@id="doc-url"]')
        assert shown.text_content() == url  # always shown, as text
        assert (shown.tag == "a") == url.startswith(("http://", "https://")), url
        if shown.tag == "a":
            assert shown.get("href") == url


def test_the_database_name_is_escaped(tmp_path, filled_db):
    odd = tmp_path / 'q"><img src=x onerror=alert(1)>.db'
    shutil.copy(filled_db, odd)
    ds = build(str(odd))
    response = get(ds, "/")
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.text)
    assert not tree.xpath("//img") and "onerror=alert" not in "".join(links(response.text))
    assert 'q"><img src=x onerror=alert(1)>' in tree.text_content()
    hrefs = [h for h in tree.xpath("//a/@href") if h.endswith("/attributions")]
    assert hrefs and all(get(ds, h).status_code == 200 for h in hrefs)


@pytest.mark.parametrize("sql, reason", [
    ("select zeroblob(1000000000)", "too big"),
    ("select randomblob(1000000000)", "too big"),
    ("select length(group_concat(q1.text || q1.text || q1.text || q1.text)) from quotes q1, quotes q2, quotes q3, "
     "quotes q4, quotes q5, quotes q6, quotes q7, quotes q8, quotes q9, quotes q10, quotes q11, quotes q12",
     "interrupted|too big|time limit"),
    ("with recursive n(i) as (select 1 union all select i + 1 from n) select max(i) from n",
     "interrupted|time limit"),
    ("select fts3_tokenizer('simple')", "not authorized"),
    ("select load_extension('/tmp/x.so')", "not authorized"),
])
def test_raw_sql_is_limited_in_time_size_and_functions(filled_db, sql, reason):
    ds = build(filled_db, allow_sql=True)
    response = get(ds, "/quotes.json?" + httpx.QueryParams({"sql": sql, "_shape": "array"}).__str__())
    assert response.status_code == 400, response.text[:300]
    assert re.search(reason, response.text, re.I), response.text[:300]


def test_raw_sql_results_are_limited_in_size(filled_db):
    ds = build(filled_db, allow_sql=True)
    sql = ("with recursive n(i) as (select 1 union all select i + 1 from n where i < 900) "
           "select i, printf('%.*c', 900000, 'x') from n")  # 900 rows of 0.9 MB: 810 MB if fetched
    response = get(ds, "/quotes.json?" + str(httpx.QueryParams({"sql": sql})))
    assert response.status_code == 400 and "too large" in response.text
    fine = get(ds, "/quotes.json?" + str(httpx.QueryParams({"sql": "select count(*) from quotes", "_shape": "array"})))
    assert fine.status_code == 200 and list(fine.json()[0].values()) == [5]


def test_a_huge_document_number_is_404_not_500(filled_db):
    ds = build(filled_db)
    huge = "9" * 40
    for path in (f"/-/quotes/document/{huge}", f"/-/quotes/quote/{huge}", "/-/quotes/document/9223372036854775808"):
        assert get(ds, path).status_code == 404, path


def asgi_get(app, host: str | None, path: str = "/-/quotes/document/1") -> httpx.Response:
    async def fetch():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://placeholder") as client:
            headers = {} if host is None else {"host": host}
            request = client.build_request("GET", path, headers=headers)
            if host is None:
                del request.headers["host"]
            return await client.send(request)

    return asyncio.run(fetch())


def test_requests_for_another_host_are_refused(filled_db):
    ds = build(filled_db)
    app = guarded_app(ds, allowed_hosts("127.0.0.1", 8001))
    for host in ("127.0.0.1:8001", "localhost:8001", "LOCALHOST", "127.0.0.1", "[::1]:8001"):
        assert asgi_get(app, host).status_code == 200, host
    for host in ("evil.example:8001", "evil.example", "127.0.0.1.evil.example:8001", "", None,
                 "localhost.:8001@evil", "127.0.0.1:8001, evil.example"):
        response = asgi_get(app, host)
        assert response.status_code == 400, host
        assert response.text.startswith("invalid Host header"), response.text
    named = guarded_app(ds, allowed_hosts("127.0.0.1", 8001, extra=["quotes.example"]))
    assert asgi_get(named, "quotes.example").status_code == 200
    assert asgi_get(named, "evil.example").status_code == 400
    anything = guarded_app(ds, allowed_hosts("127.0.0.1", 8001, extra=["*"]))
    assert asgi_get(anything, "evil.example").status_code == 200


def test_the_allowed_hosts_follow_the_bound_address(monkeypatch):
    assert allowed_hosts("127.0.0.1", 8001) == frozenset({"127.0.0.1", "localhost", "[::1]"})
    assert allowed_hosts("::1", 8001) == frozenset({"127.0.0.1", "localhost", "[::1]"})
    assert allowed_hosts("192.0.2.7", 80) == frozenset({"192.0.2.7"})
    monkeypatch.setattr("socket.gethostname", lambda: "box")
    monkeypatch.setattr("socket.getfqdn", lambda *a: "box.lan")
    wild = allowed_hosts("0.0.0.0", 8001)
    assert {"box", "box.lan", "localhost", "127.0.0.1"} <= wild and "evil.example" not in wild
