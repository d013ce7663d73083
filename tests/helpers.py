"""What test files share: the repository's paths, post files, the real indexer and
``blogsearch`` command, search results, waiting, apps and servers on local ports, reading HTML.

Import as ``from tests.helpers import ...``. What only one area needs stays in that area
(tests/robustness/synthetic.py, an area's conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode
from werkzeug.serving import make_server

from blogsearch.indexer.run import index_folder
from blogsearch.search.engine import Engine
from blogsearch.search.records import Post
from blogsearch.web.app import create_app

# -- paths ----------------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_BLOG = ROOT / "examples" / "blog"
SAMPLE_SITES = ROOT / "examples" / "sites"
SAMPLE_EXPORTS = ROOT / "examples" / "exports"
SHARED = Path(os.environ.get("BLOGSEARCH_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
CORPUS_FORMATS = SHARED / "corpus-formats"
EVAL = SHARED / "eval"

# The installed ``blogsearch`` command, as a user runs it.
CLI = [str(Path(sys.executable).with_name("blogsearch"))]


# -- posts and indexes ----------------------------------------------------------------------
def post_text(title: str | None = None, body: str = "", **front: object) -> str:
    """A Markdown post with a YAML header (values written as JSON, which YAML reads)."""
    header = {"title": title, **front} if title is not None else front
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in header.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def translated_post(path: str, title: str, body: str, lang: str, **fields) -> Post:
    """A Post record whose translation key is its path without the language (``pan.en.md`` and
    ``pan.md`` translate each other), as the indexer makes it."""
    stem = path.split(".")[0]
    return Post(path=path, url=f"/{path.removesuffix('.md')}/", title=title, body=body, lang=lang,
                translation_key=f"path:/{stem}.md", **fields)


def write_file(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) at ``path``, making its folders; return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def build_index(content_dir: Path, index_dir: Path) -> Path:
    """Index ``content_dir`` into ``index_dir`` with the real indexer; fail on any problem."""
    report = index_folder(content_dir, index_dir)
    assert report.posts > 0, report
    return index_dir


def copy_tree(source: Path, target: Path) -> Path:
    """A copy of ``source`` at ``target`` (symlinks copied as links)."""
    shutil.copytree(source, target, symlinks=True)
    return target


def result_paths(found: dict) -> list[str]:
    """The paths of a search result (``Engine.search`` or the JSON API), in rank order."""
    return [hit["path"] for hit in found["results"]]


def found_paths(index_dir: Path, query: str) -> list[str]:
    """The result paths (up to 100) of ``query`` as a new Engine over ``index_dir`` finds them,
    as a newly started server would."""
    engine = Engine(index_dir)
    try:
        return result_paths(engine.search(query, per_page=100, snippets=False, facets=False))
    finally:
        engine.close()


def message_codes(found: dict) -> list[str]:
    """The codes of a search result's messages."""
    return [message["code"] for message in found["messages"]]


def everything(engine, query: str = "", **options) -> dict:
    """``engine.search`` with up to 100 results on the page."""
    return engine.search(query, per_page=100, **options)


# -- processes ------------------------------------------------------------------------------
def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, timeout: float = 120,
            **options) -> subprocess.CompletedProcess:
    """Run the real ``blogsearch`` command to its end (``options`` go to ``subprocess.run``)."""
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, **(env or {})}, **options)


def child_pids(pid: int) -> list[int]:
    """The process ids of ``pid``'s children (none once it has ended); needs Linux's /proc."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def wait_until(condition: Callable[[], bool], timeout: float, interval: float = 0.05
               ) -> float | None:
    """Seconds until ``condition()`` held, or None if it did not within ``timeout``."""
    start = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            return None
        time.sleep(interval)


# -- HTTP on local ports --------------------------------------------------------------------
def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(url: str, timeout: float = 10) -> tuple[int, Message, bytes]:
    """(status, headers, body) of a GET, error statuses included; OSError if nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def answers(url: str) -> bool:
    """Whether a GET of ``url`` answers 200."""
    try:
        return http_get(url, timeout=5)[0] == 200
    except OSError:
        return False


def make_app(index_dir: Path, log_dir: Path | None = None, **config):
    """A testing app over ``index_dir``; its search log in ``log_dir`` (off without one)."""
    log = {"SEARCH_LOG_PATH": str(log_dir / "searches.sqlite3")} if log_dir else {"SEARCH_LOG": False}
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True, **log, **config})


@contextmanager
def running(app) -> Iterator[str]:
    """Serve ``app`` on a free local port (werkzeug's threaded server, in a thread of this
    process); yield its base URL. The CLI tests run the real ``blogsearch serve``."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- reading HTML ---------------------------------------------------------------------------
def html(response) -> HTMLParser:
    """The parsed HTML of a test-client response (which must be HTML)."""
    assert response.content_type.startswith("text/html"), response.content_type
    return HTMLParser(response.get_data(as_text=True))


def text_of(node: LexborNode) -> str:
    """The text of ``node``, whitespace collapsed."""
    return " ".join(node.text().split())


def texts(tree: HTMLParser, selector: str) -> list[str]:
    """The text of every element matching ``selector``, whitespace collapsed."""
    return [text_of(node) for node in tree.css(selector)]


def hrefs(tree: HTMLParser, selector: str) -> list[str]:
    """The href of every element matching ``selector``."""
    return [node.attributes.get("href") or "" for node in tree.css(selector)]


def query_of(url: str) -> dict[str, list[str]]:
    """The parsed query string of ``url``."""
    return parse_qs(urlsplit(url).query)
