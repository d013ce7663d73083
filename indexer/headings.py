"""A post's headings: their text, the id written for them, and where their section starts.

Markdown lets a writer give a heading its own id with an attribute block at its end
(``## Instalación {#instalar}``, kramdown's ``{: #instalar}``, also on the line below, Hugo's
``{id="instalar"}``); the block is taken off the heading's text and kept as its id. A heading
written as HTML with an ``id``, or one docutils placed in a ``<section id=...>``
(reStructuredText), keeps that id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

HEADING_TAGS = "h1,h2,h3,h4,h5,h6"
# A trailing attribute block: ``{#id}``, ``{: #id .class}``, ``{id="id" class="x"}``.
_ATTRIBUTES = re.compile(r"\s*\{:?\s*((?:[#.][\w:-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}]+))"
                         r"(?:\s+(?:[#.][\w:-]+|[\w-]+=(?:\"[^\"]*\"|'[^']*'|[^\s}]+)))*)\s*\}\s*$")
_ID = re.compile(r"(?:^|\s)(?:#([\w:-]+)|id=[\"']?([^\"'\s}]+))")
_SECTIONS = ("section", "div")
MAX_MISSES = 8  # headings not found in the text before the rest are given up
MAX_ATTRIBUTES = 200  # characters an attribute block may take (no regex runs over a long text)


@dataclass
class Heading:
    """One heading of a post body. ``own_id`` is the id the source gives it ("" when the
    generator makes one); ``offset`` is where its line starts in the body's text."""

    level: int
    text: str
    own_id: str = ""
    offset: int = -1


def _attribute_id(node) -> str:
    """Take a trailing attribute block off ``node``'s last text; the id it names ("" if none)."""
    last = node.last_child
    if last is None or last.tag != "-text":
        return ""
    text = last.text_content or ""
    if not text.rstrip().endswith("}"):
        return ""
    start = max(0, len(text) - MAX_ATTRIBUTES)
    found = _ATTRIBUTES.search(text, start)
    if not found:
        return ""
    last.replace_with(text[:found.start()])
    ids = _ID.search(found.group(1))
    return (ids.group(1) or ids.group(2)) if ids else ""


def _block_below_id(node) -> str:
    """kramdown's block attribute list on the line after the heading (``{: #id}``, read by
    cmark as a paragraph of its own): removed, and the id it names returned ("" if none)."""
    below = node.next
    while below is not None and below.tag == "-text" and not (below.text_content or "").strip():
        below = below.next
    if below is None or below.tag != "p":
        return ""
    text = below.text(separator="").strip()
    if len(text) > MAX_ATTRIBUTES:
        return ""
    found = _ATTRIBUTES.fullmatch(text)
    if not found or not found.group(0).lstrip().startswith("{:"):
        return ""
    below.decompose()
    ids = _ID.search(found.group(1))
    return (ids.group(1) or ids.group(2)) if ids else ""


def _written_id(node) -> str:
    """The id the HTML gives the heading, or the section it opens (docutils' output)."""
    own = (node.attributes.get("id") or "").strip()
    if own:
        return own
    parent = node.parent
    if parent is not None and parent.tag in _SECTIONS:
        first = parent.css_first(HEADING_TAGS)
        if first is not None and first.mem_id == node.mem_id:
            return (parent.attributes.get("id") or "").split(" ")[0]
    return ""


def read_headings(tree: LexborHTMLParser, one_line: Callable[[str], str]) -> list[Heading]:
    """The headings of a parsed body in order, attribute blocks removed from the tree.
    ``one_line`` turns a heading's text into the single line the body's text will hold."""
    headings = []
    for node in tree.css(HEADING_TAGS):
        explicit = _attribute_id(node) or _block_below_id(node) or _written_id(node)
        text = one_line(node.text(separator=""))
        if text:
            headings.append(Heading(int(node.tag[1]), text, explicit))
    return headings


def place(headings: list[Heading], text: str) -> list[Heading]:
    """Set each heading's ``offset`` in ``text`` (searched in order); those not found are dropped,
    and after ``MAX_MISSES`` of them the rest too (each miss reads the rest of the text)."""
    placed = []
    position = misses = 0
    for heading in headings:
        at = text.find(heading.text, position)
        if at != -1:
            heading.offset = at
            position = at + len(heading.text)
            placed.append(heading)
        else:
            misses += 1
            if misses == MAX_MISSES:
                break
    return placed
