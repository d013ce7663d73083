"""Jekyll: ``_config.yml``; posts in ``_posts`` (also ``<category>/_posts``), pages with front
matter elsewhere; the ``permalink`` style or pattern."""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import heading_ids
from .config import load_data
from .model import Page, Site, Source, absolute, date_tokens, fill_tokens, language_code
from .slugs import jekyll_slug

CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_DATE_PREFIX = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-")
# Jekyll shows and places every post by its date in the site's ``timezone``.
LOCAL_DATES = True


def detect(root: Path) -> bool:
    return any((root / name).is_file() for name in CONFIGS)


def read(root: Path) -> Site:
    found = [name for name in CONFIGS if (root / name).is_file()]
    config = load_data(root / found[0]) if found else {}
    source = str(config.get("source") or "").strip("./")
    language = language_code(config.get("lang") or config.get("locale")) or "es"
    base = str(config.get("url") or "").rstrip("/") + "/" + str(config.get("baseurl") or "").strip("/")
    exclude = config.get("exclude") if isinstance(config.get("exclude"), list) else []
    permalink = str(config.get("permalink") or "date")
    sources = [Source(source, "page")]
    post_folders = _post_folders(root, ("_site", "vendor", "node_modules"))
    sources += [Source(folder, "post") for folder in post_folders]
    return Site(
        generator="jekyll", root=str(root), config_files=found, sources=sources,
        timezone=str(config.get("timezone") or ""), language=language, languages=[language],
        base_url=base.rstrip("/") if base.strip("/") else "", url_rule=STYLES.get(permalink, permalink),
        suffixes=(".md", ".markdown", ".mkdown", ".mkd", ".html", ".htm"),
        skip_dirs=tuple(str(e).strip("/") for e in exclude if isinstance(e, str)) + ("_site", "vendor"),
        draft_dirs=tuple(f"{folder[:-len('_posts')]}_drafts".lstrip("/") for folder in post_folders),
        needs_metadata=True, private_underscore=True,
        settings={"heading_ids": heading_ids.jekyll(config)},
    )


def _post_folders(root: Path, skipped: tuple[str, ...]) -> list[str]:
    """Every ``_posts`` folder of the site (``_posts``, ``blog/_posts``), relative to the root,
    never looking inside hidden or generated folders."""
    found = []
    for dirpath, dirnames, _ in os.walk(root):
        if "_posts" in dirnames:
            found.append(Path(dirpath, "_posts").relative_to(root).as_posix())
        dirnames[:] = [d for d in dirnames if d != "_posts" and not d.startswith(".") and d not in skipped]
    return sorted(found)


def _title(page: Page) -> str:
    return page.meta("slug") or jekyll_slug(_DATE_PREFIX.sub("", page.stem)) or page.stem


def _categories(page: Page) -> list[str]:
    """Folders above ``_posts`` and then the front matter's categories, lower-cased, once each."""
    inside = page.rel_path.split("/")
    above = inside[: inside.index("_posts")] if "_posts" in inside else []
    seen: list[str] = []
    for value in above + page.categories:
        value = value.lower()
        if value and value not in seen:
            seen.append(value)
    return seen


def url(site: Site, page: Page) -> str:
    """A post's or page's own ``permalink``, else the site's pattern (posts) or its path (pages)."""
    own = page.meta("permalink")
    pretty = site.url_rule.endswith("/")
    if own:
        path = own
    elif page.source.kind == "page":
        inside = "/".join(page.folders + [page.stem])
        if page.stem == "index":
            path = inside[: -len("index")]
        else:
            path = inside + ("/" if pretty else ".html")
    else:
        date = page.date
        extra = {"y_day": "%j", "short_year": "%y", "week": "%V", "short_day": "%a"}
        values = {
            **date_tokens(date), **{name: date.strftime(fmt) if date else "" for name, fmt in extra.items()},
            "categories": "/".join(_categories(page)), "title": _title(page), "slug": _title(page),
            "output_ext": ".html", "lang": page.lang,
        }
        path = fill_tokens(site.url_rule, values)
    return absolute(site.base_url, re.sub(r"/{2,}", "/", "/" + path))


def is_draft(page: Page) -> bool:
    return page.metadata.get("published") is False
