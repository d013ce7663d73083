"""Whatever a reader or a bot sends, the answer is a page or a clear 4xx, never a 500."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAMES = ["q", "tag", "category", "author", "year", "date_from", "date_to", "not_tag", "language",
         "sort", "page", "per_page", "lang", "limit", "path", "format"]
URLS = ["/buscar", "/api/search", "/api/suggest", "/api/related"]
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["0", "-1", "1e9", "99999999999999999999", "2011-13-45", "..", "tag:",
                     '"', "año:", "fecha:2010..", "*", "OR", "-", "%", "\x00", "\ud800x", "en",
                     "all", "lang:en", "idioma:todos"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(URLS), params=st.lists(st.tuples(st.sampled_from(NAMES), VALUES),
                                                  max_size=5))
def test_any_parameters_give_200_or_a_4xx(client, url, params):
    query = "&".join(f"{quote(k)}={quote(v, errors='surrogatepass')}" for k, v in params)
    response = client.get(f"{url}?{query}")
    assert response.status_code in (200, 400, 404), (url, params, response.status_code)
    if url.startswith("/api/"):
        assert response.is_json


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=40))
def test_undecodable_query_strings(client, raw):
    query = "".join(f"%{b:02X}" for b in raw)
    response = client.get(f"/buscar?q={query}&tag={query}")
    assert response.status_code in (200, 400)
