"""Re-index under load: the real server keeps answering every request while full and incremental
runs of the real ``blogsearch index`` change the posts, and their new content becomes visible.

The server runs one worker with one thread here, so this test is about re-indexing alone; several
threads on one Engine (whoosh readers are not thread-safe; the Engine once shared one searcher
and garbled reads under load) are tested by ``test_concurrent_searches_on_one_engine_never_fail``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

from blogsearch.indexer.run import index_folder
from blogsearch.search.engine import Engine
from tests.helpers import CLI, answers, child_pids, free_port, http_get, result_paths, run_cli, wait_until
from tests.robustness.synthetic import (
    COMMON_WORD,
    FIGURES,
    count_posts,
    marker,
    paths_with,
    post_path,
    synthetic_blog,
    write_generated,
)

BLOG_POSTS = 120  # over 64: full runs parse in worker processes
CLIENTS = 2
MAX_REQUESTS = 50_000
REQUESTS = [
    f"/api/search?q={quote(COMMON_WORD)}&per_page=5",
    "/api/search?q=casa+perro&sort=date",
    "/api/search?q=montana+-lluvia&tag=pan",
    "/buscar?q=receta+pan",
    "/api/suggest?q=pel",
    "/healthz",
]


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    log: Path

    def search(self, query: str) -> dict:
        status, _, body = http_get(f"{self.base}/api/search?q={quote(query)}&per_page=50")
        assert status == 200, body[:300]
        return json.loads(body)

    def paths(self, query: str) -> list[str]:
        return result_paths(self.search(query))

    def open_files(self) -> int:
        """Open file descriptors of the worker process (the command's one child)."""
        (worker,) = child_pids(self.process.pid)
        return len(os.listdir(f"/proc/{worker}/fd"))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, Path, Server]]:
    """(content, index, server): a 120-post blog indexed and served by `blogsearch serve`."""
    content = tmp_path / "content"
    synthetic_blog(content, BLOG_POSTS)
    index = tmp_path / "index"
    assert run_cli("index", str(content), "--index", str(index), "--quiet").returncode == 0
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*CLI, "serve", "--index", str(index), "--port", str(port), "--workers", "1", "--threads", "1",
             "--no-log"],
            stdout=sink, stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        healthy = wait_until(lambda: answers(f"{server.base}/healthz"), timeout=30, interval=0.1)
        assert healthy is not None, log.read_text()
        yield content, index, server
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class Load:
    """Client threads sending the REQUESTS without pause; every answer must be a valid 200."""

    base: str
    sent: int = 0
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._client, args=(n,), daemon=True)
                         for n in range(CLIENTS)]

    def _client(self, number: int) -> None:
        turn = number
        while not self._stop.is_set() and self.sent < MAX_REQUESTS:
            path = REQUESTS[turn % len(REQUESTS)]
            turn += 1
            problem = self._check(path)
            with self._lock:
                self.sent += 1
                if problem:
                    self.failures.append(f"{path}: {problem}")

    def _check(self, path: str) -> str:
        try:
            status, _, body = http_get(self.base + path)
        except OSError as exc:
            return f"{type(exc).__name__}: {exc}"
        if status != 200:
            return f"status {status}: {body[:200]!r}"
        if path.startswith("/buscar"):
            return "" if b"</html>" in body else "truncated page"
        try:
            data = json.loads(body)
        except ValueError:
            return f"invalid JSON: {body[:200]!r}"
        if path.startswith("/api/search") and not isinstance(data.get("total"), int):
            return f"no total: {body[:200]!r}"
        return ""

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=15)


@pytest.mark.slow
def test_reindex_under_load_fails_no_request(served):
    content, index, server = served
    files_before = server.open_files()
    plan = ["incremental", "full", "incremental", "full", "incremental", "full"]
    deleted: list[int] = []
    with Load(server.base) as load:
        for round_, mode in enumerate(plan, start=1):
            edited, added, gone = round_, 500 + round_, 60 + round_
            write_generated(content, edited, version=round_)
            write_generated(content, added)
            (content / post_path(gone)).unlink()
            deleted.append(gone)
            result = run_cli("index", str(content), "--index", str(index), "--quiet",
                             *(["--full"] if mode == "full" else []))
            assert result.returncode == 0, result.stderr
            FIGURES["load_index_runs"] += 1
            visible = wait_until(
                lambda e=edited, a=added, r=round_, g=gone:
                server.paths(marker(e, r)) == [post_path(e)]
                and server.paths(marker(e, 0)) == []
                and server.paths(marker(a)) == [post_path(a)]
                and server.paths(marker(g)) == [], timeout=10, interval=0.1)
            assert visible is not None, f"round {round_} ({mode}) never became visible"
        # Full rebuilds back to back: generations replaced faster than the server looks.
        for _ in range(3):
            result = run_cli("index", str(content), "--index", str(index), "--quiet", "--full")
            assert result.returncode == 0, result.stderr
            FIGURES["load_index_runs"] += 1
        expected = BLOG_POSTS + len(plan) - len(deleted)
        settled = wait_until(lambda: server.search(COMMON_WORD)["total"] == expected,
                             timeout=10, interval=0.1)
    FIGURES["load_requests_sent"] += load.sent
    FIGURES["load_requests_failed"] += len(load.failures)
    FIGURES["server_open_files_growth"] = server.open_files() - files_before
    assert load.failures == [], (load.failures[:10], server.log.read_text()[-4000:])
    assert load.sent > 100
    assert settled is not None, server.search(COMMON_WORD)["total"]
    for number in deleted:
        assert server.paths(marker(number)) == []
    assert server.process.poll() is None


def test_running_engine_sees_incremental_deletions_and_edits(tmp_path):
    """A running Engine once kept deleted posts and old versions after an incremental commit
    (whoosh's Searcher.refresh() reuses readers with their old deletions)."""
    content = tmp_path / "content"
    posts = synthetic_blog(content, 20)
    index = tmp_path / "index"
    index_folder(content, index)
    engine = Engine(index, refresh_seconds=0.0)
    assert count_posts(engine) == len(posts)
    (content / post_path(3)).unlink()
    write_generated(content, 4, version=1)
    report = index_folder(content, index)
    assert (report.removed, report.updated) == (1, 1)
    fresh = Engine(index)
    assert count_posts(fresh) == len(posts) - 1  # what the index holds
    assert paths_with(engine, marker(3)) == []
    assert paths_with(engine, marker(4, 0)) == []
    assert count_posts(engine) == len(posts) - 1


@pytest.mark.slow
def test_concurrent_searches_on_one_engine_never_fail(tmp_path):
    """Like a server right after each re-index: several threads at once on a new Engine, with
    thread switches as frequent as a loaded machine makes them. One shared whoosh searcher
    once failed here within a second (IndexError, UnpicklingError, zlib.error)."""
    synthetic_blog(tmp_path / "content", 60)
    index_folder(tmp_path / "content", tmp_path / "index")
    errors: list[str] = []
    done = [0]
    deadline = time.monotonic() + 10

    def client(engine: Engine, start: threading.Barrier) -> None:
        start.wait()
        for _ in range(3):
            try:
                engine.search("casa perro receta")
                done[0] += 1
            except Exception as exc:  # recorded: any is a failure
                errors.append(f"{type(exc).__name__}: {exc}")

    # Thread switches as frequent as a loaded machine makes them (the bug shows there).
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        while time.monotonic() < deadline and len(errors) < 5:
            engine, start = Engine(tmp_path / "index"), threading.Barrier(4)
            threads = [threading.Thread(target=client, args=(engine, start)) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            engine.close()
    finally:
        sys.setswitchinterval(interval)
    FIGURES["thread_searches"] += done[0]
    FIGURES["thread_search_errors"] += len(errors)
    assert done[0] > 100
    assert errors == [], errors[:5]
