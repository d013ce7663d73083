"""Markdown rendering through cmark-gfm: cmarkgfm's output, without its memory leak."""

from __future__ import annotations

import sys

import cmarkgfm
import pytest

from blogsearch.indexer import cmark
from blogsearch.indexer.clean import _CMARK_EXTENSIONS, _CMARK_OPTIONS

DOCUMENTS = [
    "",
    "# Título\n\nPárrafo con *énfasis*, **negrita** y `código`.",
    "| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\nVisita https://example.com/ruta?x=1 ya.",
    "- uno\n  - dos\n    1. tres\n\n> cita\n>> anidada\n\n```python\nprint('hola')\n```",
    '<div class="x"><script>alert(1)</script><p>HTML crudo</p></div>\n\nDespu&eacute;s &amp; más.',
    "[ref][1] y ![img](a.png)\n\n[1]: https://example.com \"Título\"",
    "Emoji 🎉, 東京, \u00a0espacio duro\n***\nFin",
]


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 2**20


@pytest.mark.parametrize("text", DOCUMENTS)
def test_same_html_as_cmarkgfm(text: str) -> None:
    expected = cmarkgfm.markdown_to_html_with_extensions(
        text, options=_CMARK_OPTIONS, extensions=list(_CMARK_EXTENSIONS))
    assert cmark.markdown_to_html(text, _CMARK_OPTIONS, _CMARK_EXTENSIONS) == expected


@pytest.mark.skipif(sys.platform != "linux", reason="reads the resident size from /proc")
def test_rendering_frees_the_tree_and_the_html() -> None:
    assert cmark._FREEING is not None  # the library exports what freeing needs
    text = "\n\n".join(DOCUMENTS[1:]) * 60  # about 40 KB: cmarkgfm leaks ~1.5 MB a call
    cmark.markdown_to_html(text, _CMARK_OPTIONS, _CMARK_EXTENSIONS)
    before = _rss_mb()
    for _ in range(200):
        cmark.markdown_to_html(text, _CMARK_OPTIONS, _CMARK_EXTENSIONS)
    assert _rss_mb() - before < 30


def test_unknown_extension_is_named() -> None:
    with pytest.raises(ValueError, match="nope"):
        cmark.markdown_to_html("x", _CMARK_OPTIONS, ("table", "nope"))
