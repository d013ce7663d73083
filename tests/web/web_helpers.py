"""Small helpers for reading pages in the web tests."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from selectolax.lexbor import LexborHTMLParser as HTMLParser


def html(response) -> HTMLParser:
    """The parsed HTML of a test-client response (which must be HTML)."""
    assert response.content_type.startswith("text/html"), response.content_type
    return HTMLParser(response.get_data(as_text=True))


def texts(tree: HTMLParser, selector: str) -> list[str]:
    """The text of every element matching ``selector``, whitespace collapsed."""
    return [" ".join(node.text().split()) for node in tree.css(selector)]


def hrefs(tree: HTMLParser, selector: str) -> list[str]:
    """The href of every element matching ``selector``."""
    return [node.attributes.get("href") or "" for node in tree.css(selector)]


def query_of(url: str) -> dict[str, list[str]]:
    """The parsed query string of ``url``."""
    return parse_qs(urlsplit(url).query)
