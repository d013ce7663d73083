"""kill -9 the real ``blogsearch index`` at every stage of a run, on a 300-post blog.

For each failpoint (``BLOGSEARCH_CRASH_AT``) a full and an incremental run (few changes: the
serial path; 80 changes: the parallel path) is killed with SIGKILL, and runs are also killed at
a random moment while their worker processes parse. Meanwhile an Engine, as a server holds one,
keeps searching: it must answer from the previous index with its exact post count. An
incremental run publishes by committing, so once killed after its commit it must find exactly
the new posts. The next run must exit 0, report the changes, and leave an index with the exact
posts (for the running Engine and a new one) and no leftover generations or temporary folders.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from blogsearch.indexer.run import index_folder
from blogsearch.search.engine import Engine
from blogsearch.search.failpoints import ENV, POINTS
from blogsearch.search.layout import IndexBusy, index_lock
from tests.helpers import CLI, child_pids, copy_tree, run_cli, wait_until
from tests.robustness.synthetic import (
    FIGURES,
    count_posts,
    generations,
    indexed_paths,
    live_generation,
    marker,
    paths_with,
    post_path,
    write_generated,
)

pytestmark = pytest.mark.slow

BUSY_MESSAGE = "another `blogsearch index` is running"


@dataclass(frozen=True)
class Change:
    """Posts (by number) to edit, add and delete between two runs."""

    modified: tuple[int, ...]
    added: tuple[int, ...]
    deleted: tuple[int, ...]

    @property
    def parsed(self) -> int:
        return len(self.modified) + len(self.added)


SMALL = Change(modified=(1, 2, 3), added=(1000, 1001), deleted=(4,))
# 300 files to parse: over PARALLEL_MIN_FILES (64), so the run uses worker processes, and
# enough that the workers are still parsing 0.1 s after they start (the random kill moment).
LARGE = Change(modified=tuple(range(100, 250)), added=tuple(range(1100, 1250)),
               deleted=tuple(range(60, 65)))


@dataclass
class Blog:
    content: Path
    index: Path
    posts: dict[str, str]
    engine: Engine

    def change(self, change: Change) -> None:
        for number in change.modified:
            write_generated(self.content, number, version=1)
        for number in change.added:
            write_generated(self.content, number)
        for number in change.deleted:
            (self.content / post_path(number)).unlink()

    def expected(self, change: Change) -> set[str]:
        return (set(self.posts) | {post_path(n) for n in change.added}) - {
            post_path(n) for n in change.deleted}

    def index_args(self, full: bool) -> list[str]:
        return ["index", str(self.content), "--index", str(self.index), "--quiet",
                *(["--full"] if full else [])]


@pytest.fixture
def blog(synthetic, tmp_path) -> Blog:
    """A private copy of the 300-post blog and its index, with an Engine open on it that
    looks for a new index on every search (as a server does, only without the 1 s wait)."""
    content, index, posts = synthetic
    copy = Blog(copy_tree(content, tmp_path / "content"), copy_tree(index, tmp_path / "index"),
                posts, Engine(tmp_path / "index", refresh_seconds=0.0))
    assert count_posts(copy.engine) == len(posts)
    yield copy
    copy.engine.close()


@dataclass
class Searching:
    """A thread that searches ``engine`` without pause, like a busy server, recording totals."""

    engine: Engine
    totals: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.totals.append(count_posts(self.engine))
            except Exception as exc:  # recorded: the test fails on any
                self.errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.005)

    def __enter__(self) -> Searching:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def assert_state(engine: Engine, blog: Blog, change: Change, new: bool) -> None:
    """``engine`` finds exactly the posts of the old (or new) state, each once."""
    expected = blog.expected(change) if new else set(blog.posts)
    paths = indexed_paths(engine)
    assert len(paths) == len(set(paths)), "a post is indexed twice"
    assert set(paths) == expected
    for number in change.modified[:3]:
        assert paths_with(engine, marker(number, 1 if new else 0)) == [post_path(number)]
        assert paths_with(engine, marker(number, 0 if new else 1)) == []
    for number in change.added[:3]:
        assert paths_with(engine, marker(number)) == ([post_path(number)] if new else [])
    for number in change.deleted[:3]:
        assert paths_with(engine, marker(number)) == ([] if new else [post_path(number)])


def assert_recovered(blog: Blog, change: Change, full: bool, live_before: str) -> None:
    """The next run exits 0, reports the changes, and leaves the exact new state, which the
    running engine follows."""
    result = run_cli(*blog.index_args(full))
    assert result.returncode == 0, result.stderr
    expected = blog.expected(change)
    total = len(expected)
    if full:
        counts = f"{total} added, 0 updated, 0 removed, 0 unchanged"
    else:
        unchanged = len(blog.posts) - len(change.modified) - len(change.deleted)
        counts = (f"{len(change.added)} added, {len(change.modified)} updated, "
                  f"{len(change.deleted)} removed, {unchanged} unchanged")
    assert result.stdout.startswith(f"{total} posts indexed: {counts}, 0 skipped"), result.stdout
    assert ", 0 with problems" in result.stdout
    fresh = Engine(blog.index)
    try:
        assert count_posts(fresh) == total
        assert fresh.stats()["posts"] == total
        assert_state(fresh, blog, change, new=True)
    finally:
        fresh.close()
    assert count_posts(blog.engine) == total
    assert_state(blog.engine, blog, change, new=True)
    live = live_generation(blog.index)
    names = generations(blog.index)
    assert live in names and len(names) <= 2, names
    assert set(names) <= {live_before, live}, "a crashed run's generation was left behind"
    assert not [p for p in blog.index.iterdir() if p.name.endswith(".tmp")]


CASES = [
    *[("full", point) for point in POINTS],
    # An incremental run writes into the live generation: it never reaches "switching".
    *[("incremental", point) for point in POINTS if point != "switching"],
    # Killed between commit and manifest, the next run re-reads posts the index already has:
    # it must not add them twice (it once did, on the parallel path).
    *[("incremental-parallel", point) for point in POINTS if point != "switching"],
]


@pytest.mark.parametrize(("mode", "point"), CASES)
def test_kill_at_failpoint(blog, mode, point):
    change = LARGE if mode == "incremental-parallel" else SMALL
    full = mode == "full"
    live_before = live_generation(blog.index)
    blog.change(change)
    with Searching(blog.engine) as searching:
        killed = run_cli(*blog.index_args(full), env={ENV: point})
    assert killed.returncode == -signal.SIGKILL, (killed.stdout, killed.stderr)
    FIGURES["kills"] += 1
    assert searching.errors == []
    assert len(searching.totals) > 10
    # An incremental run publishes by committing: killed after that, the new posts are live.
    published = not full and point == "committed"
    old, new = len(blog.posts), len(blog.expected(change))
    assert set(searching.totals) <= ({old, new} if published else {old})
    assert count_posts(blog.engine) == (new if published else old)
    assert_state(blog.engine, blog, change, new=published)
    assert live_generation(blog.index) == live_before
    assert_recovered(blog, change, full, live_before)


def _start_index(blog: Blog, full: bool) -> subprocess.Popen:
    """The real command in its own process group (so a kill takes its workers too)."""
    return subprocess.Popen([*CLI, *blog.index_args(full)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def _wait_for_workers(process: subprocess.Popen) -> None:
    """Block until the run has started its parsing worker processes."""
    parsing = wait_until(lambda: bool(child_pids(process.pid)) or process.poll() is not None,
                         timeout=60, interval=0.002)
    assert parsing is not None and process.poll() is None, "the parallel path never started"


def _kill_while_parsing(blog: Blog, full: bool, seed: str) -> None:
    """Start the real run, and kill it with its workers at a random moment while they parse."""
    process = _start_index(blog, full)
    _wait_for_workers(process)
    time.sleep(random.Random(seed).uniform(0.0, 0.1))
    assert child_pids(process.pid), "parsing ended before the kill"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    FIGURES["kills"] += 1


@pytest.mark.parametrize("mode", ["full", "incremental-parallel"])
def test_kill_while_workers_parse(blog, mode):
    """Killed (with its workers) at random moments while parsing, the run changes nothing."""
    change = LARGE
    full = mode == "full"
    live_before = live_generation(blog.index)
    blog.change(change)
    with Searching(blog.engine) as searching:
        for attempt in range(2):
            _kill_while_parsing(blog, full, seed=f"{mode}{attempt}")
            assert count_posts(Engine(blog.index)) == len(blog.posts)
    assert searching.errors == []
    assert set(searching.totals) == {len(blog.posts)}
    assert_state(blog.engine, blog, change, new=False)
    assert_recovered(blog, change, full, live_before)


def test_second_indexer_gets_a_clear_error_and_status_1(blog):
    with index_lock(blog.index):
        result = run_cli(*blog.index_args(full=False))
    assert result.returncode == 1
    assert BUSY_MESSAGE in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.startswith("blogsearch: error: ")


def test_indexer_running_beside_a_real_run_is_refused(blog):
    """While the real command parses, a second run (here in this process) gets IndexBusy, and
    the first one finishes normally."""
    blog.change(SMALL)
    process = _start_index(blog, full=True)
    try:
        _wait_for_workers(process)
        with pytest.raises(IndexBusy, match=BUSY_MESSAGE):
            index_folder(blog.content, blog.index)
    finally:
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert count_posts(Engine(blog.index)) == len(blog.expected(SMALL))


def _temporary_folders(blog: Blog) -> list[str]:
    live = blog.index / live_generation(blog.index)
    return sorted(p.name for p in live.iterdir() if ".tmp" in p.name)


def test_parallel_runs_leave_no_temporary_folders(blog):
    blog.change(LARGE)
    assert run_cli(*blog.index_args(full=False)).returncode == 0
    assert _temporary_folders(blog) == []


def test_killed_workers_leave_no_temporary_folders(blog):
    """Worker processes killed mid-run once left their temporary folders in the live
    generation for good; the next run removes them."""
    blog.change(LARGE)
    _kill_while_parsing(blog, full=False, seed="temporary")
    assert run_cli(*blog.index_args(full=False)).returncode == 0
    assert _temporary_folders(blog) == []


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its parent to reap it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def test_killing_only_the_indexer_leaves_no_worker_and_no_lock(blog):
    """``kill -9`` of the run alone (as the OOM killer or an impatient owner does it), 20 times
    at random moments while its workers parse, full and incremental runs in turn: its workers
    end with it, the lock goes with it, and the next run succeeds with exact counts."""
    change = LARGE
    live_before = live_generation(blog.index)
    blog.change(change)
    for attempt in range(20):
        process = _start_index(blog, full=attempt % 2 == 0)
        _wait_for_workers(process)
        time.sleep(random.Random(f"orphans{attempt}").uniform(0.0, 0.1))
        workers = child_pids(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        FIGURES["kills"] += 1
        assert wait_until(lambda workers=workers: not any(_alive(w) for w in workers),
                          timeout=30) is not None, "worker processes outlived the killed run"
    assert count_posts(blog.engine) == len(blog.posts)
    result = run_cli(*blog.index_args(full=False))
    assert "did not finish; its lock is released" in result.stderr
    # assert_recovered runs the same incremental run again: it finds the work done.
    assert result.returncode == 0, result.stderr
    assert_state(blog.engine, blog, change, new=True)
    assert not [p for p in blog.index.iterdir() if p.name.endswith(".tmp")]
    assert generations(blog.index) in ([live_before], sorted([live_before, live_generation(blog.index)]))
