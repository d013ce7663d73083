"""The search view (one code path for the HTML page and ``/api/search``) and the pages."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale, gettext, ngettext

from blogsearch.search.engine import Engine
from blogsearch.search.facets import LANGUAGE_FACET
from blogsearch.search.query import ALL_LANGUAGES, ALL_WORDS, FIELD_ALIASES
from blogsearch.search.request import FACET_FILTERS, FILTER_NAMES, LANGUAGE_FILTER
from blogsearch.search.store import IndexUnavailable

from .fragments import facet_items
from .i18n import count_text, lazy_gettext, message_text
from .markup import clean_marked, safe_url
from .params import ParamError, SearchParams, quote_words, same_value
from .searchlog import SearchLog

bp = Blueprint("pages", __name__)
LIVE_HEADER = "X-Blogsearch-Live"  # results as you type: not (yet) a search to log
logger = logging.getLogger(__name__)

FACET_TITLES = {
    LANGUAGE_FACET: lazy_gettext("Languages"),
    "tag": lazy_gettext("Tags"),
    "category": lazy_gettext("Categories"),
    "year": lazy_gettext("Years"),
    "author": lazy_gettext("Authors"),
}
FILTER_LABELS = {
    "tag": lazy_gettext("Tag"),
    "category": lazy_gettext("Category"),
    "author": lazy_gettext("Author"),
    "year": lazy_gettext("Year"),
    "date_from": lazy_gettext("From"),
    "date_to": lazy_gettext("Until"),
    "not_tag": lazy_gettext("Without tag"),
    "not_category": lazy_gettext("Not in category"),
    "not_author": lazy_gettext("Not by"),
    LANGUAGE_FILTER: lazy_gettext("Language"),
}
SORT_LABELS = {
    "relevance": lazy_gettext("Relevance"),
    "date": lazy_gettext("Newest first"),
    "date_asc": lazy_gettext("Oldest first"),
}

FACET_SHOWN = 8  # values listed before the "N more" fold

# The empty state's lesson in query syntax: (example, what it finds).
SYNTAX_HELP = [
    (lazy_gettext("bread sourdough"),
     lazy_gettext("posts with all the words, in any form (pan, panes)")),
    (lazy_gettext('"sourdough bread"'), lazy_gettext("the exact phrase")),
    ('"kubernetes"', lazy_gettext("one word as typed, never corrected to a similar one")),
    (lazy_gettext("bread -rye"), lazy_gettext("without the word after the minus sign")),
    (lazy_gettext("docker OR podman"), lazy_gettext("either word (OR, or O in Spanish)")),
    ("tag:docker", lazy_gettext("posts with that tag")),
    ("categoria:recetas", lazy_gettext("posts in that category (also category:)")),
    ("autor:lucia", lazy_gettext("posts by that author (also author:)")),
    ("año:2011", lazy_gettext("posts from that year")),
    ("fecha:2011-03", lazy_gettext("posts from that month or day")),
    ("fecha:2010..2012", lazy_gettext("posts between two dates")),
    ("idioma:en", lazy_gettext("posts in that language (also lang:; idioma:todos for all)")),
    (lazy_gettext("program*"), lazy_gettext("words that begin that way")),
]


@dataclass
class Services:
    """What one app shares between requests: its engine and (unless turned off) its log."""

    engine: Engine
    search_log: SearchLog | None


def services() -> Services:
    """The current app's engine and search log."""
    return current_app.extensions["blogsearch"]


def safe_items(items: list[dict]) -> list[dict]:
    """Posts from the engine with only http(s)/relative URLs and clean ``title_html`` (their
    sections' and translations' too); a section or translation without a safe link is left out."""
    for item in items:
        item["url"] = safe_url(item.get("url"))
        if "title_html" in item:
            item["title_html"] = clean_marked(item["title_html"] or item.get("title", ""))
        if "image" in item:
            item["image"] = safe_url(item["image"]) or None
        for linked in ("sections", "translations"):
            if linked in item:
                item[linked] = [entry for entry in safe_items(item[linked]) if entry["url"]]
    return items


def run_search(params: SearchParams) -> dict[str, Any]:
    """Search as ``params`` ask; the engine's result with safe highlights and message texts.

    A search as typed (see ``SearchParams.is_new_search``) is written to the search log,
    unless it is one of the searches search.js makes while the reader is still typing (header
    ``LIVE_HEADER``): it asks again, to be logged, once the reader stops on the results.
    """
    svc = services()
    try:
        data = svc.engine.search(
            params.q, filters=params.filters or None, sort=params.sort, page=params.page,
            per_page=params.per_page or current_app.config["PER_PAGE"],
        )
    except IndexUnavailable:
        raise
    except ValueError as exc:  # the engine names the parameter: "<parameter>: <reason>"
        param, _, reason = str(exc).partition(": ")
        raise ParamError(param if reason else "q", reason or str(exc)) from exc
    for hit in safe_items(data["results"]):
        hit["snippet"] = clean_marked(hit.get("snippet"))
    if data.get("suggestion"):
        data["suggestion"]["html"] = clean_marked(data["suggestion"].get("html"))
    for message in data.get("messages", []):
        if message["code"] == "fuzzy":
            typo_params(message.setdefault("params", {}), params.q, data.get("suggestion"))
        message["text"] = message_text(message["code"], message.get("params", {}))
    if (svc.search_log is not None and params.is_new_search and request.method == "GET"
            and LIVE_HEADER not in request.headers):
        svc.search_log.record(params.q, data["total"], data.get("took_ms", 0.0),
                              as_typed=data["total"] if data.get("as_typed") else 0)
    return data


def typo_params(params: dict, typed: str, suggestion: dict | None) -> None:
    """Add to a ``fuzzy`` message's params what its line shows: the query ``typed``, the one
    whose results are shown (``showing``, when the engine suggests one) and ``as_typed``, the
    query that searches the corrected words as typed (quoted)."""
    params["typed"] = typed
    params["as_typed"] = quote_words(typed, [str(word) for word in params.get("terms", [])])
    if suggestion:
        params["showing"] = suggestion["query"]


def search_response(fmt: str) -> Response | str:
    """``/buscar`` (``fmt="html"``) and ``/api/search`` (``fmt="json"``): same code, same data."""
    params = SearchParams.from_args(request.args, current_app.config)
    if fmt == "html" and params.is_blank:
        return render_template("search.html", **empty_context(params))
    data = run_search(params)
    if fmt == "json":
        return jsonify(data)
    return render_template("search.html", **page_context(params, data))


@bp.get("/")
@bp.get("/buscar")
def search_page() -> Response | str:
    """The search page: empty state, results, or no results."""
    return search_response("html")


def _common(params: SearchParams) -> dict[str, Any]:
    return {"params": params, "query": params.q}


def _link(params: SearchParams) -> str:
    """The search page's URL for ``params`` (a relative link)."""
    query = params.query_string()
    return _search_path() + ("?" + query if query else "")


def _query_link(query: Callable[[Any], str]) -> Callable[[Any], str]:
    """``value → the search page's URL`` for a ``value → query string`` function."""
    path = _search_path()
    return lambda value: f"{path}?{query(value)}"


def _search_path() -> str:
    # url_for is slow next to a page's ~60 links; build the path once per request.
    if "search_path" not in g:
        g.search_path = url_for("pages.search_page")
    return g.search_path


def language_name(code: str, names: dict[str, str] | None = None) -> str:
    """A language's name in the reader's language ("inglés", "English"), from Babel's data
    (``names``: the reader's locale's ``languages``, when the caller has them)."""
    if code == ALL_LANGUAGES:
        return gettext("all languages")
    return (get_locale().languages if names is None else names).get(code, code)


def language_facet(params: SearchParams, data: dict[str, Any]) -> dict[str, Any] | None:
    """The languages of the posts that match, each a link that shows them instead, and every
    language at once; None when the index holds only one."""
    found = data["facets"].get(LANGUAGE_FACET) or []
    if not found:
        return None
    base = params
    for value in data["filters"].get(LANGUAGE_FILTER, []):  # a parameter or typed in the query
        base = base.without_filter(LANGUAGE_FILTER, value)
    names = get_locale().languages
    options = [
        {"value": item["value"], "label": language_name(item["value"], names),
         "count": item["count"],
         "active": item["value"] == data["language"],
         "link": _link(base.with_filter(LANGUAGE_FILTER, item["value"]))}
        for item in found
    ]
    return facet(LANGUAGE_FACET, options)


def facet(key: str, options: list[dict]) -> dict[str, Any]:
    """One facet of the page: its title, its values and their list items, the first
    ``FACET_SHOWN`` apart from the rest (folded)."""
    return {"key": key, "title": FACET_TITLES[key], "options": options,
            "shown": facet_items(options[:FACET_SHOWN]), "more": facet_items(options[FACET_SHOWN:]),
            "more_count": max(len(options) - FACET_SHOWN, 0)}


def empty_context(params: SearchParams) -> dict[str, Any]:
    """What the empty state shows: the lesson in query syntax."""
    return {**_common(params), "state": "empty", "syntax_help": SYNTAX_HELP}


def page_context(params: SearchParams, data: dict[str, Any]) -> dict[str, Any]:
    """Everything the results (or no-results) page shows, with its links built."""
    active = data.get("filters") or params.filters
    labels = {
        (key, item["value"]): item.get("label") or item["value"]
        for key, items in data.get("facets", {}).items() for item in items
    }
    labels.update({(LANGUAGE_FILTER, value): language_name(value)
                   for value in active.get(LANGUAGE_FILTER, [])})
    chips = [
        {
            "key": key, "name": FILTER_LABELS[key],
            "label": labels.get((key.removeprefix("not_"), value), value),
            "link": _link(params.without_filter(key, value)),
        }
        for key in FILTER_LABELS for value in active.get(key, [])
    ]
    languages = language_facet(params, data)
    facets = [languages] if languages else []
    for key in FACET_FILTERS:
        items = []
        adding = _query_link(params.filter_query(key))
        for item in data.get("facets", {}).get(key, []):
            on = any(same_value(key, v, item["value"]) for v in active.get(key, []))
            link = _link(params.without_filter(key, item["value"])) if on else adding(item["value"])
            items.append(dict(item, active=on, link=link))
        if items:
            facets.append(facet(key, items))
    suggestion = data.get("suggestion")
    fuzzy = next((m for m in data.get("messages", []) if m["code"] == "fuzzy"), None)
    context = {
        **_common(params),
        "state": "results" if data["total"] else "none",
        "data": data,
        "count_text": count_text(data["total"]),
        "chips": chips,
        "facets": facets,
        "sorts": [
            {"label": label, "link": _link(params.with_sort(value)),
             "active": value == params.sort}
            for value, label in SORT_LABELS.items()
        ],
        "suggestion_link": _link(params.with_query(suggestion["query"])) if suggestion else "",
        "as_typed_link": _link(params.with_query(fuzzy["params"]["as_typed"])) if fuzzy else "",
        "pages": pagination(data["page"], data["pages"], current_app.config["MAX_PAGE"]),
        "page_link": _query_link(params.page_query()),
        "widen": widen(params, active) if not data["total"] else None,
        "other_languages": [o for o in languages["options"] if o["value"] != ALL_LANGUAGES]
                           if languages and not data["total"] else [],
        "tag_link": _query_link(params.filter_query("tag")),
        "ui_language": get_locale().language,
        "language_name": language_name,
    }
    return context


def widen(params: SearchParams, active: dict[str, list[str]]) -> dict[str, str] | None:
    """For a search with no results: the same words without any filter, if that finds posts."""
    broad = params
    for key, values in active.items():
        for value in values:
            broad = broad.without_filter(key, value)
    if broad == params or not broad.q.strip():
        return None
    total = services().engine.search(broad.q, per_page=1)["total"]
    return {"text": count_text(total), "link": _link(broad)} if total else None


def pagination(page: int, pages: int, highest: int, around: int = 2) -> list[int | None]:
    """Page numbers to show: first, last and ``around`` each side of ``page``; None is a gap.

    >>> pagination(7, 20, 1000)
    [1, None, 5, 6, 7, 8, 9, None, 20]
    """
    last = min(pages, highest)
    shown = sorted({1, last, *range(max(1, page - around), min(last, page + around) + 1)})
    out: list[int | None] = []
    for number in shown:
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out if last > 1 else []


@bp.app_template_global()
def public_url(endpoint: str, **values: Any) -> str:
    """The address of ``endpoint`` as readers reach it: ``SEARCH_URL`` and the path, or the
    path alone without that setting. Never from the request's ``Host`` header, which anyone
    can set and a caching proxy would then serve to everyone."""
    return current_app.config["SEARCH_URL"].rstrip("/") + url_for(endpoint, **values)


def live_texts() -> dict[str, Any]:
    """What search.js needs to show results as you type in the reader's language: texts with
    ``{name}`` where a value goes, and the labels of sorts and facets."""
    counted = {n: ngettext("%(count)s result", "%(count)s results", n, count="{count}") for n in (1, 2)}
    return {
        "lang": get_locale().language,
        "result_one": counted[1], "result_other": counted[2],
        "took": gettext("in %(ms)s ms", ms="{ms}"),
        "showing": gettext("Showing results for %(showing)s. Search instead for “%(typed)s”.",
                           showing="{showing}", typed="{typed}"),
        "did_you_mean": gettext("Did you mean %(suggestion)s?", suggestion="{suggestion}"),
        "none": gettext("No posts match “%(q)s”.", q="{q}"),
        "tip_suggested": gettext("Try the spelling suggested above."),
        "tip_spelling": gettext("Check the spelling, or use fewer or more general words."),
        "tip_remove_filter": gettext("Remove a filter (above) to widen the search."),
        "tip_widen": gettext("Without the filters: %(results)s.", results="{results}"),
        "tip_other_languages": gettext("In other languages: %(languages)s.", languages="{languages}"),
        "tip_prefix": gettext("Put a * after the start of a word to find every word that begins that way."),
        "sections": gettext("Sections that match"),
        "partial": gettext("Partial match, without: %(words)s", words="{words}"),
        "tags": gettext("Tags"),
        "page": gettext("page"), "also_in": gettext("Also in"),
        "in_language": gettext("in %(language)s", language="{language}"),
        "sort_by": gettext("Sort by:"), "sort_label": gettext("Sort by"),
        # [value, label] lists: the order is the page's (a JSON object's keys get sorted)
        "sorts": [[value, str(label)] for value, label in SORT_LABELS.items()],
        "facets": [[key, str(FACET_TITLES[key])] for key in (LANGUAGE_FACET, *FACET_FILTERS)],
        "language_facet": LANGUAGE_FACET, "language_key": LANGUAGE_FILTER,
        "all_languages": [ALL_LANGUAGES, gettext("all languages")], "filters": gettext("Filters"),
        "all_words": sorted(ALL_WORDS), "aliases": FIELD_ALIASES,
        "param_order": ["q", *FILTER_NAMES, "sort", "page", "per_page", "lang"],
        "filter_labels": [[key, str(label)] for key, label in FILTER_LABELS.items()],
        "active_filters": gettext("Active filters"), "remove_filter": gettext("Remove this filter"),
        "remove": gettext("(remove)"),
        "more": gettext("%(num)s more", num="{num}"),
        "filter_results": gettext("Filter results"),
        "pages": gettext("Pages"), "previous": gettext("Previous"), "next": gettext("Next"),
        "page_number": gettext("Page %(num)s", num="{num}"),
        "updated": gettext("Results updated: %(count)s.", count="{count}"),
    }


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    """The OpenSearch description, so browsers can add this search."""
    body = render_template("opensearch.xml")
    return Response(body, mimetype="application/opensearchdescription+xml")


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 with the index's stats when searching works, 503 when it does not."""
    try:
        stats = services().engine.stats()
    except IndexUnavailable as exc:
        logger.warning("healthz: %s", exc)
        error = gettext("The search index is not available.")
        return jsonify(status="unavailable", error=error), 503
    return jsonify(status="ok", posts=stats["posts"], last_indexed=stats["last_indexed"]), 200
