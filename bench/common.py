"""Shared pieces of the bench scripts: the baselines, the real server, timing and memory helpers.

- ``load_records``: the cleaned post records blogsearch indexes, for the baselines.
- ``Fts5`` and ``BareWhoosh``: the two baselines every bench runs in the same process.
- ``LocalServer``, ``Server``: a server process (the real ``blogsearch serve``) on a free
  127.0.0.1 port, stopped on exit.
- ``http_run``: a bounded number of GETs from N keep-alive clients (one asyncio loop).
- ``RssSampler``: peak resident memory of a process and all its children (from /proc).
- ``loadavg``, ``quantiles``, ``table``: what every printed table needs.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from blogsearch.indexer.discover import find_posts, read_limited  # noqa: E402
from blogsearch.indexer.parse import parse_post  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
CLI = [sys.executable, "-c", "from blogsearch.cli.main import main; main()"]


# -- records and baselines -------------------------------------------------------------------
def cli_env(extra: dict | None = None) -> dict:
    """The environment for a ``blogsearch`` subprocess: this checkout's code first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.update(extra or {})
    return env


def load_records(corpus: Path, sample: int | None = None) -> list:
    """The same cleaned post records blogsearch indexes, for the baselines (with ``sample``,
    only about that many files, evenly spaced)."""
    posts = []
    found_all = list(find_posts(corpus))
    if sample and len(found_all) > sample:
        step = len(found_all) / sample
        found_all = [found_all[int(i * step)] for i in range(sample)]
    for found in found_all:
        try:
            parsed = parse_post(found.rel_path, read_limited(found))
        except Exception:  # the baselines simply skip what blogsearch reports
            continue
        if parsed.post is not None:
            posts.append(parsed.post)
    return posts


class Fts5:
    """SQLite FTS5 baseline: unicode61 with diacritics removed, OR of words, bm25(10, 5, 1).

    ``path`` is ``:memory:`` by default; give a file to measure the index size.
    """

    def __init__(self, posts: list, path: str = ":memory:") -> None:
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.execute(
            "CREATE VIRTUAL TABLE posts USING fts5(path UNINDEXED, title, tags, body, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        self.db.executemany(
            "INSERT INTO posts VALUES (?, ?, ?, ?)",
            [(p.path, p.title, " ".join(p.tags + p.categories), p.body) for p in posts],
        )
        self.db.commit()

    @staticmethod
    def match_expression(text: str) -> str:
        """FTS5's MATCH for the OR of ``text``'s words, each quoted ("" for no word)."""
        words = ['"' + w.replace('"', "") + '"' for w in text.split() if w.replace('"', "")]
        return " OR ".join(words)

    def search(self, text: str) -> list[str]:
        match = self.match_expression(text)
        if not match:
            return []
        rows = self.db.execute(
            "SELECT path FROM posts WHERE posts MATCH ? ORDER BY bm25(posts, 10, 5, 1) LIMIT 10",
            (match,),
        )
        return [r[0] for r in rows]

    def search_snippets(self, text: str) -> list[tuple[str, str]]:
        """Top 10 with a highlighted body snippet and the total count (FTS5's own functions)."""
        match = self.match_expression(text)
        if not match:
            return []
        rows = self.db.execute(
            "SELECT path, snippet(posts, 3, '<mark>', '</mark>', '…', 32) FROM posts "
            "WHERE posts MATCH ? ORDER BY bm25(posts, 10, 5, 1) LIMIT 10",
            (match,),
        ).fetchall()
        self.db.execute("SELECT count(*) FROM posts WHERE posts MATCH ?", (match,)).fetchone()
        return rows


class BareWhoosh:
    """Bare Whoosh baseline: StandardAnalyzer, title and body, AND of words."""

    def __init__(self, posts: list, directory: str) -> None:
        from whoosh import index
        from whoosh.fields import ID, TEXT, Schema
        from whoosh.qparser import MultifieldParser

        schema = Schema(path=ID(stored=True, unique=True), title=TEXT, body=TEXT)
        self.ix = index.create_in(directory, schema)
        writer = self.ix.writer()
        for p in posts:
            writer.add_document(path=p.path, title=p.title, body=p.body)
        writer.commit()
        self.parser = MultifieldParser(["title", "body"], schema)
        self.searcher = self.ix.searcher()

    def search(self, text: str) -> list[str]:
        return [hit["path"] for hit in self.searcher.search(self.parser.parse(text), limit=10)]

    def close(self) -> None:
        self.searcher.close()


# -- the real server -------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """A server process on 127.0.0.1 (a context manager: started, waited for until
    ``ready_path`` answers 200, stopped on exit). Its output goes to ``log``."""

    def __init__(self, args: Sequence[str], port: int, log: Path, env: dict | None = None,
                 ready_path: str = "/") -> None:
        self.args, self.port, self.log, self.env = list(args), port, log, env
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> LocalServer:
        # the log is a file, not a pipe: a full pipe would stall the server
        self.process = subprocess.Popen(self.args, stdout=self.log.open("wb"),
                                        stderr=subprocess.STDOUT, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"server exited: {self.log.read_text()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", self.ready_path)
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                time.sleep(0.1)
        self.__exit__(None, None, None)
        sys.exit(f"server did not start: {' '.join(self.args)}")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid


class Server(LocalServer):
    """``blogsearch serve`` on a free 127.0.0.1 port; ``workers=None`` keeps its default."""

    def __init__(self, index: Path, log: Path, workers: int | None = 1, threads: int | None = 4,
                 extra: Sequence[str] = (), env: dict | None = None) -> None:
        port = free_port()
        args = [*CLI, "serve", "--index", str(index), "--host", "127.0.0.1", "--port", str(port)]
        if workers is not None:
            args += ["--workers", str(workers)]
        if threads is not None:
            args += ["--threads", str(threads)]
        super().__init__([*args, *extra], port, log, cli_env(env), "/healthz")


def http_run(ports: int | Sequence[int], paths: Sequence[str], requests: int, clients: int,
             kinds: dict | None = None) -> tuple[list[float], float, int]:
    """(latencies in ms, wall seconds, errors) for ``requests`` GETs of ``paths`` (in turn)
    from ``clients`` keep-alive connections, spread evenly over ``ports``.

    The clients are coroutines of one asyncio loop, not threads: a thread per client costs
    0.3–0.5 ms of CPU per request here and its waits for the GIL land in the latencies; the
    loop costs 0.1–0.2 ms. An error is a non-200 answer, a failed connection (then reopened)
    or no answer within 30 s; ``kinds`` counts them by status or exception and path.
    """
    ports = [ports] if isinstance(ports, int) else list(ports)
    latencies: list[float] = []
    problems: list[str] = []
    counter = iter(range(requests))

    async def client(port: int) -> None:
        connection = None
        for n in counter:
            path = paths[n % len(paths)]
            started = time.perf_counter()
            try:
                async with asyncio.timeout(30):
                    connection = connection or await asyncio.open_connection("127.0.0.1", port)
                    status = await _get(*connection, port, path)
                if status != 200:
                    problems.append(f"{status} {path}")
            except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError,
                    asyncio.LimitOverrunError) as exc:
                problems.append(f"{type(exc).__name__} {path}")
                if connection:
                    connection[1].close()
                connection = None
            latencies.append((time.perf_counter() - started) * 1000)
        if connection:
            connection[1].close()

    async def run_all() -> None:
        await asyncio.gather(*(client(ports[i % len(ports)]) for i in range(clients)))

    started = time.perf_counter()
    asyncio.run(run_all())
    wall = time.perf_counter() - started
    if kinds is not None:
        for problem in problems:
            kinds[problem] = kinds.get(problem, 0) + 1
    return latencies, wall, len(problems)


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, port: int,
               path: str) -> int:
    """One keep-alive GET on an open connection: the status, the body read to its end."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise ValueError("answer without Content-Length")
    await reader.readexactly(length)
    return status


# -- memory ----------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def rss_bytes(pid: int) -> int:
    """Resident memory of one process now (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def process_tree(pid: int) -> list[int]:
    """``pid`` and its live descendants (a server's worker processes are its children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(_children(current))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time ``pid`` and its live descendants have used so far."""
    total = 0.0
    for current in process_tree(pid):
        try:
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            continue
    return total


def rss_parts(pid: int) -> tuple[int, int]:
    """(anonymous, file-backed) resident bytes of one process: the private heap, and the
    mapped files (Whoosh maps its index; those pages are shared page cache)."""
    anon = files = 0
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("RssAnon:"):
                    anon = int(line.split()[1]) * 1024
                elif line.startswith(("RssFile:", "RssShmem:")):
                    files += int(line.split()[1]) * 1024
    except OSError:
        pass
    return anon, files


def tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants now."""
    return sum(rss_bytes(current) for current in process_tree(pid))


class RssSampler:
    """Samples the process tree of ``pid`` every ``interval`` seconds in a thread: ``peak`` is
    the largest sum seen (the tree's peak, to within one interval), ``largest`` the largest
    resident memory of any one process of the tree."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid, self.interval, self.peak, self.largest = pid, interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            sizes = [rss_bytes(current) for current in process_tree(self.pid)]
            self.peak = max(self.peak, sum(sizes))
            self.largest = max(self.largest, *sizes)
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(args: Sequence[str], **kwargs) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run a command to the end: (completed process, wall seconds, peak RSS of its tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    with RssSampler(process.pid) as sampler:
        out, err = process.communicate()
    seconds = time.perf_counter() - started
    done = subprocess.CompletedProcess(args, process.returncode, out, err)
    if done.returncode:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{err.decode(errors='replace')}")
    return done, seconds, sampler.peak


def self_peak_rss() -> int:
    """Peak resident memory of this process so far (VmHWM)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


# -- printing --------------------------------------------------------------------------------
def loadavg() -> str:
    """The 1, 5 and 15-minute load averages, as /proc/loadavg gives them."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def wait_for_quiet(limit: float = 0.7, timeout: float = 600.0) -> str:
    """Wait (up to ``timeout`` s) until the 1-minute load is below ``limit``; the load then."""
    deadline = time.monotonic() + timeout
    while float(loadavg().split()[0]) >= limit and time.monotonic() < deadline:
        time.sleep(5)
    return loadavg()


def quantiles(values: Iterable[float]) -> dict[str, float]:
    """p50, p95, p99 and max of ``values`` (nearest-rank)."""
    ordered = sorted(values)
    if not ordered:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]

    return {"p50": rank(50), "p95": rank(95), "p99": rank(99), "max": ordered[-1]}


def dir_bytes(path: Path) -> int:
    """Bytes of every file under ``path``."""
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def table(headers: Sequence[str], rows: Iterable[Sequence], formats: Sequence[str] | None = None,
          ) -> str:
    """A Markdown table; ``formats`` are format specs per column (e.g. ``.1f``)."""
    formats = formats or [""] * len(headers)
    lines = ["| " + " | ".join(headers) + " |",
             "| " + " | ".join("---" if i == 0 else "---:" for i in range(len(headers))) + " |"]
    for row in rows:
        cells = [cell if isinstance(cell, str) else format(cell, fmt)
                 for cell, fmt in zip(row, formats, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def timed(fn: Callable, *args, **kwargs) -> tuple[object, float]:
    """(result, seconds) of one call."""
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started
