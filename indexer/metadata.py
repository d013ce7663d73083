"""Front matter fields that do not need the body: taxonomies, author, description, draft."""

from __future__ import annotations

import html
import re
from typing import Any

_TAG_RE = re.compile(r"<[^>]+>")


def plain(value: Any) -> str:
    """A front matter value as one line of plain text (entities decoded, tags removed)."""
    if value is None or isinstance(value, (dict, list, tuple)):
        return ""
    text = html.unescape(html.unescape(str(value)))
    return " ".join(_TAG_RE.sub(" ", text).split())


def as_list(value: Any) -> list[str]:
    """Tags or categories from a list, a flow list, a comma-separated string or a number."""
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, (list, tuple, set)):
        # Hexo writes parallel categories as a list of one-item lists (`- [economía]`).
        flat = [inner for v in value for inner in (v if isinstance(v, (list, tuple)) else [v])]
        items = [plain(v) for v in flat if not isinstance(v, (dict, list, tuple))]
    elif isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        items = [plain(part.strip().strip("'\"")) for part in text.split(",")]
    else:
        items = [plain(value)]
    return [item for item in items if item]


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def taxonomy(metadata: dict[str, Any], names: tuple[str, ...], suffix: str) -> list[str]:
    """Values of the keys in ``names`` and of every key ending in ``suffix``, deduplicated."""
    values: list[str] = []
    nested = metadata.get("taxonomies")  # Zola: `[taxonomies] tags = [...]`
    items = list(metadata.items()) + (list(nested.items()) if isinstance(nested, dict) else [])
    for key, value in items:
        name = str(key).lower()
        if name in names or name.endswith(suffix):
            values.extend(as_list(value))
    return _unique(values)


def tags(metadata: dict[str, Any]) -> list[str]:
    """``tags``, ``etiquetas`` and any ``*tags`` key (``fbtags``, ``btags``)."""
    return taxonomy(metadata, ("tags", "etiquetas", "keywords"), "tags")


def categories(metadata: dict[str, Any]) -> list[str]:
    """``categories``, ``categorias``/``categorías`` and any ``*categories`` key."""
    return taxonomy(metadata, ("categories", "categorias", "categorías", "category"), "categories")


def first_text(metadata: dict[str, Any], keys: tuple[str, ...]) -> str:
    """The first non-empty text among ``keys`` (case-insensitive); lists give their first item."""
    lowered = {str(k).lower(): v for k, v in metadata.items()}
    for key in keys:
        value = lowered.get(key)
        if isinstance(value, (list, tuple)) and value:
            value = value[0]
        if isinstance(value, dict):
            value = value.get("name") or value.get("nombre")
        text = plain(value)
        if text:
            return text
    return ""


def author(metadata: dict[str, Any]) -> str:
    return first_text(metadata, ("author", "autor", "authors", "autores", "creator"))


def description(metadata: dict[str, Any]) -> str:
    return first_text(metadata, ("description", "descripcion", "descripción", "summary",
                                 "resumen", "excerpt", "subtitle"))


def title(metadata: dict[str, Any]) -> str:
    return first_text(metadata, ("title", "titulo", "título"))


def is_draft(metadata: dict[str, Any]) -> bool:
    """True for ``draft: true`` (also ``"true"``/``yes``), ``published: false`` or a
    ``status`` of ``draft`` (Pelican, Nikola 8, WordPress)."""
    lowered = {str(k).lower(): v for k, v in metadata.items()}
    draft = lowered.get("draft", lowered.get("borrador"))
    if isinstance(draft, str):
        draft = draft.strip().lower() in ("true", "yes", "si", "sí", "1")
    published = lowered.get("published")
    if isinstance(published, str):
        published = published.strip().lower() not in ("false", "no", "0")
    status = lowered.get("status")
    return bool(draft) or published is False or (
        isinstance(status, str) and status.strip().lower() == "draft")


def language(metadata: dict[str, Any]) -> str:
    """The ``lang``/``language``/``idioma`` value as written ("" if none)."""
    return first_text(metadata, ("lang", "language", "idioma", "locale"))
