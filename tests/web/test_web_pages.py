"""The search page, driven through Flask's test client against a real index of the sample blog."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from tests.helpers import (
    SAMPLE_BLOG,
    build_index,
    copy_tree,
    hrefs,
    html,
    make_app,
    query_of,
    texts,
    wait_until,
)


def test_home_is_the_empty_state_teaching_the_syntax(client):
    response = client.get("/")
    assert response.status_code == 200
    tree = html(response)
    assert tree.css_first("html").attributes["lang"] == "es"
    assert texts(tree, "h1") == ["Busca en el blog"]
    examples = texts(tree, ".syntax code")
    for example in ('"pan de masa madre"', "-centeno", "tag:docker", "categoria:recetas",
                    "autor:lucia", "año:2011", "fecha:2011-03", "fecha:2010..2012", "program*"):
        assert any(example in e for e in examples), example
    assert "la frase exacta" in texts(tree, ".syntax dd")
    assert not tree.css(".hit")


def test_blank_query_on_buscar_is_the_empty_state_too(client):
    tree = html(client.get("/buscar?q=+++"))
    assert tree.css(".syntax") and not tree.css(".hit")


def test_busqueda_finds_posts_written_with_accents(client):
    tree = html(client.get("/buscar?q=busqueda"))
    titles = texts(tree, ".hit h2")
    assert "Cómo mejoré las búsquedas de mi blog con Python" in titles
    assert "Búsqueda de texto completo con SQLite FTS5" in titles
    marks = [node.text() for node in tree.css(".hit h2 mark")]
    assert "búsquedas" in marks
    assert re.fullmatch(r"\d+ resultados?", texts(tree, ".count strong")[0])
    assert re.fullmatch(r"en [\d.,]+ ms", texts(tree, ".took")[0])


def test_a_result_has_link_spanish_date_author_tags_and_snippet(client):
    tree = html(client.get("/buscar?q=busqueda"))
    hit = next(n for n in tree.css(".hit") if "mejoré" in n.css_first("h2").text())
    assert hit.css_first("h2 a").attributes["href"] == "/posts/2022/busquedas-con-python/"
    assert hit.css_first("time").text() == "12 de febrero de 2022"
    assert hit.css_first("time").attributes["datetime"].startswith("2022-02-12")
    assert "Lucía Martín" in hit.css_first(".meta").text()
    assert [t.text() for t in hit.css(".tags a")] == ["Python", "búsqueda de texto", "Unicode"]
    assert hit.css_first(".snippet mark") is not None


def test_clicking_a_facet_filters_and_the_chip_removes_the_filter(client):
    tree = html(client.get("/buscar?q=casa"))
    total = len(tree.css(".hit"))
    link = next(n for n in tree.css(".facet a") if n.css_first(".label").text() == "Linux")
    count = int(link.css_first(".n").text())
    assert count < total
    filtered = html(client.get(link.attributes["href"]))
    assert query_of(link.attributes["href"])["tag"] == ["linux"]
    assert len(filtered.css(".hit")) == count
    for hit in filtered.css(".hit"):
        assert "Linux" in [t.text() for t in hit.css(".tags a")]
    chip = filtered.css_first(".chips a")
    assert "Etiqueta:" in chip.text() and "Linux" in chip.text()
    active = [n for n in filtered.css(".facet a.on")]
    assert len(active) == 1 and active[0].attributes["aria-current"] == "true"
    back = html(client.get(chip.attributes["href"]))
    assert len(back.css(".hit")) == total and not back.css(".chips")


def test_a_filter_typed_in_the_query_is_shown_and_removable(client):
    tree = html(client.get("/buscar?q=casa+tag:linux"))
    chip = tree.css_first(".chips a")
    assert "Linux" in chip.text()
    assert query_of(chip.attributes["href"])["q"] == ["casa"]


def test_exclusions_show_as_their_own_chip(client):
    tree = html(client.get("/buscar?q=casa&not_tag=linux"))
    assert "Sin la etiqueta:" in texts(tree, ".chips a")[0]
    for hit in tree.css(".hit"):
        assert "Linux" not in [t.text() for t in hit.css(".tags a")]


def test_year_and_date_filters(client):
    tree = html(client.get("/buscar?q=casa&year=2023"))
    dates = [n.attributes["datetime"] for n in tree.css(".hit time")]
    assert dates and all(d.startswith("2023") for d in dates)
    tree = html(client.get("/buscar?q=casa&date_from=2022-05&date_to=2023-06"))
    for d in (n.attributes["datetime"] for n in tree.css(".hit time")):
        assert "2022-05" <= d[:7] <= "2023-06"
    assert [c.split(":")[0] for c in texts(tree, ".chips a")] == ["Desde", "Hasta"]


@pytest.mark.parametrize("sort, newest_first", [("date", True), ("date_asc", False)])
def test_sort_by_date(client, sort, newest_first):
    tree = html(client.get(f"/buscar?q=casa&sort={sort}"))
    dates = [datetime.fromisoformat(n.attributes["datetime"]) for n in tree.css(".hit time")]
    assert len(dates) > 3
    assert dates == sorted(dates, reverse=newest_first)
    assert texts(tree, ".sort strong") == [{"date": "Más recientes",
                                             "date_asc": "Más antiguas"}[sort]]


def test_sort_links_keep_the_query_and_go_back_to_page_one(client):
    tree = html(client.get("/buscar?q=casa&page=2&per_page=3"))
    for link in hrefs(tree, ".sort a"):
        args = query_of(link)
        assert args["q"] == ["casa"] and "page" not in args and args["per_page"] == ["3"]


def test_pagination(client):
    first = html(client.get("/buscar?q=casa&per_page=3"))
    assert texts(first, ".pages [aria-current=page]") == ["1"]
    next_link = first.css_first(".pages a[rel~=next]").attributes["href"]
    assert query_of(next_link)["page"] == ["2"]
    second = html(client.get(next_link))
    assert texts(second, ".pages [aria-current=page]") == ["2"]
    assert second.css_first("ol.hits").attributes["start"] == "4"
    assert set(texts(first, ".hit h2")).isdisjoint(texts(second, ".hit h2"))
    last_number = int(texts(first, ".pages li")[-1])
    last = html(client.get(f"/buscar?q=casa&per_page=3&page={last_number}"))
    assert last.css_first(".pages a[rel~=next]") is None
    assert last.css_first(".pages a[rel~=prev]") is not None


def test_a_page_past_the_end_says_so(client):
    tree = html(client.get("/buscar?q=casa&page=40"))
    notice = texts(tree, ".notice")[0]
    assert "páginas" in notice
    assert tree.css_first(".notice a") is not None


def test_a_typo_is_corrected_in_one_information_line(client):
    tree = html(client.get("/buscar?q=pna"))
    assert texts(tree, ".correction") == ["Mostrando resultados de pan. Buscar únicamente «pna»."]
    assert not tree.css(".didyoumean") and not tree.css(".notice")  # once, and not as a warning
    shown, typed = tree.css(".correction a")
    assert shown.css_first("mark").text() == "pan"
    assert query_of(shown.attributes["href"])["q"] == ["pan"]
    assert query_of(typed.attributes["href"])["q"] == ['"pna"']
    assert texts(tree, ".hit h2")


def test_searching_as_typed_finds_nothing_and_suggests_the_correction(client):
    tree = html(client.get('/buscar?q="pna"'))
    assert not tree.css(".hit") and not tree.css(".correction")
    suggestion = tree.css_first(".didyoumean a")
    assert texts(tree, ".didyoumean")[0].startswith("¿Quisiste decir")
    assert query_of(suggestion.attributes["href"])["q"] == ["pan"]
    assert suggestion.css_first("mark").text() == "pan"


def test_the_typo_line_in_english(client):
    tree = html(client.get("/buscar?q=pna+horno&lang=en"))
    assert texts(tree, ".correction") == ["Showing results for pan horno. Search instead for “pna horno”."]
    typed = tree.css(".correction a")[1]
    assert query_of(typed.attributes["href"]) == {"q": ['"pna" horno'], "lang": ["en"]}


def test_no_results_page_helps(client):
    response = client.get("/buscar?q=xqzwvk+tag:nada")
    assert response.status_code == 200
    tree = html(response)
    assert texts(tree, "h1") == ["Ninguna entrada coincide con «xqzwvk tag:nada»."]
    tips = " ".join(texts(tree, ".tips li"))
    assert "ortografía" in tips and "filtro" in tips
    assert texts(tree, ".count")[0].startswith("0 resultados")
    assert not tree.css(".sort")


def test_an_overlong_query_is_searched_in_part_and_says_so(client):
    tree = html(client.get("/buscar?q=" + "casa " * 120))
    assert any("demasiado larga" in t for t in texts(tree, ".notice"))


@pytest.mark.parametrize("query, param", [
    ("page=0", "page"), ("page=1001", "page"), ("page=dos", "page"), ("page=-1", "page"),
    ("per_page=0", "per_page"), ("per_page=101", "per_page"), ("per_page=1e3", "per_page"),
    ("sort=azar", "sort"), ("year=20x", "year"), ("date_from=ayer", "date_from"),
    ("date_to=2011&date_to=2012", "date_to"), ("q=" + "a" * 2001, "q"),
    ("tag=" + "x" * 101, "tag"), ("&".join(f"tag=t{i}" for i in range(21)), "tag"),
])
def test_bad_parameters_are_a_clear_400_in_spanish(client, query, param):
    url = f"/buscar?{query}" if query.startswith("q=") else f"/buscar?q=casa&{query}"
    response = client.get(url)
    assert response.status_code == 400
    tree = html(response)
    message = texts(tree, ".error p")[0]
    assert message.startswith(f"Parámetro no válido {param}:")
    assert tree.css_first("input[name=q]") is not None


def test_unknown_page_is_a_spanish_404(client):
    response = client.get("/no-existe")
    assert response.status_code == 404
    assert texts(html(response), ".error p")[0] == "No hay nada en esta dirección."


def test_post_to_the_page_is_405_with_allow(client):
    response = client.post("/buscar")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_static_files_are_served(client):
    for name, kind in [("style.css", "text/css"), ("search.js", "text/javascript"),
                       ("favicon.svg", "image/svg+xml")]:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and response.content_type.startswith(kind)


def test_opensearch_description_and_link(sample_index, tmp_path, client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.content_type.startswith("application/opensearchdescription+xml")
    body = response.get_data(as_text=True)
    assert 'template="/buscar?q={searchTerms}"' in body  # no SEARCH_URL: paths only
    assert "format=opensearch&amp;q={searchTerms}" in body
    app = make_app(sample_index, tmp_path, SEARCH_URL="https://buscar.example.com/")
    body = app.test_client().get("/opensearch.xml", headers={"Host": "evil.example"}).get_data(
        as_text=True)
    assert 'template="https://buscar.example.com/buscar?q={searchTerms}"' in body
    assert "evil.example" not in body
    link = html(client.get("/")).css_first("link[rel=search]")
    assert link.attributes["href"] == "/opensearch.xml"
    assert link.attributes["type"] == "application/opensearchdescription+xml"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    every = client.get("/api/search?language=all&per_page=1").json["total"]
    assert response.json["status"] == "ok" and response.json["posts"] == every > 20


def test_missing_index_is_503_not_500(tmp_path):
    app = make_app(tmp_path / "nothing")
    client = app.test_client()
    page = client.get("/buscar?q=casa")
    assert page.status_code == 503
    assert "no está disponible" in texts(html(page), ".error p")[0]
    assert str(tmp_path) not in page.get_data(as_text=True)
    api = client.get("/api/search?q=casa")
    assert api.status_code == 503 and api.json["error"]["status"] == 503
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json["status"] == "unavailable"


def test_site_name_and_link_back_are_settings(sample_index, tmp_path):
    app = make_app(sample_index, SITE_NAME="Cuaderno de Lucía", SITE_URL="https://lucia.example")
    tree = html(app.test_client().get("/"))
    assert texts(tree, ".brand") == ["Cuaderno de Lucía"]
    assert "https://lucia.example" in hrefs(tree, "footer a")


def test_a_rebuilt_index_is_picked_up_without_a_restart(tmp_path):
    """One app, one engine: posts indexed while it runs show up on a later search."""
    content = tmp_path / "content"
    copy_tree(SAMPLE_BLOG / "_posts", content / "_posts")
    index = tmp_path / "index"
    build_index(content, index)
    client = make_app(index).test_client()
    assert client.get("/api/search?q=zarzuela").json["total"] == 0
    (content / "_posts" / "2024-02-02-zarzuela.md").write_text(
        "---\ntitle: Zarzuela de pescado\ndate: 2024-02-02\n---\n\nUna zarzuela sencilla.\n",
        encoding="utf-8")
    build_index(content, index)
    shown = wait_until(lambda: client.get("/api/search?q=zarzuela").json["total"] > 0, 10, interval=0.2)
    assert shown is not None, "the new post never showed up"
    tree = html(client.get("/buscar?q=zarzuela"))
    assert texts(tree, ".hit h2") == ["Zarzuela de pescado"]


def test_no_results_because_of_filters_offers_the_search_without_them(client):
    everything = client.get("/api/search?q=casa").json["total"]
    tree = html(client.get("/buscar?q=casa+año:2011&tag=linux"))
    assert texts(tree, ".count strong") == ["0 resultados"]
    widen = tree.css_first(".widen a")
    assert widen.text() == f"{everything} resultados"
    assert query_of(widen.attributes["href"]) == {"q": ["casa"]}
    assert texts(tree, ".widen")[0].startswith("Sin los filtros:")
    plain = html(client.get("/buscar?q=xqzwvk&tag=linux"))
    assert not plain.css(".widen") and "Quita algún filtro" in " ".join(texts(plain, ".tips li"))
