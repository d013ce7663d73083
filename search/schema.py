"""The Whoosh schema: which parts of a post are searchable, stored, filterable."""

from __future__ import annotations

import hashlib

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import SpanishPositions, spanish_analyzer

SCHEMA_VERSION = 10
TEXT_FIELD = "text"  # body, code, comments: what a search reads first
HEAD_FIELD = "head"  # title, tags and categories, description, scored on their own


def text_id(translation_key: str) -> int:
    """A post's translation key as the number its ``twin`` column holds (63 bits of BLAKE2b)."""
    digest = hashlib.blake2b(translation_key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def spanish_text() -> TEXT:
    """A searchable text field: the Spanish chain, positions kept for phrases and proximity."""
    field = TEXT(analyzer=spanish_analyzer())
    field.format = SpanishPositions()
    return field


def build_schema() -> Schema:
    """The schema every blogsearch index is created with."""
    return Schema(
        path=ID(stored=True, unique=True),
        url=STORED(),
        text=spanish_text(),
        head=spanish_text(),
        title=STORED(),
        description=STORED(),
        body=STORED(),
        tag=KEYWORD(commas=True),
        category=KEYWORD(commas=True),
        author=KEYWORD(commas=True),
        year=KEYWORD(),
        date=DATETIME(stored=True),
        timestamp=NUMERIC(bits=64, sortable=True, signed=False),  # 0 when undated
        lang=KEYWORD(),  # the post's ISO 639 code; none when the post did not say
        twin=NUMERIC(bits=64, sortable=True, signed=False),  # text_id: shared with translations
        meta=STORED(),
        headings=STORED(),  # [text, id, offset in body] of each heading with an id
        image=STORED(),     # the post's picture URL
    )
