"""Publication dates as feeds, pages and article files write them.

One strict parser for every reader: ISO 8601, RFC 822 (with numeric or named zones), and the
forms feedparser rejects or misreads (``2020/1/10 14:33:00``, ``10.01.2020``, ``2020年1月10日``),
through python-dateutil. A value is a date only if it names a year, a month and a day itself:
nothing is filled in from today, and nothing is guessed from digits elsewhere (URLs, image names).
A value without a zone is read in the zone the caller gives (the config's ``timezone``).
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, time, tzinfo

from dateutil import parser as dateutil_parser
from dateutil.tz import tzoffset

# Zone abbreviations seen in feeds that RFC 822 does not define (it knows UT, GMT, EST ... PDT, Z).
_ZONE_HOURS: dict[str, float] = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "MET": 1, "CEST": 2, "MEST": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "IST": 5.5, "PKT": 5, "ICT": 7, "WIB": 7, "HKT": 8, "SGT": 8, "AWST": 8,
    "JST": 9, "KST": 9, "ACST": 9.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "HST": -10,
}
_TZINFOS = {name: tzoffset(name, int(hours * 3600)) for name, hours in _ZONE_HOURS.items()}
# "GMT+8" as news writes it means eight hours ahead; dateutil reads it the POSIX way (behind).
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC|UT)\s*([+-])(\d{1,2})(?::?(\d{2}))?$")
_CJK_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DOTTED_DAY_FIRST = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\b")
_HAS_DIGIT = re.compile(r"\d")
# Two defaults that differ in year, month and day: a field the value leaves out shows as a difference.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
_MAX_LENGTH = 80  # a date is short; a long value is some other text


def parse_date(value: str, zone: tzinfo = UTC) -> datetime | None:
    """The moment ``value`` names, time-zone aware, or None if it is not a complete date.

    Args:
        value: a date as written in a feed item, a page's metadata or an article file's header.
        zone: the zone of a value that gives none.
    """
    value = " ".join(value.split())
    if not value or len(value) > _MAX_LENGTH or not _HAS_DIGIT.search(value):
        return None
    parsed = _iso(value) or _general(value)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _iso(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        return None
    return parsed if len(value) > 10 else datetime.combine(parsed.date(), time(0))


def _general(value: str) -> datetime | None:
    value = _CJK_DATE.sub(r"\1-\2-\3 ", value).strip()
    value = _GMT_OFFSET.sub(lambda m: f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}", value)
    day_first = bool(_DOTTED_DAY_FIRST.match(value))
    results = []
    for default in _DEFAULTS:
        try:
            with warnings.catch_warnings():  # an unknown zone name: the value is read in ``zone``
                warnings.simplefilter("ignore", dateutil_parser.UnknownTimezoneWarning)
                results.append(dateutil_parser.parse(value, default=default, dayfirst=day_first, tzinfos=_TZINFOS))
        except (ValueError, OverflowError, TypeError, dateutil_parser.ParserError):
            return None
    first, second = results
    if first.date() != second.date():  # the value lacks a year, a month or a day
        return None
    return first
