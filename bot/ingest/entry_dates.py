"""A date's text read as the parser reads it, for `entry_cap`'s choice of the newest entries.

The parser's reading is fastfeedparser's `_parse_date`, then `normalize.parse_date` of what it
gives (`entries.newest`). Most dates are in a form the library reads without dateutil (RFC 822,
ISO 8601), and those cost a few microseconds. The rest cost dateutil's 20 to 70 us, which over
100,000 entries was most of what the cut saves; so the common forms dateutil would be asked for
("Jul 01, 2024", "01 Jul 2024", "07/01/2024") are read here, and a GUID such as "note-4821",
which dateutil refuses at its first word, is known for no date without asking. Whatever else
goes to the library, `SLOW_DATES` of them a document at most: past that, `TooSlow` is raised and
the caller leaves the choice to the parser, which reads them all anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from importlib.util import find_spec
from typing import Any

import fastfeedparser
from dateutil.parser import parserinfo  # type: ignore[import-untyped]

from bot.ingest.normalize import parse_date

__all__ = ["SLOW_DATES", "Budget", "TooSlow", "library_iso", "read_date"]

# Dates a document may send to dateutil before the choice is left to the parser: about 0.1 s.
SLOW_DATES = 2_000


class TooSlow(Exception):
    """More of a document's dates need dateutil than `SLOW_DATES`."""


class Budget:
    """How many more dates of one document may go to dateutil."""

    __slots__ = ("left",)

    def __init__(self, left: int = SLOW_DATES) -> None:
        self.left = left


_main: Any = getattr(fastfeedparser, "main", None)
# The parser's own reading; without it (another fastfeedparser) nothing is chosen before it.
_library_date: Callable[[str], str | None] | None = getattr(_main, "_parse_date", None)
# Its dateutil step, an lru_cache whose misses count the dates that went to dateutil.
_dateutil_step: Any = getattr(_main, "_slow_dateutil_parse", None)
_count_misses = _dateutil_step is not None and hasattr(_dateutil_step, "cache_info")

# The layout nearly every RSS feed dates its items in.
_RFC822_UTC = re.compile(
    r"[A-Z][a-z]{2}, (\d\d) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) (?:GMT|UTC|UT|\+0000|Z)"
)
_MONTHS = {m: n for n, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
# Dates with no time that dateutil reads (month first in "07/01/2024", as its default has it).
_MONTH_DAY_YEAR = re.compile(r"([A-Z][a-z]{2}) (\d\d?), (\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d\d?) ([A-Z][a-z]{2}) (\d{4})")
_NUMERIC_MDY = re.compile(r"(\d\d)/(\d\d)/(\d{4})")
# One word then no space: dateutil (not fuzzy) refuses a first word it does not know, and
# email.utils wants five fields. Dots are left out: dateutil reads "a.m." as one word.
_ONE_WORD = re.compile(r"([A-Za-z]+)(?:[-_0-9][-_0-9A-Za-z]*)?")
_info = parserinfo()
_DATEUTIL_WORDS = frozenset(
    word.lower()
    for table in (_info.JUMP, _info.HMS, _info.AMPM, _info.UTCZONE, _info.PERTAIN)
    for entry in table
    for word in ((entry,) if isinstance(entry, str) else entry)
) | frozenset(
    word.lower() for table in (_info.WEEKDAYS, _info.MONTHS) for entry in table for word in entry
)
# dateparser, when installed, follows dateutil and reads much more: then nothing is skipped.
_LOOSER_PARSER = find_spec("dateparser") is not None


def read_date(raw: str, budget: Budget) -> tuple[bool, float | None]:
    """`raw`, an element's text, as the parser reads it: whether the library reads a date in it
    (the parser then looks no further), and the timestamp the entry is ranked by (None: none,
    or one `normalize.parse_date` does not take). Raises `TooSlow` when `budget` runs out."""
    value = raw.strip()
    if not value:
        return False, None
    # Each form read here opens with a digit or a capital: a GUID seldom does.
    if (value[0].isdigit() or value[0].isupper()) and (when := _common(value)) is not None:
        return True, when
    if _no_date(value):
        return False, None
    iso = library_iso(value, budget)
    if not iso:
        return False, None
    when_dt = parse_date(iso)
    return True, when_dt.timestamp() if when_dt is not None else None


def library_iso(value: str, budget: Budget) -> str | None:
    """The library's reading of `value`: ISO 8601 text, or None or "" for no date. Raises
    `TooSlow` when `budget` runs out."""
    if _library_date is None:
        raise TooSlow
    before = _dateutil_step.cache_info().misses if _count_misses else 0
    iso = _library_date(value)
    if not _count_misses or _dateutil_step.cache_info().misses != before:
        budget.left -= 1
        if budget.left < 0:
            raise TooSlow
    return iso


def _common(value: str) -> float | None:
    """A date in one of the forms read here, else None (left to the library)."""
    if match := _RFC822_UTC.fullmatch(value):
        day, year, hour, minute, second = map(int, match.group(1, 3, 4, 5, 6))
        if hour > 23 or minute > 59 or second > 59:
            return None  # hour 24 is the next day's 00 to the library
        return _utc(year, _MONTHS.get(match.group(2)), day, hour, minute, second)
    if match := _MONTH_DAY_YEAR.fullmatch(value):
        return _utc(int(match[3]), _MONTHS.get(match[1]), int(match[2]))
    if match := _DAY_MONTH_YEAR.fullmatch(value):
        return _utc(int(match[3]), _MONTHS.get(match[2]), int(match[1]))
    if match := _NUMERIC_MDY.fullmatch(value):
        month, day = int(match[1]), int(match[2])
        if month > 12:
            return None  # dateutil reads it day first
        return _utc(int(match[3]), month, day)
    return None


def _utc(
    year: int, month: int | None, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> float | None:
    if month is None or year < 100:
        # The library reads "0024" as 2024 (through email.utils) or as 24 AD, by the form.
        return None
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp()
    except ValueError:
        return None  # no such day: left to the library, which may read it otherwise


def _no_date(value: str) -> bool:
    """Whether the library surely reads no date in `value`: one word dateutil does not know,
    then no space ("note-4821")."""
    if _LOOSER_PARSER:
        return False
    match = _ONE_WORD.fullmatch(value)
    if match is None:
        return False
    word = match[1]
    if word.lower() in _DATEUTIL_WORDS:
        return False
    try:
        float(word)  # "inf" and "nan" are numbers to dateutil
    except ValueError:
        return True
    return False
