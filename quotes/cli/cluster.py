"""``quotes cluster-extract``: a JSONL corpus on a Dask cluster (see quotes.scale.distributed)."""
from __future__ import annotations

import sys

import click

from .common import ENGINES, indirect_option


@click.command("cluster-extract")
@click.argument("corpus", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--db", envvar="QUOTES_DB", default="quotes.db", show_default=True,
              help="Database path or SQLAlchemy URL (env QUOTES_DB), e.g. postgresql+psycopg://host/db.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Worker processes of the local cluster (one thread each).")
@click.option("--scheduler", default=None,
              help="Address of an existing Dask scheduler (tcp://host:8786) instead of a local cluster.")
@click.option("--engine", type=click.Choice(ENGINES), default="stanza", show_default=True,
              help="Sentence engine: the shipped stanza model or plain rules.")
@click.option("--models", envvar="QUOTES_MODELS", default=None,
              help="Stanza model directory (env QUOTES_MODELS; default: the shipped one).")
@click.option("--sieves", default=None, help="Comma-separated sieves to run, in order.")
@indirect_option
@click.option("--batch-size", type=click.IntRange(min=1), default=50, show_default=True,
              help="Documents written per transaction.")
@click.option("--blocksize", type=click.IntRange(min=1), default=None,
              help="Bytes of corpus per partition (default: about four partitions per worker).")
@click.option("-q", "--quiet", is_flag=True, help="No summary line.")
def cluster_extract(corpus: tuple[str, ...], db: str, workers: int, scheduler: str | None, engine: str,
                    models: str | None, sieves: str | None, batch_size: int, blocksize: int | None,
                    quiet: bool, indirect: bool = False) -> None:
    """Extract .jsonl CORPUS files on a Dask cluster into --db (reruns add no duplicates)."""
    from ..scale.distributed import run_corpus

    try:
        result = run_corpus(list(corpus), db, workers=workers, engine=engine, models=models,
                            sieves=sieves, batch_size=batch_size, blocksize=blocksize, scheduler=scheduler,
                            indirect=indirect)
    except ValueError as e:  # e.g. an unknown sieve name
        click.echo(f"error: --sieves: {e}", err=True)
        sys.exit(2)
    for line in result.errors:
        click.echo(f"error: {line}", err=True)
    if not quiet:
        click.echo(result.summary(), err=True)
    if result.errors:
        sys.exit(1)
