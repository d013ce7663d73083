"""A post's picture: the metadata that names it, and the URL the blog publishes it at."""

from __future__ import annotations

import pytest

from indexer.images import image_path, thumbnail

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
