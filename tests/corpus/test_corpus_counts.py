"""On a real blog (../shared/corpus/elblogdemanu): multi-word totals are the posts holding
every word, words in no post find nothing, English words find their own posts."""

from __future__ import annotations

import re

import pytest

from blogsearch.indexer.run import index_folder
from blogsearch.search.analysis import word_terms
from blogsearch.search.engine import Engine
from tests.helpers import CORPUS

pytestmark = pytest.mark.corpus

BLOG = CORPUS / "elblogdemanu"
QUERIES = ["juego de tronos", "consolas retro baratas", "metal gear solid", "puerta del sol",
           "super mario bros", "sega mega drive", "final fantasy vii", "revista hobby consolas",
           "street fighter", "zelda ocarina time"]


@pytest.fixture(scope="module")
def manu(tmp_path_factory) -> Engine:
    index_dir = tmp_path_factory.mktemp("elblogdemanu") / "index"
    index_folder(BLOG, index_dir)
    engine = Engine(index_dir)
    yield engine
    engine.close()


def every_path(engine: Engine, query: str) -> set[str]:
    """The paths of every full match of ``query``, over all its pages."""
    found, page, paths = None, 1, set()
    while found is None or page <= found["pages"]:
        found = engine.search(query, page=page, per_page=100, facets=False, snippets=False)
        paths |= {hit["path"] for hit in found["results"] if not hit["missing"]}
        page += 1
    return paths


@pytest.mark.parametrize("query", QUERIES)
def test_multi_word_total_is_the_posts_holding_every_word(manu, query):
    words = [word for word in query.split() if word_terms(word)]
    expected = set.intersection(*(every_path(manu, word) for word in words))
    found = manu.search(query, per_page=100)
    if expected:
        assert found["total"] == len(expected), query
        assert found["left_out"] == []
        assert every_path(manu, query) == expected
    else:
        assert found["left_out"], query
    years = sum(item["count"] for item in found["facets"]["year"])
    assert years == found["total"]  # one year per post: the facet counts the same posts


def test_the_issue_counts_are_small_now(manu):
    assert manu.search("juego de tronos")["total"] < 20
    assert manu.search("consolas retro baratas")["total"] < 50
    assert manu.search("metal gear solid")["total"] < 80


@pytest.mark.parametrize("word", ["kubernetes", "terraform", "kotlin", "webassembly"])
def test_words_in_no_post_find_nothing(manu, word):
    found = manu.search(word)
    assert found["total"] == 0 and found["results"] == []
    assert found["suggestion"] is None
    assert found["unknown"] == [word]


def _source_mentions(path: str, pattern: re.Pattern) -> bool:
    return bool(pattern.search((BLOG / path).read_text(encoding="utf-8")))


def test_solid_never_matches_sol_or_solo(manu):
    solid = every_path(manu, "solid")
    assert solid
    pattern = re.compile(r"(?<![a-z])solids?(?![a-z])", re.IGNORECASE)
    assert all(_source_mentions(path, pattern) for path in solid)
    first = [hit["path"] for hit in manu.search("puerta del sol")["results"][:3]]
    assert not any(_source_mentions(path, pattern) and "puerta" not in
                   (BLOG / path).read_text(encoding="utf-8").lower() for path in first)


def test_emulator_finds_the_posts_about_emulators(manu):
    emulator, emulador = every_path(manu, "emulator"), every_path(manu, "emulador")
    assert len(emulador) > 50
    assert emulator == emulador
