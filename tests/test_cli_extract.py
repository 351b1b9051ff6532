"""quotes extract: sources -> extractor -> store (a transaction per batch, a savepoint per document)."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import ARTICLE_A, ARTICLE_B, jsonl
from quotes.extract.pipeline import Extractor
from quotes.types import Document, Quote, Span

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_133ad203e76a5764.txt"


def expected(docs: list[Document], first_id: int = 1) -> str:
    """What extract prints: Quote.to_dict with the ids the store assigns."""
    ex, objs, next_id = Extractor(engine="rules"), [], first_id
    for doc in docs:
        for q in ex.extract(doc):
            objs.append(q.to_dict(doc, next_id))
            next_id += 1
    return jsonl(objs)


def count(quotes_list: str) -> int:
    return len(quotes_list.splitlines())


@pytest.fixture
def articles(tmp_path, monkeypatch):
    """a.txt and b.txt in the working directory, given relative on the command line."""
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(ARTICLE_A, encoding="utf-8")
    Path("b.txt").write_bytes(ARTICLE_B.replace("\n", "\r\n").encode("utf-8"))
    return [Document.from_text(ARTICLE_A, path="a.txt"),
            Document.from_text(ARTICLE_B.replace("\n", "\r\n"), path="b.txt")]


def test_extract_jsonl_is_the_contract(run, articles):
    result = run(["extract", "a.txt", "b.txt", "--engine", "rules", "--format", "jsonl", "--db", "q.db"])
    assert result.exit_code == 0
    assert result.stdout == expected(articles)
    assert result.stderr == ""
    first = json.loads(result.stdout.splitlines()[0])
    assert list(first) == ["id", "document", "start", "end", "text", "kind", "speaker", "outlet", "cue",
                           "sieve", "confidence"]


def test_extract_json_is_one_array_over_all_documents(run, articles):
    result = run(["extract", "a.txt", "b.txt", "--engine", "rules", "--format", "json", "--db", "q.db"])
    assert json.loads(result.stdout) == [json.loads(line) for line in expected(articles).splitlines()]


def test_summary_line_and_unchanged_rerun(run, articles):
    out = expected(articles)
    result = run(["extract", "a.txt", "b.txt", "--engine", "rules", "--db", "q.db"])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"2 documents, {count(out)} quotes stored; 0 skipped (unchanged); 0 errors\n"
    again = run(["extract", "a.txt", "b.txt", "--engine", "rules", "--db", "q.db"])
    assert again.stderr == "0 documents, 0 quotes stored; 2 skipped (unchanged); 0 errors\n"
    con = sqlite3.connect("q.db")
    assert con.execute("select count(*) from documents").fetchone()[0] == 2
    assert con.execute("select count(*) from quotes").fetchone()[0] == count(out)
    # an unchanged document prints its stored quotes with their stored ids
    stored = run(["extract", "b.txt", "--engine", "rules", "--db", "q.db", "--format", "jsonl"])
    assert stored.stdout == expected(articles[1:], first_id=count(expected(articles[:1])) + 1)


def test_quiet(run, articles):
    result = run(["extract", "a.txt", "--engine", "rules", "--db", "q.db", "--quiet"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_invalid_utf8_file_reported_others_stored(run, articles):
    Path("bad.txt").write_bytes(b"Good start \xe9 then latin-1")
    result = run(["extract", "a.txt", "bad.txt", "b.txt", "--engine", "rules", "--db", "q.db",
                  "--format", "jsonl"])
    assert result.exit_code == 1
    assert result.stderr == "error: bad.txt: not valid UTF-8 at byte 11 (use --encoding to decode it)\n"
    assert result.stdout == expected(articles)
    fixed = run(["extract", "bad.txt", "--encoding", "latin-1", "--engine", "rules", "--db", "q.db"])
    assert fixed.exit_code == 0
    assert fixed.stderr.startswith("1 document, 0 quotes stored;")


def test_broken_jsonl_line_reported_others_stored(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = [json.dumps({"id": "a1", "text": ARTICLE_A, "title": "Budget"}),
             '{"id": "broken", "text": ',
             json.dumps({"text": ARTICLE_B, "url": "https://example.com/b"})]
    Path("batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(["extract", "batch.jsonl", "--engine", "rules", "--db", "q.db", "--format", "jsonl"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: batch.jsonl:2: invalid JSON: ")
    assert result.stderr.count("\n") == 1
    docs = [Document.from_text(ARTICLE_A, path="a1", title="Budget", external_id="a1"),
            Document.from_text(ARTICLE_B, path="batch.jsonl#3", url="https://example.com/b")]
    assert result.stdout == expected(docs)
    con = sqlite3.connect("q.db")
    assert con.execute("select path, external_id, title from documents order by id").fetchall() == [
        ("a1", "a1", "Budget"), ("batch.jsonl#3", None, None)]


def test_stdin_and_directory(run, articles):
    Path("dir/sub").mkdir(parents=True)
    Path("dir/sub/a.txt").write_text(ARTICLE_A, encoding="utf-8")
    Path("dir/.hidden").write_text(ARTICLE_B, encoding="utf-8")
    result = run(["extract", "-", "dir", "--engine", "rules", "--db", "q.db", "--format", "jsonl"],
                 input=ARTICLE_B.encode("utf-8"))
    assert result.exit_code == 0
    docs = [Document.from_text(ARTICLE_B, path="<stdin>"), Document.from_text(ARTICLE_A, path="dir/sub/a.txt")]
    assert result.stdout == expected(docs)


def test_missing_file_and_binary(run, articles):
    Path("x.bin").write_bytes(b"\x00\x01\x02")
    result = run(["extract", "nope.txt", "x.bin", "a.txt", "--engine", "rules", "--db", "q.db"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: nope.txt: no such file or directory",
        "error: x.bin: binary file",
        f"1 document, {count(expected(articles[:1]))} quotes stored; 0 skipped (unchanged); 2 errors",
    ]


def test_every_stored_span_matches(run, articles):
    Path("seed.txt").write_bytes(SEED.read_bytes())
    assert run(["extract", "a.txt", "b.txt", "seed.txt", "--engine", "rules", "--db", "q.db"]).exit_code == 0
    con = sqlite3.connect("q.db")
    spans = con.execute(
        "select d.text, q.content_start, q.content_end, q.text from quotes q join documents d on d.id = q.document_id "
        "union all select d.text, m.start, m.end, m.text from speaker_mentions m join documents d on d.id = m.document_id "
        "union all select d.text, a.cue_start, a.cue_end, a.cue_text from attributions a join quotes q on q.id = a.quote_id "
        "  join documents d on d.id = q.document_id where a.cue_start is not null "
        "union all select d.text, a.outlet_start, a.outlet_end, a.outlet_text from attributions a "
        "  join quotes q on q.id = a.quote_id join documents d on d.id = q.document_id where a.outlet_start is not null"
    ).fetchall()
    assert len(spans) > 20
    assert all(text[s:e] == span for text, s, e, span in spans)


def test_unknown_sieve_is_one_line_exit_2(run, articles):
    result = run(["extract", "a.txt", "--engine", "rules", "--sieves", "nope", "--db", "q.db"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --sieves: unknown sieve(s): nope;")
    assert result.stderr.count("\n") == 1


def test_missing_model_is_one_line_exit_2(run, articles, tmp_path):
    result = run(["extract", "a.txt", "--models", str(tmp_path / "no-models"), "--db", "q.db"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert not Path("q.db").exists()


@pytest.mark.slow
def test_default_engine_on_the_seed(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("seed.txt").write_bytes(SEED.read_bytes())
    result = run(["extract", "seed.txt", "--db", "q.db", "--format", "jsonl"])
    assert result.exit_code == 0, result.stderr
    doc = Document(text=SEED.read_text(encoding="utf-8"), path="seed.txt",
                   sha256=Document.from_text(SEED.read_text(encoding="utf-8")).sha256)
    found = Extractor().extract(doc)
    assert result.stdout == jsonl([q.to_dict(doc, i) for i, q in enumerate(found, start=1)])
    texts = [json.loads(line)["text"] for line in result.stdout.splitlines()]
    assert any(t.startswith("The latest coup d\u2019\u00e9tat attempt") for t in texts)


# ------------------------------------------------------------------ reported speech (issue 17)

REPORTING = "Maduro said that the coup attempt had failed.\n\nThe minister said the talks were over.\n"


def _reported_speech(self, document):
    """A stand-in for the extractor's reported speech: the words after "said (that)" up to the
    full stop, as indirect quotes, only from an Extractor built with indirect=True (forked
    workers inherit it)."""
    if not self.indirect:
        return []
    text = document.text
    out = []
    for m in re.finditer(r"said (?:that )?([^.\n]+)", text):
        content = Span.of(text, m.start(1), m.end(1))
        out.append(Quote(span=content, content=content, kind="indirect", cue=Span.of(text, m.start(), m.start() + 4),
                         sieve="indirect", confidence=0.7))
    return out


@pytest.mark.parametrize("workers", ["1", "2"])
def test_indirect_is_off_by_default_and_the_switch_reaches_the_extractor(run, tmp_path, monkeypatch, workers):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Extractor, "extract", _reported_speech)
    Path("r.txt").write_text(REPORTING, encoding="utf-8")
    on = run(["extract", "r.txt", "--engine", "rules", "--workers", workers, "--db", "on.db", "--format", "jsonl",
              "--indirect"])
    assert on.exit_code == 0, on.stderr
    got = [json.loads(line) for line in on.stdout.splitlines()]
    assert [(q["kind"], q["text"], q["start"], q["end"]) for q in got] == [
        ("indirect", "the coup attempt had failed", 17, 44), ("indirect", "the talks were over", 65, 84)]
    assert all(REPORTING[q["start"]:q["end"]] == q["text"] for q in got)  # the content's offsets: no marks, no "that"
    for flags in ([], ["--no-indirect"]):
        off = run(["extract", "r.txt", "--engine", "rules", "--workers", workers, "--db", "off.db", *flags])
        assert (off.exit_code, off.stdout) == (0, "")
        assert off.stderr in ("1 document, 0 quotes stored; 0 skipped (unchanged); 0 errors\n",
                              "0 documents, 0 quotes stored; 1 skipped (unchanged); 0 errors\n")


def test_indirect_quotes_store_and_read_back_as_the_contract(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(Extractor, "extract", _reported_speech)
    Path("r.txt").write_text(REPORTING, encoding="utf-8")
    stored = run(["extract", "r.txt", "--engine", "rules", "--db", "q.db", "--format", "jsonl", "--indirect"]).stdout
    assert run(["list", "--db", "q.db", "--kind", "indirect", "--format", "jsonl"]).stdout == stored
    first = json.loads(stored.splitlines()[0])
    assert first == {
        "id": 1, "document": {"path": "r.txt", "sha256": Document.from_text(REPORTING).sha256, "title": None},
        "start": 17, "end": 44, "text": "the coup attempt had failed", "kind": "indirect", "speaker": None,
        "outlet": None, "cue": {"start": 7, "end": 11, "text": "said"}, "sieve": "indirect", "confidence": 0.7}
    con = sqlite3.connect("q.db")  # span == content: nothing of marks is derived or stripped
    assert con.execute("select start, end, content_start, content_end, text, closed from quotes where id = 1"
                       ).fetchone() == (17, 44, 17, 44, "the coup attempt had failed", 1)
    con.close()


def test_eval_and_cluster_extract_pass_no_indirect_on(run, tmp_path, monkeypatch):
    from quotes.scale import distributed

    seen = []
    monkeypatch.setattr(Extractor, "extract", lambda self, document: seen.append(self.indirect) or [])
    text = "Jane Smith said the budget was balanced.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.gold.json").write_text(json.dumps({"document": "a.txt", "chars": len(text), "quotes": []}))
    for flag, want in (([], False), (["--indirect"], True), (["--no-indirect"], False)):
        assert run(["eval", "--gold", str(tmp_path / "a.gold.json"), "--engine", "rules", *flag]).exit_code == 0
        assert seen.pop() is want

    calls = []
    monkeypatch.setattr(distributed, "run_corpus", lambda *a, **kw: calls.append(kw) or distributed.ClusterResult())
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    for flag, want in (([], False), (["--indirect"], True), (["--no-indirect"], False)):
        assert run(["cluster-extract", str(tmp_path / "c.jsonl"), "--db", str(tmp_path / "c.db"), "-q",
                    *flag]).exit_code == 0
        assert calls.pop()["indirect"] is want
    assert distributed.Job(db="x", engine="rules", indirect=False).key == ("rules", None, None, False)
    monkeypatch.setattr(distributed, "_EXTRACTORS", {})  # this process's, put back after the test
    monkeypatch.setattr(distributed, "_LOADS", 0)
    assert distributed.worker_extractor("rules", None, None, False).indirect is False
    assert distributed.worker_extractor("rules", None, None).indirect is False
