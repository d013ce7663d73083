"""What every ``blogsearch`` command shares: the default index location and one-line errors."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from blogsearch.search.layout import default_index
from blogsearch.search.printable import json_printable, printable

if TYPE_CHECKING:  # the store (and Whoosh) load only when a command needs them
    from blogsearch.search.store import Manifest

INDEX_HELP = "Index folder (default: $BLOGSEARCH_INDEX, else ./.blogsearch)."

index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False), default=default_index,
    show_default=False, help=INDEX_HELP,
)

follow_symlinks_option = click.option(
    "--follow-symlinks", is_flag=True,
    help="Also index what symbolic links outside the blog's folder point to (left out and "
         "reported by default).")


def say(text: str, err: bool = False) -> None:
    """Print a line whose parts may come from outside (file names, queries, front matter):
    control characters and escape sequences are shown escaped, never acted on."""
    click.echo(printable(text), err=err)


def say_json(data: object) -> None:
    """Print ``data`` as indented JSON, with the characters ``say`` escapes as ``\\u`` escapes."""
    click.echo(json_printable(json.dumps(data, ensure_ascii=False, indent=2)))


def fail(message: str) -> None:
    """Print a one-line error and exit with status 1 (no traceback)."""
    say(f"blogsearch: error: {message}", err=True)
    sys.exit(1)


def require_manifest(index_dir: str) -> Manifest:
    """The manifest of the index at ``index_dir``; exits with a one-line error without one."""
    from blogsearch.search.store import IndexUnavailable, load_manifest

    try:
        manifest = load_manifest(index_dir)
    except IndexUnavailable as exc:
        fail(str(exc))
    if manifest is None:
        fail(f"{index_dir}: no index here yet; run `blogsearch index CONTENT_DIR` first")
    return manifest
