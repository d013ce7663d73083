"""Publication dates from front matter values or Jekyll file names, always timezone-aware."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from email.utils import parsedate_to_datetime
from typing import Any

PUBLISHED_KEYS = ("date", "published", "date_published", "datepublished", "pubdate",
                  "publishdate", "publish_date", "created", "fecha")
UPDATED_KEYS = ("lastmod", "updated", "last_modified", "modified", "date_modified",
                "datemodified", "actualizado")
_JEKYLL_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def parse_date(value: Any) -> datetime | None:
    """A timezone-aware datetime from a YAML/TOML date, ISO 8601 or RFC 2822 text; else None."""
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    if isinstance(value, (int, float)) or not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    iso = text.replace("Z", "+00:00") if text.endswith("Z") else text
    try:
        return _aware(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:
        return _aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    return _ymd(re.match(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text))


def _ymd(match: re.Match | None) -> datetime | None:
    """Midnight UTC of the year, month and day a regex matched (None if no or impossible date)."""
    if match is None:
        return None
    try:
        return datetime(*map(int, match.groups()), tzinfo=UTC)
    except ValueError:
        return None


def _lower_keys(metadata: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in metadata.items()}


def published_date(metadata: dict[str, Any], file_name: str) -> datetime | None:
    """The post's date: the first usable date key, else a Jekyll ``YYYY-MM-DD-`` prefix."""
    keys = _lower_keys(metadata)
    for key in PUBLISHED_KEYS:
        found = parse_date(keys.get(key))
        if found:
            return found
    return _ymd(_JEKYLL_PREFIX.match(file_name))


def invalid_dates(metadata: dict[str, Any]) -> list[str]:
    """Date keys whose value is set but is not a date, as ``key: value`` strings."""
    found = []
    for key, value in metadata.items():
        name = str(key).lower()
        if name in PUBLISHED_KEYS + UPDATED_KEYS and value not in (None, "") \
                and not isinstance(value, bool) and parse_date(value) is None:
            found.append(f"{key}: {value!r}")
    return found


def updated_date(metadata: dict[str, Any]) -> datetime | None:
    """The last-modified date (``lastmod``, ``updated``, ...) if any."""
    keys = _lower_keys(metadata)
    for key in UPDATED_KEYS:
        found = parse_date(keys.get(key))
        if found:
            return found
    return None
