"""Deep links: the sections of a post that match a query, and the post's picture, in results."""

from __future__ import annotations

from blogsearch.search.analysis import word_terms
from blogsearch.search.records import Post
from blogsearch.search.sections import matching_sections, section_link

BODY = ("Intro sin nada.\n"
        "Instalación\nSe instala con apt y se prueba el servidor.\n"
        "Configuración\nEl servidor lee un fichero; el fichero vive en /etc.\n"
        "Copias\nNada que ver.\n"
        "Más servidor\nOtro servidor, otro fichero.\n"
        "Final\nEl servidor, el fichero y apt, todo junto.\n")


def _headings(*names: str) -> list[list]:
    return [[name, name.lower(), BODY.index(name + "\n")] for name in names]


HEADINGS = _headings("Instalación", "Configuración", "Copias", "Más servidor", "Final")


def _terms(*words: str) -> set[str]:
    return {word_terms(w)[0] for w in words}


def test_the_sections_with_the_most_query_words_in_the_posts_order():
    found = matching_sections(BODY, HEADINGS, "/post/", _terms("servidor", "fichero", "apt"))
    # Final holds all three; Más servidor and Configuración two each, more often than Instalación
    assert [s["title"] for s in found] == ["Configuración", "Más servidor", "Final"]
    assert found[0]["url"] == "/post/#configuraci%C3%B3n"
    assert found[1]["title_html"] == "Más <mark>servidor</mark>"


def test_a_match_in_the_heading_counts_and_the_heading_is_highlighted():
    found = matching_sections(BODY, HEADINGS, "/post/", _terms("copias"))
    assert found == [{"title": "Copias", "title_html": "<mark>Copias</mark>", "url": "/post/#copias"}]


def test_no_sections_without_headings_matches_or_url():
    assert matching_sections(BODY, HEADINGS, "/post/", _terms("lentejas")) == []
    assert matching_sections(BODY, [], "/post/", _terms("servidor")) == []
    assert matching_sections(BODY, HEADINGS, "", _terms("servidor")) == []
    assert matching_sections("Intro con servidor.\n" + BODY, HEADINGS[:1], "/p/", _terms("servidor")) \
        == [{"title": "Instalación", "title_html": "Instalación", "url": "/p/#instalaci%C3%B3n"}]


def test_section_links_replace_any_fragment_and_encode_only_what_must_be():
    assert section_link("/p/#old", "a b") == "/p/#a%20b"
    assert section_link("https://x.es/p/", "cómo-darla-vuelta") == "https://x.es/p/#c%C3%B3mo-darla-vuelta"
    assert section_link("/p/", "instalaci%C3%B3n") == "/p/#instalaci%C3%B3n"  # already encoded


def test_results_carry_sections_and_image(make_index):
    body = "Texto.\nEl horno\nPrecalentar el horno a 250 grados.\nReposo\nDejar reposar."
    post = Post(path="pan.md", url="https://blog.es/pan/", title="Pan", body=body,
                headings=[["El horno", "el-horno", body.index("El horno")],
                          ["Reposo", "reposo", body.index("Reposo")]],
                image="https://blog.es/pan/foto.jpg")
    plain = Post(path="otro.md", url="/otro/", title="Otro horno", body="Un horno de leña.")
    engine = make_index([post, plain], "es")
    hits = {hit["path"]: hit for hit in engine.search("horno")["results"]}
    assert hits["pan.md"]["sections"] == [{"title": "El horno", "title_html": "El <mark>horno</mark>",
                                           "url": "https://blog.es/pan/#el-horno"}]
    assert hits["pan.md"]["image"] == "https://blog.es/pan/foto.jpg"
    assert hits["otro.md"]["sections"] == [] and hits["otro.md"]["image"] is None
    assert engine.search("horno", snippets=False)["results"][0]["sections"] == []
