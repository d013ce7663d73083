"""Hugo: ``hugo.*``/``config.*``/``config/_default/``; ``contentDir``, languages, ``permalinks``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import heading_ids
from .config import ConfigError, load_data
from .model import Page, Site, Source, absolute, date_tokens, fill_tokens, language_code
from .slugs import hugo_urlize

ROOT_CONFIGS = tuple(f"{name}.{ext}" for name in ("hugo", "config")
                     for ext in ("toml", "yaml", "yml", "json"))
_MONTHS = ("January February March April May June July August September October November "
           "December").split()


def detect(root: Path) -> bool:
    return any((root / name).is_file() for name in ROOT_CONFIGS) or (root / "config" / "_default").is_dir()


def _config(root: Path) -> tuple[dict[str, Any], list[str]]:
    """The root config merged with ``config/_default/*`` (each file named after its key)."""
    merged: dict[str, Any] = {}
    read: list[str] = []
    for name in ROOT_CONFIGS:
        if (root / name).is_file():
            merged.update(load_data(root / name))
            read.append(name)
            break
    folder = root / "config" / "_default"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".toml", ".yaml", ".yml", ".json"):
                continue
            try:
                data = load_data(path)
            except ConfigError:
                continue
            read.append(path.relative_to(root).as_posix())
            if path.stem in ("hugo", "config"):
                merged.update(data)
            else:
                merged[path.stem] = data
    return {str(k).lower(): v for k, v in merged.items()}, read


def read(root: Path) -> Site:
    config, read_files = _config(root)
    default = language_code(config.get("defaultcontentlanguage")) or "en"
    languages_table = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    languages = [default] + [c for c in map(language_code, languages_table) if c and c != default]
    content = str(config.get("contentdir") or "content").strip("/")
    permalinks = config.get("permalinks") if isinstance(config.get("permalinks"), dict) else {}
    if isinstance(permalinks.get("page"), dict):  # Hugo 0.120+: permalinks.page.<section>
        permalinks = permalinks["page"]
    language = "es" if "es" in languages else default
    return Site(
        generator="hugo", root=str(root), config_files=read_files, sources=[Source(content, "post")],
        timezone=str(config.get("timezone") or ""), language=language, languages=languages,
        base_url=str(config.get("baseurl") or "").rstrip("/"),
        url_rule=", ".join(f"{k} = {v}" for k, v in permalinks.items()) or "/:sections/:slug/",
        suffixes=(".md", ".markdown", ".mdown", ".html", ".htm"),
        settings={
            "default_language": default,
            "in_subdir": bool(config.get("defaultcontentlanguageinsubdir")),
            "permalinks": {str(k): str(v) for k, v in permalinks.items() if isinstance(v, str)},
            "ugly": bool(config.get("uglyurls")),
            "lower": not config.get("disablepathtolower"),
            "heading_ids": heading_ids.hugo(config),
        },
    )


def _slug(site: Site, page: Page) -> str:
    return page.meta("slug") or hugo_urlize(page.title, site.settings["lower"])


def _filename(page: Page) -> str:
    folders = page.folders
    return folders[-1] if page.stem == "index" and folders else page.stem


def _expand(pattern: str, site: Site, page: Page, sections: list[str]) -> str:
    date = page.date
    values = {
        **date_tokens(date),
        "monthname": _MONTHS[date.month - 1].lower() if date else "",
        "weekday": str(date.isoweekday() % 7) if date else "",
        "weekdayname": f"{date:%A}".lower() if date else "",
        "yearday": str(int(f"{date:%j}")) if date else "",
        "section": sections[0] if sections else "", "sections": "/".join(sections),
        "title": hugo_urlize(page.title, site.settings["lower"]), "slug": _slug(site, page),
        "filename": _filename(page), "contentbasename": _filename(page),
        "slugorfilename": page.meta("slug") or _filename(page),
        "slugorcontentbasename": page.meta("slug") or _filename(page),
    }
    return fill_tokens(pattern, values)


def url(site: Site, page: Page) -> str:
    """``url`` front matter, else the section's ``permalinks`` pattern, else the file's path
    (bundle folder or file name, or ``slug``), with ``/<lang>/`` for other languages."""
    settings = site.settings
    default = settings["default_language"]
    lang = page.lang if page.lang != default or settings["in_subdir"] else ""
    own = page.meta("url")
    if own:
        return absolute(site.base_url, own if own.startswith("/") or "://" in own else "/" + own)
    folders = page.folders
    if page.stem == "index" and folders:
        folders = folders[:-1]
    pattern = settings["permalinks"].get(folders[0] if folders else "/")
    if pattern:
        path = _expand(pattern, site, page, folders)
    else:
        name = page.meta("slug") or _filename(page)
        path = "/".join(folders + [name])
        if settings["lower"]:
            path = path.lower()
        path = "/" + hugo_urlize(path, settings["lower"]) + ("/" if not settings["ugly"] else ".html")
    path = "/".join(part for part in (lang, path.strip("/")) if part)
    trailing = "" if path.endswith(".html") else "/"
    return absolute(site.base_url, "/" + re.sub(r"/{2,}", "/", path) + trailing)


def kind(page: Page) -> str:
    """Files at the top of the content folder (``about.md``) are pages; the rest are posts."""
    return "post" if page.folders or page.meta("type") in ("post", "posts") else "page"
