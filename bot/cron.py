"""Cron expressions as users write them, turned into APScheduler 3 triggers.

Standard cron counts weekdays from Sunday = 0 (and 7); APScheduler 3's `from_crontab` counts from
Monday = 0 and has no wrapping ranges. So the day-of-week field is expanded here into the set of
days it means, in crontab(5) terms (`1-5`, `0-4`, `sun-thu`, `fri-mon`, `*/2`, `1-5/2`), and handed
to APScheduler as a plain list of day names. Config validation and the scheduler both use this one
function, so a schedule that validates is the schedule that runs.

Two more crontab(5) rules APScheduler does not follow on its own: when both day fields are
restricted (neither starts with `*`), a day matching either fires (`0 9 1 * mon` is the 1st and
every Monday), and a schedule that can never fire (`0 9 31 2 *`) is an error, not a silent no-op.

And one about daylight saving time: a wall-clock time the clocks skip fires at the first instant
after the gap, once, as Vixie cron and systemd do (`LocalTimeTrigger`), unless the schedule's hour
or minute is a wildcard (`15 * * * *`, `*/30 9-17 * * *`): such a schedule follows the clock, as
Vixie cron's runs it, and 02:15 skipped is no fire at 03:00 a quarter of an hour before 03:15's.
APScheduler 3 moves such
a time an hour on within the day at best, and drops it when the gap starts at midnight (Santiago,
Cairo, Beirut, Havana): a weekly digest then skipped a whole week. A wall time the clocks repeat
fires at its first occurrence only.
"""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.cron.fields import BaseField

# crontab(5) numbering: Sunday is 0 and also 7.
_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_NUMBER = {name: i for i, name in enumerate(_NAMES)}
# Day names as people write them, by cron's three letters: the one table for the chat's friendly
# schedules and for cron fields (schedules saved before cron fields were checked hold "weds" or
# "fridays", and must keep running).
DAY_SPELLINGS = {
    "sun": ("sun", "sunday"),
    "mon": ("mon", "monday"),
    "tue": ("tue", "tues", "tuesday"),
    "wed": ("wed", "weds", "wednesday"),
    "thu": ("thu", "thur", "thurs", "thursday"),
    "fri": ("fri", "friday"),
    "sat": ("sat", "saturday"),
}
# Every spelling, and a full name's plural ("sundays 10:00"), to cron's three letters.
DAY_NAMES = {
    spelling: day
    for day, spellings in DAY_SPELLINGS.items()
    for name in spellings
    for spelling in (name, name + "s" if name.endswith("day") else name)
}


def _day(token: str) -> int:
    """A day as crontab(5) numbers it: 0-7 as written (7 stays 7, Sunday at the week's end, so
    `7-7` and `5-7` keep their meaning), a name as 0 (Sunday) to 6."""
    token = token.strip().lower()
    if token.isdigit():
        number = int(token)
        if number > 7:
            raise ValueError(f"day of week {number} is out of range 0-7")
        return number
    # A spelling of a day, a full name cut after at least three letters ("wednes", "satur"), or
    # either with a plural "s" ("mons"): schedules saved before cron fields were checked may
    # hold any of these. Nothing else: a word that merely starts with a day ("mon#1", Quartz's
    # "first Monday"; "sunny") must not pass for that day.
    for word in dict.fromkeys((token, token.removesuffix("s"))):
        if word in DAY_NAMES:
            return _NUMBER[DAY_NAMES[word]]
        for day, spellings in DAY_SPELLINGS.items():
            if len(word) >= 3 and spellings[-1].startswith(word):
                return _NUMBER[day]
    raise ValueError(f"{token!r} is not a day of the week (sun-sat, sunday-saturday or 0-7)")


def expand_days(field: str) -> list[int]:
    """The days (0 = Sunday) a cron day-of-week field selects, in week order."""
    days: set[int] = set()
    for part in field.split(","):
        base, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(f"step must be at least 1 in {part!r}")
        if base in ("*", "?"):
            numbers = range(0, 7, step)
        elif "-" in base:
            first, _, last = base.partition("-")
            start, end = _day(first), _day(last)
            # A range may wrap the week end: fri-mon is Friday to Monday (5..8, 8 being Monday).
            numbers = range(start, (end if end >= start else end + 7) + 1, step)
        else:
            start = _day(base)
            # "1/2" runs from Monday to the top of the range, 7, as cronie reads it: Sunday too.
            numbers = range(start, 8, step) if step_text else range(start, start + 1)
        days.update(n % 7 for n in numbers)
    if not days:
        raise ValueError(f"{field!r} selects no day")
    return sorted(days)


class NeverFiresError(ValueError):
    """The cron is well-formed but matches no date at all (e.g. day 31 of February)."""


class DayOrCronTrigger(CronTrigger):
    """A cron whose day-of-month and day-of-week are both restricted: it fires on a day matching
    either, as crontab(5) does (APScheduler requires both). A CronTrigger subclass, so callers
    typed for one (and its `timezone`) keep working; it is the month-day half plus the week-day
    half, taking whichever fires first."""

    def __init__(self, by_month_day: CronTrigger, by_week_day: CronTrigger) -> None:
        self.__setstate__(by_month_day.__getstate__())
        self.by_week_day = by_week_day

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        candidates = (
            super().get_next_fire_time(previous_fire_time, now),
            self.by_week_day.get_next_fire_time(previous_fire_time, now),
        )
        return min((t for t in candidates if t is not None), default=None)

    def __str__(self) -> str:
        return f"{super().__str__()} or {self.by_week_day}"


def _restricted(field: str) -> bool:
    # crontab(5)'s rule: a day field starting with `*` (`*`, `*/2`) does not restrict.
    return not (field.startswith("*") or field == "?")


class LocalTimeTrigger(CronTrigger):
    """A cron read as wall-clock times in `timezone`, each fired at the instant it arrives: a
    time in a spring-forward gap at the gap's end (every time in one gap, there once), a time in
    a fall-back repeat at its first pass only. The matching is the same cron's in UTC, whose
    naive times are the wall-clock times, so the zone's offsets never bend it. A CronTrigger
    subclass, so callers typed for one (and its `timezone`) keep working; the job and the
    catch-up (`bot.runner.schedule.next_fire`) both use it, so they agree on every slot."""

    def __init__(self, zoned: CronTrigger, wall: CronTrigger, follows_clock: bool = False) -> None:
        self.__setstate__(zoned.__getstate__())
        self.zoned = zoned
        self.wall = wall
        # Hour or minute a wildcard: times in a gap are skipped, not fired at its end (see the
        # module doc), since the schedule's next time comes soon after anyway.
        self.follows_clock = follows_clock

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        # As CronTrigger reads its arguments: at or after `now`, strictly after the previous fire.
        start = now.astimezone(UTC)
        if previous_fire_time is not None:
            previous = previous_fire_time.astimezone(UTC)
            start = min(start, previous + timedelta(microseconds=1))
            if start == previous:
                start += timedelta(microseconds=1)
        if start.microsecond:
            start += timedelta(microseconds=1_000_000 - start.microsecond)
        zone = self.timezone
        # The wall time to search from. At the very end of a gap the skipped times, which fire
        # now, lie before the wall clock's reading: start from the offset in force just before.
        before = (start - timedelta(seconds=1)).astimezone(zone).utcoffset()
        # astimezone() has just converted into the zone, which it refuses without an offset.
        assert before is not None
        wall = min(
            start.astimezone(zone).replace(tzinfo=None), (start + before).replace(tzinfo=None)
        )
        candidate = self.wall.get_next_fire_time(None, wall.replace(tzinfo=UTC))
        while candidate is not None:
            wall_time = candidate.replace(tzinfo=None)
            fires = arrival(wall_time, zone)
            skipped = (
                self.follows_clock and fires.astimezone(zone).replace(tzinfo=None) != wall_time
            )
            if fires >= start and not skipped:
                return fires.astimezone(zone)
            # Only the repeated hour of a fall-back has wall times whose instant is before
            # `start`, and only a gap has skipped ones: a few steps at most.
            candidate = self.wall.get_next_fire_time(candidate, candidate)
        return None

    def __str__(self) -> str:
        return str(self.zoned)

    def __repr__(self) -> str:
        return f"<LocalTimeTrigger {self.zoned!r}>"


def arrival(wall: datetime, zone: tzinfo) -> datetime:
    """The UTC instant the wall-clock time `wall` (naive) arrives in `zone`: its first occurrence
    when the clocks repeat it, the end of the gap when they skip it. The one rule for every
    wall-clock time the bot keeps: digest slots here, quiet hours' ends
    (`bot.runner.schedule.quiet_until`)."""
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    # In a gap, fold=0 reads `wall` with the offset before the jump (an instant after it) and
    # fold=1 with the one after (an instant before it): the jump lies between. Transitions fall
    # on whole seconds, so bisect to the second.
    early = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = early, first
    offset = early.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + timedelta(seconds=(high - low).total_seconds() // 2)
        if middle.astimezone(zone).utcoffset() == offset:
            low = middle
        else:
            high = middle
    return high


def _crontab(fields: list[str], zone: tzinfo) -> CronTrigger:
    if _restricted(fields[2]) and _restricted(fields[4]):
        by_month_day = CronTrigger.from_crontab(" ".join([*fields[:4], "*"]), timezone=zone)
        by_week_day = CronTrigger.from_crontab(" ".join([*fields[:2], "*", *fields[3:]]), zone)
        return DayOrCronTrigger(by_month_day, by_week_day)
    return CronTrigger.from_crontab(" ".join(fields), timezone=zone)


def _fields(cron: str) -> list[str]:
    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"a cron schedule has 5 fields, got {len(fields)}")
    if fields[4] not in ("*", "?"):
        fields[4] = ",".join(_NAMES[d] for d in expand_days(fields[4]))
    return fields


def cron_trigger(cron: str, timezone: str) -> CronTrigger:
    fields = _fields(cron)
    zone = ZoneInfo(timezone)
    follows_clock = fields[0].startswith("*") or fields[1].startswith("*")
    trigger = LocalTimeTrigger(_crontab(fields, zone), _crontab(fields, UTC), follows_clock)
    _check_fires(cron, trigger, zone)
    return trigger


def _check_fires(cron: str, trigger: CronTrigger, zone: tzinfo) -> None:
    """Refuse a schedule with no fire time at all, e.g. day 31 of February (APScheduler searches
    up to year 9999 and gives None, so such a digest would silently never come)."""
    if trigger.get_next_fire_time(None, datetime.now(UTC).astimezone(zone)) is None:
        raise NeverFiresError(
            f"{cron!r} never fires: no date has that day of the month in that month"
        )


# A digest is a round-up: one more often than this is a stream of near-empty posts, which is
# what `instant` mode does properly (each story once, as it qualifies). Chat refuses such a
# schedule (`bot.commands.schedule`); the config file keeps it, with a warning
# (`bot.config_warnings`).
MIN_DIGEST_GAP = timedelta(minutes=30)


def shortest_gap(cron: str) -> timedelta:
    """The shortest time between two fires of `cron`, for refusing one that fires too often; a
    day when no two fires are closer than that. Read on a wall clock (a clock change never makes
    two fires look close). The gap from a day's last fire to the next day's first counts only if
    two days in a row fire: `0,50 0,23 * * 1` is 50 minutes, not 10 (Monday 23:50 is followed by
    the next Monday's 00:00)."""
    fields = _fields(cron)
    trigger = _crontab(fields, UTC)
    by_name = {field.name: field for field in trigger.fields}
    # Each field's values checked one by one: 60 + 24 look-ups, where stepping through the day's
    # fires took up to 1,440 trigger searches.
    minutes = _values(by_name["minute"], 60)
    hours = _values(by_name["hour"], 24)
    times = sorted(hour * 60 + minute for hour in hours for minute in minutes)
    day = 24 * 60
    shortest = min((b - a for a, b in itertools.pairwise(times)), default=day)
    overnight = day - times[-1] + times[0]
    if overnight < shortest and _fires_two_days_running(tuple(fields[2:])):
        shortest = overnight
    return timedelta(minutes=shortest)


def _values(field: BaseField, top: int) -> list[int]:
    """The hours or minutes (`field.name`) the field selects."""
    base = datetime(2000, 1, 1)
    dates = (
        base.replace(hour=value) if field.name == "hour" else base.replace(minute=value)
        for value in range(top)
    )
    return [value for value, date in enumerate(dates) if field.get_next_value(date) == value]


# 2000-01-01 to 2028-01-01: a whole 28-year cycle of the calendar (2000 is a leap year, 2100 is
# not yet reached), so every date falls on every weekday it can, and every pair of days in a row.
_CYCLE_START = datetime(2000, 1, 1)
_CYCLE_DAYS = (datetime(2028, 1, 1) - _CYCLE_START).days
_LEAP_CYCLE_DAYS = (datetime(2004, 1, 1) - _CYCLE_START).days


@functools.lru_cache(maxsize=256)
def _fires_two_days_running(day_fields: tuple[str, str, str]) -> bool:
    """Whether the day-of-month, month and day-of-week fields select two days in a row, ever.
    Bounded: at most one pass over a 28-year calendar cycle (~10,000 days, ~0.3 s), stopping at
    the first pair; week days alone are answered at once, month days alone in a 4-year pass."""
    month_day, _, week_day = day_fields
    every_week_day = week_day in ("*", "?")
    if month_day in ("*", "?") and not every_week_day:
        # Week days alone, in any months (each has every pair of weekdays): two in a row?
        days = set(expand_days(week_day))
        return any((d + 1) % 7 in days for d in days)
    trigger = _crontab(["0", "0", *day_fields], UTC)
    halves = [trigger, trigger.by_week_day] if isinstance(trigger, DayOrCronTrigger) else [trigger]
    checks = [
        [field for field in half.fields if field.name in _DAY_FIELD_NAMES and not field.is_default]
        for half in halves
    ]
    if not any(checks[0]) and len(checks) == 1:
        return True  # every day

    def fires(date: datetime) -> bool:
        return any(
            all(field.get_next_value(date) == field.get_value(date) for field in fields)
            for fields in checks
        )

    # Without week days the calendar repeats every 4 years (2000 is a leap year): a 5-field
    # cron's day of the month cannot name a weekday ("last fri" needs a space).
    span = _LEAP_CYCLE_DAYS if every_week_day else _CYCLE_DAYS
    previous = False
    for offset in range(span + 1):
        today = fires(_CYCLE_START + timedelta(days=offset))
        if today and previous:
            return True
        previous = today
    return False


_DAY_FIELD_NAMES = ("month", "day", "day_of_week")
