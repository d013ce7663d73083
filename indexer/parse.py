"""One file's bytes → a Post record (or the reason it is skipped).

The reader is chosen by the file's suffix (Markdown, HTML, reStructuredText, Jupyter), its
metadata read in whatever dialect it is written, and the site's generator decides its date's
time zone, language, kind, whether it is a draft and the URL it is published at.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from blogsearch.search.records import Post

from . import metadata as meta
from .anchors import anchors, rule_for
from .clean import Cleaned, html_to_text, inline_text, markdown_to_text, strip_templating
from .comments import split_comments
from .dates import invalid_dates, published_date, updated_date
from .discover import Found
from .frontmatter_reader import PostError
from .headers import HTML_SUFFIXES, split_metadata
from .images import bundle_image, image_path, thumbnail
from .notebook import read_notebook
from .reading import decode
from .rst import nikola_comment_metadata, read_rst, sidecar_metadata
from .sites import (
    LANGUAGE_CODES,
    Page,
    Site,
    Source,
    is_draft,
    kind_of,
    language_code,
    path_metadata,
    shown_date,
    shown_tags,
    translation_key,
    url_for,
)
from .sites.plain import read as plain_site
from .urls import path_slug

# Tags, and categories, a post may have: the rest are left out with a warning (a post with
# thousands of them is a mistake or an attack, and every page showing it would list them).
MAX_TAXONOMY_VALUES = 500
RST_SUFFIXES = {".rst", ".txt"}
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


@dataclass
class _Read:
    """A file read by the reader its suffix calls for: metadata, cleaned body, document title."""

    metadata: dict[str, Any]
    cleaned: Cleaned
    title: str = ""
    comments: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def content_hash(raw: bytes, sidecar: bytes = b"") -> str:
    """Content hash used to detect changed files (a metadata sidecar counts as part of the file)."""
    digest = hashlib.blake2b(raw, digest_size=16)
    if sidecar:
        digest.update(b"\0sidecar\0" + sidecar)
    return digest.hexdigest()


def _title_from_path(rel_path: str) -> str:
    _, slug = path_slug(rel_path)
    words = re.sub(r"[-_]+", " ", slug).strip()
    return words[:1].upper() + words[1:]


def _lowered(metadata: dict[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in metadata.items()}


def _read_markup(text: str, suffix: str) -> _Read:
    """Markdown or HTML: front matter or headers in any dialect, then the cleaned body."""
    warnings: list[str] = []
    metadata, body = nikola_comment_metadata(text) if text.lstrip().startswith("<!--") else ({}, text)
    if not metadata:
        split = split_metadata(text, suffix)
        metadata, body, warnings = split.metadata, split.body, split.warnings
    body, comments = split_comments(body)
    if suffix in HTML_SUFFIXES:
        cleaned = html_to_text(strip_templating(body))
    else:
        cleaned = markdown_to_text(body)
    return _Read(metadata, cleaned, comments=comments, warnings=warnings)


def _read_file(text: str, suffix: str) -> _Read:
    if suffix in RST_SUFFIXES:
        document = read_rst(text)
        return _Read(document.metadata, html_to_text(document.html), document.title,
                     warnings=document.warnings)
    if suffix == ".ipynb":
        try:
            notebook = read_notebook(text)
        except ValueError as exc:
            raise PostError(str(exc)) from None
        cleaned = markdown_to_text(notebook.markdown)
        code = "\n".join(part for part in (cleaned.code, notebook.code) if part)
        return _Read(notebook.metadata, Cleaned(cleaned.text, code, cleaned.heading),
                     warnings=notebook.warnings)
    return _read_markup(text, suffix)


def _with_path_metadata(metadata: dict[str, Any], from_path: dict[str, Any]) -> dict[str, Any]:
    """The file's metadata over what its generator gives it from its path; tags add up."""
    merged = {**from_path, **metadata}
    if "tags" in from_path and "tags" in metadata:
        merged["tags"] = [*_listed(from_path["tags"]), *_listed(metadata["tags"])]
    return merged


def _listed(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _own_language(metadata: dict[str, Any], name: str, site: Site) -> str:
    """The language the post gives itself: its metadata, else a ``post.en.md`` file name; ""."""
    code = language_code(meta.language(metadata))
    if code:
        return code
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2].lower() in LANGUAGE_CODES and (
            not site.languages or parts[-2].lower() in site.languages):
        return parts[-2].lower()
    return ""


def _capped(values: list[str], kind: str, warnings: list[str]) -> list[str]:
    """The first ``MAX_TAXONOMY_VALUES`` of a post's tags or categories, with a warning if
    there were more."""
    if len(values) <= MAX_TAXONOMY_VALUES:
        return values
    warnings.append(f"{len(values)} {kind}: only the first {MAX_TAXONOMY_VALUES} are indexed")
    return values[:MAX_TAXONOMY_VALUES]


def _picture(metadata: dict[str, Any], url: str, site: Site, source: Path | None) -> str:
    """The post's picture at the URL the blog publishes it ("" when none)."""
    named = image_path(metadata) or (bundle_image(source) if site.generator == "hugo" else "")
    return thumbnail(metadata, url, site.base_url, source, beside_page=site.generator == "pelican",
                     path=named)


def parse_post(rel_path: str, raw: bytes, include_drafts: bool = False, base_url: str = "", *,
               site: Site | None = None, found: Found | None = None, sidecar: bytes = b"") -> Parsed:
    """Parse the file at ``rel_path`` (relative to the site root, ``/``-separated) whose bytes
    are ``raw``; ``site`` is a plain folder unless given, ``found`` says its content folder's
    kind and whether it sits in a drafts folder, ``sidecar`` is its ``.meta`` file.

    Raises PostError (with the reason) for files that cannot be indexed.
    """
    result = Parsed(path=rel_path)
    site = site or plain_site(PurePosixPath("."))
    if base_url:
        site = replace(site, base_url=base_url.rstrip("/"))
    path = PurePosixPath(rel_path)
    if path.name.startswith("_index."):
        result.skipped = "section page (_index)"
        return result
    text, result.warnings = decode(raw)
    read = _read_file(text, path.suffix.lower())
    result.warnings.extend(read.warnings)
    metadata = _lowered(read.metadata)
    if sidecar:
        sidecar_text, sidecar_warnings = decode(sidecar)
        result.warnings.extend(f"sidecar: {w}" for w in sidecar_warnings)
        metadata.update(_lowered(sidecar_metadata(sidecar_text)))
    if metadata:
        metadata = _with_path_metadata(metadata, path_metadata(site, rel_path))
    if not metadata and path.stem.lower() in REPO_DOCUMENTS:
        result.skipped = "repository document without front matter, not a post"
        return result
    if not metadata and site.needs_metadata:
        result.skipped = f"no metadata: a static file for {site.generator}, not a post"
        return result
    cleaned = read.cleaned
    if not (cleaned.text or cleaned.code or metadata):
        raise PostError("empty file: no front matter and no text")
    title = meta.title(metadata) or read.title or cleaned.heading or _title_from_path(rel_path)
    result.warnings.extend(f"front matter {bad} is not a date; ignored" for bad in invalid_dates(metadata))
    own_language = _own_language(metadata, path.name, site)
    page = Page(  # placed as the generator places it: in the config's language unless it says
        rel_path=rel_path, source=found.source if found else Source(""), metadata=metadata,
        title=title, date=shown_date(site, published_date(metadata, path.name, site.tz)),
        lang=own_language or site.config_language or site.language,
        categories=_capped(meta.categories(metadata), "categories", result.warnings),
        tags=_capped(meta.tags(metadata), "tags", result.warnings),
    )
    if not include_drafts and ((found and found.draft) or meta.is_draft(metadata) or is_draft(site, page)):
        result.skipped = "draft"
        return result
    comments = "\n".join(f"{name}: {inline_text(comment)}" for name, comment in read.comments)
    url = url_for(site, page)
    ids = anchors(cleaned.headings, rule_for(site, path.suffix.lower()))
    result.post = Post(
        path=rel_path, url=url, title=title, body=cleaned.text, code=cleaned.code,
        comments=comments, date=page.date, updated=updated_date(metadata, site.tz),
        author=meta.author(metadata), description=meta.description(metadata),
        tags=shown_tags(site, page),
        categories=page.categories, content_hash=content_hash(raw, sidecar),
        lang=own_language or site.language,
        kind=kind_of(site, page), translation_key=translation_key(site, page),
        headings=[(h.text, anchor, h.offset) for h, anchor in zip(cleaned.headings, ids, strict=True)
                  if anchor],
        image=_picture(metadata, url, site, Path(found.abs_path) if found else None),
    )
    return result

