"""Fixtures for the indexer unit tests: parse one post from text, the sample blog's location."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from blogsearch.indexer.parse import Parsed, parse_post
from blogsearch.search.records import Post
from tests.helpers import SAMPLE_BLOG


def _raw(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


@pytest.fixture(scope="session")
def sample_blog() -> Path:
    """examples/blog (read only: copy it before changing anything)."""
    assert SAMPLE_BLOG.is_dir(), SAMPLE_BLOG
    return SAMPLE_BLOG


@pytest.fixture
def parse_file() -> Callable[..., Parsed]:
    """parse_file(content, path="post.md", **options) → Parsed (post, skip reason, warnings)."""

    def run(content: str | bytes, path: str = "post.md", **options) -> Parsed:
        return parse_post(path, _raw(content), **options)

    return run


@pytest.fixture
def parse(parse_file) -> Callable[..., Post]:
    """parse(content, path="post.md", **options) → the Post (fails the test if it was skipped)."""

    def run(content: str | bytes, path: str = "post.md", **options) -> Post:
        parsed = parse_file(content, path, **options)
        assert parsed.post is not None, f"{path} skipped: {parsed.skipped}"
        return parsed.post

    return run


@pytest.fixture
def parse_sample(sample_blog: Path, parse) -> Callable[[str], Post]:
    """parse_sample("posts/2023/x/index.md") → the Post of that sample blog file."""

    def run(rel_path: str) -> Post:
        return parse((sample_blog / rel_path).read_bytes(), rel_path)

    return run
