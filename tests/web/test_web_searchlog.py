"""The search log: what is written (and what never is), retention, the report."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from blogsearch.indexer.run import index_folder
from blogsearch.web import searchlog
from blogsearch.web.app import create_app
from blogsearch.web.searchlog import (
    FLUSH_ROWS,
    FLUSH_SECONDS,
    SearchLog,
    SearchLogError,
    normalise,
    read_report,
)
from tests.helpers import SAMPLE_BLOG, make_app, wait_until


def rows(path: Path) -> list[tuple]:
    """(query, latest result count, total ms) per day and query, in the order first searched."""
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT query, results, ms FROM query_days ORDER BY rowid").fetchall()


def written(app) -> None:
    """Write the searches the app's log has queued (it writes them within a second)."""
    app.extensions["blogsearch"].search_log.flush()


def test_each_typed_search_is_logged_normalised(app, client, tmp_path):
    found = app.extensions["blogsearch"].engine.search("búsqueda de texto")["total"]
    assert found > 0
    client.get("/buscar?q=  Búsqueda   DE  Texto ")
    client.get("/api/search?q=xqzwvk")
    written(app)
    logged = rows(tmp_path / "searches.sqlite3")
    assert [(q, n) for q, n, _ in logged] == [("búsqueda de texto", found), ("xqzwvk", 0)]
    assert all(ms > 0 for _, _, ms in logged)


def test_the_log_holds_no_ip_cookie_or_agent(app, client, tmp_path):
    client.get("/buscar?q=casa", headers={"User-Agent": "Secret/1.0", "Cookie": "id=secreto"},
               environ_base={"REMOTE_ADDR": "203.0.113.9"})
    written(app)
    path = tmp_path / "searches.sqlite3"
    with sqlite3.connect(path) as conn:
        columns = [c[1] for c in conn.execute("PRAGMA table_info(query_days)")]
        dump = "\n".join(conn.iterdump())
    assert columns == ["day", "query", "searches", "zero", "ms", "results", "last", "untyped",
                       "as_typed"]
    for secret in ("203.0.113.9", "Secret/1.0", "secreto"):
        assert secret not in dump


def test_refinements_suggestions_and_blank_queries_are_not_logged(client, tmp_path):
    for url in ("/buscar?q=casa&page=2&per_page=3", "/buscar?q=casa&tag=linux",
                "/buscar?q=casa&sort=date", "/api/suggest?q=casa", "/buscar?q=+", "/",
                "/api/related?path=blog/2020-04-10-pan-de-masa-madre.md"):
        assert client.get(url).status_code == 200
    assert not (tmp_path / "searches.sqlite3").exists() or rows(tmp_path / "searches.sqlite3") == []


def test_the_log_can_be_turned_off(sample_index, tmp_path):
    client = make_app(sample_index, tmp_path, SEARCH_LOG=False).test_client()
    assert client.get("/buscar?q=casa").status_code == 200
    assert not (tmp_path / "searches.sqlite3").exists()


def test_the_default_log_sits_beside_the_index(sample_index_copy):
    index = sample_index_copy
    app = create_app({"INDEX_DIR": str(index)})
    app.test_client().get("/buscar?q=casa")
    written(app)
    assert rows(index / "searches.sqlite3")[0][0] == "casa"


def test_a_broken_log_never_breaks_search(sample_index, tmp_path, caplog):
    (tmp_path / "searches.sqlite3").mkdir()  # a directory where the database should be
    app = make_app(sample_index, tmp_path)
    assert app.test_client().get("/buscar?q=casa").status_code == 200
    written(app)
    assert "1 searches not written" in caplog.text


def _backdate(path: Path, query: str, days: int, results: int = 0) -> None:
    at = (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO query_days (day, query, searches, zero, ms, results, last) "
                     "VALUES (?, ?, 1, ?, 1.0, ?, ?)",
                     (at[:10], query, int(results == 0), results, at))


def test_retention_by_age_and_by_rows(tmp_path):
    path = tmp_path / "log.sqlite3"
    log = SearchLog(path, days=30, max_rows=3)
    log.record("primera", 1, 1.0)
    log.flush()
    _backdate(path, "vieja", days=40)
    for word in ("a", "b", "c"):
        log.record(word, 1, 1.0)
    log.prune()
    assert [q for q, _, _ in rows(path)] == ["a", "b", "c"]
    log.close()


def test_records_prune_as_they_go(tmp_path, monkeypatch):
    monkeypatch.setattr("blogsearch.web.searchlog.PRUNE_EVERY", 5)
    log = SearchLog(tmp_path / "log.sqlite3", days=30, max_rows=4)
    for n in range(12):
        log.record(f"q{n}", 1, 1.0)
        log.flush()  # one batch per search
    assert len(rows(tmp_path / "log.sqlite3")) <= 4 + 5


def test_normalise():
    assert normalise("  Búsqueda\tDE  texto\n") == "búsqueda de texto"
    assert normalise("Cafe\u0301") == "café"  # combining accent composed (NFC)
    assert len(normalise("x" * 900)) == 500


def test_report_counts_top_and_zero_result_queries(tmp_path):
    path = tmp_path / "log.sqlite3"
    log = SearchLog(path)
    for _ in range(3):
        log.record("docker", 2, 5.0)
    for _ in range(2):
        log.record("kubernetes avanzado", 0, 3.0)
    log.record("rust", 0, 1.0)
    log.record("rust", 1, 1.0)  # found since: no longer a zero-result query
    log.close()
    _backdate(path, "antigua", days=60)
    report = read_report(path, days=30)
    assert report["searches"] == 7 and report["zero_result_searches"] == 3
    assert [(r["query"], r["searches"]) for r in report["top_queries"]] == [
        ("docker", 3), ("kubernetes avanzado", 2), ("rust", 2)]
    assert [r["query"] for r in report["zero_result_queries"]] == ["kubernetes avanzado"]
    assert report["top_queries"][0]["results"] == 2
    assert read_report(path, days=90)["searches"] == 8


def test_report_without_a_log_says_so(tmp_path):
    with pytest.raises(SearchLogError, match="no search log yet"):
        read_report(tmp_path / "missing.sqlite3", days=30)
    (tmp_path / "junk.sqlite3").write_text("not a database")
    with pytest.raises(SearchLogError):
        read_report(tmp_path / "junk.sqlite3", days=30)


def test_the_log_survives_a_full_rebuild_of_the_index(sample_index_copy):
    index = sample_index_copy
    app = create_app({"INDEX_DIR": str(index)})
    app.test_client().get("/buscar?q=casa")
    written(app)
    index_folder(SAMPLE_BLOG, index, full=True)
    app.test_client().get("/buscar?q=pan")
    written(app)
    assert [q for q, _, _ in rows(index / "searches.sqlite3")] == ["casa", "pan"]


def test_queued_searches_are_written_by_the_log_itself_within_a_second(tmp_path, monkeypatch):
    path = tmp_path / "log.sqlite3"
    log = SearchLog(path)
    log.record("docker", 2, 5.0)
    assert wait_until(lambda: _written_yet(path), 3 + FLUSH_SECONDS, interval=0.02) is not None
    assert [q for q, _, _ in rows(path)] == ["docker"]
    # A full batch is written without waiting for the timer: make the timer far longer than
    # the wait, so only the batch can have written it (no timing assertion on a busy machine).
    monkeypatch.setattr(searchlog, "FLUSH_SECONDS", 60.0)
    for n in range(FLUSH_ROWS):
        log.record(f"q{n}", 1, 1.0)
    assert wait_until(lambda: len(rows(path)) == 1 + FLUSH_ROWS, 20, interval=0.02) is not None
    log.close()


def _written_yet(path: Path) -> bool:
    try:
        return path.exists() and bool(rows(path))
    except sqlite3.OperationalError:  # the writer is creating the table
        return False



def test_head_requests_are_not_logged(app, client, tmp_path):
    assert client.head("/buscar?q=casa").status_code == 200
    assert client.head("/api/search?q=pan").status_code == 200
    client.get("/buscar?q=gato")
    written(app)
    assert [q for q, _, _ in rows(tmp_path / "searches.sqlite3")] == ["gato"]


def test_repeats_are_counted_in_one_row(tmp_path):
    path = tmp_path / "log.sqlite3"
    log = SearchLog(path)
    for n in range(500):
        log.record("Docker", 0 if n < 499 else 4, 2.0)
    log.close()
    assert rows(path) == [("docker", 4, 1000.0)]
    report = read_report(path, days=1)
    assert report["searches"] == 500 and report["zero_result_searches"] == 499
    assert report["average_ms"] == 2.0 and report["zero_result_queries"] == []


def test_a_flood_of_different_queries_keeps_the_searches_readers_repeat(tmp_path, monkeypatch):
    monkeypatch.setattr("blogsearch.web.searchlog.PRUNE_EVERY", 50)
    path = tmp_path / "log.sqlite3"
    log = SearchLog(path, max_rows=100)
    real = [f"receta {n}" for n in range(20)]
    for query in real * 3:
        log.record(query, 1, 1.0)
    log.flush()
    for n in range(5000):
        log.record(f"basura {n} {n * 7919}", 0, 1.0)
        if n % 100 == 0:
            log.flush()
    log.close()
    assert len(rows(path)) <= 100 + 100
    report = read_report(path, days=30, limit=20)
    assert sorted(r["query"] for r in report["top_queries"]) == sorted(real)


def test_a_log_written_before_counting_is_read_and_converted(tmp_path):
    path = tmp_path / "log.sqlite3"
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE searches (id INTEGER PRIMARY KEY, at TEXT NOT NULL, "
                     "query TEXT NOT NULL, results INTEGER NOT NULL, ms REAL NOT NULL)")
        conn.executemany("INSERT INTO searches (at, query, results, ms) VALUES (?, ?, ?, ?)",
                         [(now, "pan", 0, 1.0), (now, "pan", 2, 3.0), (now, "sal", 0, 1.0)])
    conn.close()
    report = read_report(path, days=30)
    assert report["searches"] == 3 and report["zero_result_searches"] == 2
    assert [(r["query"], r["searches"], r["results"]) for r in report["top_queries"]] == [
        ("pan", 2, 2), ("sal", 1, 0)]
    log = SearchLog(path)
    log.record("pan", 2, 1.0)
    log.close()
    assert read_report(path, days=30)["top_queries"][0]["searches"] == 3


def test_the_report_of_100000_rows_is_quick(tmp_path):
    """100,000 different queries in the log (its default size): the report reads them through
    the table's key. Before, a query per row took 20 s; the bound here is generous."""
    path = tmp_path / "log.sqlite3"
    log = SearchLog(path)
    log.prune()  # creates the table
    log.close()
    day = datetime.now(UTC).date().isoformat()
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO query_days (day, query, searches, zero, ms, results, last) "
                         "VALUES (?, ?, ?, ?, 1.0, ?, ?)",
                         ((day, f"consulta {n}", 1 + n % 7, n % 2, n % 3, f"{day}T10:00:00")
                          for n in range(100_000)))
    conn.close()
    started = time.monotonic()
    report = read_report(path, days=30)
    assert time.monotonic() - started < 10
    assert report["searches"] == sum(1 + n % 7 for n in range(100_000))
    assert all(r["searches"] == 7 for r in report["top_queries"])


def test_searches_made_while_typing_are_not_logged(app, client, tmp_path):
    client.get("/api/search?q=doc", headers={"X-Blogsearch-Live": "1"})
    client.get("/api/search?q=docker", headers={"X-Blogsearch-Live": "1"})
    client.get("/api/search?q=docker&per_page=1")  # the one the reader stopped on
    written(app)
    assert [q for q, _, _ in rows(tmp_path / "searches.sqlite3")] == ["docker"]


def test_report_lists_searches_that_found_nothing_as_typed_apart(tmp_path):
    path = tmp_path / "log.sqlite3"
    log = SearchLog(path)
    log.record("kubernetes", 0, 1.0, as_typed=0)
    for _ in range(2):
        log.record("castelvania", 4, 1.0, as_typed=0)  # answered through a correction
    log.record("docker", 3, 1.0, as_typed=3)
    log.record("docker zzqx", 3, 1.0, as_typed=0)  # a word left out
    log.close()
    report = read_report(path, days=30)
    assert [r["query"] for r in report["zero_result_queries"]] == ["kubernetes"]
    assert [(r["query"], r["searches"], r["results"])
            for r in report["nothing_as_typed_queries"]] == [("castelvania", 2, 4),
                                                               ("docker zzqx", 1, 3)]
    assert report["zero_result_searches"] == 1 and report["nothing_as_typed_searches"] == 3


def test_a_log_written_before_as_typed_is_read_and_extended(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE searches (id INTEGER PRIMARY KEY, at TEXT NOT NULL, "
                     "query TEXT NOT NULL, results INTEGER NOT NULL, ms REAL NOT NULL)")
        conn.execute("INSERT INTO searches (at, query, results, ms) VALUES (?, 'pan', 2, 1.0)",
                     (datetime.now(UTC).isoformat(),))
    report = read_report(path, days=30)
    assert report["searches"] == 1 and report["nothing_as_typed_queries"] == []
    log = SearchLog(path)
    log.record("castelvania", 4, 1.0, as_typed=0)
    log.close()
    assert [r["query"] for r in read_report(path, days=30)["nothing_as_typed_queries"]] == \
        ["castelvania"]


def test_the_app_logs_what_was_found_as_typed(app, client, tmp_path):
    client.get("/buscar?q=pna")  # only a correction finds «pan»
    client.get("/api/search?q=pan")
    written(app)
    with sqlite3.connect(tmp_path / "searches.sqlite3") as conn:
        logged = conn.execute("SELECT query, results > 0, untyped, as_typed FROM query_days "
                              "ORDER BY last").fetchall()
    assert logged[0] == ("pna", 1, 1, 0)
    assert logged[1][0] == "pan" and logged[1][2] == 0 and logged[1][3] > 0


def test_a_counted_log_made_before_as_typed_gets_the_columns(tmp_path):
    path = tmp_path / "log.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE query_days (day TEXT NOT NULL, query TEXT NOT NULL, "
                     "searches INTEGER NOT NULL, zero INTEGER NOT NULL, ms REAL NOT NULL, "
                     "results INTEGER NOT NULL, last TEXT NOT NULL, PRIMARY KEY (day, query))")
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        conn.execute("INSERT INTO query_days VALUES (?, 'pan', 3, 0, 3.0, 2, ?)", (now[:10], now))
    report = read_report(path, days=30)
    assert report["searches"] == 3 and report["nothing_as_typed_queries"] == []
    log = SearchLog(path)
    log.record("pan", 2, 1.0)
    log.record("castelvania", 4, 1.0, as_typed=0)
    log.close()
    report = read_report(path, days=30)
    assert report["searches"] == 5 and report["nothing_as_typed_searches"] == 1
    assert [r["query"] for r in report["nothing_as_typed_queries"]] == ["castelvania"]
