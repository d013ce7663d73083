"""The JSON API: same data as the page, JSON errors, OpenAPI, CORS."""

from __future__ import annotations

import json
from datetime import date

import pytest
from markupsafe import Markup

from tests.helpers import hrefs, html, make_app, texts


def test_api_search_returns_the_same_results_as_the_page(client):
    api = client.get("/api/search?q=casa&tag=linux&sort=date")
    assert api.status_code == 200 and api.content_type == "application/json"
    data = api.json
    page = html(client.get("/buscar?q=casa&tag=linux&sort=date"))
    assert [hit["url"] for hit in data["results"]] == hrefs(page, ".hit h2 a")
    assert texts(page, ".count strong") == [f"{data['total']} resultados"]
    assert data["filters"]["tag"] == ["linux"]
    assert {"tag", "category", "year", "author"} <= set(data["facets"])
    hit = data["results"][0]
    for key in ("path", "url", "title", "title_html", "date", "author", "tags", "categories",
                "score", "snippet"):
        assert key in hit


def test_api_search_accents_and_highlights(client):
    response = client.get("/api/search?q=busqueda")
    raw = response.get_data(as_text=True)
    assert raw.startswith('{"query":"busqueda","total":')  # the engine's order, not sorted
    assert "Lucía Martín" in raw  # UTF-8, not \u escapes
    data = response.json
    titles = [hit["title"] for hit in data["results"]]
    assert "Cómo mejoré las búsquedas de mi blog con Python" in titles
    assert any("<mark>búsquedas</mark>" in hit["title_html"] for hit in data["results"])


def test_api_paging_and_per_page(client):
    first = client.get("/api/search?q=casa&per_page=2").json
    second = client.get("/api/search?q=casa&per_page=2&page=2").json
    assert first["per_page"] == 2 and len(first["results"]) == 2
    assert first["pages"] == -(-first["total"] // 2)
    assert {h["path"] for h in first["results"]}.isdisjoint(h["path"] for h in second["results"])


@pytest.mark.parametrize("lang, text", [
    ("es", "La búsqueda era demasiado larga"), ("en", "Your search was too long"),
])
def test_api_message_texts_follow_the_language(client, lang, text):
    data = client.get(f"/api/search?lang={lang}&q=" + "casa " * 120).json
    truncated = [m for m in data["messages"] if m["code"] == "truncated"]
    assert truncated and truncated[0]["text"].startswith(text)
    assert truncated[0]["params"]["limit"] == 500


def test_api_suggestion_and_fuzzy_message(client):
    data = client.get("/api/search?q=pna").json
    assert data["suggestion"]["query"] == "pan"
    assert data["suggestion"]["html"] == "<mark>pan</mark>"
    fuzzy = [m for m in data["messages"] if m["code"] == "fuzzy"]
    assert fuzzy == [{"code": "fuzzy", "params": {"terms": ["pna"], "typed": "pna", "as_typed": '"pna"',
                                                  "showing": "pan"},
                      "text": "Mostrando resultados de pan. Buscar únicamente «pna»."}]
    as_typed = client.get("/api/search", query_string={"q": fuzzy[0]["params"]["as_typed"]}).json
    assert as_typed["total"] == 0 and as_typed["suggestion"]["query"] == "pan"


@pytest.mark.parametrize("query, param", [
    ("page=0", "page"), ("per_page=500", "per_page"), ("sort=x", "sort"),
    ("year=dos", "year"), ("page=abc", "page"),
])
def test_api_errors_are_json_400_naming_the_parameter(client, query, param):
    response = client.get(f"/api/search?q=casa&{query}")
    assert response.status_code == 400 and response.content_type == "application/json"
    error = response.json["error"]
    assert error["status"] == 400 and error["param"] == param and error["message"]


def test_api_suggest(client):
    data = client.get("/api/suggest?q=pan de m").json
    assert data["query"] == "pan de m"
    assert data["suggestions"][0]["title"] == "Pan de masa madre para principiantes"
    assert data["suggestions"][0]["url"] == "/blog/pan-de-masa-madre/"
    assert client.get("/api/suggest?q=").json["suggestions"] == []
    assert len(client.get("/api/suggest?q=e&limit=2").json["suggestions"]) <= 2


def test_api_suggest_opensearch_format(client):
    data = client.get("/api/suggest?q=pan de m&format=opensearch").json
    assert data[0] == "pan de m"
    assert "Pan de masa madre para principiantes" in data[1]
    assert len(data[3]) == len(data[1])


@pytest.mark.parametrize("query", ["limit=0", "limit=21", "limit=x", "limit=%C2%B2", "q=" + "a" * 2001])
def test_api_suggest_bounds(client, query):
    url = f"/api/suggest?{query}" if query.startswith("q=") else f"/api/suggest?q=pan&{query}"
    response = client.get(url)
    assert response.status_code == 400 and response.json["error"]["param"] in ("limit", "q")


def test_api_related(client):
    path = "blog/2020-04-10-pan-de-masa-madre.md"
    data = client.get(f"/api/related?path={path}&limit=3").json
    assert data["path"] == path
    assert 0 < len(data["related"]) <= 3
    assert path not in [item["path"] for item in data["related"]]
    assert {"title", "url", "path", "date"} <= set(data["related"][0])


def test_api_related_errors(client):
    missing = client.get("/api/related")
    assert missing.status_code == 400 and missing.json["error"]["param"] == "path"
    unknown = client.get("/api/related?path=no/existe.md")
    assert unknown.status_code == 404
    assert "no/existe.md" in unknown.json["error"]["message"]


def test_api_unknown_route_and_method_are_json(client):
    response = client.get("/api/nada")
    assert response.status_code == 404 and response.json["error"]["status"] == 404
    response = client.post("/api/search")
    assert response.status_code == 405 and response.json["error"]["status"] == 405
    assert "GET" in response.headers["Allow"]


def test_openapi_document_covers_every_api_route(client, app):
    doc = client.get("/api/openapi.json").json
    assert doc["openapi"] == "3.1.0"
    routes = {rule.rule for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/") or rule.rule == "/healthz"}
    assert routes == set(doc["paths"])
    search = {p["name"] for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert search == {"q", "tag", "category", "author", "year", "date_from", "date_to",
                      "not_tag", "not_category", "not_author", "language", "sort", "page",
                      "per_page", "lang"}
    refs = _refs(doc)
    assert refs and all(ref.split("/")[-1] in doc["components"]["schemas"] for ref in refs)


def _refs(node) -> list[str]:
    if isinstance(node, dict):
        return [node["$ref"]] if "$ref" in node else [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_cors_is_off_by_default(client):
    response = client.get("/api/search?q=casa", headers={"Origin": "https://blog.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("setting", [
    ["https://blog.example"], "https://otro.example, https://blog.example/",
])
def test_cors_allows_configured_origins(sample_index, tmp_path, setting):
    client = make_app(sample_index, tmp_path, CORS_ORIGINS=setting).test_client()
    allowed = client.get("/api/search?q=casa", headers={"Origin": "https://blog.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://blog.example"
    assert "Origin" in allowed.headers["Vary"]
    other = client.get("/api/search?q=casa", headers={"Origin": "https://malo.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    page = client.get("/buscar?q=casa", headers={"Origin": "https://blog.example"})
    assert "Access-Control-Allow-Origin" not in page.headers
    preflight = client.options("/api/suggest?q=pan", headers={
        "Origin": "https://blog.example", "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, OPTIONS"


def test_cors_wildcard(sample_index, tmp_path):
    client = make_app(sample_index, tmp_path, CORS_ORIGINS="*").test_client()
    response = client.get("/api/suggest?q=pan", headers={"Origin": "https://x.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    error = client.get("/api/search?page=0", headers={"Origin": "https://x.example"})
    assert error.status_code == 400 and error.headers["Access-Control-Allow-Origin"] == "*"


def test_json_is_what_the_standard_encoder_writes(client, app):
    """orjson encodes the API's JSON: byte for byte what ``json.dumps`` writes (key order kept,
    accents as UTF-8), and dates and ``__html__`` objects still go through Flask's default."""
    response = client.get("/api/search?q=búsqueda&per_page=3")
    data = response.get_json()
    assert data["results"] and list(data)[:2] == ["query", "total"]
    assert response.data == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    with app.app_context():
        extra = app.json.dumps({"day": date(2011, 4, 20), "page": Markup("<b>x</b>"), 1: "ñ"})
    assert json.loads(extra) == {"day": "Wed, 20 Apr 2011 00:00:00 GMT", "page": "<b>x</b>",
                                 "1": "ñ"}


def test_the_result_cache_size_is_a_setting(sample_index, tmp_path):
    assert make_app(sample_index, tmp_path).extensions["blogsearch"].engine.result_cache == 512
    app = make_app(sample_index, tmp_path, RESULT_CACHE_SIZE=0)
    assert app.extensions["blogsearch"].engine.result_cache == 0


def test_absolute_urls_never_come_from_the_host_header(sample_index, tmp_path):
    """A forged Host would otherwise be cached by a proxy and served to every reader."""
    plain = make_app(sample_index, tmp_path).test_client()
    doc = plain.get("/api/openapi.json", headers={"Host": "evil.example"}).json
    assert doc["servers"] == [{"url": "/"}]
    configured = make_app(sample_index, tmp_path, SEARCH_URL="https://buscar.example.com").test_client()
    doc = configured.get("/api/openapi.json", headers={"Host": "evil.example"}).json
    assert doc["servers"] == [{"url": "https://buscar.example.com"}]


def test_a_costly_search_while_another_runs_is_a_429_with_retry_after(app, client):
    slot = app.extensions["blogsearch"].engine.costly
    assert slot.admit(24, 24)
    try:
        many = " ".join(f"{c}{d}*" for c in "abcdefgh" for d in "aeo")
        response = client.get("/api/search", query_string={"q": many})
        assert response.status_code == 429 and response.headers["Retry-After"] == "1"
        assert "fewer words" in response.json["error"]["message"] or \
            "menos palabras" in response.json["error"]["message"]
        page = client.get("/buscar", query_string={"q": many})
        assert page.status_code == 429
        assert client.get("/api/search?q=docker").status_code == 200
    finally:
        slot.release()
