"""Eleventy: its JavaScript config is never run; the input folder is read from it when it is
written as a string. A template's ``permalink`` (front matter, else its JSON template and
directory data files) gives its URL, with the common template expressions filled in."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import heading_ids
from .model import Page, Site, Source, absolute, language_code
from .slugs import zola_slug

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
        settings={"heading_ids": heading_ids.eleventy(text)},
    )


def _data_file(path: Path) -> dict[str, Any]:
    """A JSON data file's keys (lower-cased); {} when it is missing or not an object. Read
    once per version of the file (``watch`` runs for days while the owner edits them)."""
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _read_data_file(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _read_data_file(path: str, mtime_ns: int, size: int) -> dict[str, Any]:  # noqa: ARG001
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k).lower(): v for k, v in data.items()} if isinstance(data, dict) else {}


def path_metadata(site: Site, rel_path: str) -> dict[str, Any]:
    """The data Eleventy's cascade gives a template before its front matter: the directory data
    files (``posts/posts.11tydata.json``, ``posts/posts.json``) from the input folder down, then
    its template data file (``post.11tydata.json``); deeper files win."""
    input_folder = site.sources[0].folder if site.sources else ""
    inside = rel_path[len(input_folder):].strip("/") if input_folder else rel_path
    folders, name = inside.split("/")[:-1], inside.rsplit("/", 1)[-1]
    found: dict[str, Any] = {}
    here = Path(site.root, input_folder)
    for folder in folders:
        here = here / folder
        for data_name in (f"{folder}.json", f"{folder}.11tydata.json"):
            found.update(_data_file(here / data_name))
    stem = name.rsplit(".", 1)[0]
    for data_name in (f"{stem}.json", f"{stem}.11tydata.json"):
        found.update(_data_file(here / data_name))
    return found


_EXPRESSION = re.compile(r"{{-?\s*(.*?)\s*-?}}")
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


class _Unknown(Exception):
    """A template expression this reader does not fill in."""


def _file_slug(page: Page) -> str:
    """Eleventy's ``page.fileSlug``: the file name without a date prefix; ``index`` → its folder."""
    if page.stem == "index":
        return page.folders[-1] if page.folders else ""
    return _DATE_PREFIX.sub("", page.stem)


def _filled(expression: str, page: Page) -> str:
    """One ``{{ … }}`` of a permalink: a page or data value through the common filters."""
    name, *filters = [part.strip() for part in expression.split("|")]
    values: dict[str, Any] = {
        "page.fileSlug": _file_slug(page),
        "page.filePathStem": "/" + "/".join([*page.folders, page.stem]),
        "page.date": page.date,
    }
    value = values[name] if name in values else page.metadata.get(name.lower())
    if value is None:
        raise _Unknown(name)
    for item in filters:
        kind, _, argument = item.partition(":")
        kind, argument = kind.strip(), argument.strip().strip("'\"")
        if kind in ("slugify", "slug"):
            value = zola_slug(str(value))  # @sindresorhus/slugify: the same rule
        elif kind == "date" and hasattr(value, "strftime") and argument:
            value = value.strftime(argument)
        elif kind in ("lower", "downcase"):
            value = str(value).lower()
        elif kind != "url":
            raise _Unknown(kind)
    if hasattr(value, "strftime"):
        raise _Unknown(name)  # a bare date: JavaScript's own format
    return str(value)


def url(site: Site, page: Page) -> str:
    """The ``permalink`` (its ``{{ page.fileSlug }}``, ``{{ title | slugify }}``,
    ``{{ page.date | date: "%Y" }}`` filled in), else ``/<folders>/<file name>/``
    (``index`` → its folder)."""
    own = page.meta("permalink")
    if own:
        try:
            own = _EXPRESSION.sub(lambda m: _filled(m.group(1), page), own)
        except _Unknown:
            own = ""
    if own and "{" not in own:
        own = own.removesuffix("index.html")
        return absolute(site.base_url, own if own.startswith("/") else "/" + own)
    parts = page.folders + ([] if page.stem == "index" else [page.stem])
    return absolute(site.base_url, "/" + "/".join(parts) + "/" if parts else "/")


def is_draft(page: Page) -> bool:
    metadata = page.metadata
    return metadata.get("permalink") is False or metadata.get("eleventyexcludefromcollections") is True


# Tags that name collections rather than topics (eleventy-base-blog's filterTagList).
COLLECTION_TAGS = frozenset({"all", "nav", "post", "posts"})


def shown_tags(page: Page) -> list[str]:
    return [tag for tag in page.tags if tag.lower() not in COLLECTION_TAGS]


def kind(page: Page) -> str:
    """Templates tagged ``post``/``posts`` or under a ``posts``/``blog`` folder are posts."""
    tags = {tag.lower() for tag in page.tags}
    folders = {folder.lower() for folder in page.folders}
    return "post" if tags & {"post", "posts"} or folders & {"posts", "post", "blog"} else "page"
