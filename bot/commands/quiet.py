"""Quiet hours as people type them in /watchlist quiet: `22:00-07:00`, `10pm-7am`, `22-7`, `off`.

An hour alone from 1 to 12 may be morning or evening: "9-5" read on the 24-hour clock is
09:00-05:00, twenty quiet hours where office hours were likely meant. It is read on the 24-hour
clock only beside an end that shows that clock (`22-7`, `0-6`, `7-22:30`). Beside an end with am
or pm (`10pm-6`, `10-6am`, `8pm-8`) it is read as the half of the day that gives a quiet window
of 12 hours or less, when only one does (22:00-06:00, not twenty hours to 18:00), and the reply
says how it was read (`QuietHours.understood`). Anything else with such an hour is refused, asking for the
24-hour clock or am/pm: two hours alone (`9-5`, `10-6`) each have a short reading, and a
`09:00` beside one is no am or pm (`09:00-5`: 9am to 5pm, or 9pm to 5am?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from bot.commands.base import UsageError
from bot.commands.clock import ClockError, join_halves, read_clock
from bot.config_values import (
    ConfigError,
    quiet_hours_shape,
    tidy_quiet_hours,
    validate_quiet_hours,
)
from bot.cron import cron_trigger
from bot.render.literal import quoted
from bot.runner.schedule import next_fire, parse_quiet_hours, quiet_until
from bot.store.channels import ChannelRow

_HOUR_ALONE_RE = re.compile(r"^\d{1,2}$")
# An end that says its half of the day: "10pm", "6 a.m." (joined to its hour by then).
_HALF_RE = re.compile(r"[ap]\.?m\.?$", re.IGNORECASE)
_DAY_MINUTES = 24 * 60
# The two readings of an hour alone give windows 12 hours apart: the one up to this long is the
# quiet night or evening meant (at exactly 12 hours the other is empty, so no window at all).
_MOST_MINUTES = 12 * 60


@dataclass(frozen=True, slots=True)
class QuietHours:
    value: str | None  # HH:MM-HH:MM as stored; None: `off`
    # How an hour alone was read, said in the confirmation: "Read '10pm-6' as ..."; "" when
    # every end was typed unambiguously.
    understood: str = ""


def read_quiet_hours(values: list[str], usage: str) -> QuietHours:
    """The quiet hours `/watchlist quiet <values>` sets; UsageError (with `usage`) on bad input."""
    typed = " ".join(values)
    if not typed.strip():
        raise UsageError("Which hours? Give a range like 22:00-07:00, or off.", usage)
    # Spaces around the dash ("22:00 - 07:00", as Slack splits it or Discord's option keeps
    # it in one value) and an en dash are harmless; tidy them rather than refuse.
    value, understood = _quiet_clock(tidy_quiet_hours(join_halves(typed)), usage)
    if value.lower() == "off":
        return QuietHours(None)
    try:
        validate_quiet_hours(value, "quiet")
    except ConfigError:
        if quiet_hours_shape(value):
            # Well formed but refused: an empty range, which the scheduler reads as no quiet
            # hours; do not show it as some.
            raise UsageError(
                f"Quiet hours {value} start and end at the same time, so they would never "
                "apply. Give a range like 22:00-07:00, or off.",
                usage,
            ) from None
        # Quote everything that was typed, not just the first word after `quiet`.
        raise UsageError(
            f"Quiet hours look like 22:00-07:00 (or `off`), got {quoted(typed, 60)}.", usage
        ) from None
    return QuietHours(value, understood)


def _quiet_clock(value: str, usage: str) -> tuple[str, str]:
    """Quiet hours typed as people say them ("10pm-7am", "22-7") in the HH:MM-HH:MM stored, and
    how an hour alone was read ("" if none was); `value` as it is when it is no pair of times
    (`off`, or what the caller refuses)."""
    if quiet_hours_shape(value) or value.count("-") != 1:
        return value, ""
    parts = value.split("-")
    try:
        clocks = [read_clock(part) for part in parts]
    except ClockError as exc:
        raise UsageError(f"{exc}.", usage) from None
    start, end = clocks
    if start is None or end is None:
        return value, ""
    unclear = [part for part in parts if _HOUR_ALONE_RE.match(part) and 1 <= int(part) <= 12]
    understood = ""
    if unclear and not any(_on_24_hour_clock(part) for part in parts):
        read = _beside_am_pm(parts, start, end)
        if read is None:
            ends = " and ".join(quoted(part) for part in unclear)
            it = "each" if len(unclear) > 1 else "it"
            raise UsageError(
                f"In {quoted(value, 60)}, {ends} may be morning or evening. Give {it} as a "
                "24-hour time (22:00-07:00) or with am or pm (10pm-7am).",
                usage,
            )
        start, end = read
        understood = (
            f"Read {quoted(value, 60)} as {_hhmm(start)}-{_hhmm(end)} "
            f"({_twelve_hour(start)} to {_twelve_hour(end)})."
        )
    return f"{_hhmm(start)}-{_hhmm(end)}", understood


def _beside_am_pm(
    parts: list[str], start: tuple[int, int], end: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Start and end when one end is an hour alone and the other has am or pm, and only one
    half of the day for the hour alone gives a quiet window of 12 hours or less (and more than
    none); else None."""
    alone = [i for i, part in enumerate(parts) if _HOUR_ALONE_RE.match(part)]
    halves = [i for i, part in enumerate(parts) if _HALF_RE.search(part)]
    if len(alone) != 1 or len(halves) != 1:
        return None
    ends = [start, end]
    hour = ends[alone[0]][0] % 12
    readings = []
    for reading in (hour, hour + 12):
        ends[alone[0]] = (reading, 0)
        minutes = ((ends[1][0] - ends[0][0]) * 60 + ends[1][1] - ends[0][1]) % _DAY_MINUTES
        if 0 < minutes <= _MOST_MINUTES:
            readings.append((ends[0], ends[1]))
    return readings[0] if len(readings) == 1 else None


def _on_24_hour_clock(part: str) -> bool:
    """Whether a quiet-hours end can only be a 24-hour time: 0, or 13 to 23, with no am or pm."""
    clock = read_clock(part)
    return clock is not None and part[-1:].isdigit() and (clock[0] == 0 or clock[0] > 12)


def _hhmm(clock: tuple[int, int]) -> str:
    return f"{clock[0]:02d}:{clock[1]:02d}"


def _twelve_hour(clock: tuple[int, int]) -> str:
    """22:00 as "10pm", 06:30 as "6:30am", midnight "12am" and noon "12pm", as typed."""
    hour, minute = clock
    shown = hour % 12 or 12
    half = "am" if hour < 12 else "pm"
    return f"{shown}{half}" if minute == 0 else f"{shown}:{minute:02d}{half}"


# The digests a quiet-hours check looks at: enough for any weekly schedule, and a daily one's
# changes of clock; a schedule firing more often is read by its first ones.
_FIRES_CHECKED = 60
# Times named one by one in the note; more are "every digest time".
_TIMES_NAMED = 3
# Quiet hours leaving less than this open each day hold back nearly everything, digest or not.
_OPEN_MINUTES_NOTED = 60


def held_back_note(channel: ChannelRow, now: datetime) -> str:
    """A warning for settings saved as asked that still hold back every digest: each scheduled
    time falls in the quiet hours (a 23:00 digest with quiet hours 22:00-07:00 always waits for
    07:00), or the quiet hours leave under an hour a day to post in; "" when nothing is held so."""
    spec = channel.quiet_hours
    bounds = parse_quiet_hours(spec)
    if spec is None or bounds is None:
        return ""
    zone = ZoneInfo(channel.timezone)
    if channel.mode == "digest":
        ends: set[str] = set()
        times: set[str] = set()
        trigger, cursor = cron_trigger(channel.schedule, channel.timezone), now
        for _ in range(_FIRES_CHECKED):
            fire = next_fire(trigger, cursor)
            if fire is None:
                break
            until = quiet_until(fire, spec, channel.timezone)
            if until is None:
                break
            times.add(f"{fire.astimezone(zone):%H:%M}")
            ends.add(f"{until.astimezone(zone):%H:%M}")
            cursor = fire
        else:
            shown = ", ".join(sorted(times))
            if len(times) == 1:
                named = f"{shown} falls"
            elif len(times) <= _TIMES_NAMED:
                named = f"every digest time ({shown}) falls"
            else:
                named = "every digest time falls"
            return (
                f"Note: {named} in quiet hours {spec}, so digests will post at "
                f"{' or '.join(sorted(ends))}."
            )
    start, end = bounds
    open_minutes = (_minutes(start) - _minutes(end)) % (24 * 60)
    if open_minutes < _OPEN_MINUTES_NOTED:
        return (
            f"Note: quiet hours {spec} leave only {open_minutes} minute"
            f"{'' if open_minutes == 1 else 's'} a day ({end:%H:%M}-{start:%H:%M}) to post in, "
            f"so posts will wait for {end:%H:%M}."
        )
    return ""


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute
