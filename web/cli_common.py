"""What every ``blogsearch`` command shares: the default index location and one-line errors."""

from __future__ import annotations

import os
import sys

import click

DEFAULT_INDEX = ".blogsearch"
INDEX_HELP = "Index folder (default: $BLOGSEARCH_INDEX, else ./.blogsearch)."
# Set by `blogsearch serve --no-log` for its worker processes (web/served.py).
NO_LOG_ENV = "BLOGSEARCH_SERVE_NO_LOG"


def default_index() -> str:
    """The index location every command uses unless told otherwise."""
    return os.environ.get("BLOGSEARCH_INDEX") or DEFAULT_INDEX


index_option = click.option(
    "--index", "index_dir", type=click.Path(file_okay=False), default=default_index,
    show_default=False, help=INDEX_HELP,
)

follow_symlinks_option = click.option(
    "--follow-symlinks", is_flag=True,
    help="Also index what symbolic links outside the blog's folder point to (left out and "
         "reported by default).")


def fail(message: str) -> None:
    """Print a one-line error and exit with status 1 (no traceback)."""
    click.echo(f"blogsearch: error: {message}", err=True)
    sys.exit(1)


def require_manifest(index_dir: str):
    """The manifest of the index at ``index_dir``; exits with a one-line error without one."""
    from search.store import IndexUnavailable, load_manifest

    try:
        manifest = load_manifest(index_dir)
    except IndexUnavailable as exc:
        fail(str(exc))
    if manifest is None:
        fail(f"{index_dir}: no index here yet; run `blogsearch index CONTENT_DIR` first")
    return manifest
