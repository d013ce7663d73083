"""Any query text returns a result dict (or a clear message), never an exception; bad
parameters raise ValueError naming the parameter."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogsearch.search.query import MAX_CLAUSES, MAX_QUERY_CHARS, parse_query
from tests.helpers import message_codes

RESULT_KEYS = {"query", "total", "page", "per_page", "pages", "sort", "results", "facets", "filters",
               "suggestion", "messages", "took_ms"}
HOSTILE = [
    '"', '""', '"""', '"masa madre', 'masa madre"', "OR", "O", "or or or", "|", "||", "-", "--",
    "-\"", "*", "**", "a*", "-*", "OR -", '- " * OR', ":", "tag:", ":docker", "tag::", "año:",
    "fecha:..", "fecha:2010..2012..2014", "fecha:9999-99-99", "fecha:0000", "año:0",
    "-año:2011", "docker -ano:2012", "-fecha:2011", "docker -fecha:2010..2012", "-year:2011 -date:2011",
    "!!!@@@###$$$%%%^^^&&&", "(docker AND compose)", "docker~2", "title:docker^3", "\\", "\\\\\"",
    "😀", "🎉🎉 docker 🎉", "東京 日本", "مرحبا", "Привет", "\u200b", "\x00", "\t\n\r",
    "<script>alert(1)</script>", "' OR 1=1 --", "%s%s%n", "{{7*7}}", "../../etc/passwd",
    "a" * 1000, "ñ" * 1000, "-" * 1000, '"' * 999, "docker " * 300,
    " ".join(f"palabra{i}" for i in range(100)), " ".join(["OR"] * 100), "x:" * 200,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_return_a_result(engine, query):
    found = engine.search(query)
    assert set(found) >= RESULT_KEYS
    assert isinstance(found["total"], int) and found["total"] >= 0
    assert len(found["results"]) <= found["per_page"]
    assert isinstance(found["messages"], list)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=120))
def test_random_queries_return_a_result(engine, query):
    found = engine.search(query, per_page=5)
    assert set(found) >= RESULT_KEYS


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=700))
def test_parse_query_never_raises(text):
    parsed = parse_query(text)
    assert len(parsed.groups) <= MAX_CLAUSES


def test_long_query_is_truncated_with_a_message(engine):
    found = engine.search("docker " + "a" * 1000)
    assert "truncated" in message_codes(found)
    assert found["total"] >= 1  # the words before the cut still count
    truncated = next(m for m in found["messages"] if m["code"] == "truncated")
    assert truncated["params"]["limit"] == MAX_QUERY_CHARS


def test_too_many_terms_message(engine):
    found = engine.search(" ".join(f"w{i}" for i in range(100)))
    assert "too_many_terms" in message_codes(found)


def test_short_query_has_no_limit_messages(engine):
    codes = message_codes(engine.search("docker compose"))
    assert "truncated" not in codes and "too_many_terms" not in codes


def test_unbalanced_quote_degrades_to_a_plain_search(engine, ranked):
    found = engine.search('"masa madre')
    assert "syntax" in message_codes(found)
    assert ranked(found)[0] == "blog/2020-04-10-pan-de-masa-madre.md"


@pytest.mark.parametrize("query", ["OR", "O", "-", "*", '"', "|"])
def test_lone_operators_find_nothing_quietly(engine, query):
    found = engine.search(query)
    assert found["total"] == 0
    assert found["suggestion"] is None


def test_operators_around_words_are_ignored(engine, ranked):
    plain = ranked(engine.search("lentejas"))
    assert ranked(engine.search("OR lentejas")) == plain
    assert ranked(engine.search("lentejas OR")) == plain
    assert ranked(engine.search("lentejas -")) == plain


def test_non_string_query_is_accepted(engine):
    assert set(engine.search(12345)) >= RESULT_KEYS


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"page": 0}, "page"), ({"page": -1}, "page"), ({"page": "2"}, "page"), ({"page": 1.5}, "page"),
        ({"page": 10**6}, "page"), ({"per_page": 0}, "per_page"), ({"per_page": 10**4}, "per_page"),
        ({"per_page": "10"}, "per_page"), ({"per_page": None}, "per_page"), ({"sort": "fecha"}, "sort"),
        ({"sort": ""}, "sort"), ({"sort": None}, "sort"), ({"filters": "tag:docker"}, "filters"),
        ({"filters": ["tag"]}, "filters"), ({"filters": {"etiqueta": ["docker"]}}, "filters"),
        ({"filters": {"year": ["dosmil"]}}, "filters"), ({"filters": {"date_from": ["2011-xx"]}}, "filters"),
        ({"filters": {"date_from": ["..1000"]}}, "filters"),  # a range is for the query's fecha:
        ({"filters": {"date_to": ["2011..2012"]}}, "filters"),
        ({"filters": {"year": ["2010..2012"]}}, "filters"), ({"filters": {"year": ["2011-03"]}}, "filters"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(engine, kwargs, parameter):
    with pytest.raises(ValueError) as caught:
        engine.search("docker", **kwargs)
    assert str(caught.value).startswith(parameter)


@pytest.mark.parametrize("sort", ["relevance", "date", "date_asc"])
def test_valid_sorts(engine, sort):
    assert engine.search("docker", sort=sort)["sort"] == sort


def test_filter_values_may_be_a_single_string(engine):
    assert engine.search("", filters={"tag": "docker"})["total"] == engine.search("tag:docker")["total"]
