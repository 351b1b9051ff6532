"""A JSONL corpus on a Dask local cluster stores the same quotes as `quotes extract`.

Each quote's row holds its speaker's and outlet's canonical names, so the cluster must name
them as one process does. The corpus is the PolNeAR train texts (../shared, when present: a deterministic subset
of 100 articles, every k-th file in name order, to keep CI time sane; the full 840 run
in benchmarks/cluster.py) else the project's samples/. The rules engine is used. The
cluster writes into the throwaway PostgreSQL server and into SQLite; one of its workers
is killed right after committing its first batch, the scheduler reruns that partition
elsewhere, and neither that nor a second run adds a duplicate.
"""
from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="dask[distributed] is not installed")

import cloudpickle  # noqa: E402  (a dependency of distributed)
from sqlalchemy import text  # noqa: E402

from quotes.scale.distributed import run_corpus  # noqa: E402
from quotes.store import Store  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
SUBSET = 100

# the kill hook below runs on the workers, which cannot import this test module
cloudpickle.register_pickle_by_value(sys.modules[__name__])

# each quote with its canonical speaker's and outlet's names: a function of the stored quotes,
# whichever worker wrote which document first (issue 19, item 10)
QUOTE_ROWS = """
select d.path, q.start, q."end", q.kind, m.text, m.start, a.sieve, a.confidence, a.cue_start, o.key,
       d.sha256, q.text, o.name, s.name, s.type
from quotes q join documents d on d.id = q.document_id
left join attributions a on a.quote_id = q.id
left join speaker_mentions m on m.id = a.mention_id
left join outlets o on o.id = a.outlet_id
left join speakers s on s.id = a.speaker_id
"""


def articles() -> list[dict]:
    files = sorted(TRAIN.glob("*.txt")) if TRAIN.is_dir() else []
    if files:
        step = max(1, len(files) // SUBSET)
        files = files[::step][:SUBSET]
    else:
        files = sorted((ROOT / "samples").glob("*.txt"))
    return [{"id": p.name, "text": p.read_text(encoding="utf-8")} for p in files]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for a in articles():
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    return path


def rows(url: str) -> Counter:
    """The stored quotes as a multiset of rows (order-free: the cluster's ids differ)."""
    store = Store(url)
    with store.engine.connect() as conn:
        out = Counter(tuple(r) for r in conn.execute(text(QUOTE_ROWS)))
    store.close()
    return out


def counts(url: str) -> dict[str, int]:
    store = Store(url)
    out = {t: store.execute(f"select count(*) from {t}")[0][0]
           for t in ("documents", "quotes", "attributions", "speaker_mentions", "speakers", "outlets")}
    store.close()
    return out


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> str:
    """`quotes extract CORPUS --engine rules` in one process, into SQLite."""
    from click.testing import CliRunner

    from quotes.cli import cli

    db = str(tmp_path_factory.mktemp("ref") / "ref.db")
    result = CliRunner().invoke(cli, ["extract", str(corpus), "--db", db, "--engine", "rules", "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def client():
    import distributed

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as c:
        yield c


class DieOnce:
    """Kill the worker process after its first committed batch, once per marker file."""

    def __init__(self, marker: str):
        self.marker = marker

    def __call__(self, written: int) -> None:
        try:
            fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        os._exit(17)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "cluster.db")
    return request.getfixturevalue("pg_url")


def test_cluster_stores_what_one_process_stores_and_survives_a_dead_worker(corpus, reference, client, url, tmp_path):
    n = len(articles())
    marker = tmp_path / "died"
    result = run_corpus(str(corpus), url, engine="rules", client=client, batch_size=5,
                        blocksize=max(1, corpus.stat().st_size // 6), after_batch=DieOnce(str(marker)))
    assert marker.exists(), "the kill hook never ran: the test did not exercise a dead worker"
    assert result.errors == ()
    assert result.partitions >= 4
    assert result.documents + result.skipped == n  # the dead worker's committed batch is skipped on retry
    assert all(loads == 1 for loads in result.loads.values()), result.loads  # one extractor per worker
    assert rows(url) == rows(reference)
    before = counts(url)
    assert before == {**counts(reference), "speakers": before["speakers"]}
    assert before["documents"] == n

    again = run_corpus(str(corpus), url, engine="rules", client=client, batch_size=5)
    assert (again.documents, again.quotes, again.skipped) == (0, 0, n)
    assert counts(url) == before


def test_offsets_are_sacred_in_the_cluster_store(corpus, client, tmp_path):
    db = str(tmp_path / "c.db")
    run_corpus(str(corpus), db, engine="rules", client=client)
    con = sqlite3.connect(db)
    bad = con.execute(
        "select count(*) from quotes q join documents d on d.id = q.document_id "
        "where substr(d.text, q.content_start + 1, q.content_end - q.content_start) != q.text").fetchone()[0]
    total = con.execute("select count(*) from quotes").fetchone()[0]
    con.close()
    assert total > 0 and bad == 0


def test_cli_reports_bad_lines_and_goes_on(tmp_path, run):
    corpus = tmp_path / "c.jsonl"
    good = [{"id": "one", "text": "\u201cWe will win,\u201d Jane Smith said."},
            {"text": "\u201cNo id here,\u201d Bob Jones said."}]
    corpus.write_text(json.dumps(good[0]) + "\n{not json\n\n" + json.dumps({"id": "x"}) + "\n"
                      + json.dumps(good[1]) + "\n", encoding="utf-8")
    db = str(tmp_path / "q.db")
    result = run(["cluster-extract", str(corpus), "--db", db, "--engine", "rules", "--workers", "1"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors[0].startswith(f"error: {corpus}:2: invalid JSON: ")
    assert errors[1:] == [f'error: {corpus}:4: missing "text" string']
    assert "2 documents, 2 quotes stored; 0 skipped (unchanged); 2 errors" in result.stderr
    paths = [d["path"] for d in Store(db).documents()]
    assert sorted(paths) == sorted(["one", f"{corpus}#5"])  # numbered as `quotes extract` numbers lines
