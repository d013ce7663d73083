"""Deep links: the sections of a post (the text from a heading to the next) that match a query."""

from __future__ import annotations

from bisect import bisect_right
from urllib.parse import quote

from .snippets import highlight, matches

MAX_SECTIONS = 3
_FRAGMENT_SAFE = "-_.~!$&'()*+,;=:@/?%"


def section_link(url: str, anchor: str) -> str:
    """``url#anchor`` with the anchor percent-encoded where a fragment needs it."""
    return f"{url.split('#', 1)[0]}#{quote(anchor, safe=_FRAGMENT_SAFE)}"


def matching_sections(body: str, headings: list, url: str, terms: set[str],
                      limit: int = MAX_SECTIONS) -> list[dict]:
    """Up to ``limit`` sections of ``body`` holding query ``terms``, in the post's order: those
    with the most distinct terms, then the most matches. Each is its heading's ``title``,
    ``title_html`` (escaped, matches in ``<mark>``) and ``url`` (``url#id``).

    ``headings`` are the stored ``[text, id, offset]`` of the post's headings.
    """
    if not (body and headings and url and terms):
        return []
    starts = [int(offset) for _, _, offset in headings]
    hits: dict[int, tuple[set[str], int]] = {}
    for start, _, found in matches(body, terms, starts[0]):
        index = bisect_right(starts, start) - 1
        seen, count = hits.get(index, (set(), 0))
        hits[index] = (seen | found, count + 1)
    best = sorted(hits, key=lambda i: (-len(hits[i][0]), -hits[i][1], i))[:limit]
    return [{"title": headings[i][0], "title_html": highlight(headings[i][0], terms),
             "url": section_link(url, headings[i][1])} for i in sorted(best)]
