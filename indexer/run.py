"""An index run: find files, re-read only what changed, parse in parallel, write, report."""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.queues
import os
import queue
import shutil
import stat
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from blogsearch.search.failpoints import crash_point
from blogsearch.search.layout import (
    IndexUnavailable,
    ensure_root,
    index_lock,
    live_dir,
    new_generation,
    publish,
    remove_stale,
)
from blogsearch.search.printable import storable
from blogsearch.search.ranking import PART_WEIGHTS
from blogsearch.search.records import Post
from blogsearch.search.schema import SCHEMA_VERSION
from blogsearch.search.segment import SegmentBuilder
from blogsearch.search.store import (
    Manifest,
    damage,
    ensure_index,
    load_manifest,
    now_iso,
    remove_uncommitted,
    save_manifest,
    segment_files,
    write_posts,
)

from .discover import ContentDirError, Found, read_limited, read_sidecar, walk_site
from .export_posts import export_site, parse_entries
from .exports import ExportError, is_export, read_export
from .frontmatter_reader import PostError
from .language_guess import SAMPLE_BYTES, spread, with_language_of_posts
from .parent_watch import die_with_parent
from .parse import Parsed, content_hash, parse_post
from .sites import Site, detect_site

PARALLEL_MIN_FILES = 64
MAX_WORKERS = 4
TICK_WAIT_SECONDS = 0.1


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
    site: Site | None = None
    static: list[str] = field(default_factory=list)   # files in content folders that are not posts
    # Per indexed path: [language, kind, url], for every post in the index after the run.
    labels: dict[str, list] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # about the index itself (repairs)

    @property
    def changed(self) -> int:
        return self.added + self.updated + self.removed

    @property
    def drafts(self) -> int:
        return sum(1 for _, reason in self.skips if reason == "draft")

    def count(self, kind: str, main_language: bool = True) -> int:
        """Indexed documents of ``kind`` ("post"/"page") in (or not in) the site's main language."""
        language = self.site.language if self.site else ""
        return sum(1 for lang, doc_kind, _ in self.labels.values()
                   if doc_kind == kind and (lang == language) == main_language)

    def languages(self) -> Counter:
        """Indexed documents per language."""
        return Counter(lang for lang, _, _ in self.labels.values())


class RunFailed(IndexUnavailable):
    """An index run could not write (full disk, read-only folder, a worker died); the live
    index is as it was before the run."""


@dataclass(frozen=True)
class Options:
    """Settings that change what a post's record looks like; a change forces a full re-read."""

    include_drafts: bool = False
    base_url: str = ""
    site: Site | None = None  # found from the folder when not given
    follow_symlinks: bool = False  # also links that lead outside the blog's folders


@dataclass
class Outcome:
    """What became of one changed file (small enough to send back from a worker process)."""

    path: str
    post_hash: str = ""
    skipped: str = ""
    problem: str = ""
    warnings: list[str] = field(default_factory=list)
    label: list = field(default_factory=list)  # [language, kind, url] of the post


def _outcome(parsed: Parsed) -> tuple[Outcome, Post | None]:
    post = parsed.post
    outcome = Outcome(parsed.path, post_hash=post.content_hash if post else "",
                      skipped=parsed.skipped, warnings=parsed.warnings,
                      label=[post.lang, post.kind, post.url] if post else [])
    return outcome, post


def _parse(item: Found, raw: bytes, sidecar: bytes, options: Options) -> tuple[Outcome, Post | None]:
    """Parse one file. The post carries its path as valid Unicode (``storable``); the outcome
    keeps the file's own name, whatever its bytes, as the key of the next runs."""
    try:
        parsed = parse_post(storable(item.rel_path), raw, options.include_drafts,
                            site=options.site, found=item, sidecar=sidecar)
    except PostError as exc:
        return Outcome(item.rel_path, problem=str(exc)), None
    except Exception as exc:  # a bug must not stop the run; report it with the path
        return Outcome(item.rel_path, problem=f"unexpected error: {type(exc).__name__}: {exc}"), None
    outcome, post = _outcome(parsed)
    return replace(outcome, path=item.rel_path), post


def _read_problem(exc: OSError | ValueError) -> str:
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    return str(exc)


def _read_and_parse(item: Found, options: Options) -> tuple[Outcome, Post | None]:
    try:
        raw = read_limited(item)
    except (OSError, ValueError) as exc:
        return Outcome(item.rel_path, problem=_read_problem(exc)), None
    try:
        sidecar = read_sidecar(item)
    except (OSError, ValueError) as exc:
        return Outcome(item.rel_path, problem=f"metadata file {item.sidecar}: {_read_problem(exc)}"), None
    return _parse(item, raw, sidecar, options)


_jobs: multiprocessing.queues.Queue | None = None
_ticks: multiprocessing.queues.Queue | None = None


def _init_worker(jobs: multiprocessing.queues.Queue, ticks: multiprocessing.queues.Queue,
                 parent_pid: int) -> None:
    global _jobs, _ticks
    die_with_parent(parent_pid)
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


def _forward_ticks(ticks: multiprocessing.queues.Queue, on_progress: Callable[[int], None],
                   done: threading.Event) -> None:
    """Pass the workers' progress on until ``done``. Not ended by a marker through the queue:
    a worker killed while writing to it can leave its lock taken and its data half written."""
    while not done.is_set():
        try:
            ticks.get(timeout=TICK_WAIT_SECONDS)
        except queue.Empty:
            continue
        except Exception:  # a message cut by a killed worker: progress is only a display
            return
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
    files, ticks = multiprocessing.Queue(), multiprocessing.Queue()
    for item in _largest_first(jobs):
        files.put(item)
    for _ in range(workers):
        files.put(None)
    done = threading.Event()
    forwarder = threading.Thread(target=_forward_ticks, args=(ticks, on_progress, done),
                                 daemon=True)
    forwarder.start()
    try:
        with ProcessPoolExecutor(workers, initializer=_init_worker,
                                 initargs=(files, ticks, os.getpid())) as pool:
            futures = [pool.submit(_build_segment, str(index_dir), options)
                       for _ in range(workers)]
            for future in futures:
                segment, batch_outcomes = future.result()
                segments.append(segment)
                outcomes.extend(batch_outcomes)
    except BrokenProcessPool:
        raise RunFailed(f"{index_dir}: an index worker process died (out of memory, or killed); "
                        "the index was left as it was before this run") from None
    except (OSError, RunFailed):
        raise
    except Exception as exc:  # a bug in a worker: one line, not a traceback from another process
        raise RunFailed(f"{index_dir}: an index worker failed ({type(exc).__name__}: {exc}); "
                        "the index was left as it was before this run") from None
    finally:
        done.set()
        forwarder.join()
        # Files no worker took (one failed) must not keep this process alive at exit.
        files.cancel_join_thread()
    # Old versions of re-read posts go, also of posts a crashed run committed without
    # recording them in the manifest; a post that broke keeps its last good version.
    replaced = [o.path for o in outcomes if not o.problem]
    crash_point("parsed")
    write_posts(index_dir, [], removed + replaced, segments=segments)
    return outcomes


def _options_key(options: Options) -> str:
    """What the whole index depends on besides the posts: another key means a full run."""
    site = options.site.fingerprint() if options.site else ""
    return (f"drafts={options.include_drafts};base={options.base_url};site={site};"
            f"weights={PART_WEIGHTS.key()}")


def index_folder(
    content_dir: str | os.PathLike,
    index_dir: str | os.PathLike,
    *,
    full: bool = False,
    options: Options = Options(),
    on_total: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[int], None] = lambda step: None,
    dry_run: bool = False,
) -> Report:
    """Bring the index at ``index_dir`` up to date with ``content_dir``: a site root, a plain
    content folder, or a WordPress/Blogger export file.

    A full run builds a new generation and switches to it atomically; an incremental run
    commits into the live generation; a dry run reads everything and writes nothing. Raises
    ContentDirError when the folder is unusable, IndexUnavailable when the index path is
    (IndexBusy when another run holds it); every problem with a single file goes into the
    report instead.
    """
    started = time.perf_counter()
    content = _Content.read(Path(content_dir), options)
    options = replace(options, site=content.site)
    if dry_run:
        report = _dry_run(content, options, on_total, on_progress)
    else:
        report = _locked_update(content, Path(index_dir), full, options, on_total, on_progress)
    report.site = content.site
    report.static = content.static
    report.problems.extend(
        (path, f"a link to {target}, outside the blog's folder: left out "
               "(--follow-symlinks indexes it)") for path, target in content.outside)
    report.seconds = time.perf_counter() - started
    return report


def _locked_update(content: _Content, index_dir: Path, full: bool, options: Options,
                   on_total: Callable[[int], None], on_progress: Callable[[int], None]) -> Report:
    """The run itself, holding the index's lock: clear what a killed or failed run left, check
    the live index, then update it (incremental) or build and publish a new generation."""
    root = ensure_root(index_dir)
    with index_lock(root) as interrupted:
        notices = []
        if interrupted is not None:
            notices.append(f"the previous run on this index (process {interrupted}) did not "
                           "finish; its lock is released and what it left is removed")
        old = None if full else _usable_manifest(root, options)
        try:
            live = live_dir(root)
        except IndexUnavailable as exc:
            notices.append(f"the index is damaged ({exc}); rebuilding it from scratch")
            live = old = None
        _clear_leftovers(root, live)
        if live is not None:
            problem = damage(live, old) if old is not None else None
            if problem:
                notices.append(f"the index is damaged ({problem}); rebuilding it from scratch")
                old = None
        generation = live if old is not None and live is not None else new_generation(root)
        try:
            report = _update(content, generation, old, options, on_total, on_progress)
            if generation != live:
                crash_point("switching")
                publish(root, generation)
        except BaseException as exc:
            if generation != live:
                shutil.rmtree(generation, ignore_errors=True)
            else:
                _clear_leftovers(root, live)
            if isinstance(exc, OSError):
                raise RunFailed(_failure(exc, generation)) from None
            raise
    report.notices = notices
    return report


def _clear_leftovers(root: Path, live: Path | None) -> None:
    """Delete what killed or failed runs left: other generations, temporary files, segments
    no commit refers to."""
    try:
        remove_stale(root, {live.name} if live else set())
        if live is not None:
            remove_uncommitted(live)
    except OSError as exc:
        raise RunFailed(_failure(exc, live or root)) from None


def _failure(exc: OSError, generation: Path) -> str:
    """One line for a run that failed writing: the path, the cause, what became of the index."""
    where = exc.filename or generation
    return f"{where}: {exc.strerror or exc}; the index was left as it was before this run"


@dataclass
class _Content:
    """What an index run reads: the site, and its post files or its export's entries."""

    path: Path
    site: Site
    files: list[Found] = field(default_factory=list)
    static: list[str] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)  # links left out, and targets
    entries: list[Parsed] | None = None  # an export's posts, parsed up front

    @classmethod
    def read(cls, path: Path, options: Options) -> _Content:
        if path.is_file() and is_export(path):
            try:
                export = read_export(path)
            except ExportError as exc:
                raise ContentDirError(str(exc)) from None
            site = options.site or with_language_of_posts(
                export_site(export, path, options.base_url),
                (entry.html for entry in spread(export.entries)))
            return cls(path, site, entries=parse_entries(export, path, site, options.include_drafts))
        if path.is_file():
            raise ContentDirError(f"{path}: not a folder, nor a WordPress or Blogger export")
        site = options.site or detect_site(path, options.base_url)
        walk = walk_site(site, options.follow_symlinks)
        if not walk.files:
            folders = ", ".join(s.folder or "." for s in site.sources) or "."
            raise ContentDirError(
                f"{path}: no posts found ({site.generator} site; looked in {folders} for "
                f"{', '.join(site.suffixes)} files)")
        if options.site is None:
            site = with_language_of_posts(site, _beginnings(spread(walk.files)))
        return cls(path, site, walk.files, walk.static, walk.outside)


def _beginnings(files: list[Found]) -> Iterator[str]:
    """The start of each readable file of ``files``, as text (a language sample)."""
    for item in files:
        try:
            if not stat.S_ISREG(os.stat(item.abs_path).st_mode):
                continue  # a FIFO would block the run forever (the parse reports it)
            with open(item.abs_path, "rb") as handle:
                yield handle.read(SAMPLE_BYTES).decode("utf-8", errors="replace")
        except OSError:
            continue


def parse_site(content_dir: str | os.PathLike, options: Options = Options()) -> tuple[Site, list[Parsed]]:
    """Every post file of a site root, plain folder or export, parsed; nothing is written.

    Files that cannot be read or parsed are left out (``index_folder`` reports them).
    """
    content = _Content.read(Path(content_dir), options)
    if content.entries is not None:
        return content.site, content.entries
    parsed = []
    for item in content.files:
        try:
            raw = read_limited(item)
            parsed.append(parse_post(storable(item.rel_path), raw, options.include_drafts, site=content.site,
                                     found=item, sidecar=read_sidecar(item)))
        except (OSError, ValueError, PostError):
            continue
    return content.site, parsed


def _dry_run(content: _Content, options: Options, on_total: Callable[[int], None],
             on_progress: Callable[[int], None]) -> Report:
    """Read and parse everything as an index run would, and write nothing."""
    report = Report()
    if content.entries is not None:
        outcomes = [_outcome(parsed)[0] for parsed in content.entries]
    else:
        on_total(len(content.files))
        outcomes = []
        for item in content.files:
            outcomes.append(_read_and_parse(item, options)[0])
            on_progress(1)
    hashes: dict[str, str] = {}
    _account(report, outcomes, {}, hashes, report.labels)
    report.posts = len(hashes)
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
    content: _Content,
    generation: Path,
    old: Manifest | None,
    options: Options,
    on_total: Callable[[int], None],
    on_progress: Callable[[int], None],
) -> Report:
    """Re-read what changed since ``old`` and commit it into ``generation``."""
    report = Report()
    old_hashes = dict(old.hashes) if old else {}
    labels = {path: label for path, label in (old.labels if old else {}).items() if path in old_hashes}
    new_hashes: dict[str, str] = {}
    if content.entries is not None:
        outcomes = _write_entries(generation, content.entries, old_hashes, new_hashes, report)
    else:
        outcomes = _write_files(generation, content.files, old, options, new_hashes, report,
                                on_total, on_progress)
    _account(report, outcomes, old_hashes, new_hashes, labels)
    crash_point("committed")
    site = content.site
    save_manifest(
        generation,
        Manifest(content_dir=str(content.path.resolve()), last_indexed=now_iso(),
                 options=_options_key(options), hashes=new_hashes, language=site.language,
                 site=site.describe(), labels={p: labels[p] for p in new_hashes if p in labels},
                 files=segment_files(generation)),
    )
    report.posts = len(new_hashes)
    report.labels = {p: labels[p] for p in new_hashes if p in labels}
    return report


def _write_files(
    generation: Path,
    found: list[Found],
    old: Manifest | None,
    options: Options,
    new_hashes: dict[str, str],
    report: Report,
    on_total: Callable[[int], None],
    on_progress: Callable[[int], None],
) -> list[Outcome]:
    """Re-read the files that changed since ``old`` (all of them without it) and write them."""
    old_hashes = dict(old.hashes) if old else {}
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
        digest = content_hash(raw, sidecar=_read_sidecar_or_empty(item))
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
    report.removed += len(removed)
    if jobs or removed or old is None:
        return _parse_and_write(generation, jobs, options, removed, old_hashes, on_progress)
    return []


def _write_entries(generation: Path, entries: list[Parsed], old_hashes: dict[str, str],
                   new_hashes: dict[str, str], report: Report) -> list[Outcome]:
    """Write an export's new and changed posts, and remove those no longer in it."""
    outcomes, upserts = [], []
    for parsed in entries:
        outcome, post = _outcome(parsed)
        if post is not None and old_hashes.get(post.path) == post.content_hash:
            new_hashes[post.path] = post.content_hash
            report.unchanged += 1
            continue
        outcomes.append(outcome)
        if post is not None:
            upserts.append(post)
    present = {parsed.path for parsed in entries if parsed.post is not None}
    removed = [path for path in old_hashes if path not in present]
    report.removed += sum(1 for path in removed if path not in {o.path for o in outcomes})
    if upserts or removed or not old_hashes:
        crash_point("parsed")
        write_posts(generation, upserts, removed)
    return outcomes


def _account(report: Report, outcomes: list[Outcome], old_hashes: dict[str, str],
             new_hashes: dict[str, str], labels: dict[str, list]) -> None:
    """Count each outcome in the report and record the hashes and labels of indexed posts."""
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
            labels[outcome.path] = outcome.label
            if outcome.path in old_hashes:
                report.updated += 1
            else:
                report.added += 1


def _read(item: Found, report: Report) -> bytes | None:
    try:
        return read_limited(item)
    except (OSError, ValueError) as exc:
        report.problems.append((item.rel_path, _read_problem(exc)))
    return None


def _read_sidecar_or_empty(item: Found) -> bytes:
    """The sidecar's bytes for the change check (an unreadable one is reported by the parse)."""
    try:
        return read_sidecar(item)
    except (OSError, ValueError):
        return b"\0unreadable"
