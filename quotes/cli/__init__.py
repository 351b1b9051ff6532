"""The ``quotes`` command line: a thin click layer over the library.

Every command takes ``--db`` (env ``QUOTES_DB``). Known failures print one
``error: ...`` line on stderr: exit 1 for read/store problems, 2 for model
(or configuration) problems. Listings stream through :func:`quotes.cli.output.emit`.

The group is here; the commands live one module per command group, and are added
below, one line each.
"""
from __future__ import annotations

import os
import sys

# One BLAS thread a process, set before anything loads numpy: the reported-speech tagger's
# products are small, and a BLAS pool per process spun a second core for nothing and fought
# --workers for the cores (benchmarks/run.py: rules --indirect 31 CPU seconds for 16 wall,
# two workers 65 for 33). A value the user sets wins.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import click  # noqa: E402

from . import browse, cluster, db, evaluate, extract, models, serve, verify  # noqa: E402
from .common import QuotesGroup, setup_logging  # noqa: E402


@click.group(cls=QuotesGroup)
@click.version_option(package_name="quotes")
@click.option("-v", "--verbose", count=True, help="Log progress to stderr (-vv: debug).")
def cli(verbose: int) -> None:
    """Extract attributed quotes from news text and keep their provenance."""
    setup_logging(verbose)


# --- commands ---
cli.add_command(extract.extract)  # extract
cli.add_command(browse.list_quotes)  # list, export, documents, speakers, outlets, show
cli.add_command(browse.export)
cli.add_command(browse.documents)
cli.add_command(browse.speakers)
cli.add_command(browse.outlets)
cli.add_command(browse.show)
cli.add_command(verify.verify_command)  # verify, trace, check
cli.add_command(verify.trace_command)
cli.add_command(verify.check_command)
cli.add_command(evaluate.explain)  # explain, eval
cli.add_command(evaluate.eval_cmd)
cli.add_command(cluster.cluster_extract)  # cluster-extract
cli.add_command(serve.serve)  # serve
cli.add_command(models.models)  # models download
cli.add_command(db.db)  # db upgrade, downgrade, current
# --- end of commands ---


def main() -> None:
    try:
        cli(prog_name="quotes")
    except BrokenPipeError:  # `quotes export | head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
