"""What the indexer knows of a site: its generator, content folders, language, time zone, URLs."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Suffixes of files every generator can read as posts.
MARKUP_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".html", ".htm")
# Folder names no generator publishes from.
NEVER_ENTERED = ("node_modules", "__pycache__")
# ISO 639-1 codes: a file name like ``post.en.md`` names its language with one of these.
LANGUAGE_CODES = frozenset(
    "aa ab af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da "
    "de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy "
    "hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg "
    "li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or "
    "os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta "
    "te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu".split()
)


def language_code(value: Any) -> str:
    """``es-ES``, ``es_MX``, ``Español``-free codes → ``es``; "" when it is not a language code."""
    if not isinstance(value, str):
        return ""
    code = value.strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGE_CODES else ""


@dataclass(frozen=True)
class Source:
    """A content folder of a site and what its files are."""

    folder: str                       # relative to the site root, ``/``-separated ("" = root)
    kind: str = "post"                # "post" or "page"
    patterns: tuple[str, ...] = ()    # file name globs (Nikola's ``posts/*.rst``); () = any
    destination: str = ""             # where the generator publishes it (Nikola's ``blog``)


@dataclass
class Site:
    """A site root as its generator's config describes it."""

    generator: str                    # "hugo", "jekyll", ..., "plain", "wordpress", "blogger"
    root: str
    config_files: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    timezone: str = ""                # IANA name; "" = dates without offset are UTC
    language: str = "es"              # the main language: searches show it by default
    language_note: str = ""           # how the main language was decided, when not by the config
    config_language: str = ""         # the config's, when the posts' differs: placement follows it
    languages: list[str] = field(default_factory=list)   # every language the config names
    base_url: str = ""
    url_rule: str = ""                # the permalink pattern, as the config writes it
    suffixes: tuple[str, ...] = MARKUP_SUFFIXES
    skip_dirs: tuple[str, ...] = ()   # folders (relative to the root) never read
    draft_dirs: tuple[str, ...] = ()  # folders whose files are drafts (Jekyll's ``_drafts``)
    needs_metadata: bool = False      # a file without metadata is a static file, not a post
    private_underscore: bool = False  # ``_folders`` hold no content unless they are sources
    settings: dict[str, Any] = field(default_factory=dict)  # generator-specific, JSON-able
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def tz(self) -> tzinfo:
        """The site's time zone (UTC when it names none or an unknown one)."""
        if not self.timezone:
            return UTC
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return UTC

    def describe(self) -> dict[str, Any]:
        """What was understood, as plain JSON-able data (kept in the index manifest)."""
        data = asdict(self)
        data.pop("warnings")
        data["sources"] = [asdict(source) for source in self.sources]
        data["suffixes"] = list(self.suffixes)
        data["skip_dirs"] = list(self.skip_dirs)
        data["draft_dirs"] = list(self.draft_dirs)
        return data

    def fingerprint(self) -> str:
        """A short hash of everything that shapes the posts' records: a change re-reads all."""
        described = self.describe()
        described.pop("root")  # a copied or moved site is the same site
        text = json.dumps(described, sort_keys=True, default=str)
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("tz", None)  # the cached ZoneInfo is rebuilt in the worker
        return state


@dataclass
class Page:
    """One file's facts a generator needs to place it: its URL, its kind, whether it is a draft."""

    rel_path: str                     # relative to the site root, ``/``-separated
    source: Source
    metadata: dict[str, Any]          # keys lower-cased
    title: str
    date: datetime | None
    lang: str
    categories: list[str]
    tags: list[str]

    @property
    def stem(self) -> str:
        """The file name without its suffixes (``post.en.md`` → ``post``)."""
        name = self.rel_path.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0] if "." in name else name
        parts = stem.rsplit(".", 1)
        return parts[0] if len(parts) == 2 and parts[1].lower() in LANGUAGE_CODES else stem

    @property
    def folders(self) -> list[str]:
        """The folders between the source folder and the file."""
        inside = self.rel_path[len(self.source.folder):].strip("/") if self.source.folder \
            else self.rel_path
        return [part for part in inside.split("/")[:-1] if part]

    def meta(self, *keys: str) -> str:
        """The first non-empty text value among ``keys``."""
        for key in keys:
            value = self.metadata.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
                return str(value).strip()
        return ""


def absolute(base_url: str, path: str) -> str:
    """``path`` (site-relative) under ``base_url``; ``path`` as it is when it is already a URL
    or there is no base URL."""
    if "://" in path.split("/", 3)[0] + "/" or path.startswith("//"):
        return path
    path = "/" + path.lstrip("/")
    return base_url.rstrip("/") + path if base_url else path


def date_tokens(date: datetime | None) -> dict[str, str]:
    """The date parts permalink patterns share (``year``, ``month``, ``day``, ``i_month``,
    ``i_day``, ``hour``, ``minute``, ``second``); empty without a date."""
    if date is None:
        return dict.fromkeys(("year", "month", "day", "i_month", "i_day", "hour", "minute", "second"), "")
    return {"year": f"{date:%Y}", "month": f"{date:%m}", "day": f"{date:%d}", "i_month": str(date.month),
            "i_day": str(date.day), "hour": f"{date:%H}", "minute": f"{date:%M}", "second": f"{date:%S}"}


def fill_tokens(pattern: str, values: dict[str, str]) -> str:
    """``pattern`` with each ``:name`` of ``values`` replaced (longest names first, so
    ``:i_month`` is not read as ``:i`` and ``_month``), ``//`` runs collapsed."""
    names = "|".join(sorted(map(re.escape, values), key=len, reverse=True))
    return re.sub(r"/{2,}", "/", re.sub(f":({names})", lambda m: values[m.group(1)], pattern))
