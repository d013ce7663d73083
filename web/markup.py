"""Highlighted text from the engine, made safe to insert as HTML whatever it contains."""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

_MARK = re.compile(r"(</?mark>)")
_TEXT = r"""(?:[^<>&"']++|&(?:amp|lt|gt|quot|#34|#x27|#39);)*+"""
_ALREADY_CLEAN = re.compile(rf"{_TEXT}(?:<mark>{_TEXT}</mark>{_TEXT})*")


def clean_marked(text: str | None) -> Markup:
    """Escaped text whose only tags are ``<mark>`` and ``</mark>``.

    The engine already escapes titles and snippets; this re-checks it (defence in depth).
    Text that is escaped with balanced, unnested marks comes back as it is; anything else is
    cut at the marks and each piece unescaped and escaped again, which turns any stray
    ``<script>`` or ``onerror=`` into harmless text.
    """
    if not text:
        return Markup("")
    if _ALREADY_CLEAN.fullmatch(text):  # the engine's usual output: nothing to change
        return Markup(text)
    pieces = _MARK.split(text)
    out: list[str] = []
    depth = 0
    for piece in pieces:
        if piece == "<mark>":
            if depth == 0:
                out.append(piece)
            depth += 1
        elif piece == "</mark>":
            if depth == 1:
                out.append(piece)
            depth = max(depth - 1, 0)
        else:
            out.append(str(escape(html.unescape(piece))))
    if depth:
        out.append("</mark>")
    return Markup("".join(out))


def safe_url(url: str | None) -> str:
    """``url`` if it is http(s), protocol-relative or a path; "" otherwise (``javascript:``...)."""
    if not url:
        return ""
    value = url.strip()
    scheme, sep, _ = value.partition(":")
    if not sep or "/" in scheme or "?" in scheme or "#" in scheme:
        return value  # no scheme: a relative URL
    return value if scheme.lower() in ("http", "https") else ""
