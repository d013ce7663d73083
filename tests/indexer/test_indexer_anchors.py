"""Heading ids made as each generator makes them, and the headings a post keeps for deep links."""

from __future__ import annotations

import pytest

from blogsearch.indexer.anchors import anchors, rule_for
from blogsearch.indexer.clean import markdown_to_text
from blogsearch.indexer.discover import Found
from blogsearch.indexer.headings import MAX_MISSES, Heading, place
from blogsearch.indexer.parse import parse_post
from blogsearch.indexer.sites import detect_site, heading_ids
from blogsearch.indexer.sites.model import Site
from tests.helpers import SAMPLE_SITES

TITLES = ["Instalación de Podman", "¿Qué es un *pod*?", "Instalación de Podman", "Paso 2: C# y .NET"]


def _ids(rule: str, titles: list[str] = TITLES) -> list[str]:
    return anchors([Heading(2, title) for title in titles], rule)


@pytest.mark.parametrize(("rule", "expected"), [
    # Hugo (goldmark, autoHeadingIDType "github"): accents kept, punctuation dropped, -1 for repeats.
    ("goldmark", ["instalación-de-podman", "qué-es-un-pod", "instalación-de-podman-1", "paso-2-c-y-net"]),
    ("goldmark-ascii", ["instalacion-de-podman", "que-es-un-pod", "instalacion-de-podman-1",
                        "paso-2-c-y-net"]),
    # Jekyll (kramdown, GFM input): like GitHub.
    ("kramdown-gfm", ["instalación-de-podman", "qué-es-un-pod", "instalación-de-podman-1",
                      "paso-2-c-y-net"]),
    # kramdown's own parser: ASCII only, from the first letter.
    ("kramdown", ["instalacin-de-podman", "qu-es-un-pod", "instalacin-de-podman-1", "paso-2-c-y-net"]),
    # Pelican and Nikola (Python-Markdown's toc): accents folded, _1 for repeats.
    ("toc", ["instalacion-de-podman", "que-es-un-pod", "instalacion-de-podman_1", "paso-2-c-y-net"]),
    # Hexo (hexo-util slugize): case kept.
    ("hexo", ["Instalacion-de-Podman", "Que-es-un-pod", "Instalacion-de-Podman-1", "Paso-2-C-y-NET"]),
    ("zola", ["instalacion-de-podman", "que-es-un-pod", "instalacion-de-podman-1", "paso-2-c-y-net"]),
])
def test_each_generator_rule(rule, expected):
    titles = [t.replace("*", "") for t in TITLES]  # headings arrive as text, markup gone
    assert _ids(rule, titles) == expected


def test_an_id_written_in_the_source_wins_and_is_not_reused():
    headings = [Heading(2, "Viento", own_id="viento-1"), Heading(2, "Viento"), Heading(2, "Viento")]
    assert anchors(headings, "goldmark") == ["viento-1", "viento", "viento-2"]


def test_markdown_attribute_blocks_become_the_heading_id_and_leave_the_text():
    cleaned = markdown_to_text("Intro\n\n## Instalación {#instalar}\n\ntexto\n\n"
                               "## Otra parte {: #otra .clase}\n\nmás\n\n## Tercera {id=\"tres\"}\n\n"
                               "## Cuarta\n{: #cuatro}\n\nfin\n")
    assert [(h.text, h.own_id) for h in cleaned.headings] == [
        ("Instalación", "instalar"), ("Otra parte", "otra"), ("Tercera", "tres"), ("Cuarta", "cuatro")]
    assert "{" not in cleaned.text
    for heading in cleaned.headings:
        assert cleaned.text[heading.offset:].startswith(heading.text)


def test_html_headings_keep_their_id_and_get_none_made_up():
    parsed = parse_post("posts/a.html", b"<h2 id='uno'>Uno</h2><p>texto</p><h2>Dos</h2><p>m\xc3\xa1s</p>")
    assert parsed.post.headings == [("Uno", "uno", 0)]


@pytest.mark.parametrize(("generator", "suffix", "rule"), [
    ("hugo", ".md", "goldmark"), ("jekyll", ".markdown", "kramdown-gfm"), ("pelican", ".md", "toc"),
    ("nikola", ".md", "toc"), ("hexo", ".md", "hexo"), ("zola", ".md", "zola"),
    ("eleventy", ".md", ""), ("plain", ".md", ""), ("hugo", ".html", ""), ("nikola", ".rst", ""),
    ("nikola", ".ipynb", "nbconvert"),
])
def test_the_rule_follows_the_generator_and_the_format(generator, suffix, rule):
    assert rule_for(Site(generator, "."), suffix) == rule


def _post(site_name: str, rel_path: str):
    site = detect_site(SAMPLE_SITES / site_name)
    raw = (SAMPLE_SITES / site_name / rel_path).read_bytes()
    found = Found(rel_path, str(SAMPLE_SITES / site_name / rel_path))
    return parse_post(rel_path, raw, site=site, found=found).post


def test_example_sites_headings_and_thumbnails():
    hugo = _post("hugo", "content/posts/ruta-por-la-sierra/index.md")
    assert [anchor for _, anchor, _ in hugo.headings] == [
        "la-subida-a-la-bola-del-mundo", "viento", "mapa-de-la-ruta"]
    assert hugo.image == hugo.url + "mapa.svg"  # a page bundle's own file
    jekyll = _post("jekyll", "_posts/2023-04-06-tortilla-de-papas.md")
    assert [anchor for _, anchor, _ in jekyll.headings] == ["papas-y-cebolla", "cómo-darla-vuelta"]
    assert jekyll.image == "https://jekyll.ejemplo.es/blog/assets/img/tortilla.jpg"
    pelican = _post("pelican", "content/articulos/mole-poblano.md")
    assert [anchor for _, anchor, _ in pelican.headings] == ["los-chiles-de-puebla", "una-hora-a-fuego-bajo"]
    assert pelican.image == pelican.url + "mole.jpg"  # Pelican themes put it beside the article
    rst = _post("pelican", "content/articulos/piramides-de-teotihuacan.rst")
    assert rst.headings[0][:2] == ("La pirámide del Sol", "la-piramide-del-sol")  # docutils' id
    assert rst.image == ""
    for post in (hugo, jekyll, pelican, rst):
        for text, _, offset in post.headings:
            assert post.body[offset:].startswith(text)


@pytest.mark.parametrize(("reader", "config", "rule"), [
    (heading_ids.hugo, {}, "goldmark"),
    (heading_ids.hugo, {"markup": {"goldmark": {"parser": {"autoHeadingIDType": "github-ascii"}}}},
     "goldmark-ascii"),
    (heading_ids.hugo, {"markup": {"goldmark": {"parser": {"autoHeadingID": False}}}}, "none"),
    (heading_ids.jekyll, {"markdown": "kramdown"}, "kramdown-gfm"),
    (heading_ids.jekyll, {"kramdown": {"input": "kramdown"}}, "kramdown"),
    (heading_ids.jekyll, {"markdown": "CommonMark"}, "none"),
    (heading_ids.python_markdown, None, "toc"),
    (heading_ids.python_markdown, {"extension_configs": {"markdown.extensions.extra": {}}}, "none"),
    (heading_ids.python_markdown, {"extension_configs": {"markdown.extensions.toc": {}}}, "toc"),
    (heading_ids.python_markdown, ["markdown.extensions.fenced_code", "markdown.extensions.toc"], "toc"),
    (heading_ids.hexo, {"marked": {"modifyAnchors": 1}}, "hexo-lower"),
    (heading_ids.hexo, {"marked": {"headerIds": False}}, "none"),
    (heading_ids.zola, {"slugify": {"anchors": "safe"}}, "none"),
    (heading_ids.eleventy, 'const anchor = require("markdown-it-anchor");', "markdown-it-anchor"),
    (heading_ids.eleventy, "module.exports = () => ({});", "none"),
])
def test_the_site_config_picks_the_rule(reader, config, rule):
    assert reader(config) == rule
    assert rule_for(Site("hugo", ".", settings={"heading_ids": rule}), ".md") == (
        "" if rule == "none" else rule)


def test_long_headings_are_read_in_one_pass():
    """An attribute block is looked for only at a heading's end: a heading of 200,000 spaces
    (quadratic for the pattern if searched whole) is read at once."""
    cleaned = markdown_to_text("## a" + " " * 200_000 + "b}\n\n## t" + " " * 100_000 + "{#x}\n\n"
                               "## c\n{: #" + "d" * 300 + "}\n")
    assert [(h.text, h.own_id) for h in cleaned.headings] == [("a b}", ""), ("t", "x"), ("c", "")]


def test_headings_missing_from_the_text_are_dropped_and_many_misses_end_the_search():
    text = "Uno\nDos\nTres"
    assert [h.text for h in place([Heading(2, "Uno"), Heading(2, "Nada"), Heading(2, "Tres")], text)] \
        == ["Uno", "Tres"]
    lost = [Heading(2, f"falta {n}") for n in range(MAX_MISSES)]
    assert place([*lost, Heading(2, "Dos")], text) == []  # each miss read the whole text
