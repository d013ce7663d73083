"""An index run: find files, re-read only what changed, parse in parallel, write, report."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.queues
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from search.failpoints import crash_point
from search.layout import (
    IndexUnavailable,
    ensure_root,
    index_lock,
    live_dir,
    new_generation,
    publish,
    remove_stale,
)
from search.records import Post
from search.schema import SCHEMA_VERSION
from search.segment import SegmentBuilder
from search.store import (
    Manifest,
    ensure_index,
    load_manifest,
    now_iso,
    save_manifest,
    write_posts,
)

from .discover import ContentDirError, Found, find_posts, read_limited
from .frontmatter_reader import PostError
from .parse import content_hash, parse_post

PARALLEL_MIN_FILES = 64
MAX_WORKERS = 4


@dataclass
class Report:
    """What an index run did. ``problems`` and ``warnings`` are (path, reason) pairs."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    posts: int = 0
    seconds: float = 0.0
    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    skips: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed


@dataclass(frozen=True)
class Options:
    """Settings that change what a post's record looks like; a change forces a full re-read."""

    include_drafts: bool = False
    base_url: str = ""


@dataclass
class Outcome:
    """What became of one changed file (small enough to send back from a worker process)."""

    path: str
    post_hash: str = ""
    skipped: str = ""
    problem: str = ""
    warnings: list[str] = field(default_factory=list)


def _parse(rel_path: str, raw: bytes, options: Options) -> tuple[Outcome, Post | None]:
    try:
        parsed = parse_post(rel_path, raw, options.include_drafts, options.base_url)
    except PostError as exc:
        return Outcome(rel_path, problem=str(exc)), None
    except Exception as exc:  # a bug must not stop the run; report it with the path
        return Outcome(rel_path, problem=f"unexpected error: {type(exc).__name__}: {exc}"), None
    post = parsed.post
    outcome = Outcome(rel_path, post_hash=post.content_hash if post else "",
                      skipped=parsed.skipped, warnings=parsed.warnings)
    return outcome, post


def _read_problem(exc: OSError | ValueError) -> str:
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    return str(exc)


def _read_and_parse(item: Found, options: Options) -> tuple[Outcome, Post | None]:
    try:
        raw = read_limited(item)
    except (OSError, ValueError) as exc:
        return Outcome(item.rel_path, problem=_read_problem(exc)), None
    return _parse(item.rel_path, raw, options)


_jobs: multiprocessing.queues.Queue | None = None
_ticks: multiprocessing.queues.Queue | None = None


def _init_worker(jobs: multiprocessing.queues.Queue, ticks: multiprocessing.queues.Queue) -> None:
    global _jobs, _ticks
    _jobs, _ticks = jobs, ticks


def _build_segment(index_dir: str, options: Options):
    """Worker process: read and parse files from the shared job queue until its end marker,
    and write their posts into one new segment. Each worker takes the next file as soon as it
    is free, so none is left with a long tail of work while the others wait."""
    # The segment's postings are hundreds of thousands of small tuples without reference
    # cycles: the cyclic garbage collector would walk them again and again and free nothing.
    gc.disable()
    try:
        builder = SegmentBuilder(index_dir)
        outcomes = []
        for item in iter(_jobs.get, None):
            outcome, post = _read_and_parse(item, options)
            if post is not None:
                builder.add(post)
            outcomes.append(outcome)
            _ticks.put(1)
        return builder.finish(), outcomes
    finally:
        gc.enable()


def _forward_ticks(ticks: multiprocessing.queues.Queue, on_progress: Callable[[int], None]):
    while ticks.get() is not None:
        on_progress(1)


def _largest_first(jobs: list[Found]) -> list[Found]:
    """The files biggest first, so the last ones the workers take are quick."""

    def size(item: Found) -> int:
        try:
            return os.stat(item.abs_path).st_size
        except OSError:
            return 0  # the worker reports why it cannot read it

    return sorted(jobs, key=size, reverse=True)


def _parse_and_write(
    index_dir: str | os.PathLike,
    jobs: list[Found],
    options: Options,
    removed: list[str],
    old_hashes: dict[str, str],
    on_progress: Callable[[int], None],
) -> list[Outcome]:
    """Read and parse the changed files and commit them (plus ``removed``) to the index."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        pairs = []
        for item in jobs:
            pairs.append(_read_and_parse(item, options))
            on_progress(1)
        outcomes = [outcome for outcome, _ in pairs]
        posts = [post for _, post in pairs if post is not None]
        gone = removed + [o.path for o in outcomes if o.skipped and o.path in old_hashes]
        crash_point("parsed")
        write_posts(index_dir, posts, gone)
        return outcomes
    ensure_index(index_dir)
    segments, outcomes = [], []
    queue, ticks = multiprocessing.Queue(), multiprocessing.Queue()
    for item in _largest_first(jobs):
        queue.put(item)
    for _ in range(workers):
        queue.put(None)
    forwarder = threading.Thread(target=_forward_ticks, args=(ticks, on_progress), daemon=True)
    forwarder.start()
    try:
        with ProcessPoolExecutor(workers, initializer=_init_worker,
                                 initargs=(queue, ticks)) as pool:
            futures = [pool.submit(_build_segment, str(index_dir), options)
                       for _ in range(workers)]
            for future in futures:
                segment, batch_outcomes = future.result()
                segments.append(segment)
                outcomes.extend(batch_outcomes)
    finally:
        ticks.put(None)
        forwarder.join()
    # Old versions of re-read posts go, also of posts a crashed run committed without
    # recording them in the manifest; a post that broke keeps its last good version.
    replaced = [o.path for o in outcomes if not o.problem]
    crash_point("parsed")
    write_posts(index_dir, [], removed + replaced, segments=segments)
    return outcomes


def _options_key(options: Options) -> str:
    return f"drafts={options.include_drafts};base={options.base_url}"


def index_folder(
    content_dir: str | os.PathLike,
    index_dir: str | os.PathLike,
    *,
    full: bool = False,
    options: Options = Options(),
    on_total: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[int], None] = lambda step: None,
) -> Report:
    """Bring the index at ``index_dir`` up to date with ``content_dir``.

    A full run builds a new generation and switches to it atomically; an incremental run
    commits into the live generation. Raises ContentDirError when the folder is unusable,
    IndexUnavailable when the index path is (IndexBusy when another run holds it); every
    problem with a single file goes into the report instead.
    """
    started = time.perf_counter()
    found = list(find_posts(content_dir))
    if not found:
        raise ContentDirError(
            f"{content_dir}: no posts found (looked for .md, .markdown, .html, .htm files)"
        )
    root = ensure_root(index_dir)
    with index_lock(root):
        old = None if full else _usable_manifest(root, options)
        live = live_dir(root)
        remove_stale(root, {live.name} if live else set())
        generation = live if old is not None and live is not None else new_generation(root)
        try:
            report = _update(content_dir, generation, found, old, options, on_total,
                             on_progress)
            if generation != live:
                crash_point("switching")
                publish(root, generation)
        except BaseException:
            if generation != live:
                shutil.rmtree(generation, ignore_errors=True)
            raise
    report.seconds = time.perf_counter() - started
    return report


def _usable_manifest(root: Path, options: Options) -> Manifest | None:
    """The live manifest if an incremental run can build on it (same settings and format)."""
    try:
        old = load_manifest(root)
    except IndexUnavailable:
        return None  # unreadable: rebuild from scratch
    if old is None or old.options != _options_key(options) or old.schema_version != SCHEMA_VERSION:
        return None
    return old


def _update(
    content_dir: str | os.PathLike,
    generation: Path,
    found: list[Found],
    old: Manifest | None,
    options: Options,
    on_total: Callable[[int], None],
    on_progress: Callable[[int], None],
) -> Report:
    """Re-read what changed since ``old`` and commit it into ``generation``."""
    report = Report()
    old_hashes = dict(old.hashes) if old else {}
    new_hashes: dict[str, str] = {}
    jobs: list[Found] = []
    present: set[str] = set()
    on_total(len(found))
    for item in found:
        if not old_hashes:  # nothing to compare with: the workers read every file
            jobs.append(item)
            continue
        raw = _read(item, report)
        if raw is None:
            on_progress(1)
            continue
        present.add(item.rel_path)
        digest = content_hash(raw)
        if old_hashes.get(item.rel_path) == digest:
            new_hashes[item.rel_path] = digest
            report.unchanged += 1
            on_progress(1)
        else:
            jobs.append(item)
    # Files that vanished are removed; unreadable ones keep their last good version.
    unreadable = {path for path, _ in report.problems}
    removed = [p for p in old_hashes if p not in present and p not in unreadable]
    for path in unreadable & old_hashes.keys():
        new_hashes[path] = old_hashes[path]

    outcomes = []
    if jobs or removed or old is None:
        outcomes = _parse_and_write(generation, jobs, options, removed, old_hashes, on_progress)
    for outcome in outcomes:
        report.warnings.extend((outcome.path, w) for w in outcome.warnings)
        if outcome.problem:
            report.problems.append((outcome.path, outcome.problem))
            if outcome.path in old_hashes:
                new_hashes[outcome.path] = old_hashes[outcome.path]
        elif outcome.skipped:
            report.skipped += 1
            report.skips.append((outcome.path, outcome.skipped))
            if outcome.path in old_hashes:
                report.removed += 1
        else:
            new_hashes[outcome.path] = outcome.post_hash
            if outcome.path in old_hashes:
                report.updated += 1
            else:
                report.added += 1
    report.removed += len(removed)
    crash_point("committed")
    save_manifest(
        generation,
        Manifest(content_dir=str(Path(content_dir).resolve()), last_indexed=now_iso(),
                 options=_options_key(options), hashes=new_hashes),
    )
    report.posts = len(new_hashes)
    return report


def _read(item: Found, report: Report) -> bytes | None:
    try:
        return read_limited(item)
    except (OSError, ValueError) as exc:
        report.problems.append((item.rel_path, _read_problem(exc)))
    return None
