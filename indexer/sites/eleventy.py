"""Eleventy: its JavaScript config is never run; the input folder is read from it when it is
written as a string, and each template's ``permalink`` front matter gives its URL."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .model import Page, Site, Source, absolute, language_code

CONFIGS = (".eleventy.js", "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs")
_INPUT = re.compile(r"""\binput\s*:\s*["'`]([^"'`]+)["'`]""")
_DATA_FILES = ("site.json", "metadata.json", "config.json")


def detect(root: Path) -> bool:
    return any((root / name).is_file() for name in CONFIGS)


def _site_data(folder: Path) -> dict:
    """The first global data file (``_data/site.json``, ``metadata.json``) that holds a ``url``."""
    for name in _DATA_FILES:
        try:
            data = json.loads((folder / "_data" / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and (data.get("url") or data.get("language")):
            return data
    return {}


def read(root: Path) -> Site:
    config_name = next(name for name in CONFIGS if (root / name).is_file())
    text = (root / config_name).read_text(encoding="utf-8", errors="replace")
    match = _INPUT.search(text)
    folder = match.group(1).strip("./") if match else ""
    data = _site_data(root / folder) or _site_data(root)
    language = language_code(data.get("language") or data.get("lang")) or "es"
    return Site(
        generator="eleventy", root=str(root), config_files=[config_name],
        sources=[Source(folder, "post")], language=language, languages=[language],
        base_url=str(data.get("url") or "").rstrip("/"), url_rule="/{path}/",
        suffixes=(".md", ".markdown", ".html", ".htm"),
        skip_dirs=tuple(f"{folder}/{name}".strip("/") for name in ("_site", "_includes", "_data")),
    )


def url(site: Site, page: Page) -> str:
    """A plain ``permalink`` front matter, else ``/<folders>/<file name>/`` (``index`` → folder)."""
    own = page.meta("permalink")
    if own and "{" not in own:
        own = own.removesuffix("index.html")
        return absolute(site.base_url, own if own.startswith("/") else "/" + own)
    parts = page.folders + ([] if page.stem == "index" else [page.stem])
    return absolute(site.base_url, "/" + "/".join(parts) + "/" if parts else "/")


def is_draft(page: Page) -> bool:
    metadata = page.metadata
    return metadata.get("permalink") is False or metadata.get("eleventyexcludefromcollections") is True


def kind(page: Page) -> str:
    """Templates tagged ``post``/``posts`` or under a ``posts``/``blog`` folder are posts."""
    tags = {tag.lower() for tag in page.tags}
    folders = {folder.lower() for folder in page.folders}
    return "post" if tags & {"post", "posts"} or folders & {"posts", "post", "blog"} else "page"
