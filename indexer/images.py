"""A post's thumbnail: the image its metadata names, at the URL the blog publishes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from .sites.model import absolute

# Front matter keys that name a post's picture (lower-cased), most specific first. Zola keeps
# them under ``[extra]``; themes nest them (``cover: {image: ...}``, ``header: {teaser: ...}``).
IMAGE_KEYS = ("featured_image", "image", "images", "cover", "preview", "previewimage", "thumbnail",
              "teaser")
_NESTED = ("extra", "header", "params")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")
_INNER = ("image", "src", "url", "path", "teaser", "overlay_image", "file")
# Pelican's link prefixes: the path after them is inside the content folder.
_PELICAN = ("{static}", "{attach}", "{filename}", "|static|", "|attach|", "|filename|")


def _first_text(value: Any) -> str:
    """A path from a string, the first of a list, or an ``image``/``src`` key of a mapping."""
    if isinstance(value, (list, tuple)):
        value = next((v for v in value if v), "")
    if isinstance(value, dict):
        lowered = {str(k).lower(): v for k, v in value.items()}
        value = next((lowered[k] for k in _INNER if lowered.get(k)), "")
        if isinstance(value, (list, tuple, dict)):
            return _first_text(value)
    return value.strip() if isinstance(value, str) else ""


def image_path(metadata: dict[str, Any]) -> str:
    """The image the (lower-cased) metadata names ("" when none), as written."""
    nested = [{str(k).lower(): v for k, v in inner.items()}
              for inner in (metadata.get(key) for key in _NESTED) if isinstance(inner, dict)]
    for where in (metadata, *nested):
        for key in IMAGE_KEYS:
            value = where.get(key)
            found = _first_text(value) if value else ""
            if found:
                return found
    return ""


def _is_bundle(source: Path | None) -> bool:
    """Whether ``source`` is a page bundle's ``index`` file (its folder holds its resources)."""
    return source is not None and source.stem.split(".")[0] == "index"


def bundle_image(source: Path | None) -> str:
    """Hugo's own choice of a bundle's picture when the metadata names none: its first image
    resource named ``*feature*``, else ``*cover*`` or ``*thumbnail*`` (its Open Graph and
    schema templates), as a path relative to the bundle; "" when there is none."""
    if not _is_bundle(source):
        return ""
    try:
        names = sorted(p.name for p in source.parent.iterdir()
                       if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    except OSError:
        return ""
    for words in (("feature",), ("cover", "thumbnail")):
        found = next((name for name in names if any(w in name.lower() for w in words)), "")
        if found:
            return found
    return ""


def thumbnail(metadata: dict[str, Any], page_url: str, base_url: str, source: Path | None,
              beside_page: bool = False, path: str = "") -> str:
    """The URL of the post's image (``path``, else the one its metadata names): as written when
    it is a full URL, under the site's root for a ``/path``; a relative path beside the post's
    page when ``beside_page`` (Pelican's themes write ``article.url + preview``) or when the
    file sits next to the post's ``index`` file (a page bundle), else under the site's root
    (``absURL``, ``relative_url``). "" when none."""
    path = path or image_path(metadata)
    for prefix in _PELICAN:
        if path.startswith(prefix):
            path = path[len(prefix):]
    if not path or path.startswith(("data:", "javascript:", "#")) or "\n" in path:
        return ""
    url = quote(path, safe="/:%#?&=+@~!$,;'()*[]")
    if url.startswith(("http://", "https://", "//")):
        return url
    if url.startswith("/"):
        return absolute(base_url, url)
    bundled = _is_bundle(source) and (source.parent / path).is_file()
    if (beside_page or bundled) and page_url.endswith("/"):
        return urljoin(page_url, url)
    return absolute(base_url, "/" + url.removeprefix("./"))
