"""Default settings of the web app; ``create_app(config)`` overrides any of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from blogsearch.search.request import (
    MAX_FILTER_CHARS,
    MAX_LIMIT,
    MAX_PAGE,
    MAX_PER_PAGE,
    PER_PAGE,
    RELATED_LIMIT,
    SUGGEST_LIMIT,
)

# Set by `blogsearch serve --no-log` for its worker processes (web/served.py).
NO_LOG_ENV = "BLOGSEARCH_SERVE_NO_LOG"

DEFAULTS: dict[str, Any] = {
    # Where the index is; None means the default (``$BLOGSEARCH_INDEX`` or ./.blogsearch).
    "INDEX_DIR": None,
    # Shown in the page header, the <title> and the OpenSearch description.
    "SITE_NAME": "blogsearch",
    # Link back to the blog from the footer ("" hides it).
    "SITE_URL": "",
    # The address readers reach this search service at (https://buscar.example.com): the
    # absolute URLs of /opensearch.xml and /api/openapi.json. "" gives paths without a host;
    # never taken from the request's Host header.
    "SEARCH_URL": "",
    # Origins allowed to call /api/* from a browser: a list, a comma-separated string or "*".
    "CORS_ORIGINS": [],
    # Search log: SQLite beside the index; never IPs or cookies.
    "SEARCH_LOG": True,
    "SEARCH_LOG_PATH": None,  # None: INDEX_DIR/searches.sqlite3
    "SEARCH_LOG_DAYS": 90,
    "SEARCH_LOG_MAX_ROWS": 100_000,
    # Results of searches asked more than once, kept per index version (0: none; None: the
    # engine's default, 512). A search asked once is never kept.
    "RESULT_CACHE_SIZE": None,
    # Request bounds (a clear 400 beyond them). The engine itself searches at most the
    # first 500 characters of a query and says so.
    "MAX_QUERY_CHARS": 2000,
    "MAX_PAGE": MAX_PAGE,  # at most the engine's own bounds
    "MAX_PER_PAGE": MAX_PER_PAGE,
    "PER_PAGE": PER_PAGE,
    "MAX_FILTER_VALUES": 20,
    "MAX_FILTER_CHARS": MAX_FILTER_CHARS,
    "SUGGEST_LIMIT": SUGGEST_LIMIT,
    "RELATED_LIMIT": RELATED_LIMIT,
    # Languages the page is offered in (a link on every page switches to the next one).
    "LANGUAGES": ["es", "en"],
    # The page's language: the blog's, whatever the reader's browser prefers. One of LANGUAGES.
    "UI_LANGUAGE": "es",
    # True: the browser's Accept-Language picks among LANGUAGES (UI_LANGUAGE when it names none).
    "UI_LANGUAGE_FROM_BROWSER": False,
    "BABEL_DEFAULT_TIMEZONE": "UTC",
    # Browser cache lifetime of /static files, in seconds.
    "SEND_FILE_MAX_AGE_DEFAULT": 3600,
}

# Settings that must stay within the engine's own bounds: (lowest, highest).
BOUNDS: dict[str, tuple[int, int]] = {
    "MAX_PAGE": (1, MAX_PAGE), "MAX_PER_PAGE": (1, MAX_PER_PAGE), "PER_PAGE": (1, MAX_PER_PAGE),
    "SUGGEST_LIMIT": (1, MAX_LIMIT), "RELATED_LIMIT": (1, MAX_LIMIT),
}


def check_bounds(config: Mapping[str, Any]) -> None:
    """Raise ValueError naming the first of ``BOUNDS`` out of its range (a page the engine would
    refuse must not be offered), or a ``PER_PAGE`` over ``MAX_PER_PAGE``."""
    for name, (low, high) in BOUNDS.items():
        value = config[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"{name}: must be a whole number from {low} to {high}, not {value!r}")
    if config["PER_PAGE"] > config["MAX_PER_PAGE"]:
        raise ValueError(f"PER_PAGE: must be at most MAX_PER_PAGE ({config['MAX_PER_PAGE']})")
