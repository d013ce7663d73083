"""Text safe to store and to print: file names that are not UTF-8, terminal control sequences.

A file name whose bytes are not valid UTF-8 reaches Python with each bad byte as a lone
surrogate (``surrogateescape``): lossless, so the indexer keeps it that way as the file's key,
but it cannot be written as UTF-8. ``storable`` gives the text stored and shown for it;
``printable`` makes any text harmless on a terminal or in a log line.
"""

from __future__ import annotations

import os
import re
import unicodedata

# C0 and C1 controls, DEL, the bidirectional overrides and isolates (U+202E turns text
# around), zero-width and line/paragraph separators, and lone surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069"
                     "\ufeff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def storable(path: str) -> str:
    """``path`` as valid Unicode: each byte of a name that is not UTF-8 written as ``\\xNN``
    (unchanged for every valid name)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    return path


def printable(text: str) -> str:
    """``text`` with every control character, escape sequence, bidi override and invalid byte
    written as a visible escape (``\\x1b``, ``\\n``, ``\\u202e``), so a terminal shows it and
    does not act on it."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_printable(text: str) -> str:
    """JSON text with the characters ``printable`` escapes written as ``\\uXXXX`` (still valid
    JSON, the same data once parsed); its own layout (newlines, indents) stays."""
    return _UNSAFE.sub(_json_escape, text)


def _json_escape(match: re.Match) -> str:
    char = match.group()
    return char if char in "\n\t" else f"\\u{ord(char):04x}"


def columns(text: str) -> int:
    """How many terminal columns ``text`` (already ``printable``) takes: wide characters
    (CJK, most emoji) two, combining marks none."""
    return sum(0 if unicodedata.combining(char) else
               2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, with "…" where it was cut."""
    if columns(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        size = columns(char)
        if used + size > width - 1:
            break
        kept.append(char)
        used += size
    return "".join(kept) + "…"
