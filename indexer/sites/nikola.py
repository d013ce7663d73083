"""Nikola: ``conf.py`` read with ``ast``; ``POSTS``/``PAGES`` give the folders and destinations."""

from __future__ import annotations

import re
from pathlib import Path

from . import heading_ids
from .config import python_settings
from .model import Page, Site, Source, absolute, language_code
from .slugs import ascii_slug

CONFIG = "conf.py"
DEFAULT_POSTS = (("posts/*.rst", "posts", "post.tmpl"), ("posts/*.txt", "posts", "post.tmpl"),
                 ("posts/*.md", "posts", "post.tmpl"), ("posts/*.html", "posts", "post.tmpl"),
                 ("posts/*.ipynb", "posts", "post.tmpl"))
DEFAULT_PAGES = (("pages/*.rst", "", "page.tmpl"), ("pages/*.txt", "", "page.tmpl"),
                 ("pages/*.md", "", "page.tmpl"), ("pages/*.html", "", "page.tmpl"),
                 ("pages/*.ipynb", "", "page.tmpl"))
SUFFIXES = (".rst", ".txt", ".md", ".markdown", ".mdown", ".html", ".htm", ".ipynb")


def detect(root: Path) -> bool:
    config = root / CONFIG
    if not config.is_file():
        return False
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(re.search(r"^(POSTS|PAGES|BLOG_TITLE|SITE_URL)\s*=", text, re.MULTILINE))


def _sources(entries: object, kind: str) -> list[Source]:
    sources = []
    for entry in entries if isinstance(entries, (list, tuple)) else ():
        if not (isinstance(entry, (list, tuple)) and len(entry) >= 2 and isinstance(entry[0], str)):
            continue
        folder, _, pattern = entry[0].rpartition("/")
        sources.append(Source(folder.strip("./"), kind, (pattern,), str(entry[1] or "").strip("/")))
    return sources


def read(root: Path) -> Site:
    settings = python_settings(root / CONFIG)
    language = language_code(settings.get("DEFAULT_LANG")) or "en"
    translations = settings.get("TRANSLATIONS")
    translations = translations if isinstance(translations, dict) else {language: ""}
    languages = [code for code in (language_code(k) for k in translations) if code] or [language]
    sources = _sources(settings.get("PAGES", DEFAULT_PAGES), "page") + \
        _sources(settings.get("POSTS", DEFAULT_POSTS), "post")
    return Site(
        generator="nikola", root=str(root), config_files=[CONFIG], sources=sources,
        timezone=str(settings.get("TIMEZONE") or ""), language=language, languages=languages,
        base_url=str(settings.get("SITE_URL") or settings.get("BASE_URL") or ""),
        url_rule="/{destination}/{slug}/" if settings.get("PRETTY_URLS", True)
        else "/{destination}/{slug}.html",
        suffixes=SUFFIXES, needs_metadata=True,
        settings={"pretty_urls": bool(settings.get("PRETTY_URLS", True)), "default_language": language,
                  "heading_ids": heading_ids.python_markdown(settings.get("MARKDOWN_EXTENSIONS")),
                  "translations": {language_code(k): str(v) for k, v in translations.items()
                                   if language_code(k) and isinstance(v, str)}},
    )


def url(site: Site, page: Page) -> str:
    """``/<TRANSLATIONS[lang]>/<destination>/<subfolders>/<slug>/`` (``.html`` without
    ``PRETTY_URLS``); a page's slug may hold slashes (``bitson/olin/apt``)."""
    slug = page.meta("slug").strip("/") or ascii_slug(page.stem)
    lang_folder = site.settings.get("translations", {}).get(page.lang, "") \
        if page.lang != site.settings.get("default_language") else ""
    parts = [part.strip("./") for part in (lang_folder, page.source.destination, *page.folders, slug)]
    path = "/".join(part for part in parts if part)
    path = f"/{path}/" if site.settings.get("pretty_urls", True) else f"/{path}.html"
    return absolute(site.base_url, path)


def is_draft(page: Page) -> bool:
    """``draft``/``private`` among the tags (Nikola 7) or ``.. status: draft|private`` (8)."""
    tags = {tag.strip().lower() for tag in page.tags}
    return bool(tags & {"draft", "private"}) or page.meta("status").lower() in ("draft", "private")
