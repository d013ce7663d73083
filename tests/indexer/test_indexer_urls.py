"""Post URLs: url/permalink, slug, bundle folder, date prefix, base URL, absolute URLs."""

from __future__ import annotations

import pytest

from blogsearch.indexer.urls import path_slug, post_url


@pytest.mark.parametrize(
    ("rel_path", "expected"),
    [
        ("mi-post.md", "/mi-post/"),
        ("blog/2015-03-08-la-paciencia.html", "/blog/la-paciencia/"),
        ("_posts/2021-03-14-nodejs.md", "/nodejs/"),
        ("posts/2020/ipv6-en-casa/index.md", "/posts/2020/ipv6-en-casa/"),
        ("posts/2020/2020-10-17-ipv6/index.md", "/posts/2020/ipv6/"),
        ("_drafts/borrador.md", "/borrador/"),
        ("a/b/c.markdown", "/a/b/c/"),
    ],
)
def test_url_from_the_path(rel_path, expected):
    assert post_url(rel_path, {}) == expected


def test_date_prefix_needs_the_whole_date():
    assert post_url("2015-03-lo-que-sea.md", {}) == "/2015-03-lo-que-sea/"


@pytest.mark.parametrize("key", ["url", "permalink", "URL", "Permalink"])
def test_explicit_url_wins(key):
    assert post_url("_posts/2017-02-05-x.md", {key: "/2017/02/openstack/", "slug": "otro"}) == \
        "/2017/02/openstack/"


def test_url_wins_over_permalink():
    assert post_url("x.md", {"permalink": "/b/", "url": "/a/"}) == "/a/"


def test_relative_explicit_url_gets_a_leading_slash():
    assert post_url("x.md", {"permalink": "2017/02/x/"}) == "/2017/02/x/"


def test_slug_replaces_the_last_segment():
    assert post_url("posts/2020/bundle/index.md", {"slug": "mi-slug"}) == "/posts/2020/mi-slug/"
    assert post_url("_posts/2020-01-02-largo.md", {"slug": "/corto/"}) == "/corto/"
    assert post_url("blog/x.md", {"slug": 2020}) == "/blog/2020/"


@pytest.mark.parametrize("value", ["", "   ", None, ["/x/"]])
def test_unusable_url_falls_back_to_the_path(value):
    assert post_url("blog/mi-post.md", {"url": value}) == "/blog/mi-post/"


@pytest.mark.parametrize("base", ["https://blog.example.es", "https://blog.example.es/"])
def test_base_url_prefixes_site_relative_urls(base):
    assert post_url("blog/mi-post.md", {}, base) == "https://blog.example.es/blog/mi-post/"
    assert post_url("x.md", {"url": "/a/b/"}, base) == "https://blog.example.es/a/b/"


def test_base_url_with_a_path():
    assert post_url("x.md", {}, "https://example.es/blog/") == "https://example.es/blog/x/"


@pytest.mark.parametrize("url", ["https://otro.example.com/x/", "http://a.es/b", "HTTPS://A.ES/c"])
def test_absolute_urls_are_kept(url):
    assert post_url("x.md", {"url": url}, "https://blog.example.es") == url


def test_path_slug():
    assert path_slug("posts/2020/bundle/index.md") == (["posts", "2020"], "bundle")
    assert path_slug("_posts/2021-01-01-hola.md") == (["_posts"], "hola")
    assert path_slug("index.md") == ([], "index")


@pytest.mark.parametrize(
    ("rel_path", "expected"),
    [
        ("_posts/2017-02-05-openstack-nova-manage.md", "/2017/02/openstack-nova-manage/"),
        ("_posts/2016-11-12-lentejas-estofadas.markdown", "/lentejas-estofadas/"),
        ("posts/2022/teclados-mecanicos/index.md", "/posts/2022/teclados-mecanicos/"),
        ("blog/2015-03-08-la-paciencia-del-jugador.html", "/blog/la-paciencia-del-jugador/"),
    ],
)
def test_sample_blog_urls(parse_sample, rel_path, expected):
    assert parse_sample(rel_path).url == expected


def test_base_url_reaches_the_post(parse):
    post = parse("---\ntitle: t\n---\nx\n", "posts/mi-post/index.md", base_url="https://ej.es")
    assert post.url == "https://ej.es/posts/mi-post/"
