"""Fuzzing: the query parser and ``Engine.search`` take anything, quickly; the API described at
/api/openapi.json never answers 5xx (schemathesis); hostile stored values are escaped in the page.

``BLOGSEARCH_FUZZ_EXAMPLES`` sets the number of cases per property (default 200; the API gets an
quarter of it per operation and mode, as schemathesis builds requests slowly); the counts that
ran are printed at the end of the test run (robustness figures).
"""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from selectolax.lexbor import LexborHTMLParser

from blogsearch.indexer.run import index_folder
from blogsearch.search.query import FIELD_ALIASES, MAX_CLAUSES, ParsedQuery, parse_query
from blogsearch.search.records import Post
from blogsearch.search.request import FILTER_NAMES, SORTS
from blogsearch.search.store import write_posts
from tests.helpers import make_app, text_of
from tests.robustness.synthetic import FIGURES

EXAMPLES = int(os.environ.get("BLOGSEARCH_FUZZ_EXAMPLES", "200"))
# schemathesis builds requests more slowly: a quarter as many per operation and mode.
API_EXAMPLES = max(5, EXAMPLES // 4)
TIME_LIMIT = 1.0
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# -- strategies -----------------------------------------------------------------------------
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=80)  # surrogates included
HUGE_NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["0", "0000", "9999", "10000", "99999999999999999999", "-1", "1e309",
                     "NaN", "٢٠١١", "２０１１", "00000000000000002011"]),
)
DATES = st.one_of(
    HUGE_NUMBERS,
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", HUGE_NUMBERS, HUGE_NUMBERS, HUGE_NUMBERS),
    st.builds(lambda a, b: f"{a}..{b}", st.one_of(st.just(""), HUGE_NUMBERS),
              st.one_of(st.just(""), HUGE_NUMBERS)),
)
FIELD_NAMES = st.sampled_from([*FIELD_ALIASES, "title", "x", "TAG", "Año", "fecha"])
FIELD_VALUE = st.builds(lambda neg, name, value: f"{neg}{name}:{value}", st.sampled_from(["", "-"]),
                        FIELD_NAMES, st.one_of(DATES, ANY_TEXT.map(lambda t: t[:12]),
                                               st.sampled_from(['"docker compose"', '"', ""])))
TOKENS = st.one_of(
    st.sampled_from(["docker", "pan", "masa", "madre", "OR", "O", "or", "|", "||", "-", "--",
                     "*", "**", "a*", "-*", '"', '""', "año", "ñandú", "C#", "ASP.NET",
                     "10.0.0.0/8", "😀", "東京", "\u200b", "\x00", "\ud800", "AND", "NOT"]),
    FIELD_VALUE,
    ANY_TEXT.map(lambda t: t[:10]),
    st.builds(lambda t: f'"{t}"', ANY_TEXT.map(lambda t: t[:20])),
    st.builds(lambda t: f"-{t}", ANY_TEXT.map(lambda t: t[:8])),
)
QUERIES = st.one_of(
    ANY_TEXT,
    st.text(max_size=700),
    st.lists(TOKENS, max_size=60).map(" ".join),
    st.lists(TOKENS, max_size=12).map("".join),
)
FILTER_VALUES = st.lists(st.one_of(DATES, ANY_TEXT.map(lambda t: t[:30]),
                                   st.sampled_from(["docker", "Cocina", "lucía", ""]),
                                   st.integers(), st.none(), st.floats()), max_size=4)
FILTERS = st.one_of(
    st.none(),
    st.dictionaries(st.sampled_from(FILTER_NAMES), FILTER_VALUES, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(FILTER_NAMES), ANY_TEXT), FILTER_VALUES, max_size=3),
)
PARAMETERS = ("sort", "page", "per_page", "filters")


def _timed(call, *args, **kwargs):
    started = time.perf_counter()
    result = call(*args, **kwargs)
    took = time.perf_counter() - started
    assert took < TIME_LIMIT, f"{took:.2f} s for {args!r} {kwargs!r}"
    return result




# -- the query parser and the engine --------------------------------------------------------
@FUZZ
@given(text=QUERIES)
def test_parse_query_takes_anything_quickly(text):
    FIGURES["fuzz_parse_query"] += 1
    parsed = _timed(parse_query, text)
    assert isinstance(parsed, ParsedQuery)
    assert len(parsed.groups) <= MAX_CLAUSES
    for name, values in parsed.filters.items():
        assert isinstance(name, str) and all(isinstance(v, str) for v in values)


@FUZZ
@example(query="-el", filters=None, sort="relevance", page=1, per_page=10)
@given(query=QUERIES, filters=FILTERS, sort=st.one_of(st.sampled_from(SORTS), ANY_TEXT),
       page=st.one_of(st.integers(1, 3), st.integers(), st.booleans()),
       per_page=st.one_of(st.integers(1, 100), st.integers()))
def test_search_takes_anything_quickly(sample_engine, query, filters, sort, page, per_page):
    FIGURES["fuzz_search"] += 1
    try:
        found = _timed(sample_engine.search, query, filters=filters, sort=sort, page=page,
                       per_page=per_page)
    except ValueError as exc:  # allowed when it names the parameter at fault
        assert str(exc).split(":")[0] in PARAMETERS, str(exc)
        return
    assert isinstance(found["total"], int) and found["total"] >= 0
    assert len(found["results"]) <= per_page


@pytest.mark.parametrize("query", ["-el", "-de la", "pan -a", '-"a"'])
def test_excluding_a_stopword_is_not_an_error(sample_engine, query):
    assert sample_engine.search(query)["total"] >= 0


@pytest.mark.parametrize("value", [5, None, 3.5])
def test_filter_value_that_is_not_a_list_is_a_value_error(sample_engine, value):
    """A scalar that is not a string once raised TypeError."""
    with pytest.raises(ValueError, match=r"^filters:"):
        sample_engine.search("pan", filters={"tag": value})


# -- the API, from its OpenAPI document ------------------------------------------------------
@pytest.fixture(scope="module")
def api_app(sample_index, tmp_path_factory):
    return make_app(sample_index)


@pytest.fixture(scope="module")
def api_schema(api_app):
    """The app's own OpenAPI document, loaded by schemathesis (requests go through WSGI)."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)


OPERATIONS = ["/api/search", "/api/suggest", "/api/related", "/healthz"]


def test_openapi_document_lists_the_fuzzed_operations(api_schema):
    operations = {result.ok().path for result in api_schema.get_all_operations()}
    assert set(OPERATIONS) <= operations, operations


@pytest.mark.slow
@pytest.mark.parametrize(("path", "mode"), [
    *[(path, GenerationMode.POSITIVE) for path in OPERATIONS],
    *[(path, GenerationMode.NEGATIVE) for path in OPERATIONS if path != "/healthz"],
], ids=lambda value: getattr(value, "value", value))
def test_api_never_answers_5xx(api_schema, path, mode):
    """schemathesis builds requests from the document, valid ones and ones breaking it."""
    operation = api_schema[path]["GET"]
    statuses: dict[int, int] = {}

    @settings(max_examples=API_EXAMPLES if path != "/healthz" else 5, deadline=None,
              suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy(generation_mode=mode))
    def call(case) -> None:
        FIGURES["fuzz_api_requests"] += 1
        response = case.call()
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, (case.query, response.text[:300])
        headers = {name.lower(): value for name, value in response.headers.items()}
        assert "application/json" in str(headers.get("content-type")), headers
        response.json()

    call()
    assert statuses, "no request was made"
    if mode == GenerationMode.POSITIVE and path != "/api/related":
        assert 200 in statuses, statuses


# -- hostile stored values in the page -------------------------------------------------------
HOSTILE = [
    '<script>window.__xss="t"</script>',
    '"><img src=x onerror=alert(1)>',
    "</mark><script>alert(2)</script><mark>",
    "&lt;script&gt;alert(3)&lt;/script&gt;",
    "<mark onclick=alert(4)>marcado</mark>",
    "<svg/onload=alert(5)>",
    "javascript:alert(6)",
    "' onmouseover='alert(7)",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "<!-- comentario --><iframe src=//x>",
]
ALLOWED_TAGS = {"html", "head", "body", "meta", "title", "link", "script", "a", "div", "header",
                "main", "footer", "form", "label", "input", "button", "section", "h1", "h2", "p",
                "strong", "span", "nav", "ul", "ol", "li", "time", "mark", "aside", "details",
                "summary", "dl", "dt", "dd", "code", "-text", "small", "svg", "path", "abbr"}


def hostile_posts(values: list[str]) -> list[Post]:
    """Posts whose title, tags, category, author and body carry ``values``, straight into the
    index (as a broken indexer or another tool could put them)."""
    return [
        Post(path=f"hostil/{n}.md", url="/hostil/", title=f"{value} tortilla{n}",
             body=f"Una tortilla {value} con huevo.", date=datetime(2020, 1, 1 + n, tzinfo=UTC),
             author=f"{value} autora", tags=[f"{value} etiqueta", "tortilla"],
             categories=[f"{value} categoría"])
        for n, value in enumerate(values)
    ]


def check_page(html: str, posts: list[Post]) -> None:
    """The page has no element, attribute or script that a stored value could have injected,
    and each post's title, author, tags and facet labels read exactly as stored."""
    tree = LexborHTMLParser(html)
    for node in tree.root.traverse():
        assert node.tag in ALLOWED_TAGS, node.tag
        for name in node.attributes:
            assert not name.lower().startswith("on"), (node.tag, name)
        if node.tag == "script":
            assert (node.attributes.get("src") or "").startswith("/static/"), node.html
        if node.tag == "mark":
            assert not node.attributes, node.html
    hits = {text_of(hit.css_first("h2")): hit for hit in tree.css("li.hit")}
    labels = {text_of(label) for label in tree.css(".facets .label")}
    for post in posts:
        title = " ".join(post.title.split())
        assert title in hits, (title, list(hits))
        hit = hits[title]
        assert text_of(hit.css_first(".author")) == " ".join(post.author.split())
        assert [text_of(tag) for tag in hit.css("ul.tags a")] == [" ".join(t.split())
                                                               for t in post.tags]
        assert " ".join(post.tags[0].split()) in labels
        assert " ".join(post.categories[0].split()) in labels


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    content = tmp_path_factory.mktemp("hostile") / "content"
    (content / "posts").mkdir(parents=True)
    (content / "posts" / "normal.md").write_text(
        "---\ntitle: Tortilla normal\n---\nUna tortilla de patatas.\n", encoding="utf-8")
    index = content.parent / "index"
    index_folder(content, index)
    write_posts(index, hostile_posts(HOSTILE), removed=[])
    return index, make_app(index)


@pytest.mark.parametrize("query", ["tortilla", "tortilla script", "tortilla alert img",
                                   "autora", "etiqueta"])
def test_hostile_titles_snippets_and_facets_are_escaped(hostile_app, query):
    _, app = hostile_app
    response = app.test_client().get(f"/buscar?q={quote(query)}&per_page=50")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_page(html, hostile_posts(HOSTILE) if query == "tortilla" else [])
    assert "<script>window" not in html and "<img" not in html and "<iframe" not in html
    assert not re.search(r"<mark [^>]", html)


HOSTILE_TEXT = st.lists(st.sampled_from(list("<>\"'&/=; ") + ["script", "img", "onerror", "mark",
                                                               "a", "x", "&lt;", "&#60;", "é"]),
                        min_size=1, max_size=16).map("".join).filter(lambda t: t.split())


@settings(max_examples=max(10, EXAMPLES // 10), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(values=st.lists(HOSTILE_TEXT, min_size=1, max_size=5))
def test_generated_hostile_values_are_escaped(tmp_path_factory, values):
    FIGURES["fuzz_hostile_pages"] += 1
    index = tmp_path_factory.mktemp("generated")  # a bare generation: write_posts creates it
    posts = hostile_posts(values)
    write_posts(index, posts, removed=[])
    app = make_app(index)
    response = app.test_client().get("/buscar?q=tortilla&per_page=50")
    assert response.status_code == 200
    check_page(response.get_data(as_text=True), posts)
