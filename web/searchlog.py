"""What readers look for: each search (normalised text, result count, time) in SQLite.

Never an IP address, a cookie or a user agent: a row is when, what, how many, how fast.
The database sits beside the index (``searches.sqlite3``); old rows are pruned by age and
by count. ``SearchLog`` is the library API; ``blogsearch report`` is a thin shell over it.
"""

from __future__ import annotations

import atexit
import logging
import os
import sqlite3
import threading
import unicodedata
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

LOG_NAME = "searches.sqlite3"
PRUNE_EVERY = 200  # rows written between two prunings
FLUSH_SECONDS = 1.0  # queued searches are written at least this often...
FLUSH_ROWS = 256  # ...and as soon as this many are queued
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

    Searches are queued and written together, by a background thread, at least every
    ``FLUSH_SECONDS``: one transaction per batch instead of one per search, so server workers
    sharing the log do not wait on each other's writes. A crash may lose the last second of
    the log, never the file. Writing never raises: a search must not fail because its log line
    could not be written.
    """

    def __init__(self, path: str | os.PathLike, days: int = 90, max_rows: int = 100_000) -> None:
        self.path = Path(path)
        self.days = days
        self.max_rows = max_rows
        self._lock = threading.Lock()  # the queue and the writer thread
        self._db_lock = threading.Lock()  # the connection
        self._conn: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, int, float]] = []
        self._unpruned = 0
        self._wake = threading.Event()
        self._writer: threading.Thread | None = None
        atexit.register(_flush_if_alive, weakref.ref(self))

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=5)
            conn.execute("PRAGMA journal_mode=WAL")
            # No fsync per batch: a crash may lose the last few log lines, never the file.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
            self._conn = conn
        return self._conn

    def record(self, query: str, results: int, ms: float) -> None:
        """Queue one search for the log (written within ``FLUSH_SECONDS``)."""
        text = normalise(query)
        if not text:
            return
        row = (_now().isoformat(), text, int(results), round(float(ms), 3))
        with self._lock:
            self._pending.append(row)
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_loop, daemon=True,
                                                name="search-log")
                self._writer.start()
            if len(self._pending) >= FLUSH_ROWS:
                self._wake.set()

    def _write_loop(self) -> None:
        """Write batches until a second passes without a search; ``record`` starts another."""
        while True:
            self._wake.wait(FLUSH_SECONDS)
            self._wake.clear()
            self.flush()
            with self._lock:
                if not self._pending:
                    self._writer = None
                    return

    def flush(self) -> None:
        """Write the queued searches now; prune old rows now and then. Errors are logged."""
        with self._lock:
            rows, self._pending = self._pending, []
        if not rows:
            return
        try:
            with self._db_lock:
                conn = self._connect()
                with conn:
                    conn.executemany(
                        "INSERT INTO searches (at, query, results, ms) VALUES (?, ?, ?, ?)", rows)
                if self._unpruned == 0 or self._unpruned + len(rows) > PRUNE_EVERY:
                    self._prune(conn)
                    self._unpruned = 0
                self._unpruned += len(rows)
        except sqlite3.Error as exc:
            logger.warning("search log %s: %d searches not written (%s)", self.path, len(rows), exc)

    def prune(self) -> None:
        """Drop rows older than ``days`` and all but the newest ``max_rows``."""
        self.flush()
        with self._db_lock:
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
        """Write what is queued and close the database connection (a later write reopens it)."""
        self.flush()
        with self._db_lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _flush_if_alive(ref: weakref.ref) -> None:
    """At interpreter exit: write what a search log still has queued."""
    log = ref()
    if log is not None:
        log.flush()


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
