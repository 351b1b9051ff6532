"""Compare main-text extractors on the hand-made pages of samples/html/ (see docs/html.md).

    .venv/bin/python samples/html/compare_extractors.py

For each page NAME.html / NAME.htm, NAME.expected.txt holds the article's body as a person
would select it (paragraphs separated by blank lines, headline left out). Each extractor's
text is scored on words (case-folded, punctuation stripped, as a multiset):

* recall: share of the expected words it kept; precision: share of its words that are expected;
* leaked quotes: opening quote marks (“ ‘ ") in its text beyond those of the expected text
  (a quote from a comment, a teaser or a script is a false quote for us);
* paragraphs: how many it returned against how many are expected;
* metadata: which of title, author, date, site name and URL it reports.

The page's ``<h1>`` headline is removed from every output before scoring: extractors differ
on whether it belongs to the text (quotes keeps whatever trafilatura returns).

trafilatura is what quotes uses; readability-lxml and justext are the alternatives
(``pip install readability-lxml justext``; a missing one is reported and skipped).
Nothing is fetched: every extractor is given the decoded page as a string.
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from quotes.html import decode_html  # noqa: E402

WORD = re.compile(r"\w+(?:[’']\w+)*")
OPENING = re.compile(r"[“‘]|(?<!\w)\"")


def words(text: str) -> Counter:
    return Counter(w.lower().replace("’", "'") for w in WORD.findall(text))


def paragraphs(text: str) -> list[str]:
    return [p for p in (line.strip() for line in text.splitlines()) if p]


META = ("title", "author", "date", "sitename", "url")


def by_trafilatura(page: str) -> tuple[str, set[str]]:
    import trafilatura

    doc = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                      include_tables=False)
    if doc is None:
        return "", set()
    return doc.text or "", {k for k in META if getattr(doc, k, None)}


def by_readability(page: str) -> tuple[str, set[str]]:
    import lxml.html
    from readability import Document

    doc = Document(page)
    summary = lxml.html.fromstring(doc.summary(html_partial=True))
    blocks = summary.xpath("//p|//h1|//h2|//h3|//li|//blockquote[not(p)]|//td")
    text = "\n".join(" ".join(b.text_content().split()) for b in blocks)
    return text, {"title"} if doc.short_title() else set()


def by_justext(page: str) -> tuple[str, set[str]]:
    import justext

    paras = justext.justext(page.encode("utf-8"), justext.get_stoplist("English"), encoding="utf-8")
    return "\n".join(p.text for p in paras if not p.is_boilerplate), set()


def headline(page: str) -> str:
    import lxml.html

    h1 = lxml.html.fromstring(page).xpath("//h1")
    return " ".join(h1[0].text_content().split()) if h1 else ""


def without(text: str, line: str) -> str:
    return "\n".join(p for p in paragraphs(text) if p != line)


EXTRACTORS = {"trafilatura": by_trafilatura, "readability-lxml": by_readability, "justext": by_justext}


def score(got: str, expected: str) -> dict[str, float]:
    g, e = words(got), words(expected)
    overlap = sum((g & e).values())
    leaked = max(0, len(OPENING.findall(got)) - len(OPENING.findall(expected)))
    return {
        "recall": overlap / max(1, sum(e.values())),
        "precision": overlap / max(1, sum(g.values())),
        "leaked": leaked,
        "paragraphs": len(paragraphs(got)),
        "expected_paragraphs": len(paragraphs(expected)),
    }


def main() -> int:
    pages = sorted(p for p in HERE.iterdir() if p.suffix in (".html", ".htm"))
    print(f"{'page':<22} {'extractor':<17} {'recall':>6} {'prec.':>6} {'leaked':>6} {'paras':>7}  metadata")
    totals: dict[str, list[dict[str, float]]] = {}
    for page in pages:
        expected = (HERE / f"{page.stem}.expected.txt").read_text(encoding="utf-8")
        html = decode_html(page.read_bytes(), page.name)
        head = headline(html)
        for name, extract in EXTRACTORS.items():
            try:
                got, meta = extract(html)
            except ImportError as e:
                print(f"{page.name:<22} {name:<17} skipped ({e})")
                continue
            s = score(without(got, head), expected)
            totals.setdefault(name, []).append(s)
            print(f"{page.name:<22} {name:<17} {s['recall']:6.3f} {s['precision']:6.3f} "
                  f"{s['leaked']:6d} {s['paragraphs']:3d}/{s['expected_paragraphs']:<3d}  "
                  f"{','.join(k for k in META if k in meta) or '-'}")
    print()
    for name, rows in totals.items():
        n = len(rows)
        print(f"{'mean':<22} {name:<17} {sum(r['recall'] for r in rows) / n:6.3f} "
              f"{sum(r['precision'] for r in rows) / n:6.3f} {sum(r['leaked'] for r in rows):6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
