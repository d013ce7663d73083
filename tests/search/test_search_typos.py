"""Typos: each Spanish slip gives a did-you-mean and/or fuzzy results; correct spelling gets
neither and its results do not change."""

from __future__ import annotations

import re

import pytest

from search.analysis import fold

POSTS = {
    "vinagre-1.md": ("Aliño de la ensalada", "Un buen vinagre de Jerez y aceite de oliva."),
    "vinagre-2.md": ("Escabeche", "El escabeche lleva vinagre, laurel y pimentón."),
    "vinagre-3.md": ("Encurtidos", "Pepinillos en vinagre con eneldo."),
    "llave-1.md": ("La cerradura", "Perdí la llave del portal otra vez."),
    "llave-2.md": ("Bicicleta", "Una llave inglesa para ajustar el sillín."),
    "llave-3.md": ("Mudanza", "Entregamos la llave al casero."),
    "cazuela-1.md": ("Arroz al horno", "En una cazuela de barro, el arroz se hace al horno."),
    "cazuela-2.md": ("Guiso", "La cazuela de barro conserva el calor."),
    "cazuela-3.md": ("Fideuá", "Fideos en cazuela con alioli."),
    "horno-1.md": ("Pan", "El horno de leña da otro sabor."),
    "horno-2.md": ("Asado", "Cordero al horno con patatas."),
    "tomate-1.md": ("Gazpacho", "Tomate maduro, pepino y pimiento."),
    "tomate-2.md": ("Salsa", "Salsa de tomate casera."),
    "tomate-3.md": ("Tostadas", "Pan con tomate y aceite."),
    "limon-1.md": ("Limonada", "Zumo de limón con hielo."),
}


@pytest.fixture(scope="module")
def kitchen(make_engine, post):
    return make_engine({path: post(title, body) for path, (title, body) in POSTS.items()})


def containing(word: str) -> set[str]:
    """The posts whose title or body has the word ``word`` (ignoring case and accents)."""
    return {path for path, (title, body) in POSTS.items()
            if fold(word) in {fold(w) for w in re.findall(r"\w+", f"{title} {body}")}}


def codes(found: dict) -> list[str]:
    return [message["code"] for message in found["messages"]]


def found_paths(found: dict) -> set[str]:
    return {hit["path"] for hit in found["results"]}


@pytest.mark.parametrize(
    ("typed", "meant", "slip"),
    [
        ("binagre", "vinagre", "b/v"),
        ("yave", "llave", "y/ll"),
        ("casuela", "cazuela", "c/z/s"),
        ("cacuela", "cazuela", "c/z/s"),
        ("ielo", "hielo", "silent h left out"),
        ("hajustar", "ajustar", "silent h added"),
        ("arrozz", "arroz", "doubled letter"),
        ("aroz", "arroz", "undoubled letter"),
        ("tomatte", "tomate", "doubled letter"),
        ("tomte", "tomate", "missing letter"),
        ("aceyte", "aceite", "y/i"),
    ],
)
def test_spanish_slips_get_a_suggestion_and_fuzzy_results(kitchen, typed, meant, slip):
    assert not containing(typed), "the typo must not be in the blog"
    found = kitchen.search(typed, per_page=20)
    assert found["suggestion"] is not None, slip
    assert found["suggestion"]["query"] == meant
    assert found["suggestion"]["html"] == f"<mark>{meant}</mark>"
    assert "fuzzy" in codes(found)
    assert containing(meant) <= found_paths(found)


@pytest.mark.parametrize(("typed", "meant"), [("binagre", "vinagre"), ("yave", "llave"),
                                             ("tomte", "tomate"), ("ielo", "hielo")])
def test_posts_with_the_meant_word_come_first(kitchen, typed, meant):
    top = [hit["path"] for hit in kitchen.search(typed)["results"][:len(containing(meant))]]
    assert set(top) == containing(meant)


def test_posts_with_the_suggested_word_beat_farther_expansions(kitchen):
    found = kitchen.search("casuela")
    assert found["suggestion"]["query"] == "cazuela"
    top = [hit["path"] for hit in found["results"][:len(containing("cazuela"))]]
    assert set(top) == containing("cazuela")


def test_fuzzy_results_highlight_the_word_in_the_post(kitchen):
    hit = kitchen.search("binagre")["results"][0]
    assert "<mark>vinagre</mark>" in hit["snippet"]


def test_suggestion_keeps_the_typed_words_around_the_fix(kitchen):
    found = kitchen.search("binagre de Jerez")
    assert found["suggestion"]["query"] == "vinagre de Jerez"
    assert found["suggestion"]["html"] == "<mark>vinagre</mark> de Jerez"


@pytest.mark.parametrize("typed", ["limon", "LIMÓN", "limón"])
def test_accent_left_out_or_in_capitals_just_matches(kitchen, typed):
    found = kitchen.search(typed)
    assert found_paths(found) == containing("limón") == {"limon-1.md"}
    assert found["suggestion"] is None
    assert "fuzzy" not in codes(found)


@pytest.mark.parametrize("word", ["vinagre", "llave", "cazuela", "horno", "tomate", "limón", "arroz",
                                  "hielo", "ajustar", "aceite"])
def test_correct_spelling_gets_no_suggestion_and_exact_results(kitchen, word):
    found = kitchen.search(word, per_page=20)
    assert found["suggestion"] is None
    assert "fuzzy" not in codes(found)
    assert found_paths(found) == containing(word)


def test_a_typo_next_to_a_correct_word_keeps_the_correct_words_results(kitchen):
    found = kitchen.search("tomate binagre", per_page=20)
    assert containing("tomate") <= found_paths(found)
    assert found["suggestion"]["query"] == "tomate vinagre"


def test_sample_blog_typos(engine, ranked):
    found = engine.search("vusqueda")
    assert found["suggestion"]["query"] == "búsqueda"
    assert ranked(found)[0] == "posts/2022/busquedas-con-python/index.md"
    assert engine.search("kubernetis")["results"][0]["path"] == "posts/2023/kubernetes-sin-dolor/index.md"


def test_silent_h_left_out_at_the_start(kitchen):
    found = kitchen.search("orno")
    assert found["suggestion"] is not None and found["suggestion"]["query"] == "horno"
    assert containing("horno") <= found_paths(found)


def test_title_only_word_is_not_a_typo(kitchen):
    found = kitchen.search("fideuá")
    assert found["suggestion"] is None
    assert "fuzzy" not in codes(found)


def test_suggestion_never_repeats_the_query(engine):
    suggestion = engine.search("subí")["suggestion"]
    assert suggestion is None or suggestion["query"] != "subí"


def test_rare_correct_word_gets_no_suggestion(engine):
    found = engine.search("café")
    assert found["total"] >= 1
    assert found["suggestion"] is None


def test_corrections_are_worked_out_once_per_search(kitchen, monkeypatch):
    from search.engine import _Plan

    calls = []
    real = _Plan._find_corrections
    monkeypatch.setattr(_Plan, "_find_corrections",
                        lambda self, word, main: calls.append(word) or real(self, word, main))
    found = kitchen.search("binagre de jerez", snippets=False)
    assert found["suggestion"]["query"] == "vinagre de jerez"
    assert {hit["path"] for hit in found["results"]} >= containing("vinagre")
    assert calls == ["binagre"]  # the fuzzy search and the suggestion share one lookup
