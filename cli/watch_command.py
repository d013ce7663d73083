"""``blogsearch watch``: index a content folder, then keep the index up to date as posts change.

``blogsearch.cli.main`` registers it on the ``blogsearch`` group (``main.add_command(watch)``).
"""

from __future__ import annotations

import signal
from pathlib import Path

import click

from blogsearch.indexer.exports import is_export
from blogsearch.indexer.run import Options
from blogsearch.indexer.watch import DEFAULT_DEBOUNCE, Watcher
from blogsearch.search.layout import IndexUnavailable

from .common import fail, follow_symlinks_option, index_option, say


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command()
@click.argument("content_dir", type=click.Path(path_type=Path))
@index_option
@click.option("--include-drafts", is_flag=True, help="Also index posts marked draft: true.")
@click.option("--base-url", default="", help="Prefix for post URLs, e.g. https://example.com.")
@click.option("--debounce", type=click.FloatRange(0.0, 60.0), default=DEFAULT_DEBOUNCE,
              show_default=True, help="Seconds of quiet after a change before re-indexing.")
@follow_symlinks_option
@click.option("--quiet", "-q", is_flag=True, help="No warnings; just a line per run and problems.")
def watch(content_dir: Path, index_dir: str, include_drafts: bool, base_url: str,
          debounce: float, follow_symlinks: bool, quiet: bool) -> None:
    """Index CONTENT_DIR (a site, a folder or a WordPress/Blogger export), then re-index it
    whenever a post is saved, added, moved or deleted, or the export file is replaced.

    Runs until Ctrl+C (or SIGTERM), which exits with status 0.
    """
    if not content_dir.exists():
        fail(f"{content_dir}: content folder not found")
    if not content_dir.is_dir() and not is_export(content_dir):
        fail(f"{content_dir}: not a folder, nor a WordPress or Blogger export")
    watcher = Watcher(
        content_dir, index_dir, options=Options(include_drafts=include_drafts, base_url=base_url,
                                           follow_symlinks=follow_symlinks),
        debounce=debounce, quiet=quiet, echo=lambda text, err: say(text, err=err),
    )
    for stop in (signal.SIGTERM, signal.SIGINT):  # SIGINT too: a background job inherits it ignored
        signal.signal(stop, _interrupt)
    if not quiet:
        click.echo(f"blogsearch: watching {content_dir} (index {index_dir}); Ctrl+C to stop")
    try:
        watcher.run()
    except KeyboardInterrupt:
        watcher.stop()
    except IndexUnavailable as exc:
        fail(str(exc))
    if not quiet:
        click.echo("blogsearch: stopped watching")
