"""SegmentBuilder writes the segment Whoosh's own writer writes: the same per-document files
byte for byte, and the same terms, postings and term statistics (only which posting blocks are
compressed differs)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

import blogsearch.search.segment as segment
from blogsearch.indexer.discover import find_posts, read_limited
from blogsearch.indexer.parse import parse_post
from blogsearch.search.store import INDEX_NAME, ensure_index, post_document, write_posts
from blogsearch.search.whoosh_internals.term_pool import POSTING_BYTES
from tests.helpers import SAMPLE_BLOG


@pytest.fixture(scope="module")
def posts():
    parsed = [parse_post(f.rel_path, read_limited(f)) for f in find_posts(SAMPLE_BLOG)
              if not f.rel_path.startswith("broken/")]
    posts = [p.post for p in parsed if p.post is not None]
    # Posts in two languages and without one, so the language field is written too.
    return [replace(post, lang=("en", "es", "")[n % 3]) for n, post in enumerate(posts)]


def _column_files(folder: Path) -> dict[str, bytes]:
    """The per-document (column) files of ``folder`` by name after the random segment name."""
    return {path.name.split(".", 1)[1]: path.read_bytes()
            for path in folder.glob(f"{INDEX_NAME}_*.col")}


def _postings(folder: Path) -> dict:
    """Every term's postings and statistics in the index at ``folder``."""
    ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME)
    found = {}
    with ix.reader() as reader:
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(fieldname, text)
            found[fieldname, text] = (postings, info.weight(), info.doc_frequency(),
                                      info.min_length(), info.max_length(), info.max_weight(),
                                      info.min_id(), info.max_id())
    ix.close()
    return found


def _whoosh_index(folder: Path, posts) -> Path:
    folder.mkdir()
    ensure_index(folder)
    writer = SegmentWriter(whoosh_index.open_dir(str(folder), indexname=INDEX_NAME),
                           compound=False)
    for post in posts:
        writer.add_document(**post_document(post))
    writer.commit()
    return folder


def _builder_index(folder: Path, posts, limit_bytes: int) -> Path:
    folder.mkdir()
    ensure_index(folder)
    builder = segment.SegmentBuilder(folder, limit_bytes)
    for post in posts:
        builder.add(post)
    built = builder.finish()
    assert built is not None
    assert not [p for p in folder.iterdir() if p.is_dir()], "temporary folder left behind"
    write_posts(folder, [], [], segments=[built])
    return folder


@pytest.mark.parametrize("limit_postings", [10**9, 500])
def test_builder_writes_what_whoosh_writes(posts, tmp_path, limit_postings):
    """Also when the postings go to temporary runs on disk (a small memory budget)."""
    expected = _whoosh_index(tmp_path / "whoosh", posts)
    built = _builder_index(tmp_path / "builder", posts, limit_postings * POSTING_BYTES)
    columns = _column_files(expected)
    assert {"_stored.col", "_text_len.col", "_head_len.col"} <= set(columns)
    assert _column_files(built) == columns
    postings = _postings(expected)
    assert len(postings) > 1000
    assert _postings(built) == postings


def test_only_blocks_worth_it_are_compressed(posts, tmp_path):
    """Small blocks, which zlib does not shrink, are stored as they are: the postings file stays
    about as big as Whoosh's (on the real corpus: as big as whoosh3's, 1.2 % smaller than
    whoosh-reloaded's)."""
    expected = _whoosh_index(tmp_path / "whoosh", posts)
    built = _builder_index(tmp_path / "builder", posts, 10**9 * POSTING_BYTES)

    def size(folder: Path) -> int:
        return sum(p.stat().st_size for p in folder.glob(f"{INDEX_NAME}_*.pst"))

    assert size(built) <= size(expected) * 1.02


def test_builder_without_posts_gives_no_segment(tmp_path):
    ensure_index(tmp_path)
    assert segment.SegmentBuilder(tmp_path).finish() is None
