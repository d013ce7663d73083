"""Hexo: ``_config.yml``; posts in ``source/_posts``, pages elsewhere in ``source``; ``permalink``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import heading_ids
from .config import load_data
from .model import Page, Site, Source, absolute, date_tokens, fill_tokens, language_code
from .slugs import ascii_slug

CONFIG = "_config.yml"
DEFAULT_PERMALINK = ":year/:month/:day/:title/"
DEFAULT_NEW_POST_NAME = ":title.md"
# Hexo's segments of ``new_post_name`` (hexo/lib/plugins/processor/post.js); others match any text.
_SEGMENTS = {"year": r"\d{4}", "month": r"\d{2}", "day": r"\d{2}", "i_month": r"\d{1,2}",
             "i_day": r"\d{1,2}", "hash": r"[0-9a-f]{12}"}


def detect(root: Path) -> bool:
    if not (root / CONFIG).is_file():
        return False
    if (root / "source" / "_posts").is_dir() or (root / "scaffolds").is_dir():
        return True
    try:
        package = json.loads((root / "package.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(package, dict) and ("hexo" in package or "hexo" in (package.get("dependencies") or {}))


def read(root: Path) -> Site:
    config = load_data(root / CONFIG)
    source = str(config.get("source_dir") or "source").strip("/")
    language = config.get("language")
    language = language[0] if isinstance(language, list) and language else language
    language = language_code(language) or "es"
    base = str(config.get("url") or "").rstrip("/")
    root_path = str(config.get("root") or "/")
    if base and root_path.strip("/") and not base.endswith(root_path.rstrip("/")):
        base += "/" + root_path.strip("/")
    return Site(
        generator="hexo", root=str(root), config_files=[CONFIG],
        sources=[Source(source, "page"), Source(f"{source}/_posts", "post")],
        timezone=str(config.get("timezone") or ""), language=language, languages=[language],
        base_url=base, url_rule=str(config.get("permalink") or DEFAULT_PERMALINK),
        suffixes=(".md", ".markdown", ".mdown", ".mkd", ".html", ".htm"),
        private_underscore=True,
        draft_dirs=(f"{source}/_drafts",),
        settings={"default_category": str(config.get("default_category") or "uncategorized"),
                  "new_post_name": str(config.get("new_post_name") or DEFAULT_NEW_POST_NAME),
                  "posts": f"{source}/_posts", "heading_ids": heading_ids.hexo(config)},
    )


def _name_pattern(rule: str) -> re.Pattern:
    """``new_post_name`` (``:year-:month-:day-:title.md``) as a regex over the path under
    ``_posts`` without its suffix, with Hexo's segments."""
    rule = rule.rsplit(".", 1)[0] if "." in rule.rsplit("/", 1)[-1] else rule
    parts = re.split(r":(\w+)", rule)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_SEGMENTS.get(part, '.+?')})"
                    for i, part in enumerate(parts))
    return re.compile(f"^{regex}$")


def path_metadata(site: Site, rel_path: str) -> dict[str, str]:
    """What Hexo reads from a post's file name by ``new_post_name``: its slug (``:title``) and,
    for a post without a date, the date; the file's own front matter wins."""
    posts = site.settings.get("posts", "source/_posts")
    if not rel_path.startswith(posts + "/"):
        return {}
    inside = rel_path[len(posts) + 1:]
    inside = inside.rsplit(".", 1)[0] if "." in inside.rsplit("/", 1)[-1] else inside
    try:
        match = _name_pattern(site.settings.get("new_post_name", DEFAULT_NEW_POST_NAME)).match(inside)
    except re.error:
        match = None
    info = match.groupdict() if match else {}
    found = {"slug": info.get("title") or inside}
    year, month, day = info.get("year"), info.get("month") or info.get("i_month"), \
        info.get("day") or info.get("i_day")
    if year and month and day:
        found["date"] = f"{year}-{int(month):02d}-{int(day):02d}"
    return found


def _category_path(site: Site, page: Page) -> str:
    first = page.categories[0] if page.categories else site.settings["default_category"]
    return ascii_slug(first) or first


def url(site: Site, page: Page) -> str:
    """Pages at their path under ``source`` (``index.md`` at its folder); posts by ``permalink``
    (``:year/:month/:day/:title/``, ``:title`` being the file path under ``_posts``), unless a
    post sets its own ``permalink``."""
    own = page.meta("permalink")
    if own:
        return absolute(site.base_url, own)
    inside = "/".join(page.folders + [page.stem])
    if page.source.kind == "page":
        path = inside[: -len("index")] if page.stem == "index" else inside + ".html"
        return absolute(site.base_url, path)
    values = {
        **date_tokens(page.date), "title": page.meta("slug") or inside, "name": page.stem,
        "post_title": ascii_slug(page.title), "id": page.meta("id"),
        "category": _category_path(site, page), "lang": page.lang,
    }
    return absolute(site.base_url, fill_tokens(site.url_rule, values))
