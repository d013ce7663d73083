"""The Flask app factory: ``create_app(config)`` builds one app with one engine.

Settings come from ``blogsearch.web.settings.DEFAULTS``, then the Python file named by
``$BLOGSEARCH_SETTINGS`` (if set), then ``config``. Nothing happens at import time.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from blogsearch.search.budget import RETRY_SECONDS, SearchBusy
from blogsearch.search.engine import Engine
from blogsearch.search.layout import default_index
from blogsearch.search.store import IndexUnavailable

from . import api, views
from .i18n import init_i18n
from .json_provider import OrjsonProvider
from .params import ParamError
from .searchlog import SearchLog, log_path
from .security import init_security
from .settings import DEFAULTS, check_bounds
from .templating import BlogsearchFlask

logger = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A configured blogsearch app: pages, JSON API, languages, security headers, log."""
    app = BlogsearchFlask(__name__)
    app.json = OrjsonProvider(app)  # keeps the engine's key order; "Lucía", not "Luc\u00eda"
    app.config.from_mapping(DEFAULTS)
    app.config.from_envvar("BLOGSEARCH_SETTINGS", silent=True)
    if config:
        app.config.from_mapping(config)
    check_bounds(app.config)
    if not app.config["INDEX_DIR"]:
        app.config["INDEX_DIR"] = default_index()

    index_dir = app.config["INDEX_DIR"]
    search_log = None
    if app.config["SEARCH_LOG"]:
        search_log = SearchLog(
            app.config["SEARCH_LOG_PATH"] or log_path(index_dir),
            days=app.config["SEARCH_LOG_DAYS"], max_rows=app.config["SEARCH_LOG_MAX_ROWS"],
        )
    app.extensions["blogsearch"] = views.Services(
        Engine(index_dir, result_cache=app.config["RESULT_CACHE_SIZE"]), search_log)

    init_i18n(app)
    init_security(app)
    app.jinja_env.globals["live_texts"] = views.live_texts
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    register_errors(app)
    return app


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, message: str, param: str | None = None) -> Response:
    """An error as JSON (API) or as a page in the reader's language (everything else)."""
    if _wants_json():
        error: dict[str, Any] = {"status": status, "message": message}
        if param:
            error["param"] = param
        response = jsonify(error=error)
    else:
        response = make_response(render_template(
            "error.html", status=status, message=message, query=request.args.get("q", "")[:200]))
    response.status_code = status
    return response


def register_errors(app: Flask) -> None:
    """Clear 4xx/503 answers for bad input and a missing index; never a traceback."""

    @app.errorhandler(ParamError)
    def _bad_param(exc: ParamError):
        message = gettext("Invalid parameter %(param)s: %(reason)s",
                          param=exc.param, reason=exc.message)
        return error_response(400, message, exc.param)

    @app.errorhandler(IndexUnavailable)
    def _no_index(exc: IndexUnavailable):
        logger.error("index unavailable: %s", exc)
        return error_response(503, gettext("Search is not available right now; "
                                           "the index is missing or being rebuilt."))

    @app.errorhandler(SearchBusy)
    def _busy(exc: SearchBusy):
        response = error_response(429, gettext(
            "Another very long search is running; try yours again in a moment, or search "
            "fewer words."))
        response.headers["Retry-After"] = str(RETRY_SECONDS)
        return response

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        status = exc.code or 500
        messages = {
            400: gettext("The request could not be understood."),
            404: gettext("There is nothing at this address."),
            405: gettext("This address does not accept that method."),
        }
        message = messages.get(status, exc.name)
        if exc.description != type(exc).description:  # a message of our own (e.g. related)
            message = exc.description or message
        response = error_response(status, message)
        allow = dict(exc.get_headers()).get("Allow")
        if allow:
            response.headers["Allow"] = allow
        return response

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        logger.exception("unexpected error on %s", request.path)
        return error_response(500, gettext("Something went wrong on our side. Try again."))
