"""``blogsearch serve`` and ``blogsearch report``: thin shells over the app and the search log.

``blogsearch.cli.main`` registers them on the ``blogsearch`` group.
"""

from __future__ import annotations

import os
import resource
import socket
from pathlib import Path

import click

from blogsearch.search.printable import columns, fit, printable
from blogsearch.search.store import IndexUnavailable, check_version
from blogsearch.web.searchlog import SearchLogError, log_path, read_report
from blogsearch.web.settings import NO_LOG_ENV

from .common import fail, index_option, require_manifest, say_json

# Slow clients (see docs/deploying.md): granian's defaults are 30 s for headers and a
# place for 1,024 connections, which about 1,100 clients trickling header lines filled.
HEADER_TIMEOUT = 10
MAX_CONNECTIONS = 8192
FILES_KEPT = 64  # open files left for the index, the log and the rest

# Default workers: one per core, at most this many (each worker holds its own engine and caches).
MAX_DEFAULT_WORKERS = 8


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def default_workers() -> int:
    """One worker per available core, capped at ``MAX_DEFAULT_WORKERS``."""
    return min(available_cores(), MAX_DEFAULT_WORKERS)


@click.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64),
              help="Worker processes, each with its own caches (about 120 MB resident for a blog "
                   "of 1,600 posts, 340 MB for 100,000, 9 MB of it word lists)  [default: one per "
                   f"core, at most {MAX_DEFAULT_WORKERS}]")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Requests each worker serves at once.")
@click.option("--header-timeout", default=HEADER_TIMEOUT, show_default=True,
              type=click.IntRange(1, 300),
              help="Seconds a client has to send a request's headers; a kept-alive connection "
                   "idle this long is closed.")
@click.option("--max-connections", default=MAX_CONNECTIONS, show_default=True,
              type=click.IntRange(16, 1_000_000),
              help="Connections each worker serves at once (also limited by the open-files "
                   "limit); more wait for a free place.")
@click.option("--dev", is_flag=True,
              help="Flask's development server with auto-reload (never in production).")
@click.option("--no-log", is_flag=True, help="Do not keep the search log.")
def serve(index_dir: str, host: str, port: int, workers: int | None, threads: int,
          header_timeout: int, max_connections: int, dev: bool, no_log: bool) -> None:
    """Serve the search page and JSON API for the index (granian, a production server)."""
    manifest = require_manifest(index_dir)
    try:  # else every worker would die at start, and be started again, and again
        check_version(index_dir, manifest)
    except IndexUnavailable as exc:
        fail(str(exc))
    if workers is None:
        workers, chosen = default_workers(), f"one per core of {available_cores()}"
        if workers < available_cores():
            chosen += f", capped at {MAX_DEFAULT_WORKERS}"
    else:
        chosen = "--workers"
    app = _checked_app(index_dir, log=dev and not no_log)
    log = "off" if no_log else app.config["SEARCH_LOG_PATH"] or log_path(index_dir)
    processes = "1 process (--dev)" if dev else f"{workers} worker(s) ({chosen}) × {threads} thread(s)"
    click.echo(f"blogsearch: {manifest.posts} posts from {index_dir}; {processes}; search log {log}")
    if dev:
        app.run(host=host, port=port, debug=True, use_reloader=True)
        return
    _check_port_free(host, port)
    os.environ["BLOGSEARCH_INDEX"] = str(Path(index_dir).resolve())
    os.environ[NO_LOG_ENV] = "1" if no_log else "0"
    click.echo(f"blogsearch: serving on http://{host}:{port}/ with {workers} worker(s) × "
               f"{threads} thread(s)  (Ctrl+C to stop)")
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels

    Granian(
        "blogsearch.web.served:app_from_environment", factory=True, interface=Interfaces.WSGI,
        address=host, port=port, workers=workers, blocking_threads=threads, http=HTTPModes.http1,
        websockets=False, log_level=LogLevels.warning, respawn_failed_workers=True,
        # Slow clients: headers (and the next request on a kept-alive connection) must come
        # within the timeout, and a flood of idle connections cannot take every place.
        http1_settings=HTTP1Settings(header_read_timeout=header_timeout * 1000),
        backpressure=_connection_limit(max_connections, workers),
        # granian waits forever for a worker asked to stop while it starts (seen after a
        # respawn): kill such a worker after 5 s so that stopping the server always ends.
        workers_kill_timeout=5,
    ).serve()


def _checked_app(index_dir: str, log: bool):
    """The app as every worker will build it, from the same settings (``BLOGSEARCH_SETTINGS``):
    a bad setting ends ``serve`` here in one line, not each worker in a traceback, restarted
    again and again. Its search log is opened only when ``log`` (the workers open their own)."""
    from blogsearch.web.app import create_app

    settings = os.environ.get("BLOGSEARCH_SETTINGS")
    try:
        return create_app({"INDEX_DIR": index_dir, "SEARCH_LOG": log})
    except Exception as exc:  # a settings file is Python: it can raise anything
        fail(f"settings{f' ({settings})' if settings else ''}: {exc}")


def _connection_limit(wanted: int, workers: int) -> int:
    """``wanted`` connections per worker, within the open-files limit of the process."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(16, min(wanted, (soft - FILES_KEPT) // workers))


def _check_port_free(host: str, port: int) -> None:
    """Exit with a clear error if ``host:port`` cannot be listened on (in use, no permission)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


@click.command()
@index_option
@click.option("--days", default=30, show_default=True, type=click.IntRange(1, 36500),
              help="Look at the searches of the last N days.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000),
              help="Queries to list in each table.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def report(index_dir: str, days: int, limit: int, as_json: bool) -> None:
    """What readers search for: top queries and frequent queries with no results."""
    try:
        data = read_report(log_path(index_dir), days=days, limit=limit)
    except SearchLogError as exc:
        fail(str(exc))
    if as_json:
        say_json(data)
        return
    click.echo(f"{data['searches']} searches in the last {days} days, "
               f"{data['zero_result_searches']} with no results; "
               f"average {data['average_ms']} ms")
    _table("Queries with no results (write about these, or fix their spelling):",
           data["zero_result_queries"], show_results=False)
    _table("Queries that found nothing as typed, answered only through a spelling correction "
           "or without some of their words:", data["nothing_as_typed_queries"], show_results=True)
    _table("Most searched:", data["top_queries"], show_results=True)


QUERY_COLUMNS = 48  # a longer query is cut with "…" so the columns after it stay aligned


def _table(title: str, rows: list[dict], show_results: bool) -> None:
    click.echo("")
    click.echo(title)
    if not rows:
        click.echo("  (none)")
        return
    shown = [fit(printable(row["query"]), QUERY_COLUMNS) for row in rows]
    width = max(columns(text) for text in shown)
    for row, text in zip(rows, shown, strict=True):
        extra = f"  {row['results']:>5} results" if show_results else ""
        padding = " " * (width - columns(text))
        click.echo(f"  {row['searches']:>6}×  {text}{padding}{extra}  last {row['last'][:10]}")
