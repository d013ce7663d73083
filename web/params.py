"""Search parameters from a request: validated once, and turned back into links.

The page and the JSON API read the same parameters::

    q, tag, category, author, year, date_from, date_to, language, sort, page, per_page, lang

plus ``not_tag``, ``not_category``, ``not_author`` (exclusions). Facet filters may repeat:
tags, categories and authors must all match, years are alternatives. Values are compared as
the engine compares them (``facet_key``: case and accents ignored). ``language`` is the
language of the posts (``en``, ``all``; the site's main one by default), ``lang`` the page's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any
from urllib.parse import quote_plus, urlencode

from flask_babel import gettext
from werkzeug.datastructures import MultiDict

from blogsearch.search.facets import facet_key
from blogsearch.search.query import ALL_LANGUAGES, FIELD_ALIASES, language_filter
from blogsearch.search.request import (
    DATE_FILTERS,
    FILTER_NAMES,
    LANGUAGE_FILTER,
    SINGLE_FILTERS,
    SORTS,
)

_YEAR = re.compile(r"\d{4}")
_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

_FIELD_TOKEN = re.compile(r'(?<!\S)(-?)([^\s:"]+):("[^"]*"|\S+)')


class ParamError(ValueError):
    """A request parameter is out of bounds; ``param`` names it, the message says why."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param
        self.message = message


def same_value(key: str, a: str, b: str) -> bool:
    """Whether two values of filter ``key`` select the same posts."""
    if key in DATE_FILTERS:
        return a == b
    if key == LANGUAGE_FILTER:
        return (language_filter(a) or a) == (language_filter(b) or b)
    return facet_key(a) == facet_key(b)


def arg(args: Mapping[str, str], name: str) -> str:
    """The parameter ``name``, "" when absent. (Werkzeug's ``MultiDict.get`` builds an
    exception for each absent key; a search request asks for several.)"""
    return args[name] if name in args else ""


def _int(args: Mapping[str, str], name: str, default: int, highest: int) -> int:
    raw = arg(args, name)
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParamError(name, gettext("must be a whole number")) from None
    if not 1 <= value <= highest:
        raise ParamError(name, gettext("must be between 1 and %(max)s", max=highest))
    return value


@dataclass(frozen=True)
class SearchParams:
    """What one search asks for. ``filters`` holds only the filters given as parameters."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int | None = None
    lang: str = ""

    @classmethod
    def from_args(cls, args: MultiDict, config: Mapping[str, Any]) -> SearchParams:
        """Read and check the parameters; raise ParamError on the first bad one."""
        q = arg(args, "q")
        if len(q) > config["MAX_QUERY_CHARS"]:
            raise ParamError("q", gettext("is longer than %(max)s characters",
                                          max=config["MAX_QUERY_CHARS"]))
        sort = arg(args, "sort") or "relevance"
        if sort not in SORTS:
            raise ParamError("sort", gettext("must be one of: %(values)s",
                                             values=", ".join(SORTS)))
        page = _int(args, "page", 1, config["MAX_PAGE"])
        per_page = _int(args, "per_page", config["PER_PAGE"], config["MAX_PER_PAGE"])
        filters = {}
        for key in FILTER_NAMES:
            values = [v.strip() for v in args.getlist(key) if v.strip()]
            if values:
                filters[key] = _check_filter(key, values, config)
        lang = arg(args, "lang")
        return cls(
            q=q, filters=filters, sort=sort, page=page,
            per_page=per_page if "per_page" in args else None,
            lang=lang if lang in config["LANGUAGES"] else "",
        )

    @property
    def is_blank(self) -> bool:
        """Nothing asked yet: the page shows its empty state."""
        return not self.q.strip() and not self.filters

    @property
    def is_new_search(self) -> bool:
        """A search as typed: first page, no refinements yet (what the search log records)."""
        return bool(self.q.strip()) and self.page == 1 and not self.filters \
            and self.sort == "relevance"

    def pairs(self) -> list[tuple[str, str]]:
        """The parameters as (name, value) pairs in a stable order, defaults left out."""
        pairs: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for key in FILTER_NAMES:
            pairs += [(key, value) for value in self.filters.get(key, [])]
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        if self.per_page is not None:
            pairs.append(("per_page", str(self.per_page)))
        if self.lang:
            pairs.append(("lang", self.lang))
        return pairs

    def query_string(self) -> str:
        """``pairs()`` URL-encoded (empty string when there are none)."""
        return urlencode(self.pairs())

    def with_page(self, page: int) -> SearchParams:
        """The same search, another page."""
        return replace(self, page=page)

    def page_query(self) -> Callable[[int], str]:
        """``n → with_page(n).query_string()``, for the page links: the parameters around the
        page number are encoded once per page, not once per link."""
        head = urlencode(replace(self, page=1, per_page=None, lang="").pairs())
        tail = urlencode(replace(self, q="", filters={}, sort="relevance", page=1).pairs())

        def query(page: int) -> str:
            return "&".join(part for part in (head, f"page={page}" if page != 1 else "", tail)
                            if part)

        return query

    def with_sort(self, sort: str) -> SearchParams:
        """The same search in another order (back to page 1)."""
        return replace(self, sort=sort, page=1)

    def with_query(self, q: str) -> SearchParams:
        """Another query text with the same filters (back to page 1)."""
        return replace(self, q=q, page=1)

    def with_lang(self, lang: str) -> SearchParams:
        """The same search in another language."""
        return replace(self, lang=lang)

    def with_filter(self, key: str, value: str) -> SearchParams:
        """Also require ``key=value`` (back to page 1)."""
        values = self.filters.get(key, [])
        if any(same_value(key, v, value) for v in values):
            return replace(self, page=1)
        if key in SINGLE_FILTERS:
            values = []
        return replace(self, filters={**self.filters, key: [*values, value]}, page=1)

    def filter_query(self, key: str) -> Callable[[str], str]:
        """``value → with_filter(key, value).query_string()``, for the many facet links of one
        page: the parameters around ``key``'s values are encoded once, not once per link."""
        values = [] if key in SINGLE_FILTERS else self.filters.get(key, [])  # as with_filter does
        at = FILTER_NAMES.index(key)
        earlier = {k: v for k, v in self.filters.items() if FILTER_NAMES.index(k) < at}
        later = {k: v for k, v in self.filters.items() if FILTER_NAMES.index(k) > at}
        head = urlencode(replace(self, filters={**earlier, key: values}, sort="relevance", page=1,
                                 per_page=None, lang="").pairs())
        tail = urlencode(replace(self, q="", filters=later, page=1).pairs())
        before = f"{head}&{quote_plus(key)}=" if head else f"{quote_plus(key)}="
        after = f"&{tail}" if tail else ""

        def query(value: str) -> str:
            if any(same_value(key, v, value) for v in self.filters.get(key, [])):
                return replace(self, page=1).query_string()  # already there: the same search
            return f"{before}{_quoted(value)}{after}"  # what urlencode writes

        return query

    def without_filter(self, key: str, value: str) -> SearchParams:
        """Drop ``key=value``, whether it was a parameter or written in the query text."""
        values = self.filters.get(key, [])
        kept = [v for v in values if not same_value(key, v, value)]
        if len(kept) < len(values):
            rest = {k: v for k, v in self.filters.items() if k != key}
            if kept:
                rest[key] = kept
            return replace(self, filters=rest, page=1)
        return replace(self, q=strip_field(self.q, key, value), page=1)


@lru_cache(maxsize=4096)
def _quoted(value: str) -> str:
    """``value`` as ``urlencode`` writes it (facet values come back on every page)."""
    return quote_plus(value)


def _check_filter(key: str, values: list[str], config: Mapping[str, Any]) -> list[str]:
    if len(values) > config["MAX_FILTER_VALUES"]:
        raise ParamError(key, gettext("at most %(max)s values", max=config["MAX_FILTER_VALUES"]))
    for value in values:
        if len(value) > config["MAX_FILTER_CHARS"]:
            raise ParamError(key, gettext("values are at most %(max)s characters long",
                                          max=config["MAX_FILTER_CHARS"]))
    if key == "year" and not all(_YEAR.fullmatch(v) for v in values):
        raise ParamError(key, gettext("must be a four-digit year, such as 2011"))
    if key in SINGLE_FILTERS and len(values) > 1:
        raise ParamError(key, gettext("give it only once"))
    if key in DATE_FILTERS and not _DATE.fullmatch(values[0]):
        raise ParamError(key, gettext("must be a date such as 2011, 2011-03 or 2011-03-05"))
    if key == LANGUAGE_FILTER and not language_filter(values[0]):
        raise ParamError(key, gettext("must be a language code such as es or en, or %(all)s",
                                      all=ALL_LANGUAGES))
    return values


def _filter_key(negated: str, name: str) -> tuple[str, ...]:
    """The filter keys a typed ``field:`` sets (via the engine's own alias table)."""
    target = FIELD_ALIASES.get(name.lower())
    if target is None:
        return ()
    if negated:
        return (f"not_{target}",)
    return DATE_FILTERS if target == "date" else (target,)


def quote_words(q: str, words: list[str]) -> str:
    """``q`` with each of ``words`` in quotes, so the engine searches them as typed (never
    corrected).

    >>> quote_words('castelvania symphony', ['castelvania'])
    '"castelvania" symphony'
    """
    for word in words:
        q = re.sub(rf'(?<![\w"]){re.escape(word)}(?![\w"])', f'"{word}"', q)
    return q


def strip_field(q: str, key: str, value: str) -> str:
    """``q`` without the ``field:value`` words that set filter ``key`` to ``value``.

    >>> strip_field('docker tag:Linux año:2011 -tag:win', 'year', '2011')
    'docker tag:Linux -tag:win'
    """

    def matches(match: re.Match[str]) -> bool:
        negated, name, raw = match.group(1), match.group(2), match.group(3).strip('"').strip()
        if key not in _filter_key(negated, name):
            return False
        if key in DATE_FILTERS:
            return value in raw.split("..")
        return same_value(key, raw, value)

    kept = _FIELD_TOKEN.sub(lambda m: "" if matches(m) else m.group(0), q)
    return " ".join(kept.split())
