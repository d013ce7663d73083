"""English words in Spanish posts: stemmed as English when wordfreq's lists say the word is
English and not Spanish, so ``solid`` never meets ``sol`` and ``emulator`` meets ``emulador``."""

from __future__ import annotations

import pytest

from blogsearch.search.analysis import word_terms
from blogsearch.search.wordlists import is_english, is_known_word
from tests.helpers import message_codes


@pytest.mark.parametrize(("english", "spanish"), [("solid", "sol"), ("solid", "solo"),
                                                  ("solid", "sólo"), ("fighter", "fight"),
                                                  ("killer", "kill"), ("games", "gama")])
def test_english_words_do_not_meet_spanish_stems(english, spanish):
    assert word_terms(english)[0] != word_terms(spanish)[0]


@pytest.mark.parametrize(("word", "same"), [("emulator", "emulador"), ("emulators", "emuladores"),
                                            ("Solid", "solid"), ("players", "player"),
                                            ("tools", "tool"), ("games", "game")])
def test_english_forms_meet_each_other_and_their_spanish_cognates(word, same):
    assert word_terms(word) == word_terms(same)


@pytest.mark.parametrize("word", ["come", "real", "final", "once", "sale", "mayo", "red", "solo",
                                  "consolas", "cancion"])
def test_common_spanish_words_stay_spanish(word):
    assert not is_english(word)


@pytest.mark.parametrize("word", ["docker", "kubernetes", "terraform", "rust", "cazuela",
                                  "búsqueda", "emulator"])
def test_real_words_are_known(word):
    assert is_known_word(word)


@pytest.mark.parametrize("word", ["binagre", "vusqueda", "tomte", "aroz", "oficales", "yave",
                                  "kubernetis", "castelvania"])
def test_typos_are_not_known_words(word):
    assert not is_known_word(word)


def test_accents_are_handled_as_before():
    assert word_terms("Búsquedas") == word_terms("busquedas") == ("busqued",)
    assert word_terms("sólo") == ("sol",)


@pytest.fixture(scope="module")
def games(make_engine, post):
    return make_engine({
        "mgs.md": post("Metal Gear Solid", "Snake vuelve en la entrega más sigilosa."),
        "sol.md": post("Un día de sol", "Paseo por la playa, solo y con calor."),
        "puerta.md": post("La Puerta del Sol", "Las campanadas en Madrid."),
        "emu.md": post("Un emulador de NES", "Los emuladores reviven la consola."),
        "emu-en.md": post("Emulator news", "A new emulator for the Saturn."),
    })


def test_solid_finds_only_its_own_posts(games, ranked):
    assert ranked(games.search("solid")) == ["mgs.md"]
    assert "mgs.md" not in ranked(games.search("sol"))
    assert "mgs.md" not in ranked(games.search("solo"))
    assert ranked(games.search("puerta del sol"))[0] == "puerta.md"
    assert games.search("puerta del sol")["total"] == 1


def test_emulator_finds_the_posts_about_emulators(games, ranked):
    assert set(ranked(games.search("emulator"))) == {"emu.md", "emu-en.md"}
    assert set(ranked(games.search("emuladores"))) == {"emu.md", "emu-en.md"}


def test_the_first_search_of_a_process_does_not_spend_its_time_reading_the_lists(
        sample_index, monkeypatch):
    """Reading the lists can take more than a search's time budget: it happens when the index
    is opened, so the first search is as complete as the next ones."""
    import time

    from blogsearch.search import analysis, budget, wordlists
    from blogsearch.search.engine import Engine

    read = wordlists.zipf_buckets

    def slow(language):
        time.sleep(budget.SEARCH_SECONDS)  # a loaded machine
        return read(language)

    monkeypatch.setattr(wordlists, "zipf_buckets", slow)
    wordlists.read_lists.cache_clear()
    analysis.word_terms.cache_clear()  # else no word of the query would look the lists up
    engine = Engine(sample_index, result_cache=0)
    try:
        first = engine.search("masa madre pan")
        again = engine.search("masa madre pan")
    finally:
        engine.close()
        wordlists.read_lists.cache_clear()  # read again, at full speed, by the next test
    assert "budget" not in message_codes(first)
    assert [(h["path"], h["score"]) for h in first["results"]] == \
        [(h["path"], h["score"]) for h in again["results"]]
