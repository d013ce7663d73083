"""HTML-safe snippets and highlighted titles: the post's own words, matches in ``<mark>``.

Matching is done on analysed terms (folded and stemmed), so the query ``busqueda`` highlights
``búsquedas`` while the snippet keeps the original accents and case. To stay fast on long posts,
an accent-insensitive regular expression first finds the words that could match, and only those
go through the analysis chain.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from .analysis import TOKEN_PATTERN, word_terms

SNIPPET_CHARS = 220
FIRST_PIECE = 3000  # characters read first when any window with enough terms will do
_ACCENTS = {
    "a": "aáàâäã", "e": "eéèêë", "i": "iíìîï", "o": "oóòôöõ", "u": "uúùûü", "n": "nñ", "c": "cç",
    "y": "yý",
}


@lru_cache(maxsize=1024)
def _candidates(terms: frozenset[str]) -> re.Pattern | None:
    """A regex finding every token that starts like one of ``terms``, whatever its accents."""
    stems = sorted({t[:4] for t in terms if t}, key=len, reverse=True)
    if not stems:
        return None
    alternatives = []
    for stem in stems:
        alternatives.append("".join(
            f"[{re.escape(_ACCENTS[ch])}]" if ch in _ACCENTS else re.escape(ch) for ch in stem
        ))
    return re.compile(r"(?<![\w.\-/])(?:" + "|".join(alternatives) + ")", re.IGNORECASE)


def matches(text: str, terms: set[str], start: int = 0, end: int | None = None,
            ) -> list[tuple[int, int, set[str]]]:
    """(start, end, matched terms) of every word of ``text`` matching ``terms`` (of the words
    starting from ``start`` up to ``end``, when given)."""
    pattern = _candidates(frozenset(terms))
    if pattern is None:
        return []
    found = []
    for candidate in pattern.finditer(text, start, len(text) if end is None else end):
        token = TOKEN_PATTERN.match(text, candidate.start())
        if token is None:
            continue
        matched = terms.intersection(word_terms(token.group()))
        if matched:
            found.append((token.start(), token.end(), matched))
    return found


def _render(text: str, start: int, end: int, marks: list[tuple[int, int, set[str]]]) -> str:
    out, cursor = [], start
    for s, e, _ in marks:
        if s < cursor or e > end:
            continue
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight(text: str, terms: set[str]) -> str:
    """All of ``text``, escaped, with every word matching ``terms`` in ``<mark>``."""
    return _render(text, 0, len(text), matches(text, terms))


def _word_boundary(text: str, index: int, forward: bool) -> int:
    """Move ``index`` to the nearest space (forward or backward) so no word is cut."""
    if index <= 0 or index >= len(text):
        return max(0, min(index, len(text)))
    if forward:
        found = text.find(" ", index)
        return len(text) if found == -1 else found
    found = text.rfind(" ", 0, index)
    return 0 if found == -1 else found + 1


def snippet(text: str, terms: set[str], size: int = SNIPPET_CHARS, enough: int | None = None) -> str:
    """About ``size`` characters of ``text``, escaped, with matches in ``<mark>``.

    The window holds the most distinct query terms, then the most matches; without any match
    it is the start of the text. With ``enough``, the first window holding that many distinct
    terms will do: the text is read in growing pieces until one is found, which spares
    reading long posts to their end.
    """
    if not text:
        return ""
    marks: list[tuple[int, int, set[str]]] = []
    scanned, piece = 0, len(text) if enough is None else FIRST_PIECE
    while True:
        upto = min(len(text), scanned + piece)
        marks += matches(text, terms, scanned, upto)
        scanned, piece = upto, piece * 2
        best_start, distinct = _best_window(marks, size)
        if scanned >= len(text) or distinct >= (enough or 0):
            break
    start = _word_boundary(text, best_start, forward=False)
    end = _word_boundary(text, start + size, forward=True)
    if end > scanned:
        marks += matches(text, terms, scanned, end)
    body = _render(text, start, end, marks).replace("\n", " ").strip()
    return f"{'… ' if start > 0 else ''}{body}{' …' if end < len(text) else ''}"


def _best_window(marks: list[tuple[int, int, set[str]]], size: int) -> tuple[int, int]:
    """Where the best window of ``size`` characters starts, and how many distinct terms it
    holds: the most distinct terms, then the most matches; the first of equals."""
    best_start, best_key = 0, (0, 0)
    counts: dict[str, int] = {}
    distinct = right = 0
    for left, (start, _, _) in enumerate(marks):  # window: marks from marks[left] on
        first = max(0, start - 40)
        while right < len(marks) and marks[right][1] <= first + size:
            for term in marks[right][2]:
                counts[term] = counts.get(term, 0) + 1
                distinct += counts[term] == 1
            right += 1
        if (distinct, right - left) > best_key:
            best_start, best_key = first, (distinct, right - left)
        for term in marks[left][2]:
            counts[term] -= 1
            distinct -= counts[term] == 0
    return best_start, best_key[0]
