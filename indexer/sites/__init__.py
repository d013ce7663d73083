"""Site roots: which generator built the site, and how it places each file.

``detect_site`` reads the generator's config without executing it; ``url_for``, ``is_draft``
and ``kind_of`` apply that generator's rules to one file's facts (a ``Page``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from . import eleventy, hexo, hugo, jekyll, nikola, pelican, plain, zola
from .config import ConfigError
from .model import LANGUAGE_CODES, Page, Site, Source, absolute, language_code

__all__ = ["Page", "Site", "Source", "LANGUAGE_CODES", "absolute", "detect_site", "is_draft",
           "kind_of", "language_code", "path_metadata", "shown_date", "shown_tags", "translation_key",
           "url_for"]

# The order matters where configs share a name: Hexo and Jekyll both have ``_config.yml``,
# Zola and Hugo both may have ``config.toml``.
GENERATORS: dict[str, ModuleType] = {
    "pelican": pelican, "nikola": nikola, "zola": zola, "hexo": hexo, "hugo": hugo,
    "jekyll": jekyll, "eleventy": eleventy, "plain": plain,
}


def detect_site(root: str | Path, base_url: str = "") -> Site:
    """The site at ``root`` as its generator's config describes it (``plain`` without one).

    ``base_url`` overrides the config's. A config that cannot be read gives a plain site with
    a warning naming the file, never an error: the posts are still indexed.
    """
    path = Path(root).resolve()
    site = None
    for name, module in GENERATORS.items():
        if name == "plain" or not module.detect(path):
            continue
        try:
            site = module.read(path)
        except ConfigError as exc:
            site = plain.read(path)
            site.warnings.append(f"{exc}; read as a plain folder")
        break
    if site is None:
        site = plain.read(path)
    if base_url:
        site.base_url = base_url.rstrip("/")
    return site


def _module(site: Site) -> ModuleType:
    return GENERATORS.get(site.generator, plain)


def url_for(site: Site, page: Page) -> str:
    """The URL the site's generator publishes ``page`` at."""
    return _module(site).url(site, page)


def is_draft(site: Site, page: Page) -> bool:
    """True when the generator would not publish ``page`` (its own draft rules)."""
    rule = getattr(_module(site), "is_draft", None)
    return bool(rule and rule(page))


def shown_date(site: Site, value: datetime | None) -> datetime | None:
    """The date as the generator shows it: in the site's time zone for generators that convert
    (Jekyll), else with the offset it was written with."""
    if value is not None and site.timezone and getattr(_module(site), "LOCAL_DATES", False):
        return value.astimezone(site.tz)
    return value


def translation_key(site: Site, page: Page) -> str:
    """What a post shares with its translations, as its generator pairs them: Hugo's
    ``translationKey`` when given, Pelican's slug (``ARTICLE_TRANSLATION_ID``), else the path
    without its language part (``post.en.md`` and ``post.md`` are one text)."""
    rule = getattr(_module(site), "translation_key", None)
    explicit = page.meta("translationkey")
    if explicit:
        return f"key:{explicit}"
    if rule:
        return rule(site, page)
    folder, _, name = page.rel_path.rpartition("/")
    suffix = name.rsplit(".", 1)[1] if "." in name else ""
    return f"path:{folder}/{page.stem}.{suffix}"


def path_metadata(site: Site, rel_path: str) -> dict[str, Any]:
    """Metadata the generator gives a file from its path (Pelican's ``FILENAME_METADATA`` and
    ``PATH_METADATA``, Hexo's ``new_post_name``, Eleventy's data files); the file's own
    metadata wins over it, except tags, which add up (Eleventy's data cascade)."""
    rule = getattr(_module(site), "path_metadata", None)
    return rule(site, rel_path) if rule else {}


def shown_tags(site: Site, page: Page) -> list[str]:
    """The page's tags as its site shows them (Eleventy's collection tags left out)."""
    rule = getattr(_module(site), "shown_tags", None)
    return rule(page) if rule else page.tags


def kind_of(site: Site, page: Page) -> str:
    """"post" or "page": the content folder's kind, unless the generator decides per file."""
    rule = getattr(_module(site), "kind", None)
    return rule(page) if rule else page.source.kind
