"""Shared fixtures: small hand-attributed articles, a filled store, a CLI runner."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotes.cli import cli
from quotes.store import Store
from quotes.types import Document, Outlet, Quote, Span, Speaker
from conftest_pg import pg_server, pg_url  # noqa: F401,E402  (throwaway PostgreSQL fixtures)

ARTICLE_A = (
    'Mayor Jane Smith said on Monday that the budget was "balanced and fair."\n'
    "\n"
    "\u201cWe will not raise taxes this year,\u201d Smith told reporters.\n"
    "\n"
    "Senator Bob Jones disagreed. \u201cThis budget is a fantasy,\u201d he said in a statement to Reuters.\n"
)
ARTICLE_B = (
    "\u201cWe are ready,\u201d President Nicol\u00e1s Maduro said, according to the Associated Press.\n"
    "\n"
    "Maduro called the plan a \u201ccoup\u201d against his government.\n"
)


def span(text: str, needle: str, nth: int = 1) -> Span:
    """The nth occurrence of needle in text as a Span."""
    start = -1
    for _ in range(nth):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def quote(text: str, marked: str, kind: str = "direct", speaker: Speaker | None = None,
          cue: Span | None = None, outlet: Outlet | None = None, sieve: str | None = None,
          confidence: float = 0.0) -> Quote:
    whole = span(text, marked)
    content = Span.of(text, whole.start + 1, whole.end - 1)
    return Quote(span=whole, content=content, kind=kind, speaker=speaker, cue=cue, outlet=outlet,
                 sieve=sieve, confidence=confidence, explanation=(f"test {kind}",))


def corpus() -> list[tuple[Document, list[Quote]]]:
    """Two documents with hand-made attributions (ids 1-5 when stored in order)."""
    a, b = ARTICLE_A, ARTICLE_B
    doc_a = Document.from_text(a, path="articles/a.txt", title="Budget")
    doc_b = Document.from_text(b, path="articles/b.txt", url="https://example.com/b")
    smith = "Jane Smith"
    quotes_a = [
        quote(a, '"balanced and fair."', "partial",
              Speaker(smith, "person", span(a, "Mayor Jane Smith")), span(a, "said"),
              sieve="leading_cue", confidence=0.9),
        quote(a, "\u201cWe will not raise taxes this year,\u201d", "direct",
              Speaker(smith, "person", span(a, "Smith", 2)), span(a, "told"),
              sieve="trailing_cue", confidence=0.95),
        quote(a, "\u201cThis budget is a fantasy,\u201d", "direct",
              Speaker("Bob Jones", "person", span(a, "he", 2)), span(a, "said", 2),
              Outlet("Reuters", span(a, "Reuters")), sieve="trailing_cue", confidence=0.95),
    ]
    quotes_b = [
        quote(b, "\u201cWe are ready,\u201d", "direct",
              Speaker("Nicol\u00e1s Maduro", "person", span(b, "President Nicol\u00e1s Maduro")),
              span(b, "said"), Outlet("Associated Press", span(b, "Associated Press")),
              sieve="trailing_cue", confidence=0.95),
        quote(b, "\u201ccoup\u201d", "scare"),
    ]
    return [(doc_a, quotes_a), (doc_b, quotes_b)]


# Reported speech (issue 17): quotes of kind "indirect", made by hand (not by the extractor), so
# the commands that store, show, export, explain and verify them are tested on their own.
ARTICLE_C = (
    "Maduro said the coup attempt had failed and the army stood with him.\n"
    "\n"
    "The talks were over, the foreign ministry said in a statement to Reuters.\n"
    "\n"
    "\u201cThe coup attempt has failed,\u201d Maduro told reporters.\n"
)


def reported(text: str, words: str, speaker: Speaker | None = None, cue: Span | None = None,
             outlet: Outlet | None = None, confidence: float = 0.8) -> Quote:
    """An indirect quote: no quote marks, its span is its content."""
    content = span(text, words)
    return Quote(span=content, content=content, kind="indirect", speaker=speaker, cue=cue, outlet=outlet,
                 sieve="indirect", confidence=confidence, explanation=("test indirect: reported speech",))


def reported_corpus() -> list[tuple[Document, list[Quote]]]:
    """``corpus()`` and a third document with two indirect quotes and a direct one (ids 6, 7, 8
    when stored after ``corpus()``)."""
    c = ARTICLE_C
    doc_c = Document.from_text(c, path="articles/c.txt", title="Coup", date="2019-05-01")
    maduro = "Nicol\u00e1s Maduro"
    quotes_c = [
        reported(c, "the coup attempt had failed and the army stood with him",
                 Speaker(maduro, "person", span(c, "Maduro")), span(c, "said")),
        reported(c, "The talks were over",
                 Speaker("foreign ministry", "organization", span(c, "the foreign ministry")), span(c, "said", 2),
                 Outlet("Reuters", span(c, "Reuters"))),
        quote(c, "\u201cThe coup attempt has failed,\u201d", "direct",
              Speaker(maduro, "person", span(c, "Maduro", 2)), span(c, "told"),
              sieve="trailing_cue", confidence=0.95),
    ]
    return corpus() + [(doc_c, quotes_c)]


def expected_objects() -> list[dict]:
    """The JSON objects the store must give back for ``corpus()``."""
    out, next_id = [], 1
    for doc, found in corpus():
        for q in found:
            out.append(q.to_dict(doc, next_id))
            next_id += 1
    return out


def jsonl(objects: list[dict]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects)


@pytest.fixture(autouse=True)
def _no_env_db(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QUOTES_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    return str(tmp_path / "quotes.db")


@pytest.fixture
def filled_db(db_path: str) -> str:
    store = Store(db_path)
    for doc, found in corpus():
        store.add(doc, found, "rules")
    store.close()
    return db_path


@pytest.fixture
def reported_db(db_path: str) -> str:
    """A store of ``reported_corpus()``: quotes 6 and 7 are indirect, 8 direct."""
    store = Store(db_path)
    for doc, found in reported_corpus():
        store.add(doc, found, "rules")
    store.close()
    return db_path


@pytest.fixture
def run():
    """``run(args, input=None) -> Result`` with separate stdout/stderr."""
    runner = CliRunner()

    def invoke(args: list[str], input: str | bytes | None = None):
        return runner.invoke(cli, args, input=input, catch_exceptions=False)

    return invoke
