"""End to end in a real headless browser: `quotes serve` over a store holding the seed, the
seed's article page with the KCNA quote highlighted, and the verify form.

Needs Debian's chromium (/usr/bin/chromium; scripts/install.sh installs it when run as root)
and Playwright for Python (never `playwright install`: the browser is Debian's). Skips, with
the reason, when either is missing. Screenshots go to the test's tmp_path, and the article
page's also to docs/img/article_page.png (the README shows it) when QUOTES_UPDATE_SCREENSHOT is set.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_133ad203e76a5764.txt"
CHROMIUM = os.environ.get("QUOTES_CHROMIUM", "/usr/bin/chromium")  # (a test points it elsewhere)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
README_SHOT = ROOT / "docs" / "img" / "article_page.png"
KCNA_START = "The latest coup d\u2019\u00e9tat attempt"

if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"no {CHROMIUM} (Debian package chromium; scripts/install.sh installs it as root)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed "
                               "(pip install playwright; the browser is Debian's chromium)")
pytest.importorskip("datasette", reason="quotes serve needs datasette")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """`quotes serve` in a subprocess over a store holding the seed; yields its base URL."""
    db = tmp_path / "quotes.db"
    env = {k: v for k, v in os.environ.items() if k != "QUOTES_DB"}
    quotes = [sys.executable, "-m", "quotes.cli"]
    subprocess.run(quotes + ["extract", str(SEED.relative_to(ROOT)), "--db", str(db), "--engine", "rules", "-q"],
                   check=True, cwd=ROOT, env=env, timeout=120)
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen(quotes + ["serve", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"quotes serve exited with {proc.returncode}: "
                            f"{(tmp_path / 'serve.log').read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("quotes serve did not listen within 60 s")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_article_page_and_verify_form_in_chromium(server, tmp_path):
    base, db = server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/-/quotes/document/1")
            page.screenshot(path=str(tmp_path / "document_page.png"), full_page=True)

            # the seed's article: follow the KCNA quote from the list of its quotes
            page.locator("#quote-list a", has_text=KCNA_START).click()
            page.wait_for_selector("#article .quote.focus")
            focus = page.locator("#article .quote.focus")
            assert focus.count() == 1
            assert focus.inner_text().startswith("\u201c" + KCNA_START)
            assert page.locator("#focus-speaker").inner_text() == "the North Korean foreign ministry"
            assert page.locator("#focus-cue").inner_text() == "said"
            assert page.locator("#focus-outlet").inner_text() == "Korean Central News Agency (KCNA)"
            assert page.locator("#focus-speaker-name").inner_text().startswith("North Korean foreign ministry")
            assert page.locator("#focus-outlet-name").inner_text().startswith("Korean Central News Agency")
            # highlighted as a person sees it: the marks have their own backgrounds
            plain = page.evaluate("getComputedStyle(document.getElementById('article')).backgroundColor")
            for selector in ("#article .quote.focus", "#focus-speaker", "#focus-outlet"):
                colour = page.locator(selector).evaluate("el => getComputedStyle(el).backgroundColor")
                assert colour not in (plain, "rgba(0, 0, 0, 0)"), selector
            kcna_url = page.url
            focus.evaluate("el => el.scrollIntoView({block: 'center'})")
            page.screenshot(path=str(tmp_path / "article_page.png"))
            README_SHOT.parent.mkdir(parents=True, exist_ok=True)
            if os.environ.get("QUOTES_UPDATE_SCREENSHOT"):  # refresh the README's picture on purpose only
                shutil.copyfile(tmp_path / "article_page.png", README_SHOT)

            # the verify form: a claim with straight quotes and no accent, submitted as a user would
            page.locator("#panel a", has_text="Verify a quote").click()
            page.fill("#claim", "The latest coup d'etat attempt is an extremely dangerous act of violence")
            page.fill("#speaker", "North Korean foreign ministry")
            page.click("#verify-submit")
            page.wait_for_selector("#verdicts")
            page.screenshot(path=str(tmp_path / "verify_page.png"), full_page=True)
            first = page.locator("#verdicts article").first
            assert first.locator(".verdict-word").inner_text().lower() == "truncated"
            assert first.locator(".verdict-speaker").inner_text() == "North Korean foreign ministry"
            assert first.locator(".verdict-outlet").inner_text() == "Korean Central News Agency"
            href = first.locator("a.verdict-quote").get_attribute("href")
            assert kcna_url == base + href  # the verdict links to the KCNA quote's page
        finally:
            browser.close()
    for name in ("document_page.png", "article_page.png", "verify_page.png"):
        assert (tmp_path / name).stat().st_size > 10_000, name
