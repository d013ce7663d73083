"""Our example sites, one per generator (examples/sites/), against what each generator really
publishes (examples/sites/expected.json, from building them with the generators themselves):
what is a post, a page, a draft or a translation, titles, dates and URLs."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from blogsearch.indexer.run import Options, index_folder, parse_site
from blogsearch.indexer.sites import detect_site
from tests.helpers import SAMPLE_SITES

EXPECTED = json.loads((SAMPLE_SITES / "expected.json").read_text(encoding="utf-8"))


def _same_url(url: str) -> str:
    """URLs compared as a browser reaches them: decoded, ``/x/index.html`` the same as ``/x/``."""
    return unquote(url).removesuffix("index.html")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_generator_and_its_config_are_recognised(name):
    expected = EXPECTED[name]
    site = detect_site(SAMPLE_SITES / name)
    assert site.generator == expected["generator"]
    assert site.base_url.rstrip("/") == expected["base_url"].rstrip("/")
    assert site.language == expected["language"]
    assert site.timezone == expected["timezone"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_published_file_with_its_kind_language_title_date_and_url(name):
    expected = EXPECTED[name]
    _, parsed = parse_site(SAMPLE_SITES / name)
    posts = {p.post.path: p.post for p in parsed if p.post is not None}
    published = [e for e in expected["entries"] if not e.get("draft")]
    assert set(posts) == {e["path"] for e in published}
    for entry in published:
        post = posts[entry["path"]]
        assert (post.kind, post.lang, post.title) == (entry["kind"], entry["lang"], entry["title"]), entry
        if entry["date"]:
            assert post.date is not None and post.date.strftime("%Y-%m-%d") == entry["date"], entry
        assert _same_url(post.url) == _same_url(entry["url"]), entry["path"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_translations_share_a_key_and_other_posts_do_not(name):
    expected = EXPECTED[name]
    _, parsed = parse_site(SAMPLE_SITES / name)
    keys = {p.post.path: p.post.translation_key for p in parsed if p.post is not None}
    text_of = {e["path"]: e.get("translation_of") or e["path"]
               for e in expected["entries"] if e["path"] in keys}
    for path, key in keys.items():
        twins = {other for other, other_key in keys.items() if other_key == key}
        assert twins == {other for other in keys if text_of[other] == text_of[path]}, path


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_drafts_and_static_files_stay_out_unless_drafts_are_asked_for(name, tmp_path):
    expected = EXPECTED[name]
    report = index_folder(SAMPLE_SITES / name, tmp_path / "index", dry_run=True)
    indexed = set(report.labels)
    assert not indexed & set(expected["not_indexed"])
    assert report.drafts == expected["drafts"]
    assert report.problems == []
    with_drafts = index_folder(SAMPLE_SITES / name, tmp_path / "index", dry_run=True,
                               options=Options(include_drafts=True))
    drafts = {e["path"] for e in expected["entries"] if e.get("draft")}
    assert drafts <= set(with_drafts.labels)


def _posts(root: Path) -> dict:
    """The posts parse_site makes of ``root``, by path."""
    _, parsed = parse_site(root)
    return {p.post.path: p.post for p in parsed if p.post is not None}


def _keys(root: Path) -> dict[str, str]:
    return {path: post.translation_key for path, post in _posts(root).items()}


def test_hugo_translation_key_pairs_files_of_any_name(tmp_path):
    (tmp_path / "hugo.toml").write_text('defaultContentLanguage = "es"\n[languages.es]\n[languages.en]\n')
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "ruta.md").write_text('---\ntitle: Ruta\ntranslationKey: ruta\n---\nTexto.\n')
    (posts / "hike.en.md").write_text('---\ntitle: Hike\ntranslationKey: ruta\n---\nText.\n')
    (posts / "otra.md").write_text('---\ntitle: Otra\n---\nTexto.\n')
    keys = _keys(tmp_path)
    assert keys["content/posts/ruta.md"] == keys["content/posts/hike.en.md"]
    assert keys["content/posts/otra.md"] != keys["content/posts/ruta.md"]


def test_pelican_pairs_translations_by_slug(tmp_path):
    (tmp_path / "pelicanconf.py").write_text('PATH = "content"\nDEFAULT_LANG = "es"\n')
    content = tmp_path / "content"
    content.mkdir()
    (content / "viaje.md").write_text("Title: Viaje\nSlug: viaje\nDate: 2020-01-02\n\nTexto.\n")
    (content / "trip.md").write_text("Title: Trip\nSlug: viaje\nLang: en\nDate: 2020-01-02\n\nText.\n")
    (content / "otro.md").write_text("Title: Otro\nDate: 2020-01-03\n\nTexto.\n")
    keys = _keys(tmp_path)
    assert keys["content/viaje.md"] == keys["content/trip.md"] != keys["content/otro.md"]


def test_pelican_reads_metadata_from_file_names_and_paths(tmp_path):
    (tmp_path / "pelicanconf.py").write_text(
        'PATH = "content"\nDEFAULT_LANG = "es"\nSITEURL = "https://p.example"\n'
        "FILENAME_METADATA = r'(?P<date>\\d{4}-\\d{2}-\\d{2})-(?P<slug>.*)'\n"
        "PATH_METADATA = r'(?P<category>[^/]+)/.*'\n"
        "ARTICLE_URL = '{category}/{date:%Y}/{slug}/'\n")
    folder = tmp_path / "content" / "viajes"
    folder.mkdir(parents=True)
    (folder / "2021-05-04-ruta-norte.md").write_text("Title: Por el norte\n\nTexto del viaje.\n")
    (folder / "2021-06-01-otra.md").write_text("Title: Otra\nSlug: propia\nDate: 2022-01-01\n\nTexto.\n")
    posts = _posts(tmp_path)
    first = posts["content/viajes/2021-05-04-ruta-norte.md"]
    assert (first.url, first.date.date().isoformat(), first.categories) == (
        "https://p.example/viajes/2021/ruta-norte/", "2021-05-04", ["viajes"])
    own = posts["content/viajes/2021-06-01-otra.md"]  # the file's own metadata wins
    assert own.url == "https://p.example/viajes/2022/propia/"


def test_hexo_reads_slug_and_date_from_the_new_post_name_rule(tmp_path):
    (tmp_path / "_config.yml").write_text(
        "url: https://h.example\nnew_post_name: :year-:month-:day-:title.md\n"
        "permalink: :year/:month/:title/\n")
    posts = tmp_path / "source" / "_posts"
    posts.mkdir(parents=True)
    (posts / "2020-03-07-cafe-de-olla.md").write_text("---\ntitle: Café de olla\n---\nTexto.\n")
    (posts / "2020-04-01-otro.md").write_text("---\ntitle: Otro\ndate: 2021-02-03 10:00\n---\nTexto.\n")
    posts_by_path = _posts(tmp_path)
    cafe = posts_by_path["source/_posts/2020-03-07-cafe-de-olla.md"]
    assert (cafe.url, cafe.date.date().isoformat()) == ("https://h.example/2020/03/cafe-de-olla/",
                                                       "2020-03-07")
    other = posts_by_path["source/_posts/2020-04-01-otro.md"]  # its front matter date wins
    assert other.url == "https://h.example/2021/02/otro/"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_drafts_asked_for_link_where_the_generator_previews_them(name):
    drafts = [e for e in EXPECTED[name]["entries"] if e.get("draft")]
    _, parsed = parse_site(SAMPLE_SITES / name, Options(include_drafts=True))
    posts = {p.post.path: p.post for p in parsed if p.post is not None}
    for entry in drafts:
        assert _same_url(posts[entry["path"]].url) == _same_url(entry["url"]), entry["path"]


def test_eleventy_permalink_templates_and_directory_data(tmp_path):
    (tmp_path / "eleventy.config.js").write_text('module.exports = () => ({dir: {input: "src"}});\n')
    (tmp_path / "src" / "_data").mkdir(parents=True)
    (tmp_path / "src" / "_data" / "site.json").write_text('{"url": "https://e.example"}')
    blog = tmp_path / "src" / "blog"
    blog.mkdir()
    (blog / "blog.11tydata.json").write_text(
        '{"tags": ["posts"], "permalink": "/notas/{{ page.date | date: \'%Y\' }}/{{ page.fileSlug }}/"}')
    (blog / "2023-02-01-vela-ligera.md").write_text("---\ntitle: Vela ligera\ndate: 2023-02-01\n"
                                                    "tags: [vela]\n---\nTexto.\n")
    (blog / "otro.md").write_text("---\ntitle: Un título largo\ndate: 2022-01-05\n"
                                  "permalink: /{{ title | slugify }}/\n---\nTexto.\n")
    (blog / "js.md").write_text("---\ntitle: Fecha en JS\ndate: 2022-01-05\n"
                                "permalink: /{{ page.date.getFullYear() }}/js/\n---\nTexto.\n")
    posts = _posts(tmp_path)
    vela = posts["src/blog/2023-02-01-vela-ligera.md"]
    assert (vela.url, vela.kind, vela.tags) == ("https://e.example/notas/2023/vela-ligera/", "post",
                                                ["vela"])  # a post by its collection tag
    assert posts["src/blog/otro.md"].url == "https://e.example/un-titulo-largo/"
    assert posts["src/blog/js.md"].url == "https://e.example/blog/js/"  # not read: the default
