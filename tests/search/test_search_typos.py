"""Typos: each Spanish slip gives a did-you-mean and/or fuzzy results; correct spelling gets
neither and its results do not change."""

from __future__ import annotations

import re

import pytest

from blogsearch.search.analysis import fold
from tests.helpers import message_codes, result_paths

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
    assert "fuzzy" in message_codes(found)
    assert containing(meant) <= set(result_paths(found))


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
    assert set(result_paths(found)) == containing("limón") == {"limon-1.md"}
    assert found["suggestion"] is None
    assert "fuzzy" not in message_codes(found)


@pytest.mark.parametrize("word", ["vinagre", "llave", "cazuela", "horno", "tomate", "limón", "arroz",
                                  "hielo", "ajustar", "aceite"])
def test_correct_spelling_gets_no_suggestion_and_exact_results(kitchen, word):
    found = kitchen.search(word, per_page=20)
    assert found["suggestion"] is None
    assert "fuzzy" not in message_codes(found)
    assert set(result_paths(found)) == containing(word)


def test_a_typo_next_to_a_correct_word_keeps_the_correct_words_results(kitchen):
    found = kitchen.search("tomate binagre", per_page=20)
    assert containing("tomate") <= set(result_paths(found))
    assert found["suggestion"]["query"] == "tomate vinagre"


def test_sample_blog_typos(engine, ranked):
    found = engine.search("vusqueda")
    assert found["suggestion"]["query"] == "búsqueda"
    assert ranked(found)[0] == "posts/2022/busquedas-con-python/index.md"
    assert engine.search("kubernetis")["results"][0]["path"] == "posts/2023/kubernetes-sin-dolor/index.md"


def test_silent_h_left_out_at_the_start(kitchen):
    found = kitchen.search("orno")
    assert found["suggestion"] is not None and found["suggestion"]["query"] == "horno"
    assert containing("horno") <= set(result_paths(found))


def test_title_only_word_is_not_a_typo(kitchen):
    found = kitchen.search("fideuá")
    assert found["suggestion"] is None
    assert "fuzzy" not in message_codes(found)


def test_suggestion_never_repeats_the_query(engine):
    suggestion = engine.search("subí")["suggestion"]
    assert suggestion is None or suggestion["query"] != "subí"


def test_rare_correct_word_gets_no_suggestion(engine):
    found = engine.search("café")
    assert found["total"] >= 1
    assert found["suggestion"] is None


def test_corrections_are_worked_out_once_per_search(kitchen, monkeypatch):
    import blogsearch.search.corrections as corrections

    calls = []
    real = corrections.best_candidates
    monkeypatch.setattr(corrections, "best_candidates",
                        lambda main, *args: calls.append(main) or real(main, *args))
    found = kitchen.search("binagre de jerez", snippets=False)
    assert found["suggestion"]["query"] == "vinagre de jerez"
    assert {hit["path"] for hit in found["results"]} >= containing("vinagre")
    assert calls == ["binagr"]  # the fuzzy search and the suggestion share one lookup


@pytest.fixture(scope="module")
def tech(make_engine, post):
    return make_engine({
        "ciber.md": post("Implantes cibernéticos", "Brazos cibernéticos en los juegos de lucha."),
        "rusia.md": post("Viaje a Rusia", "Moscú en invierno."),
        "ansiedad.md": post("Sensible", "Una persona sensible ante la crítica."),
        "docker.md": post("Contenedores", "Docker en una Raspberry."),
    })


@pytest.mark.parametrize("typed", ["kubernetes", "rust", "ansible", "terraform", "kotlin"])
def test_a_word_with_no_plausible_correction_matches_nothing(tech, typed):
    found = tech.search(typed)
    assert found["total"] == 0 and found["results"] == []
    assert found["suggestion"] is None
    assert "fuzzy" not in message_codes(found)
    assert found["unknown"] == [typed]
    assert {"code": "unknown", "params": {"words": [typed], "results": False}} in found["messages"]


def test_an_implausible_word_is_left_out_of_a_longer_search(tech):
    found = tech.search("kubernetes docker")
    assert set(result_paths(found)) == {"docker.md"}
    assert found["left_out"] == ["kubernetes"] and found["unknown"] == ["kubernetes"]
    assert found["suggestion"] is None and found["as_typed"] is False


@pytest.mark.parametrize(("typed", "meant"), [("ciberneticos", "cibernéticos"),
                                              ("sibernéticos", "cibernéticos"),
                                              ("dokcer", "docker"), ("rusya", "rusia")])
def test_plausible_slips_are_still_corrected(tech, typed, meant):
    found = tech.search(typed)
    assert found["total"] >= 1
    if fold(typed) != fold(meant):
        assert found["suggestion"]["query"] == meant
        assert found["as_typed"] is False


@pytest.mark.parametrize(("typed", "candidate", "plausible"), [
    ("kubernet", "cibernet", False),  # another first sound
    ("rust", "rusi", False),  # a short word: slips only
    ("aroz", "arroz", True),  # a doubled letter is a slip
    ("ielo", "hielo", True),  # a silent h
    ("binagr", "vinagr", True),  # b/v at the start
    ("tomt", "tomat", True),  # ``tomte`` (five letters: one edit) against stems
    ("encritar", "encriptar", True),
    ("ofical", "oficial", True),  # c before a or i: the sound changes, one edit all the same
    ("policenat", "policenaut", True),
    ("ratatoing", "ratatouill", False),  # too far for its length
    ("cazuela", "casuela", True),
    ("paella", "pantalla", False),
    ("kotlin", "colin", False),  # a slip and an edit: too much for six letters
    ("terraform", "therefor", False),  # two edits: too many for nine letters
    ("kubernetis", "kubernetes", True),
    ("policenauts", "policenats", True),
])
def test_plausible_depends_on_the_first_sound_length_and_slips(typed, candidate, plausible):
    from blogsearch.search.spelling import max_edits
    from blogsearch.search.spelling import plausible as is_plausible

    allowed = max_edits("tomte" if typed == "tomt" else typed)
    assert is_plausible(typed, candidate, allowed) is plausible


def test_a_word_only_in_tags_is_still_a_correction(make_engine, post):
    search = make_engine({
        "a.md": post("Notas de viaje", "Un paseo por el puerto.", tags=["Castlevania"]),
        "b.md": post("Otra nota", "Nada que ver."),
    })
    found = search.search("castelvania")
    assert found["suggestion"]["query"] == "castlevania"
    assert [hit["path"] for hit in found["results"]] == ["a.md"]


def test_a_slip_whose_stem_is_another_words_is_no_correction(make_engine, post):
    """``docker`` with a slip undone is ``docer``, whose stem is that of ``doce``: not a likely
    slip of ``docker`` all the same."""
    search = make_engine({"a.md": post("Reloj", "Son las doce en punto."),
                          "b.md": post("Otra nota", "Nada que ver.")})
    found = search.search("docker")
    assert found["total"] == 0 and found["suggestion"] is None
