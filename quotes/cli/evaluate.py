"""`quotes explain ID` and `quotes eval --gold PATH`."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterator

import click

from ..evaluation import metrics
from .common import db_option, indirect_option, open_store


def _extract_records(paths: list[Path], engine: str, sieves: str | None,
                     indirect: bool = False) -> Iterator[dict[str, Any]]:
    from ..extract.pipeline import Extractor
    from ..types import Document

    ex = Extractor(engine=engine, sieves=sieves, indirect=indirect)
    for p in paths:
        text = p.open(encoding="utf-8", newline="").read()
        doc = Document.from_text(text, path=str(p))
        for q in ex.extract(doc):
            yield q.to_dict(doc)


@click.command()
@click.argument("quote_id", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(quote_id: int, db: str, fmt: str) -> None:
    """The chain of decisions behind one quote's attribution."""
    from ..factcheck.explain import explain as explain_quote, render

    e = explain_quote(open_store(db), quote_id)
    if e is None:
        click.echo(f"error: no quote with id {quote_id}", err=True)
        sys.exit(1)
    if fmt == "json":
        click.echo(json.dumps(e, ensure_ascii=False, indent=1))
    else:
        for line in render(e):
            click.echo(line)

@click.command("eval")
@click.option("--gold", required=True, type=click.Path(exists=True, path_type=Path),
              help="A brat standoff folder (PolNeAR layout), a *.gold.json file, a folder of them, or a "
                   "folder holding gold/ and text/.")
@click.option("--split", default="dev", show_default=True, help="Split folder inside a brat gold folder.")
@click.option("--pred", type=click.Path(exists=True, path_type=Path),
              help="Score this JSONL instead of extracting the gold documents afresh.")
@click.option("--texts", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Where the documents of JSON gold live (default: beside the gold file).")
@click.option("--engine", type=click.Choice(["stanza", "rules"]), default="stanza", show_default=True)
@click.option("--sieves", default=None, help="Comma-separated sieves to run, in order.")
@indirect_option
def eval_cmd(gold: Path, split: str, pred: Path | None, texts: Path | None, engine: str,
             sieves: str | None, indirect: bool = False) -> None:
    """Score the extractor against annotated news (metrics of ../shared/eval/README.md), as JSON.

    GOLD is PolNeAR's data folder (brat standoff), a *.gold.json file, a folder of them, or a
    set laid out as gold/ and text/ (../shared/data/worldwide-dev)."""
    if gold.is_dir() and (gold / "gold").is_dir() and (gold / "text").is_dir():
        gold, texts = gold / "gold", texts or gold / "text"  # a set: gold/*.gold.json beside text/
    json_gold = sorted(gold.glob("*.gold.json")) if gold.is_dir() else [gold]
    brat = gold.is_dir() and not json_gold
    if brat:
        root = gold / split if (gold / split).is_dir() else gold
        docs = sorted((root / "text").glob("*.txt"))
    else:
        base = texts or json_gold[0].parent
        docs = []
        for g in json_gold:
            name = json.loads(g.read_text(encoding="utf-8"))["document"]
            hit = next(iter(sorted(base.rglob(name))), None)
            if hit is None:
                click.echo(f"error: {g}: document {name} not found under {base} (use --texts)", err=True)
                sys.exit(1)
            docs.append(hit)
    if pred is not None:
        records: Any = (json.loads(line) for line in pred.open(encoding="utf-8") if line.strip().startswith("{"))
    else:
        records = _extract_records(docs, engine, sieves, indirect)
    preds = metrics.predictions_by_document(records)
    res = metrics.score_brat(gold, split, preds) if brat else metrics.score_json_gold(json_gold, preds)
    click.echo(json.dumps(res, ensure_ascii=False, indent=1))
