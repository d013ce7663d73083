"""The plain record that travels from the indexer to the index: one blog post."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Post:
    """One post, cleaned and ready to index. ``path`` is relative to the content folder, ``/``-separated."""

    path: str
    url: str
    title: str
    body: str = ""
    date: datetime | None = None
    updated: datetime | None = None
    author: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    code: str = ""
    comments: str = ""
    content_hash: str = ""
    # ISO 639-1 code of the post's language ("es"); the site's main language when nothing says.
    lang: str = ""
    # "post" or "page" (an "about" page, a course page): both are searchable.
    kind: str = "post"
    # Shared by a post and its translations (one result per text when every language is
    # searched); "" when the post has none: its path stands for it.
    translation_key: str = ""
    # (text, id, offset in ``body`` where its section starts) of each heading with an id, so
    # results can link to the sections that match (``url#id``).
    headings: list[tuple[str, str, int]] = field(default_factory=list)
    # The post's picture (its metadata's ``image``, ``cover``...) as the blog publishes it; "" if none.
    image: str = ""
