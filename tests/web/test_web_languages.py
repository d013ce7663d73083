"""Languages of the posts: the site's main one by default, the ``language`` parameter, the
language facet, and results marked with their language and kind, in the API and on the page."""

from __future__ import annotations

import sqlite3

import pytest

from tests.helpers import hrefs, html, make_app, query_of, result_paths, texts


def _facet(tree, title: str) -> dict[str, tuple[str, str]]:
    """label → (count, link) of the facet titled ``title``."""
    section = next(s for s in tree.css(".facet") if s.css_first("h2").text() == title)
    return {a.css_first(".label").text(): (a.css_first(".n").text(), a.attributes["href"])
            for a in section.css("a")}


def test_api_shows_the_main_language_by_default(bilingual):
    data = bilingual.get("/api/search?q=docker").json
    assert set(result_paths(data)) == {"docker.md", "sobre.md"} and data["total"] == 2
    assert data["language"] == "es" and data["filters"] == {}
    assert data["facets"]["lang"] == [{"value": "es", "label": "es", "count": 2},
                                      {"value": "en", "label": "en", "count": 1},
                                      {"value": "all", "label": "all", "count": 2}]
    assert {h["path"]: (h["lang"], h["kind"]) for h in data["results"]} == {
        "docker.md": ("es", "post"), "sobre.md": ("es", "page")}


@pytest.mark.parametrize("query", [
    "q=docker&language=en", "q=docker&language=EN-us", "q=docker+lang:en", "q=docker+idioma:en",
    "q=docker+language:en",
])
def test_api_another_language(bilingual, query):
    data = bilingual.get(f"/api/search?{query}").json
    assert set(result_paths(data)) == {"docker.en.md"} and data["language"] == "en"
    assert data["filters"] == {"language": ["en"]}
    assert [h["lang"] for h in data["results"]] == ["en"]


@pytest.mark.parametrize("query", [
    "q=docker&language=all", "q=docker&language=todos", "q=docker+idioma:todos",
])
def test_api_every_language(bilingual, query):
    data = bilingual.get(f"/api/search?{query}").json
    found = set(result_paths(data))
    assert len(found & {"docker.md", "docker.en.md"}) == 1 and "sobre.md" in found
    assert data["total"] == 2 and data["language"] == "all"
    docker = next(h for h in data["results"] if h["path"] != "sobre.md")
    assert [t["lang"] for t in docker["translations"]] == ["en" if docker["lang"] == "es" else "es"]


def test_api_language_alone_lists_its_posts(bilingual):
    data = bilingual.get("/api/search?language=fr").json
    assert set(result_paths(data)) == {"pain.fr.md"}


@pytest.mark.parametrize("query", ["language=xx1", "language=español", "language=en&language=es"])
def test_api_bad_language_is_a_400_naming_it(bilingual, query):
    response = bilingual.get(f"/api/search?q=docker&{query}")
    assert response.status_code == 400 and response.json["error"]["param"] == "language"


def test_a_blog_in_one_language_has_no_language_facet(client):
    data = client.get("/api/search?q=casa").json
    assert data["total"] > 0 and data["facets"]["lang"] == []
    tree = html(client.get("/buscar?q=casa"))
    assert "Idiomas" not in texts(tree, ".facet h2") and not tree.css(".hit .in-language")


@pytest.mark.parametrize("lang, names", [
    ("es", ["español", "inglés", "todos los idiomas"]),
    ("en", ["Spanish", "English", "all languages"]),
])
def test_the_language_facet_names_languages_in_the_readers_language(bilingual, lang, names):
    tree = html(bilingual.get(f"/buscar?q=docker&lang={lang}"))
    title = "Idiomas" if lang == "es" else "Languages"
    assert texts(tree, ".facet h2")[0] == title  # before the other facets
    facet = _facet(tree, title)
    assert list(facet) == names
    assert [count for count, _ in facet.values()] == ["2", "1", "2"]  # docker twins: one text
    active = tree.css_first(".facet a.on .label").text()
    assert active == names[0]


def test_choosing_a_language_and_removing_it(bilingual):
    tree = html(bilingual.get("/buscar?q=docker"))
    _, link = _facet(tree, "Idiomas")["inglés"]
    assert query_of(link) == {"q": ["docker"], "language": ["en"]}
    english = html(bilingual.get(link))
    assert texts(english, ".hit h2") == ["Docker at home"]
    assert texts(english, ".chips a")[0].startswith("Idioma: inglés")
    assert english.css_first(".facet a.on .label").text() == "inglés"
    back = html(bilingual.get(hrefs(english, ".chips a")[0]))
    assert set(texts(back, ".hit h2")) == {"Docker en casa", "Sobre mí"}
    everything = html(bilingual.get(_facet(tree, "Idiomas")["todos los idiomas"][1]))
    assert len(everything.css(".hit")) == 2


def test_a_language_typed_in_the_query_is_switched_by_the_facet(bilingual):
    tree = html(bilingual.get("/buscar?q=docker+lang:en"))
    assert texts(tree, ".hit h2") == ["Docker at home"]
    _, link = _facet(tree, "Idiomas")["español"]
    assert query_of(link) == {"q": ["docker"], "language": ["es"]}
    assert set(texts(html(bilingual.get(link)), ".hit h2")) == {"Docker en casa", "Sobre mí"}


@pytest.mark.parametrize("lang, language, marked", [
    ("es", "en", {"Docker at home": "en inglés"}),
    ("es", "es", {"Sobre mí": "página"}),
    ("en", "es", {"Docker en casa": "in Spanish", "Sobre mí": "page · in Spanish"}),
])
def test_pages_and_posts_in_another_language_are_marked(bilingual, lang, language, marked):
    tree = html(bilingual.get(f"/buscar?q=docker&language={language}&lang={lang}"))
    found = {}
    for hit in tree.css(".hit"):
        labels = " · ".join(n.text() for n in hit.css(".meta .kind, .meta .in-language"))
        if labels:
            found[hit.css_first("h2").text()] = labels
    assert found == marked
    for hit in tree.css(".hit"):
        foreign = hit.css_first(".in-language") is not None
        assert hit.css_first("h2").attributes.get("lang") == (language if foreign else None)
        if hit.css_first("h2").text() == "Docker en casa":
            assert " ".join(hit.css_first(".meta").text().split()).startswith(
                "1 de marzo de 2021" if lang == "es" else "March 1, 2021")


@pytest.mark.parametrize("lang, also, name", [("es", "También en", "inglés"),
                                              ("en", "Also in", "English")])
def test_every_language_shows_a_text_once_linking_its_translations(bilingual, lang, also, name):
    tree = html(bilingual.get(f"/buscar?q=docker&language=all&lang={lang}"))
    assert len(tree.css(".hit")) == 2
    docker = next(h for h in tree.css(".hit") if h.css_first("h2").text().startswith("Docker"))
    line = docker.css_first(".translations")
    assert " ".join(line.text().split()) == f"{also} {name}"
    link = line.css_first("a").attributes
    assert (link["href"], link["hreflang"]) in {("/docker.en/", "en"), ("/docker/", "es")}


def test_no_results_in_the_language_offers_the_others(bilingual):
    tree = html(bilingual.get("/buscar?q=seigle"))
    assert not tree.css(".hit")
    tip = tree.css_first(".other-languages")
    assert " ".join(tip.text().split()) == "En otros idiomas: francés (1)."
    french = html(bilingual.get(tip.css_first("a").attributes["href"]))
    assert texts(french, ".hit h2") == ["Pain au levain"]


def test_the_syntax_help_teaches_the_language_filter(bilingual):
    assert any("idioma:en" in e for e in texts(html(bilingual.get("/")), ".syntax code"))


def test_openapi_describes_the_language(bilingual):
    doc = bilingual.get("/api/openapi.json").json
    language = next(p for p in doc["paths"]["/api/search"]["get"]["parameters"]
                    if p["name"] == "language")
    assert language["schema"]["type"] == "string" and "style" not in language
    schemas = doc["components"]["schemas"]
    assert {"lang", "kind"} <= set(schemas["Hit"]["properties"])
    assert "lang" in schemas["SearchResult"]["properties"]["facets"]["properties"]
    assert "language" in schemas["SearchResult"]["properties"]


def test_the_search_log_keeps_typed_searches_only(bilingual_index, tmp_path):
    app = make_app(bilingual_index, tmp_path)
    client = app.test_client()
    client.get("/buscar?q=docker")
    client.get("/buscar?q=docker&language=en")  # a refinement, like a facet
    app.extensions["blogsearch"].search_log.flush()
    with sqlite3.connect(tmp_path / "searches.sqlite3") as conn:
        assert conn.execute("SELECT query, results, searches FROM query_days").fetchall() == [
            ("docker", 2, 1)]
