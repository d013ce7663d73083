"""The OpenAPI 3.1 document served at /api/openapi.json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from blogsearch.search.facets import FACETS, LANGUAGE_FACET
from blogsearch.search.query import ALL_LANGUAGES, ALL_WORDS
from blogsearch.search.request import FILTER_NAMES, LANGUAGE_FILTER, MAX_LIMIT, SINGLE_FILTERS, SORTS


def _param(name: str, description: str, schema: dict[str, Any], required: bool = False,
           repeat: bool = False) -> dict[str, Any]:
    if repeat:
        schema = {"type": "array", "items": schema}
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema, **({"style": "form", "explode": True} if repeat else {})}


def _json(description: str, ref: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


ERRORS = {
    "400": _json("A parameter is missing or out of bounds", "Error"),
    "503": _json("The index is not available", "Error"),
}
TEXT = {"type": "string"}
LIMIT = _param("limit", f"How many items (1-{MAX_LIMIT})",
               {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT})


FILTER_DESCRIPTIONS = {
    "tag": "Only posts with this tag (facet value; all given must match)",
    "category": "Only posts in this category (facet value; all given must match)",
    "author": "Only posts by this author (facet value)",
    "year": "Only posts of this year (several: any of them)",
    "date_from": "Posts on or after this date (2011, 2011-03 or 2011-03-05)",
    "date_to": "Posts on or before this date (2011, 2011-03 or 2011-03-05)",
    "not_tag": "Leave out posts with this tag",
    "not_category": "Leave out posts in this category",
    "not_author": "Leave out posts by this author",
    LANGUAGE_FILTER: f"Only posts in this language (ISO 639 code: en; en-US counts as en), or "
                  f"{ALL_LANGUAGES} for every language. Default: the site's main language (posts "
                  "without one count as written in it); every post when the index has none",
}
FILTER_SCHEMAS = {
    "year": {"type": "string", "pattern": r"^\d{4}$"},
    "date_from": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    "date_to": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    LANGUAGE_FILTER: {"type": "string",
                   "pattern": rf"^([A-Za-z]{{2,3}}([-_][A-Za-z0-9]{{1,8}})*|{'|'.join(sorted(ALL_WORDS))})$"},
}


def search_params(config: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The parameters of /api/search, with this app's bounds."""
    return [
        _param("q", "Query text: words, \"exact phrase\", -exclude, OR, tag:x, categoria:x, "
               "autor:x, año:2011, fecha:2011-03, fecha:2010..2012, idioma:en (also lang:, "
               "language:; idioma:todos for every language), prefix*",
               {"type": "string", "maxLength": config["MAX_QUERY_CHARS"]}),
        *(_param(key, FILTER_DESCRIPTIONS[key], FILTER_SCHEMAS.get(key, TEXT),
                 repeat=key not in SINGLE_FILTERS) for key in FILTER_NAMES),
        _param("sort", "Order of results", {"type": "string", "enum": list(SORTS),
                                            "default": "relevance"}),
        _param("page", "Page number",
               {"type": "integer", "minimum": 1, "maximum": config["MAX_PAGE"]}),
        _param("per_page", "Results per page",
               {"type": "integer", "minimum": 1, "maximum": config["MAX_PER_PAGE"]}),
        _param("lang", "Language of message texts, not of the posts (see language; default: "
               "Accept-Language, else the first)",
               {"type": "string", "enum": list(config["LANGUAGES"])}),
    ]


FACET_LIST = {"type": "array", "items": {"type": "object", "properties": {
    "value": TEXT, "label": TEXT, "count": {"type": "integer"}}}}
STR_LIST = {"type": "array", "items": TEXT}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "properties": {
            "status": {"type": "integer"}, "message": TEXT,
            "param": {"type": "string", "description": "The parameter at fault, if any"}}}}},
    "Hit": {"type": "object", "properties": {
        "path": TEXT, "url": TEXT, "title": TEXT,
        "title_html": {"type": "string", "description": "Escaped title, matches in <mark>"},
        "date": {"type": ["string", "null"], "format": "date-time"},
        "author": TEXT, "tags": STR_LIST, "categories": STR_LIST,
        "lang": {"type": "string", "description": "ISO 639 code of the post's language; the "
                                                  "site's main language when the post gives "
                                                  "none; \"\" when neither says"},
        "kind": {"type": "string", "enum": ["post", "page"]},
        "translations": {"type": "array", "description": (
            "The post in other languages (translations sharing its translation key); a search "
            "in every language lists a text once"), "items": {
                "type": "object", "properties": {"lang": TEXT, "url": TEXT, "path": TEXT}}},
        "score": {"type": "number"},
        "snippet": {"type": "string", "description": "Escaped text, matches in <mark>"},
        "sections": {"type": "array", "maxItems": 3, "description": (
            "Sections of the post that match (up to three, in the post's order): the heading, "
            "and its link, post URL#heading id as the blog's generator makes it"),
            "items": {"type": "object", "properties": {
                "title": TEXT,
                "title_html": {"type": "string", "description": "Escaped heading, matches in <mark>"},
                "url": TEXT}}},
        "image": {"type": ["string", "null"], "description": (
            "The post's picture (its image, images, cover, featured_image or Preview metadata) "
            "at the URL the blog publishes it; null when it names none")},
        "missing": {**STR_LIST, "description": (
            "The groups of the query this post lacks, as typed: empty for a full match; a "
            "partial match follows the full ones, or leads them when it scores far higher")}}},
    "SearchResult": {"type": "object", "properties": {
        "query": TEXT,
        "total": {"type": "integer", "description": (
            "Posts holding every group of the query (a word in any of its forms, a phrase, a "
            "prefix, alternatives); when none does, those holding the most of them")},
        "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "pages": {"type": "integer", "description": "Pages of full matches (and leading partial "
                                                    "ones)"},
        "left_out": {**STR_LIST, "description": (
            "Groups some counted post lacks, because no post holds them all (those in no post "
            "first)")},
        "unknown": {**STR_LIST, "description": "Groups in no post, with no plausible correction"},
        "as_typed": {"type": "boolean", "description": (
            "Whether the total counts posts holding the query as typed: no correction, no "
            "group left out")},
        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "facets": {"type": "object", "properties": {
            **{key: FACET_LIST for key in FACETS},
            LANGUAGE_FACET: {**FACET_LIST, "description": (
                "Posts matching in each language, whatever the language asked, then \"all\": "
                "the texts matching in any language, a post and its translations counted once "
                "(empty unless the index holds more than one language)")}}},
        "filters": {"type": "object", "additionalProperties": STR_LIST,
                    "description": "Active filters, including those written in q"},
        "language": {"type": "string", "description": (
            f"The language of the results: the one asked, else the site's main one; "
            f"{ALL_LANGUAGES} for every language")},
        "suggestion": {"type": ["object", "null"], "properties": {"query": TEXT, "html": TEXT}},
        "messages": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "string", "enum": ["truncated", "too_many_terms", "syntax",
                                               "fuzzy", "prefixes", "budget", "unknown",
                                               "left_out"]},
            "params": {"type": "object", "description": (
                "fuzzy: terms (the words no post holds), typed (the query), showing (the "
                "corrected query whose results these are, when there is one) and as_typed (the "
                "query that searches those words as typed)")},
            "text": TEXT}}},
        "took_ms": {"type": "number"}}},
    "PostLink": {"type": "object", "properties": {
        "title": TEXT, "url": TEXT, "path": TEXT,
        "date": {"type": ["string", "null"], "format": "date-time"}}},
    "Health": {"type": "object", "properties": {
        "status": {"type": "string", "enum": ["ok", "unavailable"]},
        "posts": {"type": "integer"}, "last_indexed": TEXT, "error": TEXT}},
}


def openapi_document(server_url: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """The API description, with ``server_url`` as its server and ``config``'s bounds."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "blogsearch API", "version": "1",
                 "description": "Full-text search of a Spanish-language blog. Errors are JSON "
                                "with a 4xx status; texts follow ?lang= or Accept-Language."},
        "servers": [{"url": server_url or "/"}],
        "paths": {
            "/api/search": {"get": {
                "summary": "Search posts (same data as the /buscar page)",
                "operationId": "search", "parameters": search_params(config),
                "responses": {"200": _json("Results, facets and suggestion", "SearchResult"),
                              **ERRORS}}},
            "/api/suggest": {"get": {
                "summary": "Titles for search-as-you-type (last word is a prefix)",
                "operationId": "suggest",
                "parameters": [_param("q", "Text typed so far", TEXT), LIMIT,
                               _param("format", "opensearch: [q, titles, [], urls]",
                                      {"type": "string", "enum": ["opensearch"]})],
                "responses": {"200": {"description": "Suggestions", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "query": TEXT, "suggestions": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/PostLink"}}}}}}},
                    **ERRORS}}},
            "/api/related": {"get": {
                "summary": "Posts like the one at path",
                "operationId": "related",
                "parameters": [_param("path", "A result's path", TEXT, required=True), LIMIT],
                "responses": {"200": {"description": "Related posts", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "path": TEXT, "related": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/PostLink"}}}}}}},
                    "404": _json("No post at that path", "Error"), **ERRORS}}},
            "/api/openapi.json": {"get": {
                "summary": "This document", "operationId": "openapi",
                "responses": {"200": {"description": "OpenAPI 3.1 document"}}}},
            "/healthz": {"get": {
                "summary": "Health check", "operationId": "health",
                "responses": {"200": _json("Searching works", "Health"),
                              "503": _json("The index is not available", "Health")}}},
        },
        "components": {"schemas": SCHEMAS},
    }
