"""One file's bytes → a Post record (or the reason it is skipped)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from search.records import Post

from . import metadata as meta
from .clean import html_to_text, inline_text, markdown_to_text, strip_templating
from .comments import split_comments
from .dates import invalid_dates, published_date, updated_date
from .frontmatter_reader import PostError, split_front_matter
from .reading import decode
from .urls import path_slug, post_url

HTML_SUFFIXES = {".html", ".htm"}
# Repository documents that sit in content folders; without front matter they are not posts.
REPO_DOCUMENTS = {"readme", "license", "licence", "changelog", "contributing", "sources",
                  "authors", "code_of_conduct", "security"}


@dataclass
class Parsed:
    """The outcome for one file: a post, or a skip reason, plus warnings worth showing."""

    path: str
    post: Post | None = None
    skipped: str = ""
    warnings: list[str] = field(default_factory=list)


def content_hash(raw: bytes) -> str:
    """Content hash used to detect changed files."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _title_from_path(rel_path: str) -> str:
    _, slug = path_slug(rel_path)
    words = re.sub(r"[-_]+", " ", slug).strip()
    return words[:1].upper() + words[1:]


def parse_post(rel_path: str, raw: bytes, include_drafts: bool = False, base_url: str = "") -> Parsed:
    """Parse the file at ``rel_path`` (relative, ``/``-separated) whose content is ``raw``.

    Raises PostError (with the reason) for files that cannot be indexed.
    """
    result = Parsed(path=rel_path)
    name = PurePosixPath(rel_path).name
    if name.startswith("_index."):
        result.skipped = "section page (_index)"
        return result
    text, result.warnings = decode(raw)
    metadata, body = split_front_matter(text)
    if not metadata and PurePosixPath(rel_path).stem.lower() in REPO_DOCUMENTS:
        result.skipped = "repository document without front matter, not a post"
        return result
    if meta.is_draft(metadata) and not include_drafts:
        result.skipped = "draft"
        return result
    is_html = PurePosixPath(rel_path).suffix.lower() in HTML_SUFFIXES
    body, comment_entries = split_comments(body)
    if is_html:
        cleaned = html_to_text(strip_templating(body))
    else:
        cleaned = markdown_to_text(body)
    comments = "\n".join(
        f"{name_}: {inline_text(comment)}" for name_, comment in comment_entries
    )
    title = meta.title(metadata) or cleaned.heading or _title_from_path(rel_path)
    result.warnings.extend(f"front matter {bad} is not a date; ignored" for bad in invalid_dates(metadata))
    if not (cleaned.text or cleaned.code or metadata):
        raise PostError("empty file: no front matter and no text")
    result.post = Post(
        path=rel_path,
        url=post_url(rel_path, metadata, base_url),
        title=title,
        body=cleaned.text,
        code=cleaned.code,
        comments=comments,
        date=published_date(metadata, name),
        updated=updated_date(metadata),
        author=meta.author(metadata),
        description=meta.description(metadata),
        tags=meta.tags(metadata),
        categories=meta.categories(metadata),
        content_hash=content_hash(raw),
    )
    return result
