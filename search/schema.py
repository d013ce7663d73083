"""The Whoosh schema: which parts of a post are searchable, stored, filterable."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from .analysis import spanish_analyzer

# Relative weight of each searchable field in BM25F (title > taxonomy > description > body > ...).
FIELD_WEIGHTS: dict[str, float] = {
    "title": 5.0,
    "taxonomy": 3.0,
    "description": 2.0,
    "body": 1.0,
    "code": 0.6,
    "comments": 0.3,
}

SCHEMA_VERSION = 1


def build_schema() -> Schema:
    """The schema every blogsearch index is created with."""
    spanish = spanish_analyzer()
    return Schema(
        path=ID(stored=True, unique=True),
        url=STORED(),
        title=TEXT(analyzer=spanish, stored=True),
        taxonomy=TEXT(analyzer=spanish, phrase=False),
        description=TEXT(analyzer=spanish, stored=True, phrase=False),
        body=TEXT(analyzer=spanish, stored=True),
        code=TEXT(analyzer=spanish, phrase=False),
        comments=TEXT(analyzer=spanish, phrase=False),
        tag=KEYWORD(commas=True),
        category=KEYWORD(commas=True),
        author=KEYWORD(commas=True),
        date=DATETIME(stored=True),
        meta=STORED(),
    )
