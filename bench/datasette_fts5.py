"""The HTTP baseline of ``bench/http_load.py``: Datasette serving the posts from SQLite FTS5.

The same cleaned records blogsearch indexes go into one FTS5 table (``bench.common.Fts5``:
unicode61 without diacritics), served read-only (``datasette -i``) with one canned query:
the OR of the query's words, bm25 with title and tags weighted, the top 10 with FTS5's own
snippet of the body, and the number of matching posts, as JSON. Datasette is a
benchmark-only dependency (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

from bench.common import Fts5, LocalServer, free_port

SEARCH_SQL = (
    "select path, title, snippet(posts, 3, '<mark>', '</mark>', '…', 32) as snippet, "
    "(select count(*) from posts where posts match :q) as total "
    "from posts where posts match :q order by bm25(posts, 10, 5, 1) limit 10"
)
INSTALL_HELP = ("Datasette is needed for the baseline: pip install -e '.[bench]' "
                "(or pass --no-datasette)")


def datasette_paths(queries: list[str]) -> list[str]:
    """The canned query's JSON URL for each query that has a word (FTS5's OR of its words)."""
    return [f"/posts/search.json?q={quote(match)}" for match in map(Fts5.match_expression, queries)
            if match]


def find_datasette() -> str:
    """The ``datasette`` command beside this Python (or on ``PATH``); a clear exit without."""
    found = shutil.which("datasette", path=str(Path(sys.executable).parent)) \
        or shutil.which("datasette")
    if found is None:
        sys.exit(INSTALL_HELP)
    return found


def datasette_server(datasette: str, posts: list, folder: Path) -> LocalServer:
    """``datasette`` over an FTS5 database of ``posts`` written into ``folder`` (not started)."""
    database = folder / "posts.db"
    Fts5(posts, str(database)).db.close()
    metadata = folder / "metadata.json"
    metadata.write_text(json.dumps(
        {"databases": {"posts": {"queries": {"search": {"sql": SEARCH_SQL}}}}}), encoding="utf-8")
    port = free_port()
    return LocalServer([datasette, "serve", "-i", str(database), "--metadata", str(metadata),
                        "--host", "127.0.0.1", "--port", str(port)],
                       port, folder / "datasette.log", ready_path="/-/versions.json")
