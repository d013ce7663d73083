"""Zola: ``config.toml`` (``base_url``, languages); pages under ``content/`` at their section path."""

from __future__ import annotations

import re
from pathlib import Path

from . import heading_ids
from .config import load_data
from .model import Page, Site, Source, absolute, language_code
from .slugs import zola_slug

CONFIG = "config.toml"
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?[_-]")


def detect(root: Path) -> bool:
    config = root / CONFIG
    if not config.is_file() or not (root / "content").is_dir():
        return False
    try:
        return re.search(r"^\s*base_url\s*=", config.read_text(encoding="utf-8", errors="replace"),
                         re.MULTILINE) is not None
    except OSError:
        return False


def read(root: Path) -> Site:
    config = load_data(root / CONFIG)
    default = language_code(config.get("default_language")) or "en"
    extra = config.get("languages") if isinstance(config.get("languages"), dict) else {}
    languages = [default] + [code for code in map(language_code, extra) if code and code != default]
    slugify = config.get("slugify") if isinstance(config.get("slugify"), dict) else {}
    return Site(
        generator="zola", root=str(root), config_files=[CONFIG], sources=[Source("content", "post")],
        language="es" if "es" in languages else default, languages=languages,
        base_url=str(config.get("base_url") or ""), url_rule="/{section}/{slug}/",
        suffixes=(".md",), needs_metadata=True,
        settings={"default_language": default, "slugify_paths": str(slugify.get("paths", "on")),
                  "heading_ids": heading_ids.zola(config)},
    )


def slug(site: Site, page: Page) -> str:
    """The ``slug`` front matter, else the file (or bundle folder) name without a date prefix."""
    explicit = page.meta("slug")
    if explicit:
        return zola_slug(explicit) if site.settings.get("slugify_paths") == "on" else explicit
    name = page.stem
    folders = page.folders
    if name == "index" and folders:
        name = folders[-1]
    name = _DATE_PREFIX.sub("", name)
    return zola_slug(name) if site.settings.get("slugify_paths") == "on" else name


def url(site: Site, page: Page) -> str:
    """``path`` front matter, else ``/<lang>/<section folders>/<slug>/``."""
    lang = page.lang if page.lang != site.settings.get("default_language") else ""
    explicit = page.meta("path")
    if explicit:
        path = "/".join(part for part in (lang, explicit.strip("/")) if part)
        return absolute(site.base_url, f"/{path}/")
    folders = page.folders
    if page.stem == "index" and folders:
        folders = folders[:-1]
    path = "/".join(part for part in [lang, *folders, slug(site, page)] if part)
    return absolute(site.base_url, f"/{path}/")


def is_draft(page: Page) -> bool:
    return page.metadata.get("draft") is True


def kind(page: Page) -> str:
    """Files at the top of ``content`` (``about.md``) are pages; those in sections are posts."""
    return "post" if page.folders else "page"
