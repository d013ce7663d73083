"""What every ``blogsearch`` command shares: the default index location and one-line errors."""

from __future__ import annotations

import os
import sys

import click

DEFAULT_INDEX = ".blogsearch"
INDEX_HELP = "Index folder (default: $BLOGSEARCH_INDEX, else ./.blogsearch)."


def default_index() -> str:
    """The index location every command uses unless told otherwise."""
    return os.environ.get("BLOGSEARCH_INDEX") or DEFAULT_INDEX


index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False), default=default_index,
    show_default=False, help=INDEX_HELP,
)


def fail(message: str) -> None:
    """Print a one-line error and exit with status 1 (no traceback)."""
    click.echo(f"blogsearch: error: {message}", err=True)
    sys.exit(1)
