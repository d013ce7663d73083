"""``blogsearch serve`` and ``blogsearch report``: in this process (click's runner), and the real
command serving in its own processes."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from blogsearch.cli.commands import MAX_DEFAULT_WORKERS
from blogsearch.cli.main import main
from blogsearch.search.printable import columns
from blogsearch.web.searchlog import SearchLog, log_path
from blogsearch.web.served import app_from_environment
from blogsearch.web.settings import NO_LOG_ENV
from tests.helpers import CLI, answers, child_pids, free_port, http_get, wait_until


def invoke(*args: str):
    """``blogsearch`` in this process. ``serve`` sets its workers' settings in the environment:
    they are put back after, so no later test (or command it runs) sees this test's index."""
    kept = {name: os.environ.get(name) for name in ("BLOGSEARCH_INDEX", NO_LOG_ENV)}
    return CliRunner().invoke(main, list(args), env=kept)


def test_report_without_a_log_is_a_clear_error(tmp_path):
    result = invoke("report", "--index", str(tmp_path))
    assert result.exit_code == 1
    assert "no search log yet" in result.output and "Traceback" not in result.output


def _filled_log(index_dir: Path) -> None:
    log = SearchLog(log_path(index_dir))
    for query, results, times in (("docker", 3, 4), ("kubernetes", 0, 3), ("pan", 2, 1)):
        for _ in range(times):
            log.record(query, results, 2.0)
    log.close()


def test_report_prints_top_and_zero_result_queries(tmp_path):
    _filled_log(tmp_path)
    result = invoke("report", "--index", str(tmp_path), "--days", "7")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "8 searches in the last 7 days, 3 with no results; average 2.0 ms"
    zero = lines.index("Queries with no results (write about these, or fix their spelling):")
    assert "kubernetes" in lines[zero + 1] and "3×" in lines[zero + 1]
    top = lines.index("Most searched:")
    assert "docker" in lines[top + 1] and "4×" in lines[top + 1]


def test_report_prints_searches_found_only_through_a_correction_apart(tmp_path):
    log = SearchLog(log_path(tmp_path))
    log.record("castelvania", 4, 2.0, as_typed=0)
    log.record("kubernetes", 0, 2.0)
    log.close()
    lines = invoke("report", "--index", str(tmp_path)).output.splitlines()
    zero = next(i for i, line in enumerate(lines) if line.startswith("Queries with no results"))
    assert "kubernetes" in lines[zero + 1] and "castelvania" not in lines[zero + 1]
    typed = next(i for i, line in enumerate(lines) if "found nothing as typed" in line)
    assert "castelvania" in lines[typed + 1] and "4 results" in lines[typed + 1]


def test_report_json(tmp_path):
    _filled_log(tmp_path)
    result = invoke("report", "--index", str(tmp_path), "--json", "--limit", "1")
    data = json.loads(result.output)
    assert data["searches"] == 8 and data["days"] == 30
    assert [q["query"] for q in data["top_queries"]] == ["docker"]
    assert data["zero_result_queries"][0]["query"] == "kubernetes"


HOSTILE_QUERIES = ["\x1b]0;ventana\x07titulo", "\x1b]8;;https://evil.example\x1b\\enlace\x1b]8;;\x1b\\",
                   "factura\u202efdp.exe", "\x9b31mrojo", "larga " * 40, "東京" * 30]


def test_report_escapes_queries_and_keeps_its_columns(tmp_path):
    log = SearchLog(log_path(tmp_path))
    for query in HOSTILE_QUERIES:
        log.record(query, 0, 1.0)
        log.record(query, 0, 1.0)
    log.record("docker", 3, 1.0)
    log.close()
    result = invoke("report", "--index", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert not [c for c in result.output if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) < 0xa0
                or c == "\u202e"]
    assert "\\x1b]0;ventana\\x07titulo" in result.output and "factura\\u202efdp.exe" in result.output
    top = result.output.split("Most searched:\n")[1].splitlines()
    ends = {columns(line[:line.index(" results")]) for line in top}
    assert len(ends) == 1, top  # the results column starts at the same place on every line
    assert max(columns(line) for line in top) < 100
    data = json.loads(invoke("report", "--index", str(tmp_path), "--json").output)
    assert {row["query"] for row in data["top_queries"]} >= {"\x1b]0;ventana\x07titulo"}


def test_report_reads_the_index_from_the_environment(tmp_path, monkeypatch):
    _filled_log(tmp_path)
    monkeypatch.setenv("BLOGSEARCH_INDEX", str(tmp_path))
    assert "8 searches" in invoke("report").output


def test_serve_without_an_index_is_a_clear_error(tmp_path):
    result = invoke("serve", "--index", str(tmp_path / "none"))
    assert result.exit_code == 1
    assert "no index here yet" in result.output


def test_serve_an_index_of_another_version_is_a_clear_error(sample_index_copy):
    index = sample_index_copy
    manifest = next(index.glob("gen-*/blogsearch.json"))
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "schema_version": data["schema_version"] - 1}))
    result = invoke("serve", "--index", str(index), "--port", str(free_port()))
    assert result.exit_code == 1
    assert "another blogsearch version" in result.output and "--full" in result.output


def test_serve_runs_granian_workers_over_the_index(sample_index, monkeypatch):
    calls = []

    class FakeGranian:
        def __init__(self, target, **options):
            calls.append((target, options))

        def serve(self):
            calls.append(("served", dict(os.environ)))

    monkeypatch.setattr("granian.Granian", FakeGranian)
    monkeypatch.setenv("BLOGSEARCH_INDEX", "elsewhere")  # serve sets both; restored after
    monkeypatch.setenv(NO_LOG_ENV, "0")
    result = invoke("serve", "--index", str(sample_index), "--port", str(free_port()), "--workers", "3",
                    "--threads", "2", "--no-log")
    assert result.exit_code == 0, result.output
    (target, options), (_, environ) = calls
    assert target == "blogsearch.web.served:app_from_environment" and options["factory"] is True
    assert (options["workers"], options["blocking_threads"]) == (3, 2)
    assert options["respawn_failed_workers"] is True
    assert environ["BLOGSEARCH_INDEX"] == str(sample_index.resolve())
    assert environ[NO_LOG_ENV] == "1"
    assert "search log off" in result.output and "3 worker(s) × 2 thread(s)" in result.output


def test_serve_starts_a_worker_per_core_by_default_and_says_so_first(sample_index, monkeypatch):
    calls = []

    class FakeGranian:
        def __init__(self, target, **options):
            calls.append(options)

        def serve(self):
            pass

    monkeypatch.setattr("granian.Granian", FakeGranian)
    monkeypatch.setattr("blogsearch.cli.commands.available_cores", lambda: 3)
    result = invoke("serve", "--index", str(sample_index), "--port", str(free_port()), "--no-log")
    assert result.exit_code == 0, result.output
    assert calls[-1]["workers"] == 3
    assert "3 worker(s) (one per core of 3) × 4 thread(s)" in result.output.splitlines()[0]
    monkeypatch.setattr("blogsearch.cli.commands.available_cores", lambda: 40)
    result = invoke("serve", "--index", str(sample_index), "--port", str(free_port()), "--no-log")
    assert calls[-1]["workers"] == MAX_DEFAULT_WORKERS
    assert f"capped at {MAX_DEFAULT_WORKERS}" in result.output.splitlines()[0]


def test_serve_checks_the_settings_before_starting_workers(sample_index, tmp_path, monkeypatch):
    started = []
    monkeypatch.setattr("granian.Granian", lambda *args, **options: started.append(options))
    settings = tmp_path / "blogsearch.cfg"
    settings.write_text('UI_LANGUAGE = "klingon"\n')
    monkeypatch.setenv("BLOGSEARCH_SETTINGS", str(settings))
    result = invoke("serve", "--index", str(sample_index), "--port", str(free_port()))
    assert result.exit_code == 1 and started == []
    assert result.output.count("\n") == 1, result.output  # one line, no traceback
    assert f"blogsearch: error: settings ({settings}): UI_LANGUAGE: 'klingon'" in result.output
    settings.write_text("MAX_PER_PAGE = 500\n")  # beyond the engine's own bound
    result = invoke("serve", "--index", str(sample_index), "--port", str(free_port()))
    assert result.exit_code == 1 and started == []
    assert "MAX_PER_PAGE: must be a whole number from 1 to 100, not 500" in result.output
    settings.write_text("SEARCH_LOG_PATH = (\n")  # not even Python
    result = invoke("serve", "--index", str(sample_index), "--port", str(free_port()))
    assert result.exit_code == 1 and started == [] and "settings (" in result.output


def test_serve_names_the_search_log_its_settings_give(sample_index, tmp_path, monkeypatch):
    class FakeGranian:
        def __init__(self, target, **options):
            pass

        def serve(self):
            pass

    monkeypatch.setattr("granian.Granian", FakeGranian)
    settings = tmp_path / "blogsearch.cfg"
    settings.write_text(f"SEARCH_LOG_PATH = {str(tmp_path / 'log.sqlite3')!r}\n")
    monkeypatch.setenv("BLOGSEARCH_SETTINGS", str(settings))
    result = invoke("serve", "--index", str(sample_index), "--port", str(free_port()))
    assert result.exit_code == 0, result.output
    assert f"search log {tmp_path / 'log.sqlite3'}" in result.output.splitlines()[0]
    assert not (tmp_path / "log.sqlite3").exists()  # the workers open it, not serve


def test_the_workers_app_reads_its_settings_from_the_environment(sample_index, monkeypatch):
    monkeypatch.setenv("BLOGSEARCH_INDEX", str(sample_index))
    monkeypatch.setenv(NO_LOG_ENV, "1")
    app = app_from_environment()
    assert app.config["INDEX_DIR"] == str(sample_index) and app.config["SEARCH_LOG"] is False
    assert app.test_client().get("/api/search?q=pan").json["total"] > 0


def test_serve_on_a_busy_port_is_a_clear_error(sample_index):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = invoke("serve", "--index", str(sample_index), "--port", port)
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


def test_serve_dev_uses_flasks_reloader(sample_index, monkeypatch):
    calls = []
    monkeypatch.setattr("flask.Flask.run", lambda self, **kw: calls.append(kw))
    result = invoke("serve", "--index", str(sample_index), "--dev")
    assert result.exit_code == 0, result.output
    assert calls == [{"host": "127.0.0.1", "port": 8000, "debug": True, "use_reloader": True}]


@pytest.mark.parametrize("option", [["--port", "0"], ["--workers", "0"], ["--port", "x"]])
def test_serve_rejects_bad_options(sample_index, option):
    result = invoke("serve", "--index", str(sample_index), *option)
    assert result.exit_code == 2


@contextmanager
def _serving(index: Path, tmp_path: Path, *options: str):
    """``blogsearch serve`` in its own processes over ``index`` (which it may write into):
    (base URL, process, log file), once /healthz answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"  # a file, not a pipe nobody reads
    server = subprocess.Popen([*CLI, "serve", "--index", str(index), "--port", str(port), *options],
                              stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        assert wait_until(lambda: answers(base + "/healthz"), 20) is not None, log.read_text()
        yield base, server, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:  # leave no server behind, then fail
            for pid in child_pids(server.pid):
                os.kill(pid, signal.SIGKILL)
            server.kill()
            server.wait()
            raise


def test_serve_really_serves(sample_index_copy, tmp_path):
    """The real command in its own processes: granian workers answering on a real port."""
    with _serving(sample_index_copy, tmp_path, "--workers", "2") as (base, _, log):
        status, headers, body = http_get(base + "/buscar?q=busqueda")
        assert status == 200 and headers["Server"] == "blogsearch"
        assert "búsquedas".encode() in body
        log_written = wait_until(lambda: (sample_index_copy / "searches.sqlite3").exists(), 5)
        assert log_written is not None  # within a second
    assert f"serving on {base}/" in log.read_text()


LINUX_PROC = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")


def _kill_a_worker(server: subprocess.Popen, base: str) -> int:
    """Kill one of the server's two workers; once the other has answered and a new worker
    has been started, return the new one's pid."""
    pid = server.pid
    assert wait_until(lambda: len(child_pids(pid)) == 2, 10) is not None
    killed, survivor = child_pids(pid)
    os.kill(killed, signal.SIGKILL)
    assert wait_until(lambda: answers(base + "/api/search?q=pan"), 5) is not None  # the other worker
    assert wait_until(lambda: len(child_pids(pid)) == 2 and killed not in child_pids(pid), 20) is not None
    (new,) = set(child_pids(pid)) - {survivor}
    return new


@LINUX_PROC
def test_a_worker_that_dies_is_replaced(sample_index, tmp_path):
    with _serving(sample_index, tmp_path, "--workers", "2", "--no-log") as (base, server, log):
        new = _kill_a_worker(server, base)
        assert wait_until(lambda: f"worker {new} read the index" in log.read_text(), 20) is not None
        for _ in range(20):  # whichever worker takes them
            assert http_get(base + "/api/search?q=pan")[0] == 200


@LINUX_PROC
def test_stopping_while_a_worker_starts_still_stops(sample_index, tmp_path):
    """granian waits forever for a worker stopped while it starts; serve kills it after 5 s."""
    with _serving(sample_index, tmp_path, "--workers", "2", "--no-log") as (base, server, _):
        _kill_a_worker(server, base)
        started = time.monotonic()
        server.terminate()
        server.wait(timeout=20)
        assert time.monotonic() - started < 15


async def _trickle(port: int, stop: asyncio.Event) -> None:
    """A slow client: a request line, then a header line every second, never the end."""
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /buscar?q=casa HTTP/1.1\r\nHost: x\r\n")
        while not stop.is_set():
            await writer.drain()
            await asyncio.sleep(1)
            writer.write(b"X-Lento: si\r\n")
    except OSError:
        pass  # closed by the server's header timeout: what it is for


async def _reader_during_flood(port: int, clients: int) -> list[float]:
    """Seconds each of 5 readers waited for a search while ``clients`` slow clients trickle."""
    stop = asyncio.Event()
    flood = [asyncio.create_task(_trickle(port, stop)) for _ in range(clients)]
    await asyncio.sleep(2)
    waits = []
    for _ in range(5):
        started = time.monotonic()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /api/search?q=casa HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), 30)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:80]
        waits.append(time.monotonic() - started)
        writer.close()
    stop.set()
    await asyncio.gather(*flood)
    return waits


def test_slow_clients_do_not_lock_readers_out(sample_index, tmp_path):
    """1,100 connections trickling header lines once filled granian's 1,024 places and every
    reader waited until they gave up; now readers are served beside them."""
    with _serving(sample_index, tmp_path, "--no-log") as (base, _, _):
        port = int(base.rsplit(":", 1)[1])
        # In a thread of its own: another test's event loop may still run in this one.
        with ThreadPoolExecutor(1) as thread:
            waits = thread.submit(asyncio.run, _reader_during_flood(port, 1100)).result()
    assert max(waits) < 10, waits


def test_idle_and_slow_connections_are_closed_after_the_header_timeout(sample_index, tmp_path):
    with _serving(sample_index, tmp_path, "--no-log", "--header-timeout", "2") as (base, _, _):
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as idle, \
                socket.create_connection(("127.0.0.1", port), timeout=30) as slow:
            slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            started = time.monotonic()
            assert idle.recv(100) == b"" and slow.recv(100) == b""  # closed by the server
            assert time.monotonic() - started < 20
