"""A time of day as people type it in chat, for /watchlist schedule and quiet: `09:00`, `9:00`,
`9` (an hour alone, read on the 24-hour clock), `9am`, `9:30pm`, `9 pm`, `12am` (midnight). A
token that looks like a time but is none (`25:00`, `24:00`, `13pm`, `9:75`) gets its own reason
and the fix, rather than a general "expected HH:MM" that leaves the reader to find what is off."""

from __future__ import annotations

import re

# Digits first, so a day name or a time zone is never read as a time; am/pm with or without dots.
_CLOCK_RE = re.compile(
    r"^(?P<hour>\d{1,2})(?::(?P<minute>\d{1,2}))?(?:(?P<half>[ap])\.?m\.?)?$", re.IGNORECASE
)
# "9 am", "10 p.m.": the half of the day split from its hour, joined back before reading (also
# before a comma: "9 am, Europe/Berlin").
_SPACED_HALF_RE = re.compile(r"(?<=\d)\s+(?=(?:[ap]\.?m\.?)(?:\s|-|,|$))", re.IGNORECASE)


class ClockError(ValueError):
    """Typed as a time, but no time of day: the message names the part that is wrong."""


def join_halves(text: str) -> str:
    """`text` with each "am"/"pm" typed apart from its hour joined to it ("9 am" is "9am")."""
    return _SPACED_HALF_RE.sub("", text)


def read_clock(token: str) -> tuple[int, int] | None:
    """(hour, minute) on the 24-hour clock for a typed time; None for a token that is not one
    (a day name, a zone); ClockError for one that is written as a time but names none."""
    found = _CLOCK_RE.match(token)
    if found is None:
        return None
    hour = int(found.group("hour"))
    minutes = found.group("minute")
    half = (found.group("half") or "").lower()
    if minutes is not None and len(minutes) != 2:
        raise ClockError(f"{token!r} is not a time: minutes take two digits, like 09:05")
    minute = int(minutes) if minutes is not None else 0
    if minute > 59:
        raise ClockError(f"{token!r} is not a time: minutes run 00 to 59")
    if half:
        if not 1 <= hour <= 12:
            raise ClockError(
                f"{token!r} is not a time: with am or pm, hours run 1 to 12 "
                f"(or write {hour:02d}:{minute:02d} on the 24-hour clock)"
                if hour <= 23
                else f"{token!r} is not a time: with am or pm, hours run 1 to 12"
            )
        # 12am is midnight and 12pm noon.
        hour = hour % 12 + (12 if half == "p" else 0)
    elif hour == 24:
        raise ClockError(
            f"{token!r} is not a time: hours run 00 to 23 (midnight is 00:{minute:02d})"
        )
    elif hour > 23:
        raise ClockError(f"{token!r} is not a time: hours run 00 to 23")
    return hour, minute
