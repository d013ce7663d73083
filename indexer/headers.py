"""Metadata and body of a Markdown or HTML post, in every dialect its generator reads, leniently.

Front matter (YAML ``---``, TOML ``+++``, JSON ``{``) as the generators that use it; YAML that does
not parse read again as ``key: value`` lines; Pelican and MultiMarkdown headers (Python-Markdown's
``meta`` extension: ``Key: value`` lines up to the first blank line, fenced by ``---`` or not);
Pelican's HTML reader (``<title>`` and ``<meta name content>`` of the head, the body's inner HTML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from .frontmatter_reader import (
    HANDLERS,
    FrontMatter,
    FrontMatterError,
    PostError,
    find_front_matter,
    load_front_matter,
)

HTML_SUFFIXES = frozenset({".html", ".htm"})
# An unfenced block of `Key: value` lines at the top is metadata only with one of these keys.
KNOWN_KEYS = frozenset({"title", "date", "slug", "tags", "category", "author", "authors", "summary",
                        "status", "lang", "modified", "keywords"})

# A line that closes a `---` block: `---` (YAML, Python-Markdown) or `...` (YAML, MultiMarkdown).
_CLOSING = re.compile(r"-{3,}\s*|\.{3}\s*")
# Python-Markdown meta / MultiMarkdown: a key of letters, digits, `_`, `-` (and spaces) then a colon;
# `http://...` is not a header.
_HEADER = re.compile(r"[ ]{0,3}(?P<key>\w[\w-]*(?: +[\w-]+)*)[ \t]*:(?!//)[ \t]*(?P<value>.*)")
_CONTINUATION = re.compile(r"(?: {4}|\t)\s*(?P<value>\S.*)")
# Broken YAML read line by line: the key ends at the first colon followed by white space or the end.
_PAIR_COLON = re.compile(r":(?:\s|$)")
_ITEM = re.compile(r"-(?:\s+(?P<value>.*))?")
_BLOCK_SCALAR = re.compile(r"[|>][-+]?")
# A full HTML document: `<html>`, `<head>` or `<body>` after an optional doctype and comments.
_DOCUMENT = re.compile(r"\s*(?:<!--.*?-->\s*|<![^>]*>\s*|<\?[^>]*>\s*)*<(?:html|head|body)[\s>]",
                       re.IGNORECASE | re.DOTALL)
_BODY_OPEN = re.compile(r"<body(?:\s[^>]*)?>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)
_HEAD_CLOSE = re.compile(r"</head\s*>", re.IGNORECASE)


@dataclass
class MetaSplit:
    """A post cut into metadata and body, the dialect its metadata was read in, and what was forgiven.

    ``dialect`` is "yaml", "toml", "json", "key-value", "html-meta" or "none". YAML, TOML and JSON
    values keep their types; ``Key: value`` dialects give lower-cased keys and text values.
    """

    metadata: dict[str, Any]
    body: str
    dialect: str
    warnings: list[str] = field(default_factory=list)


def split_metadata(text: str, suffix: str) -> MetaSplit:
    """Metadata and body of ``text``, a post whose file name ends in ``suffix`` (lower-case, ``.md``).

    Raise PostError only for what no generator forgives: TOML or JSON front matter that is never
    closed or does not parse, and a ``---`` never closed that no ``Key: value`` lines follow.
    """
    if HANDLERS["YAML"].detect(text):
        split = _fenced(text)
    elif found := find_front_matter(text):
        split = MetaSplit(load_front_matter(found), found.body, found.kind.lower())
    else:
        split = (suffix not in HTML_SUFFIXES and _unfenced(text)) or MetaSplit({}, text, "none")
    return _html_document(split) if suffix in HTML_SUFFIXES else split


def _fenced(text: str) -> MetaSplit:
    """A post opened by ``---``: YAML, else the same lines read leniently, else a Pelican header."""
    lines = text.split("\n")
    close = next((n for n in range(1, len(lines)) if _CLOSING.fullmatch(lines[n])), None)
    if close is None:
        split = _pelican_after_fence(lines)
        if split is None:
            raise PostError("YAML front matter is never closed")
        return split
    if lines[close].startswith("."):
        found = FrontMatter("YAML", "\n".join(lines[1:close]), "\n".join(lines[close + 1:]), 2)
    else:
        found = find_front_matter(text)
    try:
        return MetaSplit(load_front_matter(found), found.body, "yaml")
    except FrontMatterError as exc:
        return _yaml_as_pairs(found, exc, lines)


def _yaml_as_pairs(found: FrontMatter, exc: FrontMatterError, lines: list[str]) -> MetaSplit:
    """YAML that does not parse, read as ``key: value`` lines (or as a Pelican header followed by
    text, when the ``---`` that seemed to close it is a rule in the body)."""
    metadata, ignored = _read_pairs(found.text.split("\n"))
    if ignored and (pelican := _pelican_after_fence(lines)):
        return pelican
    warnings = [f"front matter line {exc.line or found.first_line} is not valid YAML ({exc.problem}); "
                "read as `key: value` lines"]
    warnings += [f"front matter line {found.first_line + n} is not a `key: value` line; ignored"
                 for n in ignored]
    return MetaSplit(metadata, found.body, "key-value", warnings)


def _read_pairs(lines: list[str]) -> tuple[dict[str, Any], list[int]]:
    """``key: value`` lines, ``- item`` lists under a key, indented continuations; also the indices
    of the lines that are none of these."""
    values: dict[str, str] = {}
    items: dict[str, list[str]] = {}
    ignored = []
    key = None
    for number, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        item = _ITEM.fullmatch(stripped)
        colon = None if item else _PAIR_COLON.search(stripped, 1)
        if item and key:
            items.setdefault(key, []).append(_unquote(item["value"] or ""))
        elif colon:
            key = _unquote(stripped[:colon.start()]).lower()
            value = stripped[colon.end():].strip()
            values[key] = "" if _BLOCK_SCALAR.fullmatch(value) else value
        elif key and line[:1].isspace():
            values[key] = f"{values[key]} {stripped}".lstrip()
        else:
            ignored.append(number)
    metadata = {key: [i for i in items[key] if i] if key in items else _yaml_value(value)
                for key, value in values.items()}
    return metadata, ignored


def _yaml_value(value: str) -> str | list[str]:
    """A flow list (``[a, b]``, or ``[a, b`` left open) as a list; other values without their quotes."""
    inner = value[1:].removesuffix("]")
    if value.startswith("[") and "[" not in inner and "]" not in inner:
        return [_unquote(part) for part in inner.split(",") if part.strip()]
    return _unquote(value)


def _unquote(value: str) -> str:
    """The value without the quotes around it, or without an opening quote left unclosed."""
    value = value.strip()
    if value[:1] not in ("'", '"'):
        return value
    if len(value) > 1 and value[-1] == value[0]:
        return value[1:-1].strip()
    return value[1:].strip() if value.count(value[0]) == 1 else value


def _read_header(lines: list[str]) -> tuple[dict[str, str], int] | None:
    """Python-Markdown ``meta`` lines up to the first blank line: (metadata, lines read).

    None if a line before it is neither ``Key: value`` nor a continuation (indented 4 spaces).
    """
    metadata: dict[str, str] = {}
    key = None
    for number, line in enumerate(lines):
        if not line.strip():
            return metadata, number
        more = _CONTINUATION.fullmatch(line)
        header = _HEADER.fullmatch(line)
        if more and key:
            metadata[key] = f"{metadata[key]} {more['value'].strip()}".lstrip()
        elif header:
            key = header["key"].strip().lower()
            metadata.setdefault(key, header["value"].strip())  # Pelican keeps the first
        else:
            return None
    return metadata, len(lines)


def _pelican_after_fence(lines: list[str]) -> MetaSplit | None:
    """``---`` then ``Key: value`` lines ending at a blank line (Python-Markdown needs no closing)."""
    header = _read_header(lines[1:])
    if header is None or not header[0]:
        return None
    metadata, used = header
    return MetaSplit(metadata, "\n".join(lines[used + 2:]), "key-value")


def _unfenced(text: str) -> MetaSplit | None:
    """Pelican/MultiMarkdown ``Key: value`` lines at the very top, if they look like metadata."""
    lines = text.split("\n")
    header = _read_header(lines)
    if header is None or not KNOWN_KEYS & header[0].keys():
        return None
    metadata, used = header
    return MetaSplit(metadata, "\n".join(lines[used + 1:]), "key-value")


def _html_document(split: MetaSplit) -> MetaSplit:
    """A full HTML document as Pelican's HTML reader takes it: metadata from the ``<head>`` (front
    matter wins), the ``<body>``'s inner HTML as the body. Fragments stay as they are."""
    markup = split.body
    if not _DOCUMENT.match(markup):
        return split
    opened = _BODY_OPEN.search(markup)
    if opened:
        head, body = markup[:opened.start()], _BODY_CLOSE.split(markup[opened.end():], 1)[0]
    else:
        closed = _HEAD_CLOSE.search(markup)
        cut = closed.end() if closed else 0
        head, body = markup[:cut], markup[cut:]
    dialect = "html-meta" if split.dialect == "none" else split.dialect
    return MetaSplit({**_head_metadata(head), **split.metadata}, body, dialect, split.warnings)


def _head_metadata(head: str) -> dict[str, Any]:
    """``<title>`` and every ``<meta name=... content=...>``, names lower-cased; repeated names
    give lists."""
    tree = LexborHTMLParser(head)
    metadata: dict[str, Any] = {}
    title = tree.css_first("title")
    if title is not None:
        metadata["title"] = title.text().strip()
    for node in tree.css("meta[name]"):
        name = (node.attributes.get("name") or "").strip().lower()
        content = (node.attributes.get("content") or node.attributes.get("contents") or "").strip()
        if not name:
            continue
        if name in metadata:
            previous = metadata[name]
            metadata[name] = [*previous, content] if isinstance(previous, list) else [previous, content]
        else:
            metadata[name] = content
    return metadata
