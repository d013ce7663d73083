"""The shape of results, HTML-safe highlighted snippets, facets, sorting and paging."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import datetime

import pytest

from blogsearch.search.facets import FACETS, facet_key
from blogsearch.search.snippets import FIRST_PIECE, highlight, matches, snippet
from tests.helpers import everything

BUSQUEDAS = "posts/2022/busquedas-con-python/index.md"


# -- result records -------------------------------------------------------------------------
def test_result_fields(engine, sample_index):
    found = engine.search("lentejas")
    hit = found["results"][0]
    assert {"path", "url", "title", "date", "author", "tags", "categories", "score", "snippet"} <= set(hit)
    assert hit["path"] == "_posts/2016-11-12-lentejas-estofadas.markdown"
    assert hit["url"] == "/lentejas-estofadas/"
    assert hit["title"] == "Lentejas estofadas de la abuela"
    assert datetime.fromisoformat(hit["date"]) == datetime.fromisoformat("2016-11-12T13:00:00+01:00")
    assert hit["author"] == "Lucía Martín"
    assert hit["tags"] == ["cocina", "legumbres", "recetas de cuchara"]
    assert hit["categories"] == ["Cocina"]
    assert isinstance(hit["score"], float) and hit["score"] > 0
    assert "<mark>" in hit["snippet"]
    assert isinstance(found["took_ms"], float)


def test_every_result_date_is_iso_8601_with_offset(engine):
    for hit in everything(engine, "fecha:1990..2100")["results"]:
        parsed = datetime.fromisoformat(hit["date"])
        assert parsed.tzinfo is not None


def test_paths_are_relative_to_the_content_folder(engine):
    for hit in everything(engine, "fecha:1990..2100")["results"]:
        assert not hit["path"].startswith("/") and "\\" not in hit["path"]


def test_relevance_scores_are_in_rank_order(engine):
    scores = [hit["score"] for hit in everything(engine, "python")["results"]]
    assert len(scores) >= 3
    assert scores == sorted(scores, reverse=True)


# -- snippets ---------------------------------------------------------------------------------
def test_snippet_highlights_stemmed_and_folded_forms_keeping_accents(engine):
    found = engine.search("busqueda")
    hit = next(h for h in found["results"] if h["path"] == BUSQUEDAS)
    assert "<mark>búsquedas</mark>" in hit["snippet"] or "<mark>Búsquedas</mark>" in hit["snippet"]
    assert "<mark>búsquedas</mark>" in hit["title_html"]
    assert all(not re.search(r"<mark>[^<]*busqueda", h["snippet"]) for h in found["results"])


def test_title_highlight_keeps_the_original_case(engine):
    hit = engine.search("BÚSQUEDA")["results"][0]
    marked = re.findall(r"<mark>(.*?)</mark>", hit["title_html"])
    assert marked and all(word in hit["title"] for word in marked)


def test_snippet_is_a_window_of_the_post_around_the_match(engine):
    hit = engine.search("Obradoiro")["results"][0]
    assert hit["path"] == "blog/2014-08-15-camino-de-santiago-primitivo.md"
    assert "<mark>Obradoiro</mark>" in hit["snippet"]
    assert hit["snippet"].startswith("… ")  # the word is far from the start of the post
    plain = re.sub(r"</?mark>", "", hit["snippet"]).strip("… ")
    assert 50 <= len(plain) <= 400


def test_snippet_without_a_match_is_the_start_of_the_text():
    assert snippet("Primera frase. Segunda frase.", {"zzz"}) == "Primera frase. Segunda frase."


def test_snippet_with_enough_stops_at_the_first_window_holding_every_word():
    filler = "relleno " * 1000
    text = f"Una receta de pan. {filler} Pan, pan y más pan: la receta del pan. {filler}"
    terms = {"recet", "pan"}
    best = snippet(text, terms)  # reads everything: the window with the most matches
    assert best.count("<mark>") == 5
    first = snippet(text, terms, enough=2)
    assert first.startswith("Una <mark>receta</mark> de <mark>pan</mark>")
    assert snippet(text, terms, enough=3) == best  # never enough: reads everything
    # The first piece read ends inside the chosen window: the window's later words are marked.
    edge = "x " * 1495 + "pan receta pan " + "y " * 200
    assert edge.index("pan", 2995) >= FIRST_PIECE
    assert snippet(edge, terms, enough=2).count("<mark>") == 3


@pytest.mark.parametrize(("text", "terms", "marked"), [
    ("ÁRBOLES y árboles, arboles", {"arbol"}, ["ÁRBOLES", "árboles", "arboles"]),
    ("Los AÑOS pasan: años, anos", {"ano"}, ["AÑOS", "años", "anos"]),
    ("Ça va, ça marche", {"ca"}, ["Ça", "ça"]),
    ("İstanbul 東京 Ürün über Über", {"uber"}, ["über", "Über"]),  # İ: longer lowercase; 東京: not Latin-1
    ("東京タワー en 東京", {"東京"}, ["東京"]),
    ("sobrepan /pan .pan pan-de-molino", {"pan"}, ["pan-de-molino"]),  # where a word starts
])
def test_matches_ignore_case_and_accents_and_find_only_word_starts(text, terms, marked):
    assert [text[start:end] for start, end, _ in matches(text, terms)] == marked


def test_filter_only_results_have_the_start_of_the_post_as_snippet(engine):
    hit = engine.search("", filters={"year": ["2021"]})["results"][0]
    assert hit["snippet"] and "<mark>" not in hit["snippet"]


def test_snippet_functions_escape_html():
    text = 'Un <script>alert("x")</script> & <b>búsquedas</b>'
    for rendered in (snippet(text, {"busqued"}), highlight(text, {"busqued"})):
        assert "<script>" not in rendered and "<b>" not in rendered
        assert "&lt;script&gt;" in rendered and "&amp;" in rendered
        assert "<mark>búsquedas</mark>" in rendered


@pytest.fixture(scope="module")
def xss_engine(make_engine, post):
    return make_engine({
        "codigo.md": post("Inyecciones en plantillas",
                          "Nunca pongas `<script>alert(1)</script>` en una plantilla sin escapar."),
        "entidades.md": post("Entidades peligrosas",
                             "El texto &lt;script&gt;alert(2)&lt;/script&gt; de una plantilla."),
        "titulo.html": '---\ntitle: "&lt;img src=x onerror=alert(3)&gt; plantilla"\n---\n'
                       "<p>Una plantilla con el título raro.</p>",
    })


def test_snippets_of_script_in_a_body_come_back_escaped(xss_engine):
    found = xss_engine.search("plantilla")
    assert found["total"] == 3
    for hit in found["results"]:
        for html in (hit["snippet"], hit["title_html"]):
            assert "<script" not in html and "<img" not in html
            assert re.sub(r"</?mark>", "", html).count("<") == 0
    bodies = {hit["path"]: hit["snippet"] for hit in found["results"]}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bodies["codigo.md"]
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in bodies["entidades.md"]


def test_searching_for_markup_is_safe(xss_engine):
    found = xss_engine.search("<script>alert(1)</script>")
    assert found["total"] >= 1
    for hit in found["results"]:
        assert "<script" not in hit["snippet"]


def test_snippets_can_be_turned_off(engine):
    assert all(hit["snippet"] == "" for hit in engine.search("docker", snippets=False)["results"])


# -- facets -----------------------------------------------------------------------------------
def _counted(results: list[dict]) -> dict[str, Counter]:
    counts = {"tag": Counter(), "category": Counter(), "year": Counter(), "author": Counter()}
    for hit in results:
        counts["tag"].update(facet_key(t) for t in hit["tags"])
        counts["category"].update(facet_key(c) for c in hit["categories"])
        counts["year"].update([hit["date"][:4]] if hit["date"] else [])
        counts["author"].update([facet_key(hit["author"])] if hit["author"] else [])
    return counts


def _facets(found: dict) -> dict[str, Counter]:
    """The keyword facets (the language facet has tests of its own)."""
    return {name: Counter({item["value"]: item["count"] for item in found["facets"][name]})
            for name in FACETS}


@pytest.mark.parametrize("query", ["python", "fotografia", "viajes", "raspberry"])
def test_facets_count_the_whole_match_set_not_just_the_page(engine, query):
    page = engine.search(query, per_page=1)
    whole = everything(engine, query)
    assert page["total"] == whole["total"] > 1
    assert len(page["results"]) == 1
    assert _facets(page) == _counted(whole["results"])


def test_facet_labels_keep_the_posts_spelling(engine):
    found = everything(engine, "fotografia")
    labels = {item["value"]: item["label"] for item in found["facets"]["tag"]}
    assert labels["fotografia"] == "fotografía"


def test_facets_are_most_frequent_first_and_years_newest_first(engine):
    facets = everything(engine, "fecha:1990..2100")["facets"]
    for name in ("tag", "category", "author"):
        counts = [item["count"] for item in facets[name]]
        assert counts == sorted(counts, reverse=True)
    years = [item["value"] for item in facets["year"]]
    assert years == sorted(years, reverse=True)


def test_filters_narrow_the_facets(engine):
    wide = everything(engine, "viajes")
    narrow = everything(engine, "viajes", filters={"category": ["Fotografía"]})
    assert 0 < narrow["total"] < wide["total"]
    wide_counts, narrow_counts = _facets(wide), _facets(narrow)
    assert narrow_counts["category"]["fotografia"] == narrow["total"]
    for name, counter in narrow_counts.items():
        for value, count in counter.items():
            assert count <= wide_counts[name][value]
    assert narrow_counts == _counted(narrow["results"])


def test_no_match_has_empty_facets(engine):
    found = engine.search("zzzzqqqxxx")
    assert found["total"] == 0
    assert all(items == [] for items in found["facets"].values())


def test_year_facet_and_year_filter_agree(make_engine, post):
    search = make_engine({
        "nochevieja.md": post("Nochevieja", "Uvas y campanadas.", date="2011-12-31T20:00:00+01:00"),
        "anio-nuevo.md": post("Año nuevo", "Uvas de la suerte.", date="2012-01-01T00:30:00+01:00"),
    })
    years = {item["value"]: item["count"] for item in search.search("uvas")["facets"]["year"]}
    assert years == {"2011": 1, "2012": 1}
    assert [h["path"] for h in search.search("uvas", filters={"year": ["2012"]})["results"]] == \
        ["anio-nuevo.md"]
    assert [h["path"] for h in search.search("uvas año:2011")["results"]] == ["nochevieja.md"]


# -- sorting and paging -----------------------------------------------------------------------
def _dates(found: dict) -> list[datetime]:
    return [datetime.fromisoformat(hit["date"]) for hit in found["results"]]


def test_sort_by_date_newest_first(engine):
    found = everything(engine, "python", sort="date")
    assert len(found["results"]) >= 3
    assert _dates(found) == sorted(_dates(found), reverse=True)


def test_sort_by_date_oldest_first(engine):
    found = everything(engine, "python", sort="date_asc")
    assert _dates(found) == sorted(_dates(found))


def test_sorting_keeps_the_same_matches(engine):
    by_relevance = {hit["path"] for hit in everything(engine, "python")["results"]}
    by_date = {hit["path"] for hit in everything(engine, "python", sort="date")["results"]}
    assert by_relevance == by_date


@pytest.mark.parametrize("sort", ["relevance", "date", "date_asc"])
def test_pages_partition_the_results(engine, sort):
    whole = everything(engine, "fecha:1990..2100 viajes OR cocina OR python", sort=sort)
    total = whole["total"]
    per_page = 3
    assert total > per_page * 2
    pages = [engine.search("fecha:1990..2100 viajes OR cocina OR python", sort=sort, page=n,
                           per_page=per_page) for n in range(1, math.ceil(total / per_page) + 1)]
    assert all(p["total"] == total and p["pages"] == math.ceil(total / per_page) for p in pages)
    assert all(len(p["results"]) == per_page for p in pages[:-1])
    assert 1 <= len(pages[-1]["results"]) <= per_page
    flat = [hit["path"] for p in pages for hit in p["results"]]
    assert sorted(flat) == sorted(hit["path"] for hit in whole["results"])
    assert len(set(flat)) == total


def test_page_past_the_end_is_empty_but_keeps_the_total(engine):
    first = engine.search("python", per_page=2)
    beyond = engine.search("python", per_page=2, page=first["pages"] + 1)
    assert beyond["results"] == []
    assert beyond["total"] == first["total"]


def test_no_results_has_zero_pages(engine):
    found = engine.search("zzzzqqqxxx")
    assert (found["total"], found["pages"], found["results"]) == (0, 0, [])


# -- text boundaries ----------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("se mancha con mirarla\nDe momento llevo una hora", "se mancha con mirarla · De momento"),
    ("Google es vuestro amigo\nEDITADO: la primera versión", "vuestro amigo · EDITADO:"),
    ("Fin de la frase.\nOtra frase", "Fin de la frase. Otra frase"),
    ("¿Seguro?\nSí", "¿Seguro? Sí"),
    ('Dijo "basta."\nLuego', 'Dijo &quot;basta.&quot; Luego'),
    ("Celda uno\nCelda dos", "Celda uno · Celda dos"),
])
def test_blocks_never_read_as_one_sentence(text, expected):
    assert expected in re.sub(r"</?mark>", "", snippet(text, {"zzz"}))


def test_a_snippet_starts_at_the_sentence_holding_the_match():
    text = ("Primera frase sin nada que ver con el tema de hoy, bastante larga. " * 6
            + "Aquí empieza la frase con la palabra croqueta dentro. Y sigue después.")
    found = snippet(text, {"croquet"})
    assert found.startswith("… Aquí empieza la frase con la palabra <mark>croqueta</mark>")


def test_a_snippet_starts_at_the_block_holding_the_match():
    text = "x " * 400 + "\nTítulo de sección\nEl párrafo donde aparece la croqueta por fin."
    assert snippet(text, {"croquet"}).startswith("… El párrafo donde aparece la <mark>croqueta</mark>")


def test_a_long_sentence_still_shows_the_match_with_some_context():
    text = "palabra " * 300 + "la croqueta " + "sigue " * 100
    found = snippet(text, {"croquet"})
    assert "<mark>croqueta</mark>" in found and found.startswith("… ")
    assert found.index("<mark>") < 80


def test_phrases_do_not_span_two_blocks(make_engine, post):
    search = make_engine({
        "a.md": post("Notas", "Se mancha con solo mirarla\n\nDe momento va bien."),
        "b.md": post("Otras notas", "Hay que mirarla de momento con calma."),
    })
    assert [hit["path"] for hit in search.search('"mirarla de momento"')["results"]] == ["b.md"]
