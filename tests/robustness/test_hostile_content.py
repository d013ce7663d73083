"""Hostile content costs what it holds, not its square: thousands of tags, YAML aliases,
phrases over multi-megabyte posts. Each case once took from 8 s to minutes; the bounds here
are generous (a loaded machine), the work is now well under a second."""

from __future__ import annotations

import random
import time

import pytest

from blogsearch.indexer.frontmatter_reader import MAX_YAML_ALIASES
from blogsearch.indexer.parse import MAX_TAXONOMY_VALUES
from blogsearch.indexer.run import index_folder
from blogsearch.search.engine import Engine
from blogsearch.search.records import Post
from blogsearch.search.store import write_posts
from tests.helpers import write_file

pytestmark = pytest.mark.slow

BOUND_SECONDS = 30


def test_a_post_with_20000_tags_does_not_stall_the_first_search(tmp_path):
    """Facet labels once re-read the post and rescanned its tags once per tag (50 s for
    10,000). Written through the store, past the indexer's limit, to test the engine alone."""
    tags = [f"Etiqueta{n}" for n in range(20_000)]
    posts = [Post(path="muchas.md", url="/muchas/", title="Muchas", body="gato", tags=tags),
             Post(path="una.md", url="/una/", title="Una", body="gato", tags=["Etiqueta7"])]
    write_posts(tmp_path, posts, [])
    engine = Engine(tmp_path)
    try:
        started = time.monotonic()
        found = engine.search("gato")
        assert time.monotonic() - started < BOUND_SECONDS
    finally:
        engine.close()
    assert found["total"] == 2
    assert found["facets"]["tag"][0] == {"value": "etiqueta7", "label": "Etiqueta7", "count": 2}


def test_tags_beyond_the_limit_are_left_out_with_a_warning(tmp_path):
    tags = ", ".join(f"t{n}" for n in range(10_000))
    write_file(tmp_path / "blog/muchas.md", f"---\ntitle: Muchas\ntags: [{tags}]\n---\ngato\n")
    report = index_folder(tmp_path / "blog", tmp_path / "index")
    assert report.posts == 1
    assert report.warnings == [("muchas.md", f"10000 tags: only the first {MAX_TAXONOMY_VALUES} "
                                             "are indexed")]


def test_yaml_aliases_are_capped(tmp_path):
    """1,000 aliases of a 900 KB string once took 8 s and 1.8 GB (a warning printed them all)."""
    big = "x" * 900_000
    lines = ["---", "title: Alias", f'base: &a "{big}"', "date:", *["  - *a"] * 1000,
             "tags: [gato]", "---", "cuerpo del gato"]
    write_file(tmp_path / "blog/alias.md", "\n".join(lines))
    few = ["---", "title: Pocos", "base: &b perro", "tags: [*b, *b]", "---", "cuerpo"]
    write_file(tmp_path / "blog/pocos.md", "\n".join(few))
    started = time.monotonic()
    report = index_folder(tmp_path / "blog", tmp_path / "index")
    assert time.monotonic() - started < BOUND_SECONDS
    assert report.posts == 2 and report.problems == []
    assert any(path == "alias.md" and f"more than {MAX_YAML_ALIASES} aliases" in warning
               for path, warning in report.warnings)
    assert "pocos.md" not in {path for path, _ in report.warnings}
    assert all(len(w) < 500 for _, w in report.warnings)
    engine = Engine(tmp_path / "index")
    try:
        assert engine.search("tag:perro")["total"] == 1  # a few aliases still work
    finally:
        engine.close()


def test_a_phrase_over_a_5_mb_post_is_quick(tmp_path):
    """Spans once copied the rest of the positions for each span: a 4.9 MB post took minutes."""
    rnd = random.Random(5)
    words = "gato negro perro blanco casa roja el la de en".split()
    body = " ".join(rnd.choice(words) for _ in range(950_000))
    assert len(body) < 5 * 1024 * 1024
    write_file(tmp_path / "blog/grande.md", f"---\ntitle: Grande\n---\n{body}\n")
    write_file(tmp_path / "blog/corta.md", "---\ntitle: Corta\n---\nun gato negro\n")
    index_folder(tmp_path / "blog", tmp_path / "index")
    engine = Engine(tmp_path / "index")
    try:
        started = time.monotonic()
        found = engine.search('"gato negro perro"')
        assert time.monotonic() - started < BOUND_SECONDS
        assert [hit["path"] for hit in found["results"]] == ["grande.md"]
        assert engine.search('"gato negro"')["total"] == 2
    finally:
        engine.close()
