"""The public URL of a post: front matter ``url``/``permalink``, else ``slug``, else its path."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
BUNDLE_INDEX = {"index", "_index"}


def _clean_segment(value: str) -> str:
    return value.strip().strip("/")


def path_slug(rel_path: str) -> tuple[list[str], str]:
    """(folders, slug) of a relative path: bundle folder or file name without date prefix."""
    parts = PurePosixPath(rel_path)
    folders = [p for p in parts.parent.parts if p not in ("", ".")]
    stem = parts.stem
    if stem in BUNDLE_INDEX and folders:
        stem = folders.pop()
    return folders, _DATE_PREFIX.sub("", stem)


def post_url(rel_path: str, metadata: dict[str, Any], base_url: str = "") -> str:
    """The URL of the post at ``rel_path``, prefixed with ``base_url`` when it is site-relative."""
    lowered = {str(k).lower(): v for k, v in metadata.items()}
    explicit = lowered.get("url") or lowered.get("permalink")
    if isinstance(explicit, str) and explicit.strip():
        url = explicit.strip()
        if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
            return url
        if not url.startswith("/"):
            url = "/" + url
    else:
        folders, slug = path_slug(rel_path)
        folders = [f for f in folders if not f.startswith("_")]
        custom = lowered.get("slug")
        if isinstance(custom, (str, int)) and str(custom).strip():
            slug = _clean_segment(str(custom))
        url = "/" + "/".join(folders + [slug]) + "/"
        url = url.replace("//", "/")
    return base_url.rstrip("/") + url if base_url else url
