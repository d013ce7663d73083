"""HTML-safe snippets and highlighted titles: the post's own words, matches in ``<mark>``.

Matching is done on analysed terms (folded and stemmed), so the query ``busqueda`` highlights
``búsquedas`` while the snippet keeps the original accents and case. To stay fast on long posts,
a byte search over a folded copy of the text (lowercase, no accents) first finds the words that
could match, and only those go through the analysis chain.
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


def _fold_table() -> bytes:
    """``bytes.translate`` table: Latin-1 letters to lowercase without accents (Á → a, ñ → n)."""
    table = bytearray(range(256))
    for code in range(256):
        low = chr(code).lower()
        for base, accented in _ACCENTS.items():
            if low in accented:
                low = base
        if len(low) == 1 and ord(low) < 256:
            table[code] = ord(low)
    return bytes(table)


_FOLD = _fold_table()


def _folded(text: str) -> bytes:
    """``text`` lowercased without accents, one byte per character (any character outside
    Latin-1 becomes ``?``), so offsets are the text's: searched with ``bytes.find``, far faster
    than an accent-insensitive regular expression."""
    return text.encode("latin-1", "replace").translate(_FOLD)


@lru_cache(maxsize=1024)
def _stems(terms: frozenset[str]) -> tuple[bytes, ...]:
    """The first four letters of each of ``terms``, folded as ``_folded`` folds text."""
    return tuple({_folded(t[:4]) for t in terms if t})


def _word_starts(text: str, stems: tuple[bytes, ...], start: int, end: int) -> list[int]:
    """Where in ``text[start:end]`` a word starts with one of ``stems``, in order."""
    folded = _folded(text[start:end])
    found = set()
    for stem in stems:
        at = folded.find(stem)
        while at != -1:
            found.add(at)
            at = folded.find(stem, at + 1)
    starts = []
    for at in sorted(found):
        position = start + at
        before = text[position - 1] if position else " "
        if not (before.isalnum() or before in "_.-/"):
            starts.append(position)
    return starts


def matches(text: str, terms: set[str], start: int = 0, end: int | None = None,
            ) -> list[tuple[int, int, set[str]]]:
    """(start, end, matched terms) of every word of ``text`` matching ``terms`` (of the words
    starting from ``start`` up to ``end``, when given)."""
    stems = _stems(frozenset(terms))
    if not stems:
        return []
    found = []
    for position in _word_starts(text, stems, start, len(text) if end is None else end):
        token = TOKEN_PATTERN.match(text, position)
        if token is None:
            continue
        matched = terms.intersection(word_terms(token.group()))
        if matched:
            found.append((token.start(), token.end(), matched))
    return found


# A block (paragraph, heading, list item, table cell) ends in a line break in the stored
# text. In a snippet the break becomes a space after a sentence's closing punctuation, else
# this separator, so the words of two blocks never read as one sentence.
BLOCK_SEPARATOR = " · "
_SENTENCE_END = ".!?…:;"
_CLOSING = "\"'»”’)]*_"
LEAD_CHARS = 40  # context shown before the first match when no sentence starts close by
SENTENCE_REACH = 120  # how far before the first match a snippet may start at a sentence


def _prose(text: str, start: int, end: int) -> str:
    """``text[start:end]`` escaped, each block boundary (a line break) made a separator."""
    out, cursor = [], start
    at = text.find("\n", start, end)
    while at != -1:
        out.append(escape(text[cursor:at]))
        before = text[:at].rstrip(_CLOSING)[-1:]
        out.append(" " if before in _SENTENCE_END else BLOCK_SEPARATOR)
        cursor = at + 1
        at = text.find("\n", cursor, end)
    out.append(escape(text[cursor:end]))
    return "".join(out)


def _render(text: str, start: int, end: int, marks: list[tuple[int, int, set[str]]]) -> str:
    out, cursor = [], start
    for s, e, _ in marks:
        if s < cursor or e > end:
            continue
        out.append(_prose(text, cursor, s))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(_prose(text, cursor, end))
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
    first = next((s for s, _, _ in marks if s >= best_start), None)
    start = _sentence_start(text, first) if first is not None else 0
    if start is None:
        start = _word_boundary(text, best_start, forward=False)
    end = _word_boundary(text, start + size, forward=True)
    if end > scanned:
        marks += matches(text, terms, scanned, end)
    body = _render(text, start, end, marks).strip()
    return f"{'… ' if start > 0 else ''}{body}{' …' if end < len(text) else ''}"


_SENTENCE_START = re.compile(r"(?:^|\n|[.!?…][\"'»”’)\]]*\s+)(?=[¿¡\"'«“(\[]*[^\W\d_])")


def _sentence_start(text: str, first: int) -> int | None:
    """Where the sentence or block holding the match at ``first`` starts, when that is at most
    ``SENTENCE_REACH`` characters before it (None when it is further)."""
    reach = max(0, first - SENTENCE_REACH)
    found = None
    for match in _SENTENCE_START.finditer(text, reach, first + 1):
        if match.end() <= first:
            found = match.end()
    if found is None and reach == 0:
        return 0
    return found


def _best_window(marks: list[tuple[int, int, set[str]]], size: int) -> tuple[int, int]:
    """Where the best window of ``size`` characters starts, and how many distinct terms it
    holds: the most distinct terms, then the most matches; the first of equals."""
    best_start, best_key = 0, (0, 0)
    counts: dict[str, int] = {}
    distinct = right = 0
    for left, (start, _, _) in enumerate(marks):  # window: marks from marks[left] on
        first = max(0, start - LEAD_CHARS)
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
