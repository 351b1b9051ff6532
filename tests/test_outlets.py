"""Outlet names are a function of the stored quotes, not of the order they were written in
(issue 19, item 10): "Post" or "The Post", "US" or "U.S", "Times" or "The Times" was the
spelling of whichever document came first. An outlet is called by its most frequent spelling
(ties: the smaller string); the speaker order tests, applied to outlets."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import quote, span
from quotes.store import Store
from quotes.types import Document, Outlet, Span, Speaker

CLI = [sys.executable, "-c", "from quotes.cli import main; main()"]


def told(i: int, outlet: str, quotes: int = 1) -> tuple[Document, list]:
    """Document i: QUOTES quotes Jane Smith told OUTLET (as spelled)."""
    text = "\n\n".join(f"\u201cLine {i}.{k},\u201d Jane Smith told {outlet}." for k in range(quotes)) + "\n"
    doc = Document.from_text(text, path=f"docs/{i:02d}.txt")
    found = []
    for k in range(quotes):
        at = text.index(outlet, text.index(f"\u201cLine {i}.{k},\u201d"))
        found.append(quote(text, f"\u201cLine {i}.{k},\u201d",
                           speaker=Speaker("Jane Smith", "person", span(text, "Jane Smith", k + 1)),
                           outlet=Outlet(outlet, Span.of(text, at, at + len(outlet)))))
    return doc, found


DOCS = [told(0, "The Post", 2), told(1, "Post"), told(2, "US"), told(3, "U.S"), told(4, "U.S"),
        told(5, "Times"), told(6, "The Times"), told(7, "Reuters"), told(8, "Al Jazeera"), told(9, "Al-Jazeera", 2)]
WANT = [("The Post", 3), ("U.S", 3), ("The Times", 2), ("Reuters", 1),
        ("Al-Jazeera", 3)]  # most quotes, then the smaller spelling; a hyphen folds like a space


def outlets(store: Store) -> list[tuple[str, int]]:
    return [(o["name"], o["quotes"]) for o in store.outlets()]


@pytest.mark.parametrize("how", ["forwards", "reversed, one by one", "shuffled, in batches", "shuffled, batched writes"])
def test_outlet_names_are_the_same_whatever_the_order(tmp_path, how):
    order = list(DOCS)
    if how.startswith("reversed"):
        order.reverse()
    elif how.startswith("shuffled"):
        order = random.Random(how).sample(order, len(order))
    store = Store(str(tmp_path / "q.db"))
    if "in batches" in how:
        for i in range(0, len(order), 3):
            store.add_many(order[i:i + 3], "rules")
    elif "batched writes" in how:
        store.write_batch(order, "rules")
    else:
        for doc, found in order:
            store.add(doc, found, "rules")
    assert sorted(outlets(store), key=lambda o: (-o[1], o[0])) == sorted(WANT, key=lambda o: (-o[1], o[0]))


def test_a_spelling_that_becomes_the_most_frequent_renames_the_outlet(tmp_path):
    store = Store(str(tmp_path / "q.db"))
    for doc, found in DOCS:
        store.add(doc, found, "rules")
    store.add(*told(8, "Times", 2), "rules")  # "Times" 3, "The Times" 1
    assert ("Times", 4) in outlets(store)
    fresh = Store(str(tmp_path / "q.db"))  # a writer that has cached nothing reads the counts
    fresh.add(*told(9, "The Times", 3), "rules")  # 3 to 4
    assert ("The Times", 7) in outlets(fresh)
    fresh.add(*told(10, "Times"), "rules")  # 4 to 4: the smaller spelling
    assert ("The Times", 8) in outlets(fresh)
    Store(str(tmp_path / "q.db")).add(*told(11, "Times"), "rules")  # 5 to 4
    assert ("Times", 9) in outlets(Store(str(tmp_path / "q.db")))


ARTICLE = ("Budget day {i}\n\n\u201cWe will look at item {i} of the plan,\u201d Jane Smith told {outlet}.\n\n"
           "\u201cNothing is decided yet,\u201d Bob Jones told {other}.\n")
SPELLINGS = ["The Post", "the Post", "US", "U.S", "The Times", "the Times"]


@pytest.mark.slow
def test_three_concurrent_extracts_agree_with_one_run(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    rnd = random.Random(19)
    for i in range(36):
        outlet, other = rnd.sample(SPELLINGS, 2)
        (folder / f"a{i:02d}.txt").write_text(ARTICLE.format(i=i, outlet=outlet, other=other), encoding="utf-8")
    files = sorted(str(Path("batch") / p.name) for p in folder.iterdir())
    opts = ["--engine", "rules", "-q"]
    one = subprocess.run([*CLI, "extract", *files, "--db", "one.db", *opts], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300)
    assert one.returncode == 0, one.stderr
    thirds = [files[k::3][::-1] if k == 1 else files[k::3] for k in range(3)]
    procs = [subprocess.Popen([*CLI, "extract", *part, "--db", "three.db", *opts], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for part in thirds]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for p in procs:
        p.stderr.close()
    assert [rc for rc, _ in results] == [0, 0, 0], results
    first, three = Store(str(tmp_path / "one.db")), Store(str(tmp_path / "three.db"))
    assert sorted(outlets(three)) == sorted(outlets(first))
    assert len(outlets(first)) == 3  # post, us, times: one outlet each, however spelled
    assert sorted((s["name"], s["quotes"]) for s in three.speakers()) == \
        sorted((s["name"], s["quotes"]) for s in first.speakers())
    rows = "select q.text, o.name from quotes q join attributions a on a.quote_id = q.id " \
           "left join outlets o on o.id = a.outlet_id"
    assert sorted(map(tuple, three.execute(rows))) == sorted(map(tuple, first.execute(rows)))
