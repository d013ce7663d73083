"""The slug each generator makes of a title or a file name."""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NOT_WORD = re.compile(r"[^\w\s-]")
_DASHES = re.compile(r"[-\s]+")


def ascii_slug(text: str) -> str:
    """Pelican's and Nikola's default slug: ASCII letters and digits joined by hyphens
    (``Instalación de Podman`` → ``instalacion-de-podman``)."""
    ascii_text = unidecode(unicodedata.normalize("NFKC", text))
    return _DASHES.sub("-", _NOT_WORD.sub("", ascii_text).strip().lower()).strip("-")


def zola_slug(text: str) -> str:
    """Zola's default (``slugify.paths = "on"``): ASCII, lower-case, every other character a hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")


def hugo_urlize(text: str, lower: bool = True) -> str:
    """Hugo's ``urlize``/``MakePath``: letters (accents kept), digits and ``._~/-`` stay, spaces
    become hyphens, other characters go; lower-cased unless ``disablePathToLower``."""
    kept = []
    for char in text.strip():
        if char.isalnum() or char in "._~/-#+%":
            kept.append(char)
        elif char.isspace():
            kept.append("-")
    path = "".join(kept)
    return path.lower() if lower else path


def jekyll_slug(text: str) -> str:
    """Jekyll's ``slugify`` in its default mode: runs of non-alphanumerics become one hyphen."""
    return re.sub(r"[^\w]+|_+", "-", text.lower()).strip("-")
