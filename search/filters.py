"""Filters (their names and bounds: ``request.py``) checked and merged with those written in the query,
and the posts they allow."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from whoosh import query as wq

from .analysis import facet_key
from .postings import union
from .query import ALL_LANGUAGES, ParsedQuery, language_filter, parse_date_filter
from .request import (
    DATE_FILTERS,
    FILTER_NAMES,
    KEYWORD_FILTERS,
    MAX_FILTER_CHARS,
    SINGLE_FILTERS,
)

if TYPE_CHECKING:
    from .plan import QueryPlan



def any_of(subqueries: list) -> wq.Or:
    """An Or query that unions its matchers lazily (Whoosh preloads arrays on small indexes,
    which costs far more than it saves for small disjunctions)."""
    query = wq.Or(subqueries)
    query.matcher_type = wq.Or.DEFAULT_MATCHER
    return query


def merge_filters(parsed: ParsedQuery, filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Filters from the caller plus those written in the query, validated, as facet keys (a
    language as ``language_filter`` gives it)."""
    merged: dict[str, list[str]] = {}
    for source in (filters or {}), parsed.filters:
        if not isinstance(source, dict):
            raise ValueError("filters: must map a filter name to a list of values")
        for name, values in source.items():
            if name not in FILTER_NAMES:
                raise ValueError(f"filters: unknown filter {name!r} (use {', '.join(FILTER_NAMES)})")
            if isinstance(values, str):
                values = [values]
            if not isinstance(values, (list, tuple)):
                raise ValueError(f"filters: {name} must be a list of strings")
            for value in values:
                value = str(value).strip()[:MAX_FILTER_CHARS]
                if not value:
                    continue
                if name == "year" and not (value.isascii() and value.isdigit() and len(value) == 4):
                    raise ValueError("filters: year must be a year like 2011")
                if name in DATE_FILTERS and (parse_date_filter(value) is None or ".." in value):
                    raise ValueError(f"filters: {name} must be a date like 2011, 2011-03 or 2011-03-05")
                if name == "language":
                    value = language_filter(value)
                    if not value:
                        raise ValueError("filters: language must be a language code such as es "
                                         f"or en, or {ALL_LANGUAGES}")
                if name in SINGLE_FILTERS:
                    merged[name] = [value]
                    continue
                key = facet_key(value)
                bucket = merged.setdefault(name, [])
                if key and key not in bucket:
                    bucket.append(key)
    return {k: v for k, v in merged.items() if v}


def filter_queries(active: dict[str, list[str]]) -> tuple[wq.Query | None, wq.Query | None]:
    """(filter, mask) Whoosh queries for the active filters (None when there are none)."""
    required, excluded = [], []
    for name in KEYWORD_FILTERS:
        for key in active.get(name, []):
            required.append(wq.Term(name, key))
        for key in active.get(f"not_{name}", []):
            excluded.append(wq.Term(name, key))
    years = active.get("year", [])
    if years:
        required.append(any_of([wq.Term("year", y) for y in years]))
    start = active.get("date_from", [None])[0]
    end = active.get("date_to", [None])[0]
    if start or end:
        required.append(wq.DateRange(
            "date", _date_bounds(start, False) if start else None,
            _date_bounds(end, True) if end else None,
        ))
    filter_query = wq.And(required) if required else None
    mask_query = any_of(excluded) if excluded else None
    return filter_query, mask_query


def allowed_posts(plan: QueryPlan, active: dict[str, list[str]]) -> np.ndarray:
    """The posts the filters allow and the query's excluded words do not rule out."""
    postings, searcher = plan.postings, plan.searcher
    allowed = postings.live
    filter_query, mask_query = filter_queries(active)
    if filter_query is not None:
        allowed = allowed & postings.mask(searcher, filter_query)
    if mask_query is not None:
        allowed = allowed & ~postings.mask(searcher, mask_query)
    excluded = [leaf for clause in plan.parsed.excluded
                for leaf in plan.clause_leaves(clause, scored=False, fuzzy=False)]
    if excluded:
        allowed = allowed & ~union(postings, searcher, excluded)
    return allowed


def _date_bounds(value: str, end: bool) -> datetime:
    """First (or last) instant of the year, month or day written in ``value``."""
    parts = [int(p) for p in value.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    month, day = max(1, min(month, 12)), max(1, min(day, 31))
    while True:
        try:
            first = datetime(max(1, min(year, 9998)), month, day)
            break
        except ValueError:
            day -= 1
    if not end:
        return first
    if len(parts) == 1:
        return datetime(first.year + 1, 1, 1) - timedelta(microseconds=1)
    if len(parts) == 2:
        nxt = datetime(first.year + (month == 12), month % 12 + 1, 1)
        return nxt - timedelta(microseconds=1)
    return first + timedelta(days=1) - timedelta(microseconds=1)
