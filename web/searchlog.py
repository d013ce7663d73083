"""What readers look for: each search (normalised text, result count, time) in SQLite.

Never an IP address, a cookie or a user agent: a row is when, what, how many, how fast.
The database sits beside the index (``searches.sqlite3``); old rows are pruned by age and
by count. ``SearchLog`` is the library API; ``blogsearch report`` is a thin shell over it.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

LOG_NAME = "searches.sqlite3"
PRUNE_EVERY = 200
MAX_LOGGED_CHARS = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS searches (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    query TEXT NOT NULL,
    results INTEGER NOT NULL,
    ms REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS searches_at ON searches (at);
"""

logger = logging.getLogger(__name__)


class SearchLogError(Exception):
    """The search log cannot be read (message says why)."""


def normalise(query: str) -> str:
    """The form a query is logged and grouped under: NFC, lowercase, single spaces."""
    text = unicodedata.normalize("NFC", query).casefold()
    return " ".join(text.split())[:MAX_LOGGED_CHARS]


def log_path(index_dir: str | os.PathLike) -> Path:
    """Where the search log of the index in ``index_dir`` lives."""
    return Path(index_dir) / LOG_NAME


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass
class QueryCount:
    """One line of a report: a query, how often it was searched, its latest result count."""

    query: str
    searches: int
    results: int
    last: str


class SearchLog:
    """A thread-safe writer (and reader) of the search log at ``path``.

    Writing never raises: a search must not fail because its log line could not be written.
    """

    def __init__(self, path: str | os.PathLike, days: int = 90, max_rows: int = 100_000) -> None:
        self.path = Path(path)
        self.days = days
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._writes = 0

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=5)
            conn.execute("PRAGMA journal_mode=WAL")
            # No fsync per search: a crash may lose the last few log lines, never the file.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    def record(self, query: str, results: int, ms: float) -> None:
        """Log one search; prune old rows now and then. Errors are logged, not raised."""
        text = normalise(query)
        if not text:
            return
        try:
            with self._lock:
                conn = self._connect()
                with conn:
                    conn.execute(
                        "INSERT INTO searches (at, query, results, ms) VALUES (?, ?, ?, ?)",
                        (_now().isoformat(), text, int(results), round(float(ms), 3)),
                    )
                self._writes += 1
                if self._writes % PRUNE_EVERY == 1:
                    self._prune(conn)
        except sqlite3.Error as exc:
            logger.warning("search log %s: not written (%s)", self.path, exc)

    def prune(self) -> None:
        """Drop rows older than ``days`` and all but the newest ``max_rows``."""
        with self._lock:
            self._prune(self._connect())

    def _prune(self, conn: sqlite3.Connection) -> None:
        cutoff = (_now() - timedelta(days=self.days)).isoformat()
        with conn:
            conn.execute("DELETE FROM searches WHERE at < ?", (cutoff,))
            conn.execute(
                "DELETE FROM searches WHERE id <= "
                "(SELECT id FROM searches ORDER BY id DESC LIMIT 1 OFFSET ?)",
                (self.max_rows,),
            )

    def close(self) -> None:
        """Close the database connection (a later write reopens it)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def read_report(path: str | os.PathLike, days: int, limit: int = 20) -> dict:
    """Most searched queries and most searched queries with zero results, last ``days`` days."""
    path = Path(path)
    if not path.exists():
        raise SearchLogError(
            f"{path}: no search log yet (it is written by `blogsearch serve` unless --no-log)"
        )
    since = (_now() - timedelta(days=days)).isoformat()
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise SearchLogError(f"{path}: cannot open the search log ({exc})") from exc
    try:
        total, zero, avg_ms = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(results = 0), 0), COALESCE(AVG(ms), 0) "
            "FROM searches WHERE at >= ?", (since,),
        ).fetchone()
        top = _grouped(conn, since, "", limit)
        zero_rows = _grouped(conn, since, "HAVING MAX(id) = MAX(CASE WHEN results = 0 "
                                          "THEN id END)", limit)
    except sqlite3.Error as exc:
        raise SearchLogError(f"{path}: not a readable search log ({exc})") from exc
    finally:
        conn.close()
    return {
        "days": days,
        "since": since,
        "searches": total,
        "zero_result_searches": zero,
        "average_ms": round(avg_ms, 2),
        "top_queries": [vars(row) for row in top],
        "zero_result_queries": [vars(row) for row in zero_rows],
    }


def _grouped(conn: sqlite3.Connection, since: str, having: str, limit: int) -> list[QueryCount]:
    # ``results`` is the count of the latest search of that query (the index may have grown).
    rows = conn.execute(
        "SELECT query, COUNT(*) AS n, "
        "(SELECT results FROM searches s2 WHERE s2.query = s1.query ORDER BY id DESC LIMIT 1), "
        "MAX(at) FROM searches s1 WHERE at >= ? GROUP BY query " + having +
        " ORDER BY n DESC, MAX(at) DESC LIMIT ?",
        (since, limit),
    ).fetchall()
    return [QueryCount(query, n, results, last) for query, n, results, last in rows]
