"""Cron expressions as users write them, turned into APScheduler 3 triggers.

Standard cron counts weekdays from Sunday = 0 (and 7); APScheduler 3's `from_crontab` counts from
Monday = 0 and has no wrapping ranges. So the day-of-week field is expanded here into the set of
days it means, in crontab(5) terms (`1-5`, `0-4`, `sun-thu`, `fri-mon`, `*/2`, `1-5/2`), and handed
to APScheduler as a plain list of day names. Config validation and the scheduler both use this one
function, so a schedule that validates is the schedule that runs.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

# crontab(5) numbering: Sunday is 0 and also 7.
_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_NUMBER = {name: i for i, name in enumerate(_NAMES)}


def _day(token: str) -> int:
    token = token.strip().lower()
    if token.isdigit():
        number = int(token)
        if number > 7:
            raise ValueError(f"day of week {number} is out of range 0-7")
        return number % 7
    if token[:3] in _NUMBER and len(token) >= 3:
        return _NUMBER[token[:3]]
    raise ValueError(f"{token!r} is not a day of the week")


def expand_days(field: str) -> list[int]:
    """The days (0 = Sunday) a cron day-of-week field selects, in week order."""
    days: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(f"step must be at least 1 in {part!r}")
        if base in ("*", "?"):
            start, span = 0, 7
        elif "-" in base:
            first, _, last = base.partition("-")
            start = _day(first)
            end = 7 if last.strip() == "7" else _day(last)
            # A range may wrap the week end: fri-mon is Friday to Monday.
            span = (end - start) % 7 + 1 if end != 7 else 7 - start + 1
        else:
            start, span = _day(base), 1
            if step_text:
                span = 7 - start  # "1/2": from Monday on, every second day, as cron does
        days.update((start + offset) % 7 for offset in range(0, span, step))
    if not days:
        raise ValueError(f"{field!r} selects no day")
    return sorted(days)


def cron_trigger(cron: str, timezone: str) -> CronTrigger:
    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"a cron schedule has 5 fields, got {len(fields)}")
    if fields[4] not in ("*", "?"):
        fields[4] = ",".join(_NAMES[d] for d in expand_days(fields[4]))
    return CronTrigger.from_crontab(" ".join(fields), timezone=ZoneInfo(timezone))
