"""SegmentBuilder writes byte for byte the segment files Whoosh's own writer writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

import indexer.segment as segment
from indexer.discover import find_posts, read_limited
from indexer.parse import parse_post
from indexer.term_pool import POSTING_BYTES
from search.store import INDEX_NAME, ensure_index, post_document


@pytest.fixture(scope="module")
def posts(sample_blog):
    parsed = [parse_post(f.rel_path, read_limited(f)) for f in find_posts(sample_blog)
              if not f.rel_path.startswith("broken/")]
    return [p.post for p in parsed if p.post is not None]


def _files(folder: Path) -> dict[str, bytes]:
    """The segment files of ``folder`` by extension (segment names are random)."""
    return {path.name.split(".", 1)[1]: path.read_bytes()
            for path in folder.glob(f"{INDEX_NAME}_*.*")}


def _whoosh_segment(folder: Path, posts) -> dict[str, bytes]:
    folder.mkdir()
    ensure_index(folder)
    writer = SegmentWriter(whoosh_index.open_dir(str(folder), indexname=INDEX_NAME), _lk=False,
                           compound=False)
    for post in posts:
        writer.add_document(**post_document(post))
    writer._finalize_segment()
    writer._tempstorage.destroy()
    return _files(folder)


def _builder_segment(folder: Path, posts, limit_bytes: int) -> dict[str, bytes]:
    folder.mkdir()
    ensure_index(folder)
    builder = segment.SegmentBuilder(folder, limit_bytes)
    for post in posts:
        builder.add(post)
    assert builder.finish() is not None
    assert not [p for p in folder.iterdir() if p.is_dir()], "temporary folder left behind"
    return _files(folder)


@pytest.mark.parametrize("limit_postings", [10**9, 500])
def test_builder_writes_what_whoosh_writes(posts, tmp_path, limit_postings):
    """Also when the postings go to temporary runs on disk (a small memory budget)."""
    expected = _whoosh_segment(tmp_path / "whoosh", posts)
    assert {"pst", "trm", "_stored.col", "_text_len.col"} <= set(expected)
    limit_bytes = limit_postings * POSTING_BYTES
    assert _builder_segment(tmp_path / "builder", posts, limit_bytes) == expected


def test_builder_without_posts_gives_no_segment(tmp_path):
    ensure_index(tmp_path)
    assert segment.SegmentBuilder(tmp_path).finish() is None
