"""What readers look for: searches (normalised text, result count, time) counted in SQLite.

Never an IP address, a cookie or a user agent: a row is a day, a query, how often it was
searched that day, how many of those found nothing, how many found nothing as typed but were
answered through a spelling correction or by leaving words out, their total time, and the
result count, the count found as typed and the time of the latest. Repeats of a query add to
its count instead of adding rows, so a flood of one query costs one row a day; when the log is
over its size, the rows searched least (oldest first) go first, so a flood of different
queries pushes out other one-off queries, not the searches readers repeat. The database sits
beside the index (``searches.sqlite3``). ``SearchLog`` is the library API; ``blogsearch
report`` is a thin shell over it.
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
CREATE TABLE IF NOT EXISTS query_days (
    day TEXT NOT NULL,
    query TEXT NOT NULL,
    searches INTEGER NOT NULL,
    zero INTEGER NOT NULL,
    ms REAL NOT NULL,
    results INTEGER NOT NULL,
    last TEXT NOT NULL,
    untyped INTEGER NOT NULL DEFAULT 0,
    as_typed INTEGER,
    PRIMARY KEY (day, query)
);
CREATE INDEX IF NOT EXISTS query_days_least ON query_days (searches, last);
"""
# The log before queries were counted: one row per search. Read once into query_days.
_LEGACY_MIGRATION = """
INSERT OR IGNORE INTO query_days (day, query, searches, zero, ms, results, last)
SELECT day, query, n, zero, ms, results, at FROM (
    SELECT substr(at, 1, 10) AS day, query, COUNT(*) AS n, SUM(results = 0) AS zero,
           SUM(ms) AS ms, results, at, MAX(id)
    FROM searches GROUP BY substr(at, 1, 10), query);
DROP TABLE searches;
"""
_UPSERT = """
INSERT INTO query_days (day, query, searches, zero, ms, results, last, untyped, as_typed)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (day, query) DO UPDATE SET
    searches = searches + excluded.searches, zero = zero + excluded.zero, ms = ms + excluded.ms,
    untyped = untyped + excluded.untyped,
    results = CASE WHEN excluded.last >= last THEN excluded.results ELSE results END,
    as_typed = CASE WHEN excluded.last >= last THEN excluded.as_typed ELSE as_typed END,
    last = MAX(last, excluded.last)
"""
# Columns added since the table was first made: (name, definition).
_ADDED_COLUMNS = (("untyped", "INTEGER NOT NULL DEFAULT 0"), ("as_typed", "INTEGER"))
# A query whose latest search found posts only through a correction or without some words.
_NOTHING_AS_TYPED = "results > 0 AND COALESCE(as_typed, results) = 0"

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
        self._pending: list[tuple[str, str, int, float, int]] = []
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
            _create(conn)
            self._conn = conn
        return self._conn

    def record(self, query: str, results: int, ms: float, as_typed: int | None = None) -> None:
        """Queue one search for the log (written within ``FLUSH_SECONDS``). ``as_typed``: the
        posts found as typed (0 when only a correction or leaving words out found any);
        ``results`` when not given."""
        text = normalise(query)
        if not text:
            return
        row = (_now().isoformat(), text, int(results), round(float(ms), 3),
               int(results if as_typed is None else as_typed))
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
                    conn.executemany(_UPSERT, _counted(rows))
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
        cutoff = (_now() - timedelta(days=self.days)).date().isoformat()
        with conn:
            conn.execute("DELETE FROM query_days WHERE day < ?", (cutoff,))
            (count,) = conn.execute("SELECT COUNT(*) FROM query_days").fetchone()
            if count > self.max_rows:
                conn.execute(
                    "DELETE FROM query_days WHERE rowid IN (SELECT rowid FROM query_days "
                    "ORDER BY searches, last, rowid LIMIT ?)", (count - self.max_rows,))

    def close(self) -> None:
        """Write what is queued and close the database connection (a later write reopens it)."""
        self.flush()
        with self._db_lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _counted(rows: list[tuple[str, str, int, float, int]]) -> list[tuple]:
    """Searches (time, query, results, ms, as typed) as one row per day and query, for
    ``_UPSERT``."""
    counted: dict[tuple[str, str], list] = {}
    for at, query, results, ms, as_typed in rows:
        key = (at[:10], query)
        row = counted.setdefault(key, [key[0], query, 0, 0, 0.0, results, at, 0, as_typed])
        row[2] += 1
        row[3] += results == 0
        row[4] += ms
        row[7] += results > 0 and as_typed == 0
        row[5], row[6], row[8] = results, at, as_typed
    return [tuple(row) for row in counted.values()]


def _create(conn: sqlite3.Connection) -> None:
    """The log's table, with the rows of a log written before queries were counted."""
    conn.executescript(_SCHEMA)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(query_days)")}
    with conn:
        for name, definition in _ADDED_COLUMNS:
            if name not in columns:
                conn.execute(f"ALTER TABLE query_days ADD COLUMN {name} {definition}")
    legacy = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'searches'").fetchone()
    if legacy:
        with conn:
            conn.executescript(_LEGACY_MIGRATION)


def _flush_if_alive(ref: weakref.ref) -> None:
    """At interpreter exit: write what a search log still has queued."""
    log = ref()
    if log is not None:
        log.flush()


def read_report(path: str | os.PathLike, days: int, limit: int = 20) -> dict:
    """Most searched queries, most searched queries with zero results, and most searched
    queries that found nothing as typed (answered only through a spelling correction or by
    leaving words out), over the last ``days`` days."""
    path = Path(path)
    if not path.exists():
        raise SearchLogError(
            f"{path}: no search log yet (it is written by `blogsearch serve` unless --no-log)"
        )
    since = (_now() - timedelta(days=days)).isoformat()
    try:
        conn = _open_for_report(path)
    except sqlite3.Error as exc:
        raise SearchLogError(f"{path}: cannot open the search log ({exc})") from exc
    try:
        total, zero, untyped, total_ms = conn.execute(
            "SELECT COALESCE(SUM(searches), 0), COALESCE(SUM(zero), 0), "
            "COALESCE(SUM(untyped), 0), COALESCE(SUM(ms), 0) FROM query_days WHERE day >= ?",
            (since[:10],),
        ).fetchone()
        top = _grouped(conn, since, "", limit)
        zero_rows = _grouped(conn, since, "HAVING results = 0", limit)
        untyped_rows = _grouped(conn, since, f"HAVING {_NOTHING_AS_TYPED}", limit)
    except sqlite3.Error as exc:
        raise SearchLogError(f"{path}: not a readable search log ({exc})") from exc
    finally:
        conn.close()
    return {
        "days": days,
        "since": since,
        "searches": total,
        "zero_result_searches": zero,
        "nothing_as_typed_searches": untyped,
        "average_ms": round(total_ms / total, 2) if total else 0,
        "top_queries": [vars(row) for row in top],
        "zero_result_queries": [vars(row) for row in zero_rows],
        "nothing_as_typed_queries": [vars(row) for row in untyped_rows],
    }


def _open_for_report(path: Path) -> sqlite3.Connection:
    """The log opened read-only; a log written before queries were counted, or before the
    columns of ``_ADDED_COLUMNS``, is converted first."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    columns = {row[1] for row in conn.execute("PRAGMA table_info(query_days)")}
    current = "query_days" in tables and {name for name, _ in _ADDED_COLUMNS} <= columns
    if current or not tables & {"query_days", "searches"}:
        return conn
    conn.close()
    with sqlite3.connect(path, timeout=5) as writable:
        _create(writable)
    writable.close()
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)


def _grouped(conn: sqlite3.Connection, since: str, having: str, limit: int) -> list[QueryCount]:
    # ``results`` is the count of the latest search of that query (the index may have grown):
    # SQLite takes a bare column from the row that gives MAX(last).
    rows = conn.execute(
        "SELECT query, SUM(searches) AS n, results, MAX(last) FROM query_days WHERE day >= ? "
        "GROUP BY query " + having + " ORDER BY n DESC, MAX(last) DESC LIMIT ?",
        (since[:10], limit),
    ).fetchall()
    return [QueryCount(query, n, results, last) for query, n, results, last in rows]
