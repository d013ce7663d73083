"""What a search may ask for besides its text: an order and a page, and their bounds.

The web app and the command offer exactly these; the engine checks them (a clear ValueError
naming the parameter).
"""

from __future__ import annotations

SORTS = ("relevance", "date", "date_asc")
MAX_PAGE = 1000
MAX_PER_PAGE = 100
MAX_LIMIT = 20  # suggestions, and related posts, in one answer


def check_paging(sort: str, page: int, per_page: int) -> None:
    """Raise ValueError naming ``sort``, ``page`` or ``per_page`` when out of bounds."""
    if sort not in SORTS:
        raise ValueError(f"sort: must be one of {', '.join(SORTS)}")
    if not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        raise ValueError(f"page: must be a whole number from 1 to {MAX_PAGE}")
    if not isinstance(per_page, int) or not 1 <= per_page <= MAX_PER_PAGE:
        raise ValueError(f"per_page: must be a whole number from 1 to {MAX_PER_PAGE}")
