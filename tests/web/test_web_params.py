"""Search parameters: the fast facet and page link builders give exactly the links of
``with_filter`` and ``with_page``."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from blogsearch.search.request import FILTER_NAMES, SORTS
from blogsearch.web.params import SearchParams

VALUES = st.sampled_from(["docker", "Docker", "cocina & pan", "año 2011", "2011", "2012-03",
                          "é/ñ?=", "linux"])
FILTERS = st.dictionaries(st.sampled_from(FILTER_NAMES), st.lists(VALUES, min_size=1, max_size=3),
                          max_size=4)
PARAMS = st.builds(SearchParams, q=st.sampled_from(["", "pan de masa", "c# & .net"]),
                   filters=FILTERS, sort=st.sampled_from(SORTS), page=st.integers(1, 5),
                   per_page=st.sampled_from([None, 5, 20]), lang=st.sampled_from(["", "en"]))


@settings(max_examples=300, deadline=None)
@given(params=PARAMS, key=st.sampled_from(FILTER_NAMES), value=VALUES)
def test_filter_query_is_with_filter_encoded(params, key, value):
    assert params.filter_query(key)(value) == params.with_filter(key, value).query_string()


@settings(max_examples=200, deadline=None)
@given(params=PARAMS, page=st.integers(1, 1000))
def test_page_query_is_with_page_encoded(params, page):
    assert params.page_query()(page) == params.with_page(page).query_string()


def test_a_date_filter_replaces_the_previous_one():
    params = SearchParams(q="pan", filters={"date_from": ["2010"], "tag": ["cocina"]}, page=3)
    assert params.filter_query("date_from")("2012") == "q=pan&tag=cocina&date_from=2012"
