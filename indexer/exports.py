"""WordPress (WXR) and Blogger (Atom) export files → plain entries, one per post or page."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from .dates import parse_date
from .metadata import plain

SNIFF_BYTES = 16384
ATOM = "{http://www.w3.org/2005/Atom}"
APP = "{http://purl.org/atom/app#}"
THREAD = "{http://purl.org/syndication/thread/1.0}"
BLOGGER_2018 = "http://schemas.google.com/blogger/2018"
BLOGGER = "{" + BLOGGER_2018 + "}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA = "{http://search.yahoo.com/mrss/}"
# Blogger's thumbnails are 72 px squares (``/s72-c/``); the same address serves larger sizes.
_BLOGGER_SIZE = re.compile(r"([/=])s72-c(?=[/-]|$)")
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
BLOGGER_STATUS = {"LIVE": "publish", "DRAFT": "draft", "SOFT_TRASHED": "trash", "SCHEDULED": "future"}
# Namespaces of WXR 1.0-1.2 item fields, by the prefix WordPress writes ("1.x" stands for any version).
WXR_PREFIXES = {
    "http://wordpress.org/export/1.x/": "wp",
    "http://wordpress.org/export/1.x/excerpt/": "excerpt",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
}
_WXR_VERSION = re.compile(r"(?<=^http://wordpress\.org/export/1\.)\d+")
_WXR_SNIFF = re.compile(r"""xmlns:\w+\s*=\s*["']http://wordpress\.org/export/1\.\d+/["']""")
_BLOGGER_SNIFF = re.compile(r"schemas\.google\.com/blogger/(?:2008/kind#|2018)")
# Bodies written for wpautop: no <p>; blank lines and line breaks are the paragraphs.
_PARAGRAPH_TAG = re.compile(r"<p[\s>]", re.IGNORECASE)
_VERBATIM = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_BLANK_LINE = re.compile(r"\n\s*\n")
_BLOCK_TAG = re.compile(r"</?(?:address|article|aside|blockquote|dd|div|dl|dt|figcaption|figure|footer|"
                        r"h[1-6]|header|hr|li|ol|p|section|table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>",
                        re.IGNORECASE)
_BR_AFTER_BLOCK = re.compile(rf"({_BLOCK_TAG.pattern})<br>\n", re.IGNORECASE)
_BR_BEFORE_BLOCK = re.compile(rf"<br>\n(\s*{_BLOCK_TAG.pattern})", re.IGNORECASE)
_TRAILING_NUMBER = re.compile(r"\d+$")


@dataclass
class ExportEntry:
    """One post or page of an export, as the platform stored it (any status; the caller filters)."""

    id: str
    kind: str
    status: str
    title: str
    slug: str = ""
    url: str = ""
    date: datetime | None = None
    updated: datetime | None = None
    author: str = ""
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    html: str = ""
    excerpt: str = ""
    # (author name, text) of the approved comments, in file order.
    comments: list[tuple[str, str]] = field(default_factory=list)
    lang: str = ""
    protected: bool = False  # WordPress asks readers for a password: only its title is public
    # Its picture: WordPress's featured image (an attachment, by id), Blogger's media:thumbnail.
    image_id: str = ""
    image: str = ""


@dataclass
class Export:
    """A whole export: the blog's title, address and language, its entries, what was left out."""

    generator: str
    title: str = ""
    base_url: str = ""
    language: str = ""
    entries: list[ExportEntry] = field(default_factory=list)
    # Items that are neither posts nor pages, by type: {"attachment": 7, "nav_menu_item": 3}.
    skipped: dict[str, int] = field(default_factory=dict)


class ExportError(Exception):
    """The file cannot be read as an export; the message names it and says why."""


def is_export(path: Path) -> str:
    """``"wordpress"``, ``"blogger"`` or ``""``, judged from the first bytes of the file only."""
    with path.open("rb") as source:
        head = source.read(SNIFF_BYTES).decode("latin-1")
    if "<rss" in head and _WXR_SNIFF.search(head):
        return "wordpress"
    if "<feed" in head and _BLOGGER_SNIFF.search(head):
        return "blogger"
    return ""


def read_export(path: Path) -> Export:
    """Every post and page of a WordPress WXR or Blogger export. Raises ExportError."""
    try:
        generator = is_export(path)
        if generator == "wordpress":
            return _read_wordpress(path)
        if generator == "blogger":
            return _read_blogger(path)
    except OSError as err:
        raise ExportError(f"{path}: cannot be read ({err.strerror or err})") from err
    raise ExportError(f"{path}: not a WordPress (WXR) or Blogger export")


def _elements(path: Path, root: str, level: int) -> Iterator[Element]:
    """The complete elements ``level`` deep (the root is 1), each emptied once the caller is done."""
    depth = 0
    with path.open("rb") as source:
        try:
            for event, elem in iterparse(source, ("start", "end"), forbid_dtd=True):
                if event == "start":
                    depth += 1
                    if depth == 1 and elem.tag != root:
                        raise ExportError(f"{path}: root element {elem.tag}, not {root}: not an export")
                    continue
                if depth == level:
                    yield elem
                    elem.clear()
                depth -= 1
        except ParseError as err:
            line, column = err.position
            reason = str(err).split(": line ")[0]
            raise ExportError(f"{path}: malformed XML at line {line}, column {column}: {reason}") from None
        except DefusedXmlException as err:
            raise ExportError(
                f"{path}: refused: it has a DTD or entity declarations ({err}); exports never do, and "
                "expanding them could exhaust memory (billion laughs) or read other files"
            ) from None


def _language(code: str | None) -> str:
    """The ISO 639-1 part of a language tag: ``es-ES`` and ``es_419`` → ``es``."""
    return re.split(r"[-_]", (code or "").strip(), maxsplit=1)[0].lower()


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _slug(url: str) -> str:
    return unquote(PurePosixPath(urlsplit(url).path).name).removesuffix(".html")


def _paragraph(block: str) -> str:
    """One wpautop paragraph: line breaks become ``<br>`` except next to block tags (``<li>``...)."""
    markup = block.replace("\n", "<br>\n")
    markup = _BR_BEFORE_BLOCK.sub(r"\n\1", _BR_AFTER_BLOCK.sub(r"\1\n", markup))
    return f"{markup}\n" if _BLOCK_TAG.match(block) else f"<p>{markup}</p>\n"


def _paragraphs(text: str) -> str:
    text = _TAG.sub(lambda tag: tag.group().replace("\n", " "), text)
    return "".join(_paragraph(block.strip()) for block in _BLANK_LINE.split(text) if block.strip())


def _autop(markup: str) -> str:
    """Paragraphs for a body written without ``<p>`` (WordPress adds them when it shows the post):
    a blank line ends a paragraph, a lone line break becomes ``<br>``; ``<pre>`` is left alone."""
    if _PARAGRAPH_TAG.search(markup):
        return markup
    markup = markup.replace("\r\n", "\n")
    parts, start = [], 0
    for block in _VERBATIM.finditer(markup):
        parts += [_paragraphs(markup[start:block.start()]), block.group()]
        start = block.end()
    parts.append(_paragraphs(markup[start:]))
    return "".join(parts)


# WordPress ---------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _wxr_name(tag: str) -> str:
    """``{http://wordpress.org/export/1.2/}post_id`` → ``wp:post_id``; other tags unchanged."""
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    prefix = WXR_PREFIXES.get(_WXR_VERSION.sub("x", uri))
    return f"{prefix}:{local}" if prefix else tag


def _fields(elem: Element) -> dict[str, str]:
    """The text of each child by its WXR name (the first child of each name)."""
    fields: dict[str, str] = {}
    for child in elem:
        fields.setdefault(_wxr_name(child.tag), child.text or "")
    return fields


def _mysql_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:  # drafts have 0000-00-00 00:00:00
        return None


def _wordpress_date(local_text: str, gmt_text: str) -> datetime | None:
    """The blog's local time made aware with the offset it then had from UTC (local - gmt)."""
    local, gmt = _mysql_time(local_text), _mysql_time(gmt_text)
    if local is None or gmt is None:
        return None
    offset = timedelta(minutes=round((local - gmt).total_seconds() / 60))
    if abs(offset) > timedelta(hours=14):
        return gmt.replace(tzinfo=UTC)
    return local.replace(tzinfo=timezone(offset))


def _wordpress_comments(item: Element) -> list[tuple[str, str]]:
    comments = []
    for child in item:
        if _wxr_name(child.tag) != "wp:comment":
            continue
        comment = {_wxr_name(part.tag): (part.text or "").strip() for part in child}
        if comment.get("wp:comment_approved") == "1" \
                and comment.get("wp:comment_type") not in ("pingback", "trackback"):
            comments.append((plain(comment.get("wp:comment_author")), comment.get("wp:comment_content", "")))
    return comments


def _names(terms: list[Element]) -> list[str]:
    return _unique([plain(term.text) for term in terms])


def _wordpress_entry(item: Element, fields: dict[str, str], kind: str) -> ExportEntry:
    terms: dict[str, list[Element]] = defaultdict(list)
    for category in item.findall("category"):
        terms[category.get("domain", "")].append(category)
    # WXR 1.0 repeats categories and tags without a domain; they only count when nothing has one.
    untyped = terms.pop("", [])
    categories = terms["category"] if terms else untyped
    languages = terms["language"]  # Polylang's taxonomy; the nicename is the code
    return ExportEntry(
        id=(fields.get("wp:post_id") or fields.get("guid", "")).strip(),
        kind=kind,
        status=fields.get("wp:status", "").strip(),
        title=plain(fields.get("title")),
        slug=unquote(fields.get("wp:post_name", "").strip()),
        url=fields.get("link", "").strip(),
        date=_wordpress_date(fields.get("wp:post_date", ""), fields.get("wp:post_date_gmt", "")),
        updated=_wordpress_date(fields.get("wp:post_modified", ""), fields.get("wp:post_modified_gmt", "")),
        author=fields.get("dc:creator", "").strip(),
        tags=_names(terms["post_tag"] + terms["tag"]),
        categories=_names(categories),
        html=_autop(fields.get("content:encoded", "")),
        excerpt=fields.get("excerpt:encoded", "").strip(),
        comments=_wordpress_comments(item),
        lang=_language(languages[0].get("nicename")) if languages else "",
        protected=bool(fields.get("wp:post_password", "").strip()),
        image_id=_post_meta(item).get("_thumbnail_id", "").strip(),
    )


def _post_meta(item: Element) -> dict[str, str]:
    """An item's ``wp:postmeta`` values by key (the first of each key)."""
    meta: dict[str, str] = {}
    for child in item:
        if _wxr_name(child.tag) == "wp:postmeta":
            fields = _fields(child)
            meta.setdefault(fields.get("wp:meta_key", "").strip(), fields.get("wp:meta_value", ""))
    return meta


def _read_wordpress(path: Path) -> Export:
    export = Export("wordpress")
    channel: dict[str, str] = {}
    authors: dict[str, str] = {}
    skipped: Counter[str] = Counter()
    attachments: dict[str, str] = {}  # post id → file URL
    for elem in _elements(path, "rss", 3):
        name = _wxr_name(elem.tag)
        if name == "item":
            fields = _fields(elem)
            kind = fields.get("wp:post_type", "").strip() or "unknown"
            if kind in ("post", "page"):
                export.entries.append(_wordpress_entry(elem, fields, kind))
            else:
                skipped[kind] += 1
            if kind == "attachment":
                file_url = fields.get("wp:attachment_url", "").strip()
                attachments[fields.get("wp:post_id", "").strip()] = file_url
        elif name == "wp:author":
            author = _fields(elem)
            login = author.get("wp:author_login", "").strip()
            authors[login] = plain(author.get("wp:author_display_name")) or login
        else:
            channel.setdefault(name, (elem.text or "").strip())
    for entry in export.entries:
        entry.author = authors.get(entry.author, plain(entry.author))
        entry.image = attachments.get(entry.image_id, "") if entry.image_id else ""
    export.title = plain(channel.get("title"))
    export.base_url = (channel.get("link") or channel.get("wp:base_blog_url", "")).rstrip("/")
    export.language = _language(channel.get("language"))
    export.skipped = dict(skipped)
    return export


# Blogger -----------------------------------------------------------------------------------------


def _text(elem: Element, path: str) -> str:
    return (elem.findtext(path) or "").strip()


def _alternate(link: Element) -> str:
    """The page address of an Atom ``<link rel="alternate">``, else ""."""
    if link.get("rel") == "alternate" and link.get("type", "text/html") == "text/html":
        return link.get("href", "")
    return ""


def _blogger_kind(entry: Element) -> str:
    """post, page, comment, settings, template... from ``blogger:type`` (2018) or the kind category."""
    kind = _text(entry, f"{BLOGGER}type").lower()
    if not kind:
        terms = [category.get("term", "") for category in entry.findall(f"{ATOM}category")
                 if category.get("scheme") == KIND_SCHEME]
        kind = terms[0].rpartition("#")[2] if terms else ""
    return kind or "unknown"


def _blogger_status(entry: Element) -> str:
    status = _text(entry, f"{BLOGGER}status")
    if status:
        return BLOGGER_STATUS.get(status, status.lower())
    return "draft" if _text(entry, f"{APP}control/{APP}draft") == "yes" else "publish"


def _blogger_entry(entry: Element, kind: str) -> ExportEntry:
    # The classic export links the published page; the 2018 one only gives its path (see _read_blogger).
    url = next(filter(None, map(_alternate, entry.findall(f"{ATOM}link"))), "") \
        or _text(entry, f"{BLOGGER}filename")
    content = entry.find(f"{ATOM}content")
    labels = [category.get("term", "") for category in entry.findall(f"{ATOM}category")
              if category.get("scheme") != KIND_SCHEME]
    full_id = _text(entry, f"{ATOM}id")
    number = _TRAILING_NUMBER.search(full_id)
    return ExportEntry(
        id=number.group() if number else full_id,
        kind=kind,
        status=_blogger_status(entry),
        title=plain(entry.findtext(f"{ATOM}title")),
        slug=_slug(url),
        url=url,
        date=parse_date(_text(entry, f"{ATOM}published")),
        updated=parse_date(_text(entry, f"{ATOM}updated")),
        author=plain(entry.findtext(f"{ATOM}author/{ATOM}name")),
        tags=_unique([plain(label) for label in labels]),
        html=(content.text or "") if content is not None else "",
        excerpt=_text(entry, f"{BLOGGER}metaDescription"),
        lang=_language(entry.get(XML_LANG) or (content.get(XML_LANG) if content is not None else "")),
        image=_blogger_thumbnail(entry),
    )


def _blogger_thumbnail(entry: Element) -> str:
    """The entry's ``media:thumbnail``, at a size fit for a result ("" when it has none)."""
    thumbnail = entry.find(f"{MEDIA}thumbnail")
    url = (thumbnail.get("url") or "").strip() if thumbnail is not None else ""
    return _BLOGGER_SIZE.sub(r"\1s320", url)


def _read_blogger(path: Path) -> Export:
    export = Export("blogger")
    by_id: dict[str, ExportEntry] = {}
    comments: dict[str, list[tuple[str, str]]] = defaultdict(list)
    skipped: Counter[str] = Counter()
    for elem in _elements(path, f"{ATOM}feed", 2):
        if elem.tag == f"{ATOM}title":
            export.title = plain(elem.text)
        elif elem.tag == f"{ATOM}link" and _alternate(elem):
            export.base_url = _alternate(elem).rstrip("/")
        if elem.tag != f"{ATOM}entry":
            continue
        kind = _blogger_kind(elem)
        if kind in ("post", "page"):
            by_id[_text(elem, f"{ATOM}id")] = _blogger_entry(elem, kind)
        elif kind == "comment" and _text(elem, f"{BLOGGER}status") in ("", "LIVE"):
            parent = elem.find(f"{THREAD}in-reply-to")
            ref = parent.get("ref", "") if parent is not None else _text(elem, f"{BLOGGER}parent")
            comments[ref].append((plain(elem.findtext(f"{ATOM}author/{ATOM}name")),
                                  _text(elem, f"{ATOM}content")))
        elif kind != "comment":
            skipped[kind] += 1
            if _text(elem, f"{ATOM}id").endswith(".settings.BLOG_LOCALE"):
                export.language = _language(elem.findtext(f"{ATOM}content"))
    for full_id, entry in by_id.items():
        entry.comments = comments.pop(full_id, [])
        if entry.url.startswith("/"):  # 2018 export: blogger:filename, a path on the blog
            entry.url = export.base_url + entry.url
    orphans = sum(map(len, comments.values()))
    if orphans:
        skipped["comment"] = orphans
    export.entries = list(by_id.values())
    export.skipped = dict(skipped)
    return export
