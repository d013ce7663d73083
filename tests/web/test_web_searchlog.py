"""The search log: what is written (and what never is), retention, the report."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from web_helpers import SAMPLE_BLOG, build_index, make_app

from indexer.run import index_folder
from web.app import create_app
from web.searchlog import (
    FLUSH_ROWS,
    FLUSH_SECONDS,
    SearchLog,
    SearchLogError,
    normalise,
    read_report,
)


def rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT query, results, ms FROM searches ORDER BY id").fetchall()


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
        columns = [c[1] for c in conn.execute("PRAGMA table_info(searches)")]
        dump = "\n".join(conn.iterdump())
    assert columns == ["id", "at", "query", "results", "ms"]
    for secret in ("203.0.113.9", "Secret/1.0", "secreto"):
        assert secret not in dump


def test_refinements_suggestions_and_blank_queries_are_not_logged(client, tmp_path):
    for url in ("/buscar?q=casa&page=2&per_page=3", "/buscar?q=casa&tag=linux",
                "/buscar?q=casa&sort=date", "/api/suggest?q=casa", "/buscar?q=+", "/",
                "/api/related?path=blog/2020-04-10-pan-de-masa-madre.md"):
        assert client.get(url).status_code == 200
    assert not (tmp_path / "searches.sqlite3").exists() or rows(tmp_path / "searches.sqlite3") == []


def test_the_log_can_be_turned_off(blog_index, tmp_path):
    client = make_app(blog_index, tmp_path, SEARCH_LOG=False).test_client()
    assert client.get("/buscar?q=casa").status_code == 200
    assert not (tmp_path / "searches.sqlite3").exists()


def test_the_default_log_sits_beside_the_index(blog_index, tmp_path):
    index = tmp_path / "copy"
    shutil.copytree(blog_index, index)
    app = create_app({"INDEX_DIR": str(index)})
    app.test_client().get("/buscar?q=casa")
    written(app)
    assert rows(index / "searches.sqlite3")[0][0] == "casa"


def test_a_broken_log_never_breaks_search(blog_index, tmp_path, caplog):
    (tmp_path / "searches.sqlite3").mkdir()  # a directory where the database should be
    app = make_app(blog_index, tmp_path)
    assert app.test_client().get("/buscar?q=casa").status_code == 200
    written(app)
    assert "1 searches not written" in caplog.text


def _backdate(path: Path, query: str, days: int, results: int = 0) -> None:
    at = (datetime.now(UTC) - timedelta(days=days)).replace(microsecond=0).isoformat()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO searches (at, query, results, ms) VALUES (?, ?, ?, 1.0)",
                     (at, query, results))


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
    monkeypatch.setattr("web.searchlog.PRUNE_EVERY", 5)
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


def test_the_log_survives_a_full_rebuild_of_the_index(tmp_path):
    index = tmp_path / "index"
    build_index(SAMPLE_BLOG, index)
    app = create_app({"INDEX_DIR": str(index)})
    app.test_client().get("/buscar?q=casa")
    written(app)
    index_folder(SAMPLE_BLOG, index, full=True)
    app.test_client().get("/buscar?q=pan")
    written(app)
    assert [q for q, _, _ in rows(index / "searches.sqlite3")] == ["casa", "pan"]


def test_queued_searches_are_written_by_the_log_itself_within_a_second(tmp_path):
    path = tmp_path / "log.sqlite3"
    log = SearchLog(path)
    log.record("docker", 2, 5.0)
    assert _eventually(lambda: path.exists() and rows(path), seconds=3)
    assert [q for q, _, _ in rows(path)] == ["docker"]
    started = time.monotonic()
    for n in range(FLUSH_ROWS):  # a full batch is written without waiting for the second
        log.record(f"q{n}", 1, 1.0)
    assert _eventually(lambda: len(rows(path)) == 1 + FLUSH_ROWS, seconds=3)
    assert time.monotonic() - started < FLUSH_SECONDS
    log.close()


def _eventually(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
