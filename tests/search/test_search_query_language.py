"""Every feature of the query language, on the sample blog (examples/blog)."""

from __future__ import annotations

from datetime import datetime

import pytest

from blogsearch.search.analysis import fold
from tests.helpers import everything

DOCKER = "posts/2023/docker-compose-en-casa/index.md"
PAN = "blog/2020-04-10-pan-de-masa-madre.md"
RESUMEN = "posts/2023/resumen-del-ano-2023/index.md"
LENTEJAS = "_posts/2016-11-12-lentejas-estofadas.markdown"
KUBERNETES = "posts/2023/kubernetes-sin-dolor/index.md"
NOVA = "_posts/2017-02-05-openstack-nova-manage.md"
MONKEY = "_posts/2012-05-19-volver-a-monkey-island.md"


def keys(values: list[str]) -> set[str]:
    return {fold(value) for value in values}


def year_of(hit: dict) -> int:
    return datetime.fromisoformat(hit["date"]).year


def test_words(engine, ranked):
    assert ranked(engine.search("lentejas"))[0] == LENTEJAS
    assert ranked(engine.search("docker compose"))[0] == DOCKER


def test_words_match_without_accents_and_in_other_inflections(engine, ranked):
    assert ranked(engine.search("estofada"))[0] == LENTEJAS
    assert ranked(engine.search("LENTEJA"))[0] == LENTEJAS


def test_every_result_contains_a_query_word(engine):
    found = everything(engine, "kubernetes")
    assert found["total"] == len(found["results"]) >= 1
    for hit in found["results"]:
        assert "<mark>" in hit["snippet"] + hit["title_html"]


def test_exact_phrase(engine, ranked):
    found = ranked(everything(engine, '"masa madre"'))
    assert PAN in found and RESUMEN in found
    assert found[0] == PAN


def test_phrase_needs_the_words_together_and_in_order(engine, ranked):
    assert DOCKER in ranked(everything(engine, "inverso proxy"))
    assert DOCKER in ranked(everything(engine, '"proxy inverso"'))
    assert DOCKER not in ranked(everything(engine, '"inverso proxy"'))
    assert ranked(everything(engine, '"lentejas kubernetes"')) == []


def test_phrase_with_a_stopword_inside(engine, ranked):
    # resumen-del-ano-2023 says "el pan de masa madre"
    assert RESUMEN in ranked(everything(engine, '"pan de masa madre"'))


def test_phrase_from_the_title(engine, ranked):
    # the title is "Mi servidor casero con Docker Compose"; the body never says it
    assert ranked(everything(engine, '"servidor casero"')) == [DOCKER]


def test_exclude_word(engine, ranked):
    assert PAN in ranked(everything(engine, "pan"))
    without = ranked(everything(engine, "pan -masa"))
    assert without and PAN not in without and RESUMEN not in without


def test_exclude_phrase(engine, ranked):
    found = ranked(everything(engine, 'pan -"masa madre"'))
    assert found
    assert PAN not in found and RESUMEN not in found


@pytest.mark.parametrize("operator", ["OR", "or", "O", "|"])
def test_or(engine, ranked, operator):
    either = set(ranked(everything(engine, f"lentejas {operator} kubernetes")))
    union = set(ranked(everything(engine, "lentejas"))) | set(ranked(everything(engine, "kubernetes")))
    assert either == union
    assert {LENTEJAS, KUBERNETES} <= either


def test_or_puts_both_alternatives_on_equal_footing(engine, ranked):
    """Without OR a post with both words gets the all-terms bonus; with OR neither word is
    required, so the two single-topic posts lead."""
    top_two = set(ranked(engine.search("lentejas OR kubernetes"))[:2])
    assert top_two == {LENTEJAS, KUBERNETES}


@pytest.mark.parametrize("query", ["tag:docker", "tag:Docker", "etiqueta:docker", "tags:DOCKER"])
def test_tag_filter(engine, ranked, query):
    assert ranked(everything(engine, query)) == [DOCKER]


def test_tag_filter_ignores_accents_and_takes_quoted_values(engine):
    found = everything(engine, "tag:fotografia")
    assert found["total"] >= 2
    assert all("fotografia" in keys(hit["tags"]) for hit in found["results"])
    pi = everything(engine, 'tag:"raspberry pi"')
    assert pi["total"] >= 2
    assert all("raspberry pi" in keys(hit["tags"]) for hit in pi["results"])


@pytest.mark.parametrize("query", ["categoria:retro", "categoría:Retro", "category:retro",
                                   "categorias:RETRO"])
def test_category_filter(engine, query):
    found = everything(engine, query)
    assert found["total"] >= 2
    assert all("retro" in keys(hit["categories"]) for hit in found["results"])


def test_category_filter_with_words(engine, ranked):
    found = everything(engine, "basic categoria:retro")
    assert found["total"] >= 1
    assert all("retro" in keys(hit["categories"]) for hit in found["results"])
    assert "posts/2021/zx-spectrum-basic/index.md" == ranked(found)[0]


@pytest.mark.parametrize("query", ["autor:lucia", "author:Lucia", "autor:LUCÍA"])
def test_author_filter(engine, ranked, query):
    found = everything(engine, query)
    assert found["total"] >= 1
    assert {hit["author"].lower() for hit in found["results"]} == {"lucia"}
    assert NOVA in ranked(found)


def test_quoted_author_filter(engine):
    found = everything(engine, 'autor:"Lucía Martín"')
    assert found["total"] > 10
    assert {hit["author"] for hit in found["results"]} == {"Lucía Martín"}


def test_year_filter(engine):
    found = everything(engine, "año:2011")
    assert found["total"] >= 1
    assert all(year_of(hit) == 2011 for hit in found["results"])
    assert everything(engine, "year:2011")["total"] == found["total"]


def test_month_filter(engine):
    found = everything(engine, "fecha:2023-12")
    assert found["total"] >= 1
    assert all(hit["date"].startswith("2023-12") for hit in found["results"])


def test_day_filter(engine, ranked):
    assert ranked(everything(engine, "fecha:2017-02-05")) == [NOVA]


def test_date_range_filter(engine):
    found = everything(engine, "fecha:2010..2012")
    assert found["total"] >= 2
    assert all(2010 <= year_of(hit) <= 2012 for hit in found["results"])
    everything_total = everything(engine, "fecha:1990..2100")["total"]
    assert found["total"] < everything_total


def test_open_date_ranges(engine):
    before = everything(engine, "fecha:..2012")
    after = everything(engine, "fecha:2013..")
    assert all(year_of(hit) <= 2012 for hit in before["results"])
    assert all(year_of(hit) >= 2013 for hit in after["results"])
    assert before["total"] + after["total"] == everything(engine, "fecha:1990..2100")["total"]


def test_filters_combine_with_words(engine):
    found = everything(engine, "raspberry año:2023")
    assert found["total"] >= 1
    assert all(year_of(hit) == 2023 for hit in found["results"])
    assert KUBERNETES in [hit["path"] for hit in found["results"]]


def test_prefix(engine, ranked):
    assert ranked(engine.search("kuber*"))[0] == KUBERNETES
    found = everything(engine, "fotograf*")
    whole_word = everything(engine, "fotografía")
    assert found["total"] >= whole_word["total"] >= 1


def test_prefix_expansion_is_bounded(engine):
    found = engine.search("co*")
    assert found["total"] >= 1
    assert found["took_ms"] < 1000


def test_one_letter_prefix_is_not_a_wildcard_for_everything(engine):
    assert engine.search("z*")["total"] < everything(engine, "fecha:1990..2100")["total"]


def test_unknown_field_with_a_known_phrase_still_finds_it(engine, ranked):
    assert ranked(engine.search("docker:compose"))[0] == DOCKER


def test_unknown_field_is_read_as_words(engine, ranked):
    assert DOCKER in ranked(engine.search("foo docker"))
    assert DOCKER in ranked(engine.search("foo:docker"))


@pytest.mark.parametrize("query", ["año:dosmil", "fecha:ayer"])
def test_invalid_filter_values_are_read_as_words(engine, query):
    found = engine.search(query)
    assert isinstance(found["total"], int)
    assert found["filters"] == {}


@pytest.mark.parametrize(
    ("query", "field", "value"),
    [("docker -tag:docker", "tags", "docker"), ("retro -categoria:retro", "categories", "retro"),
     ("openstack -autor:lucia", "author", "lucia")],
)
def test_negated_filters(engine, query, field, value):
    positive = everything(engine, query.split()[0])
    negative = everything(engine, query)
    assert negative["total"] < positive["total"]
    for hit in negative["results"]:
        values = hit[field] if isinstance(hit[field], list) else [hit[field]]
        assert value not in keys(values)


def test_filters_argument_matches_the_query_syntax(engine, ranked):
    assert ranked(everything(engine, "raspberry", filters={"tag": ["retroinformática"]})) == \
        ranked(everything(engine, "raspberry tag:retroinformatica"))
    assert ranked(everything(engine, "", filters={"year": "2011"})) == ranked(everything(engine, "año:2011"))


def test_filters_alone_list_posts_newest_first(engine):
    found = everything(engine, "categoria:programacion")
    dates = [hit["date"] for hit in found["results"]]
    assert len(dates) >= 3
    assert [datetime.fromisoformat(d) for d in dates] == sorted(
        (datetime.fromisoformat(d) for d in dates), reverse=True)


def test_active_filters_are_reported(engine):
    found = engine.search("docker tag:Linux año:2023")
    assert found["filters"]["tag"] == ["linux"]
    assert found["filters"]["year"] == ["2023"]


def test_empty_query_without_filters_finds_nothing(engine):
    found = engine.search("")
    assert found["total"] == 0 and found["results"] == []
