"""Fixtures for the search tests: the sample blog indexed once per session, and small
purpose-built blogs (indexed into tmp) where a test needs to control the ranking."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from blogsearch.indexer.run import index_folder
from blogsearch.search.engine import Engine
from blogsearch.search.records import Post
from blogsearch.search.store import Manifest, save_manifest, write_posts
from tests.helpers import post_text, result_paths, write_file


@pytest.fixture(scope="session")
def post() -> Callable[..., str]:
    """post(title, body, **front_matter) → the text of a Markdown post file."""
    return post_text


@pytest.fixture(scope="session")
def engine(sample_engine: Engine) -> Engine:
    """An Engine over the sample blog (the session's shared one)."""
    return sample_engine


@pytest.fixture(scope="session")
def make_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[dict], Engine]]:
    """make_engine({rel_path: text}) → an Engine over a new blog holding exactly those posts."""
    engines: list[Engine] = []

    def build(files: dict[str, str]) -> Engine:
        root = tmp_path_factory.mktemp("blog")
        for rel_path, text in files.items():
            write_file(root / "content" / rel_path, text)
        report = index_folder(root / "content", root / "index")
        assert not report.problems, report.problems
        assert report.posts == len(files), report
        built = Engine(root / "index")
        engines.append(built)
        return built

    yield build
    for built in engines:
        built.close()


@pytest.fixture(scope="session")
def ranked() -> Callable[[dict], list[str]]:
    """ranked(engine.search(...)) → the result paths in rank order."""
    return result_paths


@pytest.fixture(scope="session")
def make_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Engine]]:
    """make_index(posts, language) → an Engine over an index of exactly those Post records,
    whose manifest gives ``language`` as the site's main one."""
    engines: list[Engine] = []

    def build(posts: list[Post], language: str) -> Engine:
        index_dir = tmp_path_factory.mktemp("index")
        write_posts(index_dir, posts, removed=[])
        save_manifest(index_dir, Manifest(language=language,
                                          hashes={p.path: p.path for p in posts}))
        built = Engine(index_dir)
        engines.append(built)
        return built

    yield build
    for built in engines:
        built.close()
