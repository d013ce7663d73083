"""Languages: the site's main language by default, a filter and a facet for the others."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from blogsearch.search.query import language_filter, language_key, parse_query
from blogsearch.search.records import Post
from blogsearch.search.store import Manifest, save_manifest
from tests.helpers import result_paths, translated_post


def _day(day: int) -> datetime:
    return datetime(2021, 3, day, tzinfo=UTC)


# A Spanish site with translations: "" is a post that did not say (the main language).
POSTS = [
    translated_post("pan.md", "Pan de masa madre", "Receta de pan con masa madre y centeno.", "es",
          tags=["Cocina"], date=_day(1)),
    translated_post("pan.en.md", "Sourdough bread", "Bread for the server room: masa madre and rye.", "en",
          tags=["Cooking"], date=_day(2)),
    translated_post("pain.fr.md", "Pain au levain", "Recette du pain, masa madre et seigle.", "fr",
          tags=["Cuisine"], date=_day(3)),
    translated_post("docker.md", "Docker en casa", "Contenedores docker en el servidor de casa.", "",
          tags=["Docker"], date=_day(4)),
    translated_post("docker.en.md", "Docker at home", "Docker containers on the home server.", "en-US",
          tags=["Docker"], date=_day(5)),
    translated_post("sobre.md", "Sobre mí", "Escribo de pan, de docker y de mi casa.", "es", kind="page"),
]


@pytest.fixture(scope="module")
def site(make_index):
    return make_index(POSTS, "es")


def languages(found: dict) -> dict[str, int]:
    return {item["value"]: item["count"] for item in found["facets"]["lang"]}


@pytest.mark.parametrize("value, key", [
    ("es", "es"), ("ES", "es"), ("es-ES", "es"), ("pt_BR", "pt"), (" en ", "en"), ("ast", "ast"),
    ("", ""), ("español", ""), ("e", ""), ("es-", ""), ("all", ""), ("12", ""),
])
def test_language_key(value, key):
    assert language_key(value) == key


@pytest.mark.parametrize("value", ["all", "ALL", "todos", "Todas"])
def test_every_language_is_all(value):
    assert language_filter(value) == "all"


def test_the_main_language_by_default(site):
    found = site.search("docker")
    assert set(result_paths(found)) == {"docker.md", "sobre.md"}  # "" counts as the main language
    assert found["total"] == 2 and found["language"] == "es" and found["filters"] == {}
    assert {item["value"]: item["count"] for item in found["facets"]["tag"]} == {"docker": 1}


@pytest.mark.parametrize("query, filters", [
    ("docker lang:en", None), ("docker idioma:EN", None), ("docker language:en-US", None),
    ("docker", {"language": ["en"]}), ("docker", {"language": "EN-gb"}),
])
def test_another_language_when_asked(site, query, filters):
    found = site.search(query, filters=filters)
    assert set(result_paths(found)) == {"docker.en.md"}
    assert found["language"] == "en" and found["filters"] == {"language": ["en"]}
    assert [hit["lang"] for hit in found["results"]] == ["en"]


@pytest.mark.parametrize("query, filters", [
    ("docker lang:all", None), ("docker idioma:todos", None), ("docker", {"language": ["all"]}),
])
def test_every_language_when_asked(site, query, filters):
    found = site.search(query, filters=filters)
    paths = set(result_paths(found))
    assert len(paths & {"docker.md", "docker.en.md"}) == 1 and "sobre.md" in paths
    assert found["total"] == 2
    assert found["language"] == "all" and found["filters"] == {"language": ["all"]}


def test_every_language_lists_a_text_once_by_its_best_match(site):
    assert [hit["path"] for hit in site.search("docker at home idioma:todos")["results"]] == \
        ["docker.en.md", "sobre.md"]
    assert [hit["path"] for hit in site.search("contenedores casa idioma:todos")["results"]][0] == \
        "docker.md"


def test_every_language_never_lists_a_partial_translation_of_a_full_match(site):
    found = site.search("docker servidor casa idioma:todos")
    assert found["total"] == 1
    assert [(hit["path"], hit["missing"]) for hit in found["results"]] == [
        ("docker.md", []), ("sobre.md", ["servidor"])]  # not docker.en.md: its text is listed


def test_every_language_unranked_prefers_the_main_language(site):
    found = site.search("", filters={"language": ["all"]})
    assert [hit["path"] for hit in found["results"]] == [
        "docker.md", "pain.fr.md", "pan.md", "sobre.md"]  # newest first, undated last
    assert found["total"] == 4


def test_results_name_their_translations(site):
    hit = site.search("docker")["results"][0]
    assert hit["path"] == "docker.md"
    assert hit["translations"] == [{"lang": "en", "url": "/docker.en/", "path": "docker.en.md"}]
    bread = {h["path"]: h for h in site.search("masa madre lang:all")["results"]}
    assert [t["path"] for t in bread["pan.md"]["translations"]] == ["pan.en.md"]
    assert bread["pain.fr.md"]["translations"] == []  # another name: not a translation


def test_the_main_language_asked_also_finds_posts_without_one(site):
    assert set(result_paths(site.search("docker lang:es"))) == {"docker.md", "sobre.md"}


def test_the_language_facet_counts_every_language_whatever_is_asked(site):
    expected = {"es": 1, "en": 1, "fr": 1, "all": 2}  # pan.md and pan.en.md: one text
    for query in ("masa madre", "masa madre lang:en", "masa madre idioma:todos"):
        found = site.search(query)
        assert languages(found) == expected, query
    assert [item["value"] for item in site.search("masa madre")["facets"]["lang"]] == \
        ["es", "en", "fr", "all"]  # the main language first among equals, every one last
    assert languages(site.search("docker")) == {"es": 2, "en": 1, "all": 2}


def test_no_results_in_the_language_still_counts_the_others(site):
    found = site.search("seigle")
    assert found["total"] == 0 and found["results"] == []
    assert languages(found) == {"fr": 1, "all": 1}
    assert set(result_paths(site.search("seigle lang:fr"))) == {"pain.fr.md"}


def test_a_language_no_post_has_finds_nothing(site):
    found = site.search("docker", filters={"language": ["de"]})
    assert found["total"] == 0 and languages(found) == {"es": 2, "en": 1, "all": 2}


def test_filters_alone_list_the_language_newest_first(site):
    found = site.search("", filters={"language": ["en"]})
    assert [hit["path"] for hit in found["results"]] == ["docker.en.md", "pan.en.md"]
    assert site.search("")["total"] == 0


def test_the_query_language_wins_over_the_parameter(site):
    found = site.search("docker lang:en", filters={"language": ["es"]})
    assert set(result_paths(found)) == {"docker.en.md"}


def test_results_carry_language_and_kind(site):
    hits = {hit["path"]: hit for hit in site.search("docker").get("results")
            + site.search("docker lang:en")["results"]}
    assert {path: (hit["lang"], hit["kind"]) for path, hit in hits.items()} == {
        "docker.md": ("es", "post"), "docker.en.md": ("en", "post"), "sobre.md": ("es", "page"),
    }


@pytest.mark.parametrize("query", ["docker lang:xx1", "docker idioma:", "docker -lang:en"])
def test_a_bad_or_negated_language_is_read_as_words(site, query):
    parsed = parse_query(query)
    assert "language" not in parsed.filters and len(parsed.clauses) + len(parsed.excluded) > 1
    assert site.search(query)["language"] == "es"


@pytest.mark.parametrize("value", ["12", "español", "e", 5])
def test_a_bad_language_filter_is_a_value_error(site, value):
    with pytest.raises(ValueError, match=r"^filters: language"):
        site.search("docker", filters={"language": [value]})


def test_related_posts_keep_to_the_posts_language(site):
    related = {item["path"] for item in site.more_like_this("docker.md")}
    assert related and related <= {"pan.md", "sobre.md"}
    related = {item["path"] for item in site.more_like_this("docker.en.md")}
    assert related == {"pan.en.md"}


def test_one_language_has_no_language_facet(make_index):
    engine = make_index([p for p in POSTS if p.lang in ("es", "")], "es")
    found = engine.search("docker")
    assert found["total"] == 2 and found["facets"]["lang"] == []


def test_no_main_language_is_every_post_as_before(make_index):
    plain = make_index([Post(**{**vars(p), "lang": ""}) for p in POSTS], "")
    found = plain.search("docker")
    assert set(result_paths(found)) == {"docker.md", "docker.en.md", "sobre.md"}
    assert found["language"] == "all" and found["facets"]["lang"] == []
    assert {hit["lang"] for hit in found["results"]} == {""}
    assert set(result_paths(plain.search("docker lang:en"))) == set()
    assert {item["path"] for item in plain.more_like_this("docker.md")} >= {"docker.en.md"}


def test_no_main_language_filters_only_when_asked(make_index):
    labelled = make_index(POSTS, "")
    found = labelled.search("docker")
    assert set(result_paths(found)) == {"docker.md", "sobre.md"}  # every language: a text once
    assert found["results"][0]["translations"][0]["path"] == "docker.en.md"
    assert languages(found) == {"en": 1, "es": 1, "all": 2}  # docker.md says no language
    assert set(result_paths(labelled.search("docker lang:en"))) == {"docker.en.md"}
    assert set(result_paths(labelled.search("docker lang:es"))) == {"sobre.md"}


def test_a_new_main_language_is_picked_up(make_index):
    engine = make_index(POSTS, "es")
    assert engine.search("docker")["language"] == "es"
    engine.refresh_seconds = 0.0
    save_manifest(engine.index_dir, Manifest(language="en-GB",
                                             hashes={p.path: p.path for p in POSTS}))
    found = engine.search("docker")
    assert found["language"] == "en" and set(result_paths(found)) == {"docker.en.md", "docker.md"}
