"""A post's picture: the metadata that names it, and the URL the blog publishes it at."""

from __future__ import annotations

import pytest

from blogsearch.indexer.discover import Found
from blogsearch.indexer.images import image_path, thumbnail
from blogsearch.indexer.parse import parse_post
from blogsearch.indexer.sites import Source, detect_site

PAGE = "https://blog.es/2023/04/ruta/"
BASE = "https://blog.es"


@pytest.mark.parametrize(("metadata", "path"), [
    ({"image": "a.jpg"}, "a.jpg"),
    ({"images": ["b.jpg", "c.jpg"]}, "b.jpg"),
    ({"cover": {"image": "d.jpg", "alt": "x"}}, "d.jpg"),
    ({"featured_image": "e.jpg", "image": "f.jpg"}, "e.jpg"),
    ({"preview": "preview.jpg"}, "preview.jpg"),
    ({"extra": {"image": "g.png"}}, "g.png"),  # Zola
    ({"header": {"teaser": "h.png"}}, "h.png"),
    ({"image": ""}, ""), ({"image": 3}, ""), ({}, ""),
])
def test_the_metadata_that_names_the_picture(metadata, path):
    assert image_path(metadata) == path


def test_where_the_blog_publishes_it(tmp_path):
    bundle = tmp_path / "ruta"
    bundle.mkdir()
    (bundle / "index.md").write_text("x")
    (bundle / "mapa.svg").write_text("<svg/>")
    source = bundle / "index.md"
    assert thumbnail({"image": "https://cdn.es/x.jpg"}, PAGE, BASE, source) == "https://cdn.es/x.jpg"
    assert thumbnail({"image": "/img/x.jpg"}, PAGE, BASE, source) == "https://blog.es/img/x.jpg"
    assert thumbnail({"image": "mapa.svg"}, PAGE, BASE, source) == PAGE + "mapa.svg"  # page bundle
    assert thumbnail({"image": "img/x.jpg"}, PAGE, BASE, source) == "https://blog.es/img/x.jpg"
    assert thumbnail({"image": "img/x.jpg"}, PAGE, "", None) == "/img/x.jpg"
    assert thumbnail({"preview": "p.jpg"}, PAGE, BASE, None, beside_page=True) == PAGE + "p.jpg"
    assert thumbnail({"image": "{static}/images/x.png"}, PAGE, BASE, None, beside_page=True) == \
        "https://blog.es/images/x.png"
    assert thumbnail({"image": "mi foto.jpg"}, PAGE, BASE, None) == "https://blog.es/mi%20foto.jpg"
    for bad in ("javascript:alert(1)", "data:image/png;base64,xx", "#top"):
        assert thumbnail({"image": bad}, PAGE, BASE, None) == ""


def test_a_hugo_bundle_without_image_metadata_shows_its_feature_or_cover_image(tmp_path):
    bundle = tmp_path / "content" / "posts" / "ruta"
    bundle.mkdir(parents=True)
    (tmp_path / "hugo.toml").write_text('baseURL = "https://blog.es/"\n')
    (bundle / "index.md").write_text("---\ntitle: Ruta\ndate: 2023-04-05\n---\nTexto.\n")
    (bundle / "mapa.svg").write_text("<svg/>")
    site = detect_site(tmp_path)
    found = Found("content/posts/ruta/index.md", str(bundle / "index.md"), Source("content"))

    def picture() -> str:
        raw = (bundle / "index.md").read_bytes()
        return parse_post(found.rel_path, raw, site=site, found=found).post.image

    assert picture() == ""  # an image resource, but none Hugo would choose
    (bundle / "portada-cover.jpg").write_bytes(b"jpg")
    (bundle / "notas-cover.txt").write_text("no es una imagen")
    assert picture() == "https://blog.es/posts/ruta/portada-cover.jpg"
    (bundle / "featured.png").write_bytes(b"png")
    assert picture() == "https://blog.es/posts/ruta/featured.png"  # *feature* comes first
