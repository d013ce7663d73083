"""Counts on the page and in the API: words left out and words in no post said plainly,
partial matches marked, in Spanish and in English."""

from __future__ import annotations

from tests.helpers import html, texts


def test_a_word_in_no_post_is_said_plainly(client):
    tree = html(client.get("/buscar?q=zzqxwv"))
    assert "Ninguna entrada contiene «zzqxwv», ni una palabra parecida." in texts(tree, ".notice")
    assert not tree.css(".hit")
    assert not tree.css(".didyoumean")
    english = html(client.get("/buscar?q=zzqxwv&lang=en"))
    assert "No post contains «zzqxwv», nor a similar word." in texts(english, ".notice")


def test_a_word_in_no_post_left_out_of_a_longer_search(client):
    tree = html(client.get("/buscar?q=python+zzqxwv"))
    assert ("Ninguna entrada contiene «zzqxwv», ni una palabra parecida: se muestran resultados "
            "sin ella.") in texts(tree, ".notice")
    assert tree.css(".hit")
    data = client.get("/api/search?q=python+zzqxwv").json
    assert data["left_out"] == ["zzqxwv"] and data["unknown"] == ["zzqxwv"]
    assert data["as_typed"] is False and data["total"] >= 1


def test_partial_matches_are_marked_on_the_page_and_in_the_api(client):
    data = client.get("/api/search?q=pan+masa").json
    full = [hit for hit in data["results"] if not hit["missing"]]
    partial = [hit for hit in data["results"] if hit["missing"]]
    assert len(full) == data["total"] and partial
    assert data["results"][:len(full)] == full  # full matches first here
    tree = html(client.get("/buscar?q=pan+masa"))
    marks = texts(tree, ".hit .missing")
    assert len(marks) == len(partial)
    assert all(mark.startswith("Coincidencia parcial, sin «") for mark in marks)
    english = texts(html(client.get("/buscar?q=pan+masa&lang=en")), ".hit .missing")
    assert all(mark.startswith("Partial match, without: «") for mark in english)


def test_the_count_is_the_full_matches(client):
    data = client.get("/api/search?q=pan+masa").json
    assert data["as_typed"] is True and data["left_out"] == []
    tree = html(client.get("/buscar?q=pan+masa"))
    assert any(f"{data['total']} resultados" in text for text in texts(tree, ".summary, p"))


def test_a_relaxed_search_says_so_and_marks_every_result(client):
    data = client.get("/api/search?q=masa+madre+kubernetes").json
    assert data["left_out"] == ["kubernetes"] and data["as_typed"] is False
    assert all(hit["missing"] for hit in data["results"])
    tree = html(client.get("/buscar?q=masa+madre+kubernetes"))
    assert ("Ninguna entrada contiene todas las palabras de la búsqueda: se muestran las que "
            "contienen 2 de 3, cada una con las que le faltan.") in texts(tree, ".notice")
    english = html(client.get("/buscar?q=masa+madre+kubernetes&lang=en"))
    assert ("No post contains every word of your search: showing those with 2 of 3, each marked "
            "with the ones it lacks.") in texts(english, ".notice")
