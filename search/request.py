"""What a search may ask for besides its text: filters, an order and a page, their bounds and
defaults.

The web app and the command offer exactly these; the engine checks them (a clear ValueError
naming the parameter).
"""

from __future__ import annotations

SORTS = ("relevance", "date", "date_asc")
KEYWORD_FILTERS = ("tag", "category", "author")
FACET_FILTERS = KEYWORD_FILTERS + ("year",)  # any of their values
DATE_FILTERS = ("date_from", "date_to")
EXCLUDE_FILTERS = tuple(f"not_{name}" for name in KEYWORD_FILTERS)  # none of their values
LANGUAGE_FILTER = "language"
FILTER_NAMES = FACET_FILTERS + DATE_FILTERS + EXCLUDE_FILTERS + (LANGUAGE_FILTER,)
SINGLE_FILTERS = DATE_FILTERS + (LANGUAGE_FILTER,)  # one value: the last one given wins
MAX_FILTER_CHARS = 100  # of a value; the engine reads no further
MAX_PAGE = 1000
MAX_PER_PAGE = 100
MAX_LIMIT = 20  # suggestions, and related posts, in one answer
# Defaults of the engine, the web app (its settings may change them) and the command.
PER_PAGE = 10
SUGGEST_LIMIT = 8
RELATED_LIMIT = 5


def check_paging(sort: str, page: int, per_page: int) -> None:
    """Raise ValueError naming ``sort``, ``page`` or ``per_page`` when out of bounds."""
    if sort not in SORTS:
        raise ValueError(f"sort: must be one of {', '.join(SORTS)}")
    if not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        raise ValueError(f"page: must be a whole number from 1 to {MAX_PAGE}")
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page: must be a whole number from 1 to {MAX_PER_PAGE}")
