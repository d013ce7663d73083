"""The fast paths through Whoosh's private structures are the ones taken (search/whoosh_internals).

Each of them falls back, silently, on Whoosh's public API when a private name it needs is gone:
the results stay the same and only searches get slower. Here every fallback is made to fail, so
that a Whoosh version renaming one of those names fails these tests instead. Run on the sample
blog copied often enough that common words take several blocks of postings in a segment, both
as the index workers write it (our hand-written segments, with term arrays) and once Whoosh's own
writer has merged it into one segment.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.formats import Positions

import blogsearch.indexer.run
import blogsearch.search.postings
from blogsearch.indexer.run import index_folder
from blogsearch.search import term_arrays
from blogsearch.search.postings import Postings
from blogsearch.search.store import INDEX_NAME, generation_dir, open_index
from blogsearch.search.term_arrays import TermArrays
from blogsearch.search.whoosh_internals.lengths import leaf_length_bytes
from blogsearch.search.whoosh_internals.positions_format import encode_positions
from blogsearch.search.whoosh_internals.postings_blocks import (
    BlockCache,
    TermInfos,
    leaf_matcher,
    leaf_positions,
    leaf_postings,
)
from blogsearch.search.whoosh_internals.toc import committed_segments
from tests.helpers import SAMPLE_BLOG

COPIES = 24  # of the sample blog: its commonest word then has hundreds of postings per segment
BLOCK = 128  # postings per block in Whoosh 3 (W3Codec's blocklimit)
FIELDS = ("text", "head")


def _blow_up(*args, **kwargs):
    raise AssertionError("the slow path was taken")


@pytest.fixture(scope="module")
def workers_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The copied blog indexed by two worker processes: hand-written segments, with every term
    of two or more postings in their term arrays (the workers are forked: they see the patch)."""
    blog = tmp_path_factory.mktemp("blog")
    for n in range(COPIES):
        shutil.copytree(SAMPLE_BLOG, blog / f"copy{n}")
    index_dir = tmp_path_factory.mktemp("internals") / "index"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "cpu_count", lambda: 2)
        patch.setattr(term_arrays, "MIN_POSTINGS", 2)
        report = index_folder(blog, index_dir)
    assert report.posts > COPIES * 20 >= blogsearch.indexer.run.PARALLEL_MIN_FILES
    return index_dir


@pytest.fixture(scope="module")
def merged_index(workers_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same index merged into one segment by Whoosh's own writer."""
    index_dir = tmp_path_factory.mktemp("merged") / "index"
    shutil.copytree(workers_index, index_dir)
    ix = open_index(index_dir)
    ix.optimize()
    ix.close()
    return index_dir


@pytest.fixture(params=["workers", "merged"])
def searcher(request):
    ix = open_index(request.getfixturevalue(f"{request.param}_index"))
    with ix.searcher() as found:
        yield found
    ix.close()


def _whoosh_postings(leaf, field: str, term: str) -> tuple[list, list, list]:
    """Docnums, weights and positions of ``term`` as Whoosh's own matcher walks them."""
    matcher = leaf.postings(field, term)
    decode = leaf.schema[field].format.decode_positions
    ids, weights, positions = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        positions.append(decode(matcher.value()))
        matcher.next()
    return ids, weights, positions


def _commonest(leaf, field: str) -> str:
    return max((leaf.doc_frequency(field, t), t.decode("utf-8")) for t in leaf.lexicon(field))[1]


def test_whoosh3_segments_have_readable_term_infos(searcher) -> None:
    leaves = searcher.reader().leaf_readers()
    assert leaves and all(TermInfos.readable(leaf) for leaf, _ in leaves)


def test_postings_are_read_block_by_block_with_whoosh_s_own_results(searcher, monkeypatch) -> None:
    """The segments (hand-written or Whoosh's) read by Whoosh's own matchers give what the
    block reader gives, which takes neither Whoosh's term lookup nor its per-posting walk."""
    cases = []
    for leaf, _ in searcher.reader().leaf_readers():
        for field in FIELDS:
            for term in (_commonest(leaf, field), "docker", "rust"):
                if leaf.doc_frequency(field, term):
                    cases.append((leaf, field, term, _whoosh_postings(leaf, field, term),
                                  leaf.doc_frequency(field, term)))
    assert max(len(case[3][0]) for case in cases) > 2 * BLOCK  # a term of several blocks
    infos = TermInfos(1000)
    matcher, blocks = leaf_matcher(cases[0][0], cases[0][1], cases[0][2], infos)
    assert blocks
    for name in ("id", "weight", "value", "next", "skip_to"):
        monkeypatch.setattr(type(matcher), name, _blow_up)
    for name in ("postings", "doc_frequency"):
        monkeypatch.setattr(type(cases[0][0]), name, _blow_up)
    cache = BlockCache(64)
    for leaf, field, term, (ids, weights, positions), frequency in cases:
        assert leaf_postings(leaf, field, term, infos) == (ids, weights), term
        assert infos.doc_frequency(leaf, field, term) == frequency, term
        wanted = ids[::3]
        found = leaf_positions(leaf, field, term, wanted, cache, infos)
        assert found == {d: p for d, p in zip(ids, positions, strict=True) if d in wanted}, term


def test_field_lengths_come_from_the_length_column(searcher) -> None:
    for leaf, _ in searcher.reader().leaf_readers():
        for field in FIELDS:
            column = leaf_length_bytes(leaf, field)
            assert column is not None and len(list(column)) == leaf.doc_count_all()
    postings = Postings(searcher.reader())
    for field in FIELDS:
        lengths = postings.field_lengths(searcher, field)
        assert [int(n) for n in lengths] == [searcher.reader().doc_field_length(d, field) or 0
                                             for d in range(len(lengths))]


def test_the_workers_term_arrays_are_found_and_read(workers_index: Path, monkeypatch) -> None:
    ix = open_index(workers_index)
    with ix.searcher() as searcher:
        leaves = searcher.reader().leaf_readers()
        assert leaves  # a segment per worker
        common = _commonest(leaves[0][0], "text")
        for leaf, _ in leaves:
            arrays = TermArrays.open(leaf.storage().folder, leaf.segment().segment_id())
            assert arrays is not None and arrays.get("text", common) is not None
        expected = sum(len(leaf_postings(leaf, "text", common)[0]) for leaf, _ in leaves)
        monkeypatch.setattr(blogsearch.search.postings, "leaf_postings", _blow_up)
        docs, scores = Postings(searcher.reader()).term(searcher, "text", common)
        assert len(docs) == len(scores) == expected > BLOCK
    ix.close()


def test_positions_are_encoded_as_whoosh_encodes_them() -> None:
    for positions in ([0], [7], [3, 4, 90, 1000, 100_000], list(range(0, 5000, 7))):
        assert encode_positions(positions) == Positions().encode(positions)


def test_the_table_of_contents_lists_the_segments_and_merges_delete_our_files(
        workers_index: Path, merged_index: Path) -> None:
    extension = term_arrays.EXTENSION
    for index_dir, arrays in ((workers_index, True), (merged_index, False)):
        generation = generation_dir(index_dir)
        ix = whoosh_index.open_dir(str(generation), indexname=INDEX_NAME)
        with ix.reader() as reader:
            segments = {leaf.segment().segment_id() for leaf, _ in reader.leaf_readers()}
        ix.close()
        assert committed_segments(generation, INDEX_NAME) == segments
        # Whoosh's merge deleted the workers' segments, and their term arrays with them.
        assert sorted(p.name.split(".")[0] for p in generation.glob(f"*{extension}")) == \
            (sorted(segments) if arrays else [])
