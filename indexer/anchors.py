"""Heading ids as each blog generator makes them, so a result can link to ``post-url#id``.

Each rule is the generator's own Markdown renderer's: goldmark's for Hugo, kramdown's for
Jekyll (GFM input by default), Python-Markdown's ``toc`` for Pelican and Nikola, hexo-util's
``slugize`` for Hexo, the ``slug`` crate for Zola, markdown-it-anchor for Eleventy, nbconvert's
for notebooks. A site's config may pick another rule (``Site.settings["heading_ids"]``); an id
written in the source (``{#id}``, ``<h2 id>``, docutils' section ids) always wins. Where the
generator gives headings no id (HTML posts, Eleventy without markdown-it-anchor), none is made.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import quote

from unidecode import unidecode

from .headings import Heading
from .sites.model import Site
from .sites.slugs import zola_slug

NONE = ""  # the generator gives headings no id


def _goldmark(text: str, ascii_only: bool = False) -> str:
    """Hugo's ``github`` ids (``github-ascii`` drops what is not ASCII after removing accents)."""
    if ascii_only:
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    out = []
    for char in text.strip():
        if ascii_only and not char.isascii():
            continue
        if char in "- ":
            out.append("-")
        elif char == "_" or char.isalpha() or char.isdecimal():
            out.append(char.lower())
    return "".join(out) or "heading"


def _blackfriday(text: str) -> str:
    """Hugo's ``blackfriday`` ids: letters and digits, every other run one hyphen."""
    return re.sub(r"[^\w]+|_+", "-", text.lower()).strip("-")


def _kramdown_gfm(text: str) -> str:
    """kramdown with GFM input (Jekyll's default): word characters, hyphens, spaces as hyphens."""
    return re.sub(r"[^\w\- \t]", "", text.lower()).replace(" ", "-").replace("\t", "-")


def _kramdown(text: str) -> str:
    """kramdown's own ids: ASCII letters, digits and hyphens, from the first letter on."""
    kept = re.sub(r"[^a-zA-Z0-9 -]", "", re.sub(r"^[^a-zA-Z]+", "", text))
    return kept.replace(" ", "-").lower() or "section"


def _toc(text: str) -> str:
    """Python-Markdown's ``toc`` ``slugify``: ASCII, lower case, runs of space or hyphen → one hyphen."""
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", value).strip().lower())


def _hexo(text: str) -> str:
    """hexo-util's ``slugize`` as hexo-renderer-marked calls it (case kept)."""
    value = re.sub(r"[\u0000-\u001f]", "", unidecode(text.strip()))
    value = re.sub(r"""[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:"'<>,.?/]+""", "-", value)
    return value.strip("-")


def _markdown_it_anchor(text: str) -> str:
    """markdown-it-anchor's default ``slugify`` (the id is already percent-encoded)."""
    return quote(re.sub(r"\s+", "-", text.strip().lower()), safe="-_.!~*'()")


def _nbconvert(text: str) -> str:
    """nbconvert's heading anchors: the text with spaces as hyphens."""
    return text.strip().replace(" ", "-")


# rule → (id of a heading's text, how a repeated id is told apart)
RULES: dict[str, tuple[Callable[[str], str], str]] = {
    "goldmark": (_goldmark, "-"),
    "goldmark-ascii": (lambda text: _goldmark(text, ascii_only=True), "-"),
    "blackfriday": (_blackfriday, "-"),
    "kramdown-gfm": (_kramdown_gfm, "-"),
    "kramdown": (_kramdown, "-"),
    "toc": (_toc, "_"),
    "hexo": (_hexo, "-"),
    "hexo-lower": (lambda text: _hexo(text).lower(), "-"),
    "hexo-upper": (lambda text: _hexo(text).upper(), "-"),
    "zola": (zola_slug, "-"),
    "slugify": (zola_slug, "-"),  # @sindresorhus/slugify, which Eleventy's `slugify` filter uses
    "markdown-it-anchor": (_markdown_it_anchor, "-"),
    "nbconvert": (_nbconvert, "-"),
}
DEFAULT_RULES = {
    "hugo": "goldmark", "jekyll": "kramdown-gfm", "pelican": "toc", "nikola": "toc",
    "hexo": "hexo", "zola": "zola",
}
_MARKDOWN = (".md", ".markdown", ".mdown", ".mkd", ".mkdown")


def rule_for(site: Site, suffix: str) -> str:
    """The rule the site's generator uses for a file with ``suffix`` (NONE: ids only as written)."""
    if suffix == ".ipynb":
        return "nbconvert"
    if suffix not in _MARKDOWN:
        return NONE  # HTML is published as written; docutils writes reST ids itself
    rule = site.settings.get("heading_ids", DEFAULT_RULES.get(site.generator, NONE))
    return rule if rule in RULES else NONE


def anchors(headings: list[Heading], rule: str) -> list[str]:
    """The id of each heading ("" where there is none), repeated ids numbered as the rule does."""
    make, separator = RULES.get(rule, (None, "-"))
    seen: set[str] = {h.own_id for h in headings if h.own_id}
    out = []
    for heading in headings:
        if heading.own_id or make is None:
            out.append(heading.own_id)
            continue
        base = make(heading.text)
        anchor, number = base, 0
        while anchor in seen or not anchor:
            number += 1
            anchor = f"{base}{separator}{number}"
        seen.add(anchor)
        out.append(anchor)
    return out
