"""A plain content folder without a generator config: every readable file is a post."""

from __future__ import annotations

from pathlib import Path

from ..urls import post_url
from .model import Page, Site, Source


def read(root: Path) -> Site:
    return Site(generator="plain", root=str(root), sources=[Source("", "post")],
                url_rule="url/permalink, else slug, else the path",
                suffixes=(".md", ".markdown", ".html", ".htm", ".rst", ".ipynb"))


def url(site: Site, page: Page) -> str:
    """``url``/``permalink`` front matter, else ``slug``, else the path (see ``blogsearch.indexer.urls``)."""
    return post_url(page.rel_path, page.metadata, site.base_url)
