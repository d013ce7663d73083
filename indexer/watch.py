"""Keep an index up to date while a blog is being written: ``blogsearch watch CONTENT_DIR``.

A watchdog observer reports file system events under the content folder. Events that can change
what gets indexed (a post file created, modified, moved or deleted; a folder created, moved or
deleted) mark the index stale; editors' temporary files (``.#post.md``, ``post.md~``,
``.post.md.swp``, vim's ``4913``), hidden folders and the index folder itself are ignored. Once
the folder has been quiet for ``debounce`` seconds (or changes have kept coming for
``max_delay``), one incremental ``index_folder`` run brings the index up to date, so a burst of
saves costs one run. A run that raises is reported and watching goes on; while another indexer
holds the index's lock, the run waits and retries.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from blogsearch.search.layout import IndexBusy, IndexUnavailable

from .discover import SKIPPED_DIRS, WATCHED_SUFFIXES
from .run import Options, Report, index_folder

DEFAULT_DEBOUNCE = 0.5
BUSY_RETRY_SECONDS = 1.0
WATCHED_EVENTS = (EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_MOVED, EVENT_TYPE_DELETED)
# Name prefixes of editors' lock, backup and autosave files (Emacs ``.#x``/``#x#``, vim
# ``.x.swp``, hidden temporary files of atomic saves).
TEMP_PREFIXES = (".", "#", "~")

Echo = Callable[[str, bool], None]


def is_post_name(name: str) -> bool:
    """True for a file name the indexer reads (posts, sidecars, configs) and no editor's
    temporary file (``.#x.md``, ``x.md~``, ``.x.md.swp``, ``4913``)."""
    return name.lower().endswith(WATCHED_SUFFIXES) and not name.startswith(TEMP_PREFIXES)


@dataclass
class RunRecord:
    """One run of the watcher: its report, or the error it raised, and what triggered it."""

    started: float
    report: Report | None = None
    error: str = ""
    changed: list[str] = field(default_factory=list)


class Watcher:
    """Watches ``content_dir`` (a site, a folder or an export file) and re-indexes it into
    ``index_dir`` after changes.

    ``run()`` blocks (index once, then watch) until ``stop()`` is called from another thread or
    the caller is interrupted. ``echo(text, err)`` receives one summary line per run, the
    problems and errors; ``runs`` keeps a record of every run.
    """

    def __init__(
        self,
        content_dir: str | os.PathLike,
        index_dir: str | os.PathLike,
        *,
        options: Options | None = None,
        debounce: float = DEFAULT_DEBOUNCE,
        max_delay: float | None = None,
        quiet: bool = False,
        echo: Echo = lambda text, err: None,
        busy_retry: float = BUSY_RETRY_SECONDS,
    ) -> None:
        if debounce < 0:
            raise ValueError(f"debounce: must be 0 or more seconds, not {debounce}")
        self.content_dir = os.path.abspath(content_dir)
        # An export file is watched through its folder; only its own changes count.
        self.export_file = self.content_dir if os.path.isfile(self.content_dir) else ""
        self.index_dir = os.path.abspath(index_dir)
        self.options = options or Options()
        self.debounce = debounce
        self.max_delay = max_delay if max_delay is not None else max(10 * debounce, 2.0)
        self.quiet = quiet
        self.echo = echo
        self.busy_retry = busy_retry
        self.runs: list[RunRecord] = []
        self._cond = threading.Condition()
        self._stopping = False
        self._dirty_since: float | None = None
        self._last_change = 0.0
        self._not_before = 0.0
        self._changed: list[str] = []
        self._shown: set[tuple[str, str]] = set()

    # -- events ------------------------------------------------------------------------------
    def is_relevant(self, event: FileSystemEvent) -> bool:
        """True when ``event`` may change what the index holds."""
        if event.event_type not in WATCHED_EVENTS:
            return False
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return False  # a folder's listing changed: its files have events of their own
        paths = [os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")]
        return any(self._relevant_path(p, event.is_directory) for p in paths if p)

    def _relevant_path(self, path: str, is_directory: bool) -> bool:
        if self.export_file:
            return path == self.export_file
        if path == self.index_dir or path.startswith(self.index_dir + os.sep):
            return False  # the index inside the content folder: our own writes
        rel = os.path.relpath(path, self.content_dir)
        if rel == os.curdir:
            return True  # the content folder itself (moved or deleted)
        parts = Path(rel).parts
        if parts[0] == os.pardir:
            return False
        folders = parts if is_directory else parts[:-1]
        if any(p.startswith(".") or p in SKIPPED_DIRS for p in folders):
            return False
        return is_directory or is_post_name(parts[-1])

    def notice(self, path: str) -> None:
        """Record a relevant change at ``path``: a run becomes due after the debounce delay."""
        with self._cond:
            now = time.monotonic()
            if self._dirty_since is None:
                self._dirty_since = now
            self._last_change = now
            self._changed.append(path)
            self._cond.notify_all()

    # -- running -----------------------------------------------------------------------------
    def stop(self) -> None:
        """Ask ``run()`` to return (after the index run in progress, if any)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    def run(self) -> None:
        """Start watching, index once, then re-index after each burst of changes until stopped.

        Raises IndexUnavailable when the first run finds the index path unusable; errors of
        later runs are shown and watching goes on.
        """
        observer = self._start_observer()
        try:
            self._index_now([])
            while self._wait_until_due():
                with self._cond:
                    changed, self._changed = self._changed, []
                self._index_now(changed)
        finally:
            observer.stop()
            observer.join(timeout=5)

    def _start_observer(self):
        handler = _Handler(self)
        folder = os.path.dirname(self.export_file) if self.export_file else self.content_dir
        recursive = not self.export_file
        observer = Observer()
        try:
            observer.schedule(handler, folder, recursive=recursive)
            observer.start()
        except OSError as exc:  # e.g. the inotify watch limit: fall back to polling
            self.echo(f"cannot watch with inotify ({exc}); polling the folder instead", True)
            observer = PollingObserver(timeout=max(self.debounce, 0.5))
            observer.schedule(handler, folder, recursive=recursive)
            observer.start()
        return observer

    def _wait_until_due(self) -> bool:
        """Block until a run is due (True) or ``stop()`` was called (False)."""
        with self._cond:
            while not self._stopping:
                if self._dirty_since is None:
                    self._cond.wait(timeout=1.0)
                    continue
                due = max(min(self._last_change + self.debounce,
                              self._dirty_since + self.max_delay), self._not_before)
                delay = due - time.monotonic()
                if delay <= 0:
                    self._dirty_since = None
                    return True
                self._cond.wait(timeout=delay)
            return False

    def _index_now(self, changed: list[str]) -> None:
        """One index run; IndexBusy puts the changes back to retry, any other error is shown."""
        record = RunRecord(started=time.time(), changed=changed)
        waited = False
        while True:
            try:
                record.report = index_folder(self.content_dir, self.index_dir, options=self.options)
                break
            except IndexBusy as exc:
                if not waited:
                    self.echo(f"{_clock()} waiting: {exc}", True)
                    waited = True
                with self._cond:
                    self._cond.wait(timeout=self.busy_retry)
                    if self._stopping:
                        return
            except IndexUnavailable as exc:
                if not self.runs:
                    raise  # the index path is unusable from the start: watching cannot help
                record.error = str(exc)
                break
            except Exception as exc:  # keep watching whatever one run does
                record.error = f"{type(exc).__name__}: {exc}" if not str(exc) else str(exc)
                break
        self.runs.append(record)
        self._show(record)

    def _show(self, record: RunRecord) -> None:
        if record.report is None:
            self.echo(f"{_clock()} error: {record.error} (still watching)", True)
            return
        report = record.report
        for notice in report.notices:
            self.echo(f"note: {notice}", True)
        # Each run reports every bad file again; show only what is new since the last run.
        shown = set(report.problems) | (set() if self.quiet else set(report.warnings))
        for path, reason in report.problems:
            if (path, reason) not in self._shown:
                self.echo(f"skipped {path}: {reason}", True)
        if not self.quiet:
            for path, warning in report.warnings:
                if (path, warning) not in self._shown:
                    self.echo(f"warning {path}: {warning}", True)
        self._shown = shown
        self.echo(summary_line(report), False)


def summary_line(report: Report) -> str:
    """One line for a watcher's run: the time, the post count and what changed."""
    return (f"{_clock()} {report.posts} posts: {report.added} added, {report.updated} updated, "
            f"{report.removed} removed, {report.unchanged} unchanged, {report.skipped} skipped, "
            f"{len(report.problems)} with problems; {report.seconds:.2f} s")


def _clock() -> str:
    return time.strftime("%H:%M:%S")


class _Handler(FileSystemEventHandler):
    """Passes relevant watchdog events on to a Watcher (runs in the observer's thread)."""

    def __init__(self, watcher: Watcher) -> None:
        super().__init__()
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if self.watcher.is_relevant(event):
            self.watcher.notice(os.fsdecode(getattr(event, "dest_path", "") or event.src_path))
