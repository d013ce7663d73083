"""Term-at-a-time scoring gives exactly Whoosh's BM25F scores and match sets, also over an
index with several segments and deleted posts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from whoosh import query as wq

import blogsearch.indexer.run
from blogsearch.indexer.run import index_folder
from blogsearch.search import term_arrays
from blogsearch.search.analysis import word_terms
from blogsearch.search.engine import Engine
from blogsearch.search.plan import QueryPlan
from blogsearch.search.postings import Scores
from blogsearch.search.query import parse_query
from blogsearch.search.ranking import Ranking
from blogsearch.search.term_arrays import TermArrays
from blogsearch.search.whoosh_internals.postings_blocks import leaf_postings
from tests.helpers import SAMPLE_BLOG

QUERIES = [
    "docker",
    "imagenes docker",
    "busqueda de imagenes",
    "café",
    "pyton",
    "recet*",
    '"pan de masa madre"',
    '"masa madre" montaña',
    '"la montaña"',
    '"de la ruta"',
    "receta OR docker",
    "montaña bicicleta ruta",
]


def _whoosh_top(searcher, groups: list[list], limit: int) -> list[tuple[int, float]]:
    """The same query run by Whoosh itself: a disjunction of every leaf."""
    hits = searcher.search(wq.Or([wq.Or(group) for group in groups]), limit=limit)
    return [(hit.docnum, hit.score) for hit in hits]


def _check_against_whoosh(engine: Engine, queries: list[str]) -> int:
    """Compare our scores and match sets with Whoosh's for each query; how many matched."""
    version = engine.current_version()
    searcher = version.searcher
    compared = 0
    for text in queries:
        plan = QueryPlan(searcher, version, parse_query(text))
        groups = plan.groups()
        if not groups:
            continue
        scores = Scores(plan.postings, searcher, groups)
        ours = scores.top(50)
        theirs = _whoosh_top(searcher, groups, 50)
        assert [d for d, _ in ours] == [d for d, _ in theirs], text
        assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-9), text
        matching = set(searcher.docs_for_query(wq.Or([wq.Or(group) for group in groups])))
        assert set(scores.matched.nonzero()[0].tolist()) == matching, text
        compared += bool(ours)
    return compared


def test_scores_equal_whoosh_bm25f(sample_engine: Engine) -> None:
    assert _check_against_whoosh(sample_engine, QUERIES) >= 6


def test_scores_equal_whoosh_bm25f_with_other_parameters(sample_index: Path) -> None:
    """The ranking's k1 and b reach our scores as they reach Whoosh's BM25F (related posts)."""
    engine = Engine(sample_index, ranking=Ranking(k1=2.0, b=0.3))
    try:
        assert _check_against_whoosh(engine, QUERIES) >= 6
    finally:
        engine.close()


def test_scores_equal_whoosh_with_deletions_and_segments(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    shutil.copytree(SAMPLE_BLOG, blog)
    index_dir = tmp_path / "index"
    index_folder(blog, index_dir)
    posts = sorted(blog.rglob("*.md"))
    for path in posts[:3]:  # edited: the old documents stay in their segment, deleted
        path.write_text(path.read_text(encoding="utf-8") + "\n\nDocker y recetas otra vez.\n",
                        encoding="utf-8")
    posts[3].unlink()
    report = index_folder(blog, index_dir)
    assert (report.updated, report.removed) == (3, 1)
    engine = Engine(index_dir)
    try:
        version = engine.current_version()
        reader = version.searcher.reader()
        assert reader.has_deletions() and len(list(reader.leaf_readers())) > 1
        assert _check_against_whoosh(engine, QUERIES) >= 6
        postings, searcher = version.postings(), version.searcher
        for field in ("text", "head"):  # document frequencies from the cached term infos
            terms = [t.decode("utf-8") for t in reader.lexicon(field)] + ["zzzausente"]
            assert [postings.frequency(searcher, field, t) for t in terms] == \
                [reader.doc_frequency(field, t) for t in terms]
        term = word_terms("docker")[0]
        holding = set(version.searcher.docs_for_query(wq.Or([wq.Term("text", term),
                                                              wq.Term("head", term)])))
        assert engine.search("docker")["total"] == len(holding) > 0
    finally:
        engine.close()


@pytest.fixture()
def arrays_index(tmp_path: Path, monkeypatch) -> Path:
    """The sample blog indexed by worker processes (which write the arrays files) with every
    term of two or more postings in them (the workers are forked: they see the patches)."""
    monkeypatch.setattr(term_arrays, "MIN_POSTINGS", 2)
    monkeypatch.setattr(blogsearch.indexer.run, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    index_dir = tmp_path / "index"
    index_folder(SAMPLE_BLOG, index_dir)
    return index_dir


def test_term_arrays_hold_what_whoosh_blocks_hold(arrays_index: Path) -> None:
    engine = Engine(arrays_index)
    try:
        reader = engine.current_version().searcher.reader()
        compared = 0
        for leaf, _ in reader.leaf_readers():
            arrays = TermArrays.open(leaf.storage().folder, leaf.segment().segment_id())
            assert arrays is not None
            for field in ("text", "head"):
                for term in leaf.lexicon(field):
                    term = term.decode("utf-8")
                    found = arrays.get(field, term)
                    ids, weights = leaf_postings(leaf, field, term)
                    if len(ids) < 2:
                        assert found is None
                        continue
                    assert found[0].tolist() == list(ids), term
                    assert found[1].tolist() == list(weights), term  # float32 both
                    compared += 1
        assert compared > 300  # (how many depends on how the posts fell to the two workers)
        assert _check_against_whoosh(engine, QUERIES) >= 6
    finally:
        engine.close()


def test_term_arrays_with_deleted_posts_and_a_segment_without_arrays(tmp_path: Path,
                                                                     monkeypatch) -> None:
    blog = tmp_path / "blog"
    shutil.copytree(SAMPLE_BLOG, blog)
    monkeypatch.setattr(term_arrays, "MIN_POSTINGS", 2)
    monkeypatch.setattr(blogsearch.indexer.run, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    index_dir = tmp_path / "index"
    index_folder(blog, index_dir)  # worker segments, with arrays
    monkeypatch.setattr(blogsearch.indexer.run, "PARALLEL_MIN_FILES", 64)
    posts = sorted(blog.rglob("*.md"))
    for path in posts[:3]:  # re-indexed in this process: a segment without arrays
        path.write_text(path.read_text(encoding="utf-8") + "\n\nDocker y recetas otra vez.\n",
                        encoding="utf-8")
    posts[3].unlink()
    assert index_folder(blog, index_dir).updated == 3
    engine = Engine(index_dir)
    try:
        reader = engine.current_version().searcher.reader()
        with_arrays = [TermArrays.open(leaf.storage().folder, leaf.segment().segment_id())
                       is not None for leaf, _ in reader.leaf_readers()]
        assert reader.has_deletions() and True in with_arrays and False in with_arrays
        assert _check_against_whoosh(engine, QUERIES) >= 6
    finally:
        engine.close()


@pytest.mark.parametrize("damage", ["missing", "truncated", "garbage"])
def test_search_is_the_same_without_usable_term_arrays(arrays_index: Path, damage: str) -> None:
    engine = Engine(arrays_index)
    expected = {q: engine.search(q) for q in QUERIES}
    engine.close()
    files = sorted(arrays_index.glob("gen-*/*" + term_arrays.EXTENSION))
    assert files
    for path in files:
        if damage == "missing":
            path.unlink()
        elif damage == "truncated":
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
        else:
            path.write_bytes(b"\x00garbage" * 3)
    engine = Engine(arrays_index)
    try:
        for query, found in expected.items():
            got = engine.search(query)
            assert [(h["path"], h["score"]) for h in got["results"]] == \
                [(h["path"], h["score"]) for h in found["results"]], query
            assert got["total"] == found["total"]
    finally:
        engine.close()
