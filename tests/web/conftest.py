"""Fixtures for the web tests: real indexes of real blogs, apps, a real HTTP server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from blogsearch.search.records import Post
from blogsearch.search.store import Manifest, save_manifest, write_posts
from tests.helpers import SAMPLE_SITES, build_index, make_app, running, translated_post

CHROMIUM = Path("/usr/bin/chromium")

# Posts whose titles try to run script; none of them may ever execute. The indexer strips
# markup from titles, so posts titled ``RAW_TITLES`` also go straight into the index (as an
# indexer bug or another tool could put them) to test the web layer's own escaping.
XSS_FILES = {
    "script-en-titulo.md": (
        '<script>window.__xss = "file-title"</script> Receta de tortilla',
        "La tortilla de patatas lleva huevo, patata y cebolla.",
    ),
    "cuerpo-peligroso.md": (
        "Tortilla francesa rápida",
        'Una tortilla francesa <script>window.__xss="body"</script> en dos minutos '
        '<img src=x onerror="window.__xss=\'body-onerror\'">.',
    ),
}
RAW_TITLES = {
    "raw/script.md": '<script>window.__xss="title-script"</script> Tortilla de la abuela',
    "raw/onerror.md": '<img src=x onerror="window.__xss=\'title-onerror\'"> Tortilla sin cebolla',
}


@pytest.fixture(scope="session")
def hugo_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index of the Hugo example site (headings with ids, a page bundle's image)."""
    return build_index(SAMPLE_SITES / "hugo", tmp_path_factory.mktemp("hugo") / "index")


@pytest.fixture
def hugo_client(hugo_index: Path, tmp_path: Path):
    return make_app(hugo_index, tmp_path).test_client()


def _served(index_dir: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[str]:
    """An app over ``index_dir`` served over HTTP on a free local port (its log in a new tmp)."""
    with running(make_app(index_dir, tmp_path_factory.mktemp(f"{name}-log"))) as url:
        yield url


@pytest.fixture(scope="session")
def hugo_server(hugo_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Hugo example site's index served over HTTP on a free local port."""
    yield from _served(hugo_index, tmp_path_factory, "hugo")


@pytest.fixture(scope="session")
def xss_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of a small blog whose titles, tags, bodies and URLs carry script payloads."""
    content = tmp_path_factory.mktemp("xss-blog") / "content"
    (content / "posts").mkdir(parents=True)
    for day, (name, (title, body)) in enumerate(XSS_FILES.items(), start=1):
        quoted = title.replace("\\", "\\\\").replace('"', '\\"')
        (content / "posts" / name).write_text(
            f'---\ntitle: "{quoted}"\ndate: 2021-05-0{day}\ntags: [cocina, "<b>huevo</b>"]\n'
            f"---\n\n{body}\n",
            encoding="utf-8",
        )
    index_dir = build_index(content, content.parent / "index")
    raw = [
        Post(path=path, url=f"javascript:window.__xss='{n}-url'", title=title,
             body="Otra tortilla, esta vez con <mark>marcas</mark> y &amp; entidades.",
             date=datetime(2022, 1, n + 1, tzinfo=UTC), author='<img src=x onerror="1">',
             tags=['<img src=x onerror="window.__xss=\'tag\'">', "cocina"])
        for n, (path, title) in enumerate(RAW_TITLES.items())
    ]
    write_posts(index_dir, raw, removed=[])
    return index_dir


def _bilingual(path: str, title: str, body: str, lang: str, day: int, **fields) -> Post:
    """A translatable post of March 2021 (``day`` 0: undated)."""
    return translated_post(path, title, body, lang,
                           date=datetime(2021, 3, day, tzinfo=UTC) if day else None, **fields)


# A Spanish blog with translations; "" is a post that did not say (the main language).
BILINGUAL_POSTS = [
    _bilingual("docker.md", "Docker en casa", "Contenedores docker en el servidor de casa.", "",
               1, author="Lucía", tags=["Docker"]),
    _bilingual("docker.en.md", "Docker at home", "Docker containers on the home server.", "en",
               2, author="Lucía", tags=["Docker"]),
    _bilingual("sobre.md", "Sobre mí", "Escribo de pan y de docker.", "es", 0, kind="page"),
    _bilingual("pain.fr.md", "Pain au levain", "Recette du pain au levain et seigle.", "fr", 3),
]


@pytest.fixture(scope="session")
def bilingual_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of ``BILINGUAL_POSTS`` whose manifest says the site is in Spanish."""
    index_dir = tmp_path_factory.mktemp("bilingual")
    write_posts(index_dir, BILINGUAL_POSTS, removed=[])
    save_manifest(index_dir, Manifest(language="es",
                                      hashes={p.path: p.path for p in BILINGUAL_POSTS}))
    return index_dir


@pytest.fixture
def bilingual(bilingual_index: Path, tmp_path: Path):
    """A test client of an app over ``bilingual_index``."""
    return make_app(bilingual_index, tmp_path).test_client()


@pytest.fixture
def app(sample_index: Path, tmp_path: Path):
    """An app over the sample blog whose search log lives in ``tmp_path``."""
    return make_app(sample_index, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(sample_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample blog served over HTTP on a free local port."""
    yield from _served(sample_index, tmp_path_factory, "live")


@pytest.fixture(scope="session")
def xss_server(xss_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The script-payload blog served over HTTP on a free local port."""
    yield from _served(xss_index, tmp_path_factory, "xss")


CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _unavailable(reason: str) -> None:
    """Skip loudly on a developer's machine; fail in CI, where the browser tests must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(f"BROWSER TESTS SKIPPED: {reason} (with CI=true this is a failure)")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never Playwright's own browser download)."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed; run `bash .ci/install-browser.sh`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing; run `pip install -e .[test]`")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh Spanish-speaking browser tab that records page errors and dialogs."""
    context = browser.new_context(locale="es-ES", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.errors = []
    tab.dialogs = []
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))

    def on_dialog(dialog) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab
    context.close()
