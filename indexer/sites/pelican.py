"""Pelican: ``pelicanconf.py``/``publishconf.py`` read with ``ast``, its URL settings applied."""

from __future__ import annotations

import re
import string
from pathlib import Path

from . import heading_ids
from .config import python_settings
from .model import Page, Site, Source, absolute, language_code
from .slugs import ascii_slug

CONFIGS = ("pelicanconf.py", "publishconf.py")
SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".rst", ".html", ".htm", ".ipynb")
DEFAULTS = {
    "ARTICLE_URL": "{slug}.html",
    "ARTICLE_LANG_URL": "{slug}-{lang}.html",
    "PAGE_URL": "pages/{slug}.html",
    "PAGE_LANG_URL": "pages/{slug}-{lang}.html",
    "DRAFT_URL": "drafts/{slug}.html",
    "DRAFT_LANG_URL": "drafts/{slug}-{lang}.html",
    "DRAFT_PAGE_URL": "drafts/pages/{slug}.html",
    "DRAFT_PAGE_LANG_URL": "drafts/pages/{slug}-{lang}.html",
    "FILENAME_METADATA": r"(?P<date>\d{4}-\d{2}-\d{2}).*",
}


def detect(root: Path) -> bool:
    return any((root / name).is_file() for name in CONFIGS)


def read(root: Path) -> Site:
    """The site as ``publishconf.py`` (which publishes it) over ``pelicanconf.py`` describes it."""
    read_files = [name for name in CONFIGS if (root / name).is_file()]
    settings: dict = {}
    for name in read_files:
        settings = python_settings(root / name, settings)
    path = str(settings.get("PATH") or "content").strip("/").removeprefix("./")
    path = "" if path in (".", "") else path
    article_paths = list(settings.get("ARTICLE_PATHS") or [""])
    page_paths = list(settings.get("PAGE_PATHS") or ["pages"])
    excludes = list(settings.get("ARTICLE_EXCLUDES") or []) + list(settings.get("PAGE_EXCLUDES") or [])

    def under(folder: str) -> str:
        return "/".join(part for part in (path, str(folder).strip("/")) if part)

    sources = [Source(under(folder), "page") for folder in page_paths]
    sources += [Source(under(folder), "post") for folder in article_paths]
    language = language_code(settings.get("DEFAULT_LANG")) or "en"  # Pelican's default
    keep = ("ARTICLE_URL", "ARTICLE_LANG_URL", "PAGE_URL", "PAGE_LANG_URL", "USE_FOLDER_AS_CATEGORY",
            "DEFAULT_CATEGORY", "SLUGIFY_SOURCE", "FILENAME_METADATA", "PATH_METADATA", "DEFAULT_DATE",
            "ARTICLE_TRANSLATION_ID", "PAGE_TRANSLATION_ID", "DRAFT_URL", "DRAFT_LANG_URL",
            "DRAFT_PAGE_URL", "DRAFT_PAGE_LANG_URL")
    return Site(
        generator="pelican", root=str(root), config_files=read_files, sources=sources,
        timezone=str(settings.get("TIMEZONE") or ""), language=language, languages=[language],
        base_url=str(settings.get("SITEURL") or ""),
        url_rule=str(settings.get("ARTICLE_URL") or DEFAULTS["ARTICLE_URL"]),
        suffixes=SUFFIXES, skip_dirs=tuple(under(e) for e in excludes), needs_metadata=True,
        settings={"default_language": language, "content_path": path,
                  "heading_ids": heading_ids.python_markdown(settings.get("MARKDOWN")),
                  **{key: settings[key] for key in keep if key in settings and
                     isinstance(settings[key], (str, bool, int))}},
    )


def category(site: Site, page: Page) -> str:
    """The ``Category:`` line, else the folder (``USE_FOLDER_AS_CATEGORY``), else the default."""
    if page.categories:
        return page.categories[0]
    if site.settings.get("USE_FOLDER_AS_CATEGORY", True) and page.folders:
        return page.folders[-1]
    return str(site.settings.get("DEFAULT_CATEGORY") or "misc")


def slug(site: Site, page: Page) -> str:
    explicit = page.meta("slug")
    if explicit:
        return explicit
    source = page.stem if site.settings.get("SLUGIFY_SOURCE") == "basename" else page.title
    return ascii_slug(source or page.stem)


def path_metadata(site: Site, rel_path: str) -> dict[str, str]:
    """Metadata Pelican reads from the file's name and path (``FILENAME_METADATA``, then
    ``PATH_METADATA`` on the path under ``PATH``); the file's own metadata wins over it."""
    inside = rel_path.removeprefix(site.settings.get("content_path", "")).lstrip("/")
    base = inside.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    found: dict[str, str] = {}
    for setting, subject in (("FILENAME_METADATA", base), ("PATH_METADATA", inside)):
        pattern = site.settings.get(setting, DEFAULTS.get(setting, ""))
        try:
            match = re.match(pattern, subject) if pattern else None
        except re.error:
            continue  # Pelican would stop on it; the config's own problem, not a post's
        for key, value in (match.groupdict() if match else {}).items():
            if value is not None and key.lower() not in found:
                found[key.lower()] = value
    return found


def translation_key(site: Site, page: Page) -> str:
    """Pelican pairs translations by ``ARTICLE_TRANSLATION_ID`` (the slug unless set)."""
    setting = "PAGE_TRANSLATION_ID" if page.source.kind == "page" else "ARTICLE_TRANSLATION_ID"
    field = site.settings.get(setting, "slug")
    if not field:  # False/None: translations are not paired
        return f"path:{page.rel_path}"
    value = slug(site, page) if field == "slug" else page.meta(str(field).lower())
    return f"{page.source.kind}:{field}:{value}"


class _Fields(string.Formatter):
    """``str.format`` that leaves an unknown ``{name}`` empty instead of failing."""

    def get_value(self, key, args, kwargs):
        return kwargs.get(key, "") if isinstance(key, str) else super().get_value(key, args, kwargs)


def url(site: Site, page: Page) -> str:
    """``ARTICLE_URL``/``PAGE_URL`` (their ``_LANG_`` forms for translations) with ``{slug}``,
    ``{category}``, ``{date:%Y}``, ``{lang}``, ``{author}`` filled in as Pelican does."""
    prefix = "PAGE" if page.source.kind == "page" else "ARTICLE"
    if is_draft(page):  # indexed only with --include-drafts: where Pelican puts drafts
        prefix = "DRAFT_PAGE" if page.source.kind == "page" else "DRAFT"
    name = f"{prefix}_LANG_URL" if page.lang != site.settings.get("default_language") \
        else f"{prefix}_URL"
    pattern = str(site.settings.get(name) or DEFAULTS[name])
    values = {"slug": slug(site, page), "category": ascii_slug(category(site, page)),
              "lang": page.lang, "author": ascii_slug(page.meta("author")),
              "date": page.date}
    if page.date is None:  # an undated page: its date parts are left out
        pattern = re.sub(r"\{date[^}]*\}", "", pattern)
    try:
        path = _Fields().format(pattern, **values)
    except (ValueError, KeyError, IndexError, AttributeError):
        path = f"{values['slug']}.html"
    return absolute(site.base_url, re.sub(r"/{2,}", "/", path))


def is_draft(page: Page) -> bool:
    return page.meta("status").lower() in ("draft", "skip")
