"""Index runs that cannot write, and an index damaged on disk.

A run that hits a full disk (here a file size limit, which fails writes the same way without
needing one) ends with one line and exit 1, never a traceback or a hang; the live index is as
it was, with no file of the failed run left in it. A segment file truncated on disk is
detected: searches and ``/healthz`` answer 503 instead of 500 and 200, and the next ``index``
says so and rebuilds.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import time
from pathlib import Path

import pytest

from blogsearch.search.engine import Engine
from blogsearch.search.store import IndexUnavailable
from tests.helpers import CLI, child_pids, copy_tree, make_app, run_cli, wait_until
from tests.robustness.synthetic import count_posts, generations, live_generation, write_generated

pytestmark = pytest.mark.slow

LIMIT_BYTES = 300 * 1024  # below a 300-post segment, above every other file a run writes


@pytest.fixture
def blog(synthetic, tmp_path) -> tuple[Path, Path, int]:
    content, index, posts = synthetic
    return (copy_tree(content, tmp_path / "content"), copy_tree(index, tmp_path / "index"),
            len(posts))


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT_BYTES, LIMIT_BYTES))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead


def _index_with_full_disk(content: Path, index: Path, *flags: str) -> subprocess.CompletedProcess:
    return run_cli("index", str(content), "--index", str(index), "--quiet", *flags,
                   preexec_fn=_limit_file_size)


def _files(index: Path) -> list[str]:
    return sorted(str(p.relative_to(index)) for p in index.rglob("*") if p.name != "lock")


@pytest.mark.parametrize("flags", [("--full",), ()])
def test_a_full_disk_fails_cleanly_and_leaves_the_index_as_it_was(blog, flags):
    content, index, posts = blog
    for number in range(1000, 1500):  # the parallel path, segments over the limit
        write_generated(content, number)
    before = _files(index)
    result = _index_with_full_disk(content, index, *flags)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("blogsearch: error: "), lines
    assert "File too large" in lines[0] and "left as it was" in lines[0]
    assert _files(index) == before
    engine = Engine(index)
    try:
        assert count_posts(engine) == posts
    finally:
        engine.close()
    done = run_cli("index", str(content), "--index", str(index), "--quiet", *flags)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{posts + 500} posts indexed")


def test_a_truncated_segment_is_detected_and_rebuilt(blog):
    content, index, posts = blog
    live = index / live_generation(index)
    segment = max(live.glob("posts_*.pst"), key=lambda p: p.stat().st_size)
    with open(segment, "r+b") as handle:
        handle.truncate(segment.stat().st_size // 2)
    engine = Engine(index)
    try:
        with pytest.raises(IndexUnavailable, match=f"damaged .*{segment.name}"):
            engine.stats()
        with pytest.raises(IndexUnavailable, match="damaged"):
            engine.search("bitácora casa")
    finally:
        engine.close()
    client = make_app(index).test_client()
    assert client.get("/healthz").status_code == 503
    assert client.get("/api/search?q=casa").status_code == 503
    assert client.get("/buscar?q=casa").status_code == 503
    done = run_cli("index", str(content), "--index", str(index), "--quiet")
    assert done.returncode == 0, done.stderr
    assert "the index is damaged" in done.stderr and segment.name in done.stderr
    assert done.stdout.startswith(f"{posts} posts indexed: {posts} added")
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/search?q=casa").status_code == 200
    assert len(generations(index)) <= 2


@pytest.mark.parametrize("flags", [("--full",), ()])
def test_a_pointer_to_a_missing_generation_is_rebuilt(blog, flags):
    content, index, posts = blog
    (index / "CURRENT").write_text("gen-que-no-existe", encoding="utf-8")
    with pytest.raises(IndexUnavailable):
        Engine(index).search("casa")
    done = run_cli("index", str(content), "--index", str(index), "--quiet", *flags)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{posts} posts indexed: {posts} added")
    engine = Engine(index)
    try:
        assert count_posts(engine) == posts
    finally:
        engine.close()
    assert len(generations(index)) == 1


def test_a_killed_worker_ends_the_run_in_one_line(blog):
    """The OOM killer takes one worker: the run ends with exit 1, no hang, the index as it was."""
    content, index, posts = blog
    for number in range(1000, 2500):  # enough that the workers still parse when one is killed
        write_generated(content, number)
    before = _files(index)
    run = subprocess.Popen([*CLI, "index", str(content), "--index", str(index), "--quiet"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def workers() -> list[int]:  # forked workers run the same command line as the run
        try:
            own = Path(f"/proc/{run.pid}/cmdline").read_bytes()
            return [pid for pid in child_pids(run.pid) if Path(f"/proc/{pid}/cmdline").read_bytes() == own]
        except OSError:
            return []

    assert wait_until(lambda: run.poll() is not None or bool(workers()), timeout=60,
                      interval=0.002) is not None
    time.sleep(0.05)
    alive = workers()
    assert alive, "the run ended before its workers could be killed"
    os.kill(alive[0], signal.SIGKILL)
    stdout, stderr = run.communicate(timeout=120)
    assert "Traceback" not in stderr
    if run.returncode == 0:  # killed before its first file: the other worker did the work
        assert stdout.startswith(f"{posts + 1500} posts indexed: 1500 added"), stdout
        return
    assert run.returncode == 1, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "an index worker process died" in lines[0], lines
    assert _files(index) == before
