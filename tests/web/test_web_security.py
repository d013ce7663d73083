"""Security: headers everywhere, no inline script or style, payloads stay text."""

from __future__ import annotations

import pytest

from blogsearch.web.markup import clean_marked, safe_url
from tests.helpers import html, make_app, texts

PAGES = ["/", "/buscar?q=casa", "/buscar?q=xqzwvk", "/buscar?page=0", "/no-existe",
         "/buscar?q=pna"]
EVERY_URL = PAGES + ["/api/search?q=casa", "/api/nada", "/healthz", "/opensearch.xml",
                     "/static/style.css", "/api/openapi.json"]


@pytest.mark.parametrize("url", EVERY_URL)
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'",
                      "frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'",
                      "form-action 'self'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_or_style(client, url):
    tree = html(client.get(url))
    scripts = tree.css("script")
    assert scripts and all(s.attributes.get("src") and not s.text().strip() for s in scripts)
    assert not tree.css("style") and not tree.css("[style]")
    for node in tree.css("*"):
        assert not [a for a in node.attributes if a.lower().startswith("on")], node.tag


def test_the_indexer_strips_markup_from_titles(xss_index, tmp_path):
    client = make_app(xss_index, tmp_path).test_client()
    titles = [h["title"] for h in client.get("/api/search?q=receta").json["results"]]
    assert titles == ['window.__xss = "file-title" Receta de tortilla']


def test_script_in_titles_tags_and_authors_is_shown_as_text(xss_index, tmp_path):
    client = make_app(xss_index, tmp_path).test_client()
    response = client.get("/buscar?q=tortilla")
    body = response.get_data(as_text=True)
    assert "<script>window" not in body and "<img src=x" not in body
    tree = html(response)
    titles = texts(tree, ".hit h2")
    assert '<script>window.__xss="title-script"</script> Tortilla de la abuela' in titles
    assert "<img src=x onerror=\"window.__xss='title-onerror'\"> Tortilla sin cebolla" in titles
    assert "<img src=x onerror=\"window.__xss='tag'\">" in texts(tree, ".tags a")
    assert any('<img src=x onerror="1">' in t for t in texts(tree, ".meta"))
    assert not tree.css("main img") and len(tree.css("script")) == 1


def test_javascript_urls_are_not_linked(xss_index, tmp_path):
    client = make_app(xss_index, tmp_path).test_client()
    tree = html(client.get("/buscar?q=abuela"))
    assert texts(tree, ".hit h2")[0].endswith("Tortilla de la abuela")
    assert tree.css_first(".hit h2 a") is None
    assert all(not h["url"] for h in client.get("/api/search?q=abuela").json["results"])
    suggestions = client.get("/api/suggest?q=tortilla de la ab").json["suggestions"]
    assert suggestions and all(not s["url"].startswith("javascript") for s in suggestions)


def test_script_in_post_titles_is_escaped_in_json(xss_index, tmp_path):
    client = make_app(xss_index, tmp_path).test_client()
    data = client.get("/api/search?q=tortilla").json
    assert len(data["results"]) >= 3
    for hit in data["results"]:
        for key in ("title_html", "snippet"):
            assert "<script" not in hit[key] and "<img" not in hit[key]
    raw = [h for h in data["results"] if h["path"] == "raw/script.md"][0]
    assert raw["title_html"].startswith("&lt;script&gt;")
    assert "<mark>marcas</mark>" not in raw["snippet"]


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "';alert(1);//",
    "</title><script>alert(1)</script>", "javascript:alert(1)",
])
def test_query_payloads_stay_text(client, payload):
    for url in ("/buscar", "/api/search"):
        response = client.get(url, query_string={"q": payload})
        assert response.status_code == 200
    body = client.get("/buscar", query_string={"q": payload}).get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body
    tree = html(client.get("/buscar", query_string={"q": payload}))
    assert tree.css_first("input[name=q]").attributes["value"] == payload
    assert len(tree.css("script")) == 1


def test_clean_marked_keeps_only_marks():
    assert clean_marked("a <mark>b</mark> &amp; c") == "a <mark>b</mark> &amp; c"
    assert clean_marked("<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert clean_marked('<img src=x onerror="y">') == "&lt;img src=x onerror=&#34;y&#34;&gt;"
    assert clean_marked("&lt;b&gt;") == "&lt;b&gt;"
    assert clean_marked("<mark><mark>x</mark></mark>") == "<mark>x</mark>"
    assert clean_marked("<mark>x") == "<mark>x</mark>"
    assert clean_marked("x</mark>") == "x"
    assert clean_marked(None) == ""


@pytest.mark.parametrize("url, safe", [
    ("https://a.example/p/", "https://a.example/p/"), ("/posts/x/", "/posts/x/"),
    ("//cdn.example/x", "//cdn.example/x"), ("posts/x:y", "posts/x:y"),
    ("javascript:alert(1)", ""), (" JavaScript:alert(1)", ""), ("data:text/html,x", ""),
    ("vbscript:x", ""), ("", ""), (None, ""),
])
def test_safe_url(url, safe):
    assert safe_url(url) == safe


def test_clean_marked_returns_escaped_text_with_balanced_marks_as_it_is():
    escaped = "&quot;a&quot; &#x27;b&#x27; &lt;i&gt; &amp; <mark>c</mark>, <mark>d &amp; e</mark>"
    assert clean_marked(escaped) == escaped
    assert clean_marked("a & b") == "a &amp; b"  # a bare & is escaped
    assert clean_marked("&nbsp;<mark>x</mark>") == "\xa0<mark>x</mark>"  # other entities: text
    assert clean_marked("<mark>a</mark><mark>b") == "<mark>a</mark><mark>b</mark>"
