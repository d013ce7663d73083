"""Counts that mean something: the total, the pages and the facet counts describe the posts
holding every group of the query; when no post holds them all, the least informative words
are left out and named; partial matches follow the full ones, marked with what they lack."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from blogsearch.search.matching import match_groups

WORDS = ["cazuela", "guitarra", "bicicleta", "montaña", "ventana", "escalera", "pizarra"]
FILLER = "Texto de relleno sobre la vida en el pueblo y los vecinos de siempre."


def _blog_posts() -> dict[str, set[str]]:
    """Forty posts, each holding a random subset of WORDS (seeded: the same every run)."""
    rng = random.Random(13)
    posts = {}
    for n in range(40):
        held = {word for word in WORDS if rng.random() < 0.35}
        posts[f"p{n:02d}.md"] = held
    return posts


POSTS = _blog_posts()


@pytest.fixture(scope="module")
def words_blog(make_engine, post):
    files = {}
    for path, held in POSTS.items():
        body = " ".join(f"Una frase con {word}." for word in sorted(held)) + " " + FILLER
        tags = ["par"] if int(path[1:3]) % 2 == 0 else ["impar"]
        files[path] = post(f"Nota {path[:3]}", body, tags=tags)
    return make_engine(files)


def holding(words) -> set[str]:
    return {path for path, held in POSTS.items() if set(words) <= held}


def listed(engine, query: str, **options) -> list[dict]:
    """Every result of ``query`` over all its pages."""
    out, page = [], 1
    while True:
        found = engine.search(query, page=page, per_page=7, **options)
        out += found["results"]
        if page >= found["pages"]:
            return out
        page += 1


@pytest.mark.parametrize("size", [2, 3])
def test_total_is_the_posts_holding_every_word(words_blog, size):
    checked = 0
    for words in itertools.combinations(WORDS, size):
        expected = holding(words)
        if not expected:
            continue
        found = words_blog.search(" ".join(words), per_page=100)
        assert found["total"] == len(expected), words
        full = {hit["path"] for hit in found["results"] if not hit["missing"]}
        assert full == expected, words
        assert found["left_out"] == [] and found["as_typed"] is True
        checked += 1
    assert checked >= 5


def test_facet_counts_and_pages_describe_the_full_matches(words_blog):
    words = next(w for w in itertools.combinations(WORDS, 2) if len(holding(w)) >= 3)
    expected = holding(words)
    found = words_blog.search(" ".join(words), per_page=2)
    assert found["total"] == len(expected)
    assert found["pages"] >= -(-len(expected) // 2)
    tags = {item["value"]: item["count"] for item in found["facets"]["tag"]}
    even = sum(1 for path in expected if int(path[1:3]) % 2 == 0)
    assert tags.get("par", 0) == even
    assert tags.get("impar", 0) == len(expected) - even


def test_partial_matches_follow_the_full_ones_marked(words_blog):
    words = next(w for w in itertools.combinations(WORDS, 3) if 0 < len(holding(w)) < 7)
    found = words_blog.search(" ".join(words), per_page=20)
    marks = [bool(hit["missing"]) for hit in found["results"]]
    assert marks == sorted(marks), "full matches first"
    assert marks.count(False) == found["total"] == len(holding(words))
    assert any(marks), "partial matches fill the page"
    for hit in found["results"]:
        held = POSTS[hit["path"]]
        assert set(hit["missing"]) == {w for w in words if w not in held}
        assert len(hit["missing"]) < len(words)


def test_every_result_listed_once_over_the_pages(words_blog):
    words = next(w for w in itertools.combinations(WORDS, 2) if len(holding(w)) >= 8)
    results = listed(words_blog, " ".join(words))
    paths = [hit["path"] for hit in results]
    assert len(paths) == len(set(paths))
    assert {p for p, hit in zip(paths, results, strict=True) if not hit["missing"]} == holding(words)


def test_sorted_by_date_lists_the_full_matches_only(words_blog):
    words = next(w for w in itertools.combinations(WORDS, 3) if 0 < len(holding(w)) < 7)
    found = words_blog.search(" ".join(words), sort="date", per_page=20)
    assert {hit["path"] for hit in found["results"]} == holding(words)


def test_no_post_holds_them_all_so_the_posts_holding_the_most_match(words_blog):
    checked = 0
    for words in itertools.combinations(WORDS, 4):
        if holding(words):
            continue
        found = words_blog.search(" ".join(words), per_page=100)
        most = max(len(held & set(words)) for held in POSTS.values())
        expected = {path for path, held in POSTS.items() if len(held & set(words)) == most}
        assert found["total"] == len(expected), words
        full = [hit for hit in found["results"] if len(hit["missing"]) == len(words) - most]
        assert {hit["path"] for hit in full} == expected
        for hit in found["results"]:
            assert set(hit["missing"]) == set(words) - POSTS[hit["path"]]
        lacking = sorted({word for hit in full for word in hit["missing"]}, key=words.index)
        assert found["left_out"] == lacking and found["as_typed"] is False
        assert {"code": "left_out", "params": {"words": lacking, "held": most, "count": 4}} \
            in found["messages"]
        checked += 1
    assert checked >= 3


def test_a_word_in_no_post_alone_matches_nothing(words_blog):
    found = words_blog.search("zanahoria")
    assert found["total"] == 0 and found["results"] == []
    assert found["unknown"] == ["zanahoria"]
    assert {"code": "unknown", "params": {"words": ["zanahoria"], "results": False}} \
        in found["messages"]
    assert found["suggestion"] is None


def test_a_word_in_no_post_is_left_out_and_named(words_blog):
    found = words_blog.search("guitarra zanahoria", per_page=100)
    assert found["total"] == len(holding(["guitarra"]))
    assert found["left_out"] == ["zanahoria"] and found["unknown"] == ["zanahoria"]
    assert found["as_typed"] is False
    assert all(hit["missing"] == [] for hit in found["results"])


def test_a_rare_title_word_still_leads_a_post_lacking_a_common_word(make_engine, post):
    """Known-item searches often hold one word the post lacks: a partial match scoring far
    above every full match comes first, marked, and the count still counts full matches."""
    filler = " ".join(["relleno"] * 60)
    files = {f"b{n}.md": post(f"Diario {n}", f"{filler} croquetas, receta de la abuela {filler}")
             for n in range(4)}
    files["a-croqueta.md"] = post("Croquetas de la abuela", "Croquetas caseras y crujientes.")
    found = make_engine(files).search("croquetas receta abuela")
    assert found["total"] == 4
    assert [hit["path"] for hit in found["results"]][0] == "a-croqueta.md"
    assert [hit["missing"] for hit in found["results"]] == [["receta"]] + [[]] * 4
    assert found["pages"] == 1


def _arrays(*rows: str) -> list[np.ndarray]:
    return [np.array([c == "1" for c in row]) for row in rows]


def test_match_groups_relaxes_to_the_posts_holding_the_most_groups():
    hits = _arrays("1110", "1001", "0001")  # no post holds all three; posts 0 and 3 hold two
    found = match_groups(["a", "b", "c"], hits, np.ones(4, dtype=bool))
    assert found.relaxed and found.held == 2 and found.kept == [0, 1, 2]
    assert found.full.tolist() == [True, False, False, True]
    assert found.partial.tolist() == [False, True, True, False]
    assert found.left_out == ["a", "c"]  # each lacked by some full match


def test_match_groups_every_group_held_is_not_relaxed():
    found = match_groups(["a", "b"], _arrays("1100", "0110"), np.ones(4, dtype=bool))
    assert not found.relaxed and found.left_out == []
    assert found.full.tolist() == [False, True, False, False]
    assert found.partial.tolist() == [True, False, True, False]


def test_match_groups_relaxes_within_the_scope_and_counts_every_language():
    hits = _arrays("1110", "0111")
    scope = np.array([True, False, False, True])  # the language searched: posts 0 and 3
    found = match_groups(["a", "b"], hits, np.ones(4, dtype=bool), scope)
    assert found.held == 1
    assert found.full.tolist() == [True, True, True, True]  # every language: one group at least


def test_match_groups_counts_within_the_allowed_posts():
    hits = _arrays("1110", "0111")
    allowed = np.array([True, False, False, True])
    found = match_groups(["a", "b"], hits, allowed)
    assert found.held == 1 and found.left_out == ["a", "b"]
    assert found.full.tolist() == [True, False, False, True]


def test_match_groups_with_every_group_in_no_post():
    found = match_groups(["x", "y"], _arrays("000", "000"), np.ones(3, dtype=bool))
    assert not found.full.any() and not found.partial.any()
    assert found.unknown == ["x", "y"] == found.left_out
