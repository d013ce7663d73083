"""Platform exports (WordPress, Blogger) → the same Post records a site's files give."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from blogsearch.search.records import Post

from .clean import html_to_text, inline_text
from .exports import Export, ExportEntry
from .images import thumbnail
from .parse import Parsed
from .sites import Site, language_code

PUBLISHED = {"publish"}
# WordPress shortcodes: code blocks become <pre> (the code field); the rest keep their text.
_CODE_SHORTCODE = re.compile(r"\[(sourcecode|code)(?:\s[^\]]*)?\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
_SHORTCODE = re.compile(
    r"\[/?(?:caption|gallery|embed|audio|video|playlist|youtube|vimeo|latex|wpvideo|googlemaps|"
    r"soundcloud|twitter|tweet|instagram|slideshare|contact-form|polldaddy)\b[^\]]*\]", re.IGNORECASE)


def export_site(export: Export, path: Path, base_url: str = "") -> Site:
    """The site an export describes: its platform, address and language."""
    language = language_code(export.language) or "es"
    return Site(generator=export.generator, root=str(path.parent), config_files=[path.name],
                language=language, languages=[language],
                base_url=(base_url or export.base_url).rstrip("/"),
                url_rule="<link> of each item" if export.generator == "wordpress"
                else "the alternate link of each entry")


def entry_path(path: Path, entry: ExportEntry) -> str:
    """The entry's stable path in the index: the export's file name and the entry's id."""
    return f"{path.name}#{entry.kind}-{entry.id}"


def _hash(entry: ExportEntry) -> str:
    text = json.dumps(entry.__dict__, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _body_html(html: str) -> str:
    html = _CODE_SHORTCODE.sub(lambda m: f"<pre>{m.group(2)}</pre>", html)
    return _SHORTCODE.sub(" ", html)


def _url(entry: ExportEntry, site: Site) -> str:
    """The entry's published link; a site-relative one (Blogger's ``/2020/05/x.html``) under the
    base URL; without one, the WordPress ``?p=ID`` link (drafts, with ``--include-drafts``)."""
    if entry.url.startswith(("http://", "https://")) and "?p=" not in entry.url:
        return entry.url
    if entry.url.startswith("/"):
        return site.base_url + entry.url
    return site.base_url + "/" + (entry.slug + "/" if entry.slug else f"?p={entry.id}")


def parse_entries(export: Export, path: Path, site: Site, include_drafts: bool = False) -> list[Parsed]:
    """One Parsed per post or page of the export: published ones as posts, the rest skipped
    with their status (drafts too when ``include_drafts``; trash never)."""
    results = []
    for entry in export.entries:
        result = Parsed(path=entry_path(path, entry))
        results.append(result)
        if entry.status == "trash" or (entry.status not in PUBLISHED and not include_drafts):
            result.skipped = "draft" if entry.status in ("draft", "pending", "auto-draft") \
                else f"not published (status {entry.status})"
            continue
        # A password-protected post is found by its title; its text stays behind the password.
        cleaned = html_to_text("" if entry.protected else _body_html(entry.html))
        title = entry.title or cleaned.heading or entry.slug.replace("-", " ").capitalize()
        if not (title or cleaned.text):
            result.skipped = "empty: no title and no text"
            continue
        if entry.protected:
            result.warnings.append("password-protected: only its title is indexed")
        url = _url(entry, site)
        result.post = Post(
            path=result.path, url=url, title=title, body=cleaned.text, code=cleaned.code,
            comments="" if entry.protected else
            "\n".join(f"{name}: {inline_text(text)}" for name, text in entry.comments),
            date=entry.date, updated=entry.updated, author=entry.author,
            description=inline_text(entry.excerpt) if entry.excerpt and not entry.protected else "",
            tags=entry.tags, categories=entry.categories, content_hash=_hash(entry),
            lang=language_code(entry.lang) or site.language, kind=entry.kind,
            headings=[] if entry.protected else
            [(h.text, h.own_id, h.offset) for h in cleaned.headings if h.own_id],
            image=thumbnail({"image": entry.image}, url, site.base_url, None),
        )
    return results
