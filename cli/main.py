"""The ``blogsearch`` command: a thin shell over ``indexer`` and ``search``."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import click

from blogsearch.indexer.built_site import missing_pages
from blogsearch.indexer.discover import ContentDirError
from blogsearch.indexer.run import Options, Report, index_folder
from blogsearch.search.printable import printable
from blogsearch.search.request import MAX_PAGE, MAX_PER_PAGE, PER_PAGE, SORTS
from blogsearch.search.store import IndexUnavailable, generation_dir

from .commands import report, serve
from .common import fail, follow_symlinks_option, index_option, require_manifest, say, say_json
from .watch_command import watch


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="blogsearch")
def main() -> None:
    """Full-text search for Spanish-language blogs: Hugo, Jekyll, Eleventy, Pelican, Nikola,
    Hexo and Zola sites, WordPress and Blogger exports."""


def _print_report(report: Report, quiet: bool, dry_run: bool = False) -> None:
    for notice in report.notices:
        say(f"note: {notice}", err=True)
    for path, reason in report.problems:
        say(f"skipped {path}: {reason}", err=True)
    if not quiet:
        for path, warning in report.warnings:
            say(f"warning {path}: {warning}", err=True)
        _print_site(report)
    if dry_run:
        say(f"dry run: {report.posts} posts would be indexed, {report.skipped} skipped, "
                   f"{len(report.problems)} with problems; nothing written; {report.seconds:.2f} s")
        return
    say(
        f"{report.posts} posts indexed: {report.added} added, {report.updated} updated, "
        f"{report.removed} removed, {report.unchanged} unchanged, {report.skipped} skipped "
        f"(drafts, section pages, static files), {len(report.problems)} with problems; "
        f"{report.seconds:.2f} s"
    )


def _print_site(report: Report) -> None:
    """What was understood of the site, on stderr beside the warnings (stdout keeps the summary)."""
    site = report.site
    if site is None:
        return
    configs = f" ({', '.join(site.config_files)})" if site.config_files else " (no generator config)"
    say(f"site: {site.generator}{configs}; time zone {site.timezone or 'UTC'}; "
        f"main language {site.language}"
        + (f" ({site.language_note})" if site.language_note else ""), err=True)
    for kind in ("post", "page"):
        folders = sorted({s.folder or "." for s in site.sources if s.kind == kind})
        if folders:
            say(f"  {kind}s from: {', '.join(folders)}", err=True)
    example = next((label[2] for label in report.labels.values() if label[1] == "post"), "")
    say(f"  URLs: {site.url_rule} on {site.base_url or '(no base URL: site-relative links)'}"
               + (f", e.g. {example}" if example else ""), err=True)
    split = ", ".join(f"{lang} {count}" for lang, count in report.languages().most_common())
    translations = report.count("post", False) + report.count("page", False)
    say(f"  found: {report.count('post')} posts, {report.count('page')} pages, "
               f"{translations} translations, {report.drafts} drafts, {len(report.static)} static "
               f"files left aside, {len(report.warnings)} warnings; languages: {split or '-'}", err=True)
    for warning in site.warnings:
        say(f"warning: {warning}", err=True)


def _check_built_site(report: Report, public_dir: Path) -> None:
    """Say which indexed URLs have no page in the built site."""
    base = report.site.base_url if report.site else ""
    missing = missing_pages(report.labels, public_dir, base)
    for path, url in missing:
        say(f"no page for {path}: {url}", err=True)
    say(f"built site {public_dir}: {len(report.labels) - len(missing)} of "
               f"{len(report.labels)} URLs have a page, {len(missing)} have none")


@main.command()
@click.argument("content_dir", type=click.Path(path_type=Path))
@index_option
@click.option("--full", is_flag=True, help="Rebuild from scratch instead of re-reading changed files.")
@click.option("--include-drafts", is_flag=True, help="Also index drafts.")
@click.option("--base-url", default="",
              help="Site address for post URLs, e.g. https://example.com (default: the site's config).")
@click.option("--dry-run", is_flag=True, help="Read everything and say what would be indexed; write nothing.")
@click.option("--site", "built_site", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The built site (public/, _site/, output/): report post URLs that have no page there.")
@follow_symlinks_option
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or warnings; just the summary.")
def index(content_dir: Path, index_dir: str, full: bool, include_drafts: bool, base_url: str,
          dry_run: bool, built_site: Path | None, follow_symlinks: bool, quiet: bool) -> None:
    """Index (or update the index of) CONTENT_DIR: a site root (Hugo, Jekyll, Eleventy,
    Pelican, Nikola, Hexo, Zola: its config says where the posts are and their URLs), a plain
    folder of posts, or a WordPress/Blogger export file."""
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
            options=Options(include_drafts=include_drafts, base_url=base_url,
                            follow_symlinks=follow_symlinks),
            on_total=on_total, on_progress=on_progress, dry_run=dry_run,
        )
    except (ContentDirError, IndexUnavailable) as exc:
        fail(str(exc))
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    _print_report(report, quiet, dry_run)
    if built_site is not None:
        _check_built_site(report, built_site)


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
        say_json(data)
        return
    for key, value in data.items():
        say(f"{key}: {value}")


def _plain(html_text: str) -> str:
    """Snippet HTML as terminal text: entities decoded, anything a terminal would act on
    escaped, and matches in bold on a terminal."""
    on, off = ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("", "")
    parts = re.split("(</?mark>)", html_text)
    return "".join(on if part == "<mark>" else off if part == "</mark>" else
                   printable(html.unescape(part)) for part in parts)


@main.command()
@click.argument("text", nargs=-1, required=True)
@index_option
@click.option("--limit", "-n", type=click.IntRange(1, MAX_PER_PAGE), default=PER_PAGE, show_default=True,
              help="How many results.")
@click.option("--page", type=click.IntRange(1, MAX_PAGE), default=1, show_default=True)
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")
def query(text: tuple[str, ...], index_dir: str, limit: int, page: int, sort: str,
          as_json: bool) -> None:
    """Search the index for TEXT (query syntax: docs/query-syntax.md)."""
    from blogsearch.search.engine import Engine  # numpy and the engine load only for this command

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
        say_json(found)
        return
    if found["suggestion"]:
        say(f"Did you mean: {found['suggestion']['query']}")
    if found["unknown"]:
        say(f"In no post, nor any similar word: {', '.join(found['unknown'])}")
    relaxed = next((m["params"] for m in found["messages"] if m["code"] == "left_out"), None)
    if relaxed:
        say(f"No post holds every word; posts with {relaxed['held']} of {relaxed['count']} "
            "(each marked with what it lacks)")
    say(f"{found['total']} results ({found['took_ms']:.1f} ms)")
    first = (page - 1) * limit
    for rank, hit in enumerate(found["results"], first + 1):
        date = (hit["date"] or "")[:10]
        tags = ", ".join(hit["tags"])
        click.echo("")
        say(f"{rank}. {hit['title']}  [{hit['score']:.2f}]")
        say(f"   {hit['path']}  {hit['url']}  {date}  {tags}".rstrip())
        if hit["missing"]:
            say(f"   (partial match, without: {', '.join(hit['missing'])})")
        if hit["snippet"]:
            click.echo(f"   {_plain(hit['snippet'])}")
        for section in hit["sections"]:
            click.echo(f"   # {section['title']}  {section['url']}")


main.add_command(serve)
main.add_command(report)
main.add_command(watch)
