"""Helpers for the web tests: real indexes, apps, a real server, reading pages."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from werkzeug.serving import make_server

from blogsearch.indexer.run import index_folder
from blogsearch.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_BLOG = ROOT / "examples" / "blog"
SAMPLE_SITES = ROOT / "examples" / "sites"


def build_index(content_dir: Path, index_dir: Path) -> Path:
    """Index ``content_dir`` into ``index_dir`` with the real indexer; fail on any problem."""
    report = index_folder(content_dir, index_dir)
    assert report.posts > 0, report
    return index_dir


def make_app(index_dir: Path, tmp_path: Path, **config):
    """An app over ``index_dir`` whose search log lives in ``tmp_path``."""
    settings = {"INDEX_DIR": str(index_dir), "TESTING": True,
                "SEARCH_LOG_PATH": str(tmp_path / "searches.sqlite3")}
    return create_app({**settings, **config})


@contextmanager
def running(app) -> Iterator[str]:
    """Serve ``app`` on a free local port (werkzeug's threaded server, in a thread of this
    process); yield its base URL. ``test_web_cli`` runs the real ``blogsearch serve``."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)




def html(response) -> HTMLParser:
    """The parsed HTML of a test-client response (which must be HTML)."""
    assert response.content_type.startswith("text/html"), response.content_type
    return HTMLParser(response.get_data(as_text=True))


def texts(tree: HTMLParser, selector: str) -> list[str]:
    """The text of every element matching ``selector``, whitespace collapsed."""
    return [" ".join(node.text().split()) for node in tree.css(selector)]


def hrefs(tree: HTMLParser, selector: str) -> list[str]:
    """The href of every element matching ``selector``."""
    return [node.attributes.get("href") or "" for node in tree.css(selector)]


def query_of(url: str) -> dict[str, list[str]]:
    """The parsed query string of ``url``."""
    return parse_qs(urlsplit(url).query)
