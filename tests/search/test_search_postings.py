"""Term-at-a-time scoring gives exactly Whoosh's BM25F scores and match sets, also over an
index with several segments and deleted posts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from whoosh import query as wq

from indexer.run import index_folder
from search.analysis import word_terms
from search.engine import Engine, _Plan
from search.postings import Scores
from search.query import parse_query
from tests.conftest import SAMPLE_BLOG

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
    version = engine._current()
    searcher = version.searcher
    compared = 0
    for text in queries:
        plan = _Plan(searcher, version, parse_query(text))
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
        version = engine._current()
        reader = version.searcher.reader()
        assert reader.has_deletions() and len(list(reader.leaf_readers())) > 1
        assert _check_against_whoosh(engine, QUERIES) >= 6
        term = word_terms("docker")[0]
        holding = set(version.searcher.docs_for_query(wq.Or([wq.Term("text", term),
                                                              wq.Term("head", term)])))
        assert engine.search("docker")["total"] == len(holding) > 0
    finally:
        engine.close()
