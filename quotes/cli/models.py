"""``quotes models``: stanza model directories."""
from __future__ import annotations

import click


@click.group()
def models() -> None:
    """Stanza model directories."""


@models.command("download")
@click.argument("dest", required=False, envvar="QUOTES_MODELS")
@click.option("--resources-url", default=None, help="Folder holding stanza's resources_*.json.")
def models_download(dest: str | None, resources_url: str | None) -> None:
    """Download the official stanza English models into DEST (default: $QUOTES_MODELS
    or the package's model directory); use it with --models DEST."""
    from ..extract.stanza_engine import default_model_dir, download_models

    target = dest or str(default_model_dir())
    download_models(target, resources_url=resources_url)
    click.echo(f"downloaded stanza models into {target}")

