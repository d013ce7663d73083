"""The ``blogsearch`` command: a thin shell over ``indexer`` and ``search``."""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

import click

from indexer.discover import ContentDirError
from indexer.run import Options, Report, index_folder
from search.store import IndexUnavailable, generation_dir

from .cli_common import fail, index_option, require_manifest
from .commands import report, serve
from .watch_command import watch


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="blogsearch")
def main() -> None:
    """Full-text search for Spanish-language blogs (Hugo, Jekyll, WordPress exports)."""


def _print_report(report: Report, quiet: bool) -> None:
    for path, reason in report.problems:
        click.echo(f"skipped {path}: {reason}", err=True)
    if not quiet:
        for path, warning in report.warnings:
            click.echo(f"warning {path}: {warning}", err=True)
    click.echo(
        f"{report.posts} posts indexed: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged, {report.skipped} skipped "
        f"(drafts, section pages), {len(report.problems)} with problems; "
        f"{report.seconds:.2f} s"
    )


@main.command()
@click.argument("content_dir", type=click.Path(file_okay=False, path_type=Path))
@index_option
@click.option("--full", is_flag=True, help="Rebuild from scratch instead of re-reading changed files.")
@click.option("--include-drafts", is_flag=True, help="Also index posts marked draft: true.")
@click.option("--base-url", default="", help="Prefix for post URLs, e.g. https://example.com.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or warnings; just the summary.")
def index(content_dir: Path, index_dir: str, full: bool, include_drafts: bool, base_url: str,
          quiet: bool) -> None:
    """Index (or update the index of) the posts in CONTENT_DIR."""
    show_bar = not quiet and sys.stderr.isatty()
    bar = None

    def on_total(total: int) -> None:
        nonlocal bar
        if show_bar:
            bar = click.progressbar(length=total, label="Indexing", file=sys.stderr)
            bar.__enter__()

    def on_progress(step: int) -> None:
        if bar is not None:
            bar.update(step)

    try:
        report = index_folder(
            content_dir, index_dir, full=full,
            options=Options(include_drafts=include_drafts, base_url=base_url),
            on_total=on_total, on_progress=on_progress,
        )
    except (ContentDirError, IndexUnavailable) as exc:
        fail(str(exc))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    _print_report(report, quiet)


@main.command()
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats(index_dir: str, as_json: bool) -> None:
    """Show what the index holds."""
    manifest = require_manifest(index_dir)
    generation = generation_dir(index_dir)
    size = sum(f.stat().st_size for f in generation.iterdir() if f.is_file()) if generation else 0
    data = {
        "posts": manifest.posts,
        "content_dir": manifest.content_dir,
        "last_indexed": manifest.last_indexed,
        "index_dir": str(Path(index_dir).resolve()),
        "index_bytes": size,
    }
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for key, value in data.items():
        click.echo(f"{key}: {value}")



def _plain(html_text: str) -> str:
    """Snippet HTML as terminal text: matches in bold, entities decoded."""
    bold = html_text.replace("<mark>", "\x1b[1m").replace("</mark>", "\x1b[0m")
    return html.unescape(bold) if sys.stdout.isatty() else html.unescape(
        html_text.replace("<mark>", "").replace("</mark>", ""))


@main.command()
@click.argument("text", nargs=-1, required=True)
@index_option
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=10, show_default=True,
              help="How many results.")
@click.option("--page", type=click.IntRange(1, 1000), default=1, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "date", "date_asc"]), default="relevance",
              show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def query(text: tuple[str, ...], index_dir: str, limit: int, page: int, sort: str,
          as_json: bool) -> None:
    """Search the index for TEXT (see README for the query syntax)."""
    from search.engine import Engine  # numpy and the engine load only for this command

    engine = Engine(index_dir)
    try:
        found = engine.search(" ".join(text), sort=sort, page=page, per_page=limit)
    except IndexUnavailable as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(str(exc))
    finally:
        engine.close()
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if found["suggestion"]:
        click.echo(f"Did you mean: {found['suggestion']['query']}")
    click.echo(f"{found['total']} results ({found['took_ms']:.1f} ms)")
    first = (page - 1) * limit
    for rank, hit in enumerate(found["results"], first + 1):
        date = (hit["date"] or "")[:10]
        tags = ", ".join(hit["tags"])
        click.echo(f"\n{rank}. {hit['title']}  [{hit['score']:.2f}]")
        click.echo(f"   {hit['path']}  {hit['url']}  {date}  {tags}".rstrip())
        if hit["snippet"]:
            click.echo(f"   {_plain(hit['snippet'])}")


main.add_command(serve)
main.add_command(report)
main.add_command(watch)
