"""Ranking on small purpose-built blogs: exact accents, all terms first, title over body,
body over comments, and stray words that never empty the results.

Posts are named so that the one expected to win is indexed last: a tie would put it below."""

from __future__ import annotations

import pytest

FILLER = "Texto de relleno sobre la vida en el pueblo, el huerto y los vecinos de siempre."


@pytest.fixture(scope="module")
def accents(make_engine, post):
    return make_engine({
        "a-ano.md": post("Notas sueltas", f"Este ano fue muy bueno para la huerta. {FILLER}"),
        "b-anio.md": post("Notas sueltas", f"Este año fue muy bueno para la huerta. {FILLER}"),
        "c-otro.md": post("Otras notas", FILLER),
    })


def test_accented_query_prefers_the_accented_word(accents, ranked):
    assert ranked(accents.search("año")) == ["b-anio.md", "a-ano.md"]


def test_unaccented_query_finds_both(accents, ranked):
    assert set(ranked(accents.search("ano"))) == {"a-ano.md", "b-anio.md"}


def test_accent_preference_on_the_sample_blog(engine, ranked):
    found = ranked(engine.search("año", per_page=50))
    assert found[0] == "posts/2023/resumen-del-ano-2023/index.md"
    assert "posts/2022/japones-con-videojuegos/index.md" in ranked(engine.search("ano", per_page=50))


@pytest.fixture(scope="module")
def all_terms(make_engine, post):
    """"patata" is common (low weight); the tortilla post repeats "tortilla", so on BM25 alone
    it edges out the post that has both words far apart: only the all-terms rule lifts that one."""
    files = {
        "a-tortilla.md": post("Cena del martes",
                              f"Tortilla, tortilla y más tortilla: la tortilla de la abuela. {FILLER}"),
        "c-ambas.md": post("Cena del jueves", f"La tortilla estaba rica. {FILLER} Y la patata muy tierna."),
    }
    for n in range(5):
        files[f"p{n}.md"] = post(f"Huerto {n}", f"Cosecha de patata número {n}. {FILLER}")
    return make_engine(files)


@pytest.mark.parametrize("query", ["tortilla patata", "patata tortilla", "Tortilla PATATAS"])
def test_posts_with_all_words_come_first(all_terms, ranked, query):
    found = ranked(all_terms.search(query))
    assert found[:2] == ["c-ambas.md", "a-tortilla.md"]


def test_posts_with_some_words_are_still_found(all_terms, ranked):
    assert set(ranked(all_terms.search("tortilla patata"))) == \
        {"a-tortilla.md", "c-ambas.md"} | {f"p{n}.md" for n in range(5)}


def test_on_one_word_the_repeating_post_wins(all_terms, ranked):
    """Control for the tests above: without the second word the tortilla post leads."""
    assert ranked(all_terms.search("tortilla")) == ["a-tortilla.md", "c-ambas.md"]


def test_all_terms_first_on_the_sample_blog(engine, ranked):
    assert ranked(engine.search("docker compose"))[0] == "posts/2023/docker-compose-en-casa/index.md"
    assert ranked(engine.search("raspberry kubernetes"))[0] == "posts/2023/kubernetes-sin-dolor/index.md"


@pytest.fixture(scope="module")
def title_body(make_engine, post):
    return make_engine({
        "a-cuerpo.md": post("Comidas de verano",
                            "Un gazpacho fresquito es lo mejor. Gazpacho siempre. " + FILLER),
        "b-titulo.md": post("Gazpacho", "Tomate, pepino, pimiento y un buen aceite. " + FILLER),
    })


def test_title_match_above_body_only_match(title_body, ranked):
    assert ranked(title_body.search("gazpacho")) == ["b-titulo.md", "a-cuerpo.md"]


def test_title_above_body_on_the_sample_blog(engine, ranked):
    found = ranked(engine.search("lentejas", per_page=50))
    assert found[0] == "_posts/2016-11-12-lentejas-estofadas.markdown"
    assert "posts/2023/sqlite-fts5/index.md" in found[1:]  # mentions them in its code and body


@pytest.fixture(scope="module")
def body_comments(make_engine, post):
    return make_engine({
        "a-comentarios.md": post(
            "Paseo por la Albufera",
            f"{FILLER}\n\n## Comments\n\n### Comment by Ana on 2021-05-03\n"
            "Comimos una paella buenísima, la mejor paella del viaje.\n",
        ),
        "b-cuerpo.md": post("Paseo por la Albufera", f"{FILLER} Terminamos con una paella.\n"),
    })


def test_body_match_above_comments_only_match(body_comments, ranked):
    assert ranked(body_comments.search("paella")) == ["b-cuerpo.md", "a-comentarios.md"]


def test_comments_are_searchable_on_the_sample_blog(engine, ranked):
    assert ranked(engine.search("paella")) == ["posts/2021/albufera-al-atardecer/index.md"]


@pytest.mark.parametrize("stray", ["zzqxwv", "palabrainexistente", "qwertyuiop", "😀", "xx-yy"])
def test_a_stray_word_never_empties_the_results(title_body, ranked, stray):
    plain = ranked(title_body.search("gazpacho"))
    with_stray = ranked(title_body.search(f"gazpacho {stray}"))
    assert with_stray[:len(plain)] == plain


def test_stray_word_on_the_sample_blog(engine, ranked):
    assert ranked(engine.search("ipv6 zzqxwvk"))[0] == "posts/2020/ipv6-en-casa/index.md"
    assert ranked(engine.search("kubernetes raspberri pi3 zzqxwvk"))[0] == \
        "posts/2023/kubernetes-sin-dolor/index.md"


def test_no_recency_in_relevance(make_engine, post, ranked):
    search = make_engine({
        "a-vieja.md": post("Croquetas", "Croquetas de jamón. " + FILLER, date="2005-01-01"),
        "b-nueva.md": post("Receta", "Croquetas de jamón. " + FILLER, date="2024-01-01"),
    })
    assert ranked(search.search("croquetas")) == ["a-vieja.md", "b-nueva.md"]
    assert ranked(search.search("croquetas", sort="date")) == ["b-nueva.md", "a-vieja.md"]


# -- the Ranking value: every parameter reaches the engine ------------------------------------

def test_ranking_parameters_are_checked():
    import math
    import pickle

    from blogsearch.search.ranking import PartWeights, Ranking

    for bad, name in [({"b": 1.5}, "b"), ({"k1": -1}, "k1"), ({"rerank_depth": 0}, "rerank_depth"),
                      ({"proximity_window": 2.5}, "proximity_window"), ({"head_boost": -2}, "head_boost"),
                      ({"k1": math.inf}, "k1"), ({"accent_bonus": math.nan}, "accent_bonus"),
                      ({"rerank_depth": True}, "rerank_depth"), ({"typo_weight": "0.7"}, "typo_weight"),
                      ({"all_terms_factor": 0.5}, "all_terms_factor")]:
        with pytest.raises(ValueError, match=f"ranking: {name} must be"):
            Ranking(**bad)
    with pytest.raises(ValueError, match="ranking: code must be"):
        PartWeights(code=-1)
    ranking = Ranking(head_boost=4.0)  # a value: hashable, comparable, sent to other processes
    assert pickle.loads(pickle.dumps(ranking)) == ranking and len({ranking, Ranking(head_boost=4)}) == 1


def test_new_part_weights_make_the_next_index_run_a_full_one(tmp_path, monkeypatch):
    from blogsearch.indexer.run import index_folder
    from blogsearch.search.engine import Engine
    from blogsearch.search.ranking import PartWeights
    from tests.helpers import SAMPLE_BLOG

    def top_score(index):
        engine = Engine(index, result_cache=0)
        try:
            return engine.search("docker")["results"][0]["score"]
        finally:
            engine.close()

    index = tmp_path / "index"
    first = index_folder(SAMPLE_BLOG, index)
    assert index_folder(SAMPLE_BLOG, index).unchanged == first.posts
    before = top_score(index)
    heavier = PartWeights(title=3.0)
    monkeypatch.setattr("blogsearch.indexer.run.PART_WEIGHTS", heavier)
    monkeypatch.setattr("blogsearch.search.store.PART_WEIGHTS", heavier)
    again = index_folder(SAMPLE_BLOG, index)
    assert again.unchanged == 0 and again.posts == first.posts
    assert top_score(index) > before


def test_the_engine_ranks_with_the_ranking_it_is_given(title_body, all_terms, ranked):
    from blogsearch.search.engine import Engine
    from blogsearch.search.ranking import Ranking

    def ranked_with(engine, query, **values):
        other = Engine(engine.index_dir, result_cache=0, ranking=Ranking(**values))
        try:
            return ranked(other.search(query))
        finally:
            other.close()

    assert ranked_with(title_body, "gazpacho") == ["b-titulo.md", "a-cuerpo.md"]
    assert ranked_with(title_body, "gazpacho", head_boost=0.0) == ["a-cuerpo.md", "b-titulo.md"]
    assert ranked_with(all_terms, "tortilla patata")[:2] == ["c-ambas.md", "a-tortilla.md"]
    assert ranked_with(all_terms, "tortilla patata", all_terms_factor=1.0)[0] == "a-tortilla.md"


def test_rerank_skips_only_posts_that_cannot_reach_the_top():
    """The re-rank reads positions only for posts within the proximity bonus's ceiling of the
    ``needed``-th score; the first ``needed`` are exactly those of re-ranking every post."""
    import random

    import numpy as np

    from blogsearch.search.ranking import Ranking

    rng = random.Random(5)
    skipped = 0
    rankings = (Ranking(), Ranking(proximity_bonus=4.0, proximity_window=3), Ranking(all_terms_factor=1.0))
    for ranking in rankings:
        for _ in range(200):
            size = rng.randint(2, 40)
            scored = [(d, round(rng.uniform(0, 10), 2)) for d in range(size)]
            complete = np.array([rng.random() < 0.5 for _ in range(size)])
            words = ["w0", "w1", "w2"][:rng.randint(2, 3)]
            places = {w: {d: sorted(rng.sample(range(60), rng.randint(1, 4))) for d in range(size)
                          if rng.random() < 0.8} for w in words}
            read: list[int] = []

            def positions(terms, docnums, places=places, read=read):
                read.extend(docnums)
                return {t: {d: places[t][d] for d in docnums if d in places[t]} for t in terms}

            needed = rng.randint(1, size)
            pruned = ranking.rerank(list(scored), complete, needed, words, positions)
            everything = ranking.rerank(list(scored), complete, size * 10, words,
                                        lambda terms, docnums, places=places: places)
            assert [s for _, s in pruned[:needed]] == pytest.approx([s for _, s in everything[:needed]])
            assert {d for d, _ in pruned} == set(range(size))
            skipped += len(read) < size
    assert skipped > 100  # posts far behind were left unread
