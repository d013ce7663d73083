"""The JSON API: search, suggest-as-you-type, related posts, and its OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import gettext
from werkzeug.exceptions import NotFound

from blogsearch.search.request import MAX_LIMIT

from .openapi import openapi_document
from .params import ParamError, arg
from .views import safe_items, search_response, services

bp = Blueprint("api", __name__, url_prefix="/api")


def _limit(default: int) -> int:
    raw = arg(request.args, "limit")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:  # "²" is a digit too
        raise ParamError("limit", gettext("must be between 1 and %(max)s", max=MAX_LIMIT))
    return int(raw)


def _text_param(name: str, required: bool) -> str:
    value = arg(request.args, name)
    if required and not value.strip():
        raise ParamError(name, gettext("is required"))
    if len(value) > current_app.config["MAX_QUERY_CHARS"]:
        raise ParamError(name, gettext("is longer than %(max)s characters",
                                       max=current_app.config["MAX_QUERY_CHARS"]))
    return value


@bp.get("/search")
def search() -> Response | str:
    """Search results as JSON: the same parameters and data as the /buscar page."""
    return search_response("json")


@bp.get("/suggest")
def suggest() -> Response:
    """Posts whose title matches what is typed so far (last word as a prefix).

    ``format=opensearch`` answers in the OpenSearch suggestions format browsers use.
    """
    q = _text_param("q", required=False)
    limit = _limit(current_app.config["SUGGEST_LIMIT"])
    items = safe_items(services().engine.suggest(q, limit=limit)) if q.strip() else []
    if arg(request.args, "format") == "opensearch":
        return jsonify([q, [i["title"] for i in items], [], [i["url"] for i in items]])
    return jsonify(query=q, suggestions=items)


@bp.get("/related")
def related() -> Response:
    """Posts like the one at ``path`` (as given in search results)."""
    path = _text_param("path", required=True)
    limit = _limit(current_app.config["RELATED_LIMIT"])
    try:
        items = safe_items(services().engine.more_like_this(path, limit=limit))
    except ValueError:
        raise NotFound(gettext("No post at path %(path)s.", path=path)) from None
    return jsonify(path=path, related=items)


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 description of this API."""
    # The server's address comes from SEARCH_URL, never from the request's Host header.
    return jsonify(openapi_document(current_app.config["SEARCH_URL"].rstrip("/"), current_app.config))

