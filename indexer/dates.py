"""Publication dates from metadata values or file names, always timezone-aware.

A date written without an offset is read in the site's time zone (``tz``; UTC when the site
names none), so the calendar day a post shows never shifts.
"""

from __future__ import annotations

import re
import reprlib
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any

PUBLISHED_KEYS = ("date", "published", "date_published", "datepublished", "pubdate",
                  "publishdate", "publish_date", "created", "fecha")
UPDATED_KEYS = ("lastmod", "updated", "last_modified", "modified", "date_modified",
                "datemodified", "actualizado")
_JEKYLL_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
# Every form seen in real blogs: `2014-5-21 10:42`, `2013/09/08 16:00:32`,
# `2014-07-22 21:32:25 UTC-03:00` (Nikola), `2020-01-02T03:04:05.123Z`, bare dates.
_LOOSE = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<zone>Z|UTC|GMT)?\s*(?:(?P<sign>[+-])(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?)?\s*$",
    re.IGNORECASE,
)


def _aware(value: datetime, tz: tzinfo) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=tz)


def parse_date(value: Any, tz: tzinfo = UTC) -> datetime | None:
    """A timezone-aware datetime from a YAML/TOML date or date text; None if it is not one.

    Values without an offset are taken as wall-clock time in ``tz``.
    """
    if isinstance(value, datetime):
        return _aware(value, tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=tz)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    iso = text[:-1] + "+00:00" if text.endswith("Z") else text
    try:
        return _aware(datetime.fromisoformat(iso), tz)
    except ValueError:
        pass
    loose = _loose(text, tz)
    if loose is not None:
        return loose
    try:
        return _aware(parsedate_to_datetime(text), tz)
    except (TypeError, ValueError, IndexError):
        pass
    return _ymd(re.match(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})", text), tz)


def _loose(text: str, tz: tzinfo) -> datetime | None:
    match = _LOOSE.match(text)
    if match is None:
        return None
    zone: tzinfo = tz
    if match["sign"]:
        minutes = int(match["oh"]) * 60 + int(match["om"] or 0)
        if minutes >= 24 * 60:
            return None
        zone = timezone(timedelta(minutes=minutes if match["sign"] == "+" else -minutes))
    elif match["zone"]:
        zone = UTC
    try:
        return datetime(int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"] or 0),
                        int(match["M"] or 0), int(match["S"] or 0), tzinfo=zone)
    except ValueError:
        return None


def _ymd(match: re.Match | None, tz: tzinfo = UTC) -> datetime | None:
    """Midnight in ``tz`` of the year, month and day a regex matched (None if no or impossible date)."""
    if match is None:
        return None
    try:
        return datetime(*map(int, match.groups()[:3]), tzinfo=tz)
    except ValueError:
        return None


def date_prefix(file_name: str, tz: tzinfo = UTC) -> datetime | None:
    """The date of a ``YYYY-MM-DD-`` file name prefix (Jekyll, Hexo, Zola, Pelican), else None."""
    return _ymd(_JEKYLL_PREFIX.match(file_name), tz)


def _lower_keys(metadata: dict[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in metadata.items()}


def published_date(metadata: dict[str, Any], file_name: str, tz: tzinfo = UTC) -> datetime | None:
    """The post's date: the first usable date key, else a ``YYYY-MM-DD-`` file name prefix."""
    keys = _lower_keys(metadata)
    for key in PUBLISHED_KEYS:
        found = parse_date(keys.get(key), tz)
        if found:
            return found
    return date_prefix(file_name, tz)


_SHORT = reprlib.Repr()  # a value in a warning: a few items, strings cut
_SHORT.maxstring = _SHORT.maxother = 60
_SHORT.maxlist = _SHORT.maxdict = 4


def invalid_dates(metadata: dict[str, Any]) -> list[str]:
    """Date keys whose value is set but is not a date, as ``key: value`` strings."""
    found = []
    for key, value in metadata.items():
        name = str(key).lower()
        if name in PUBLISHED_KEYS + UPDATED_KEYS and value not in (None, "") \
                and not isinstance(value, bool) and parse_date(value) is None:
            found.append(f"{key}: {_SHORT.repr(value)}")
    return found


def updated_date(metadata: dict[str, Any], tz: tzinfo = UTC) -> datetime | None:
    """The last-modified date (``lastmod``, ``updated``, ...) if any."""
    keys = _lower_keys(metadata)
    for key in UPDATED_KEYS:
        found = parse_date(keys.get(key), tz)
        if found:
            return found
    return None
