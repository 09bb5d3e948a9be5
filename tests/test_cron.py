"""Cron day-of-week fields mean what they mean in crontab(5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cron import NeverFiresError, cron_trigger, expand_days
from bot.runner.schedule import next_fire

SUN, MON, TUE, WED, THU, FRI, SAT = range(7)


@pytest.mark.parametrize(
    ("field", "days"),
    [
        ("1-5", [MON, TUE, WED, THU, FRI]),
        ("mon-fri", [MON, TUE, WED, THU, FRI]),
        ("0-4", [SUN, MON, TUE, WED, THU]),
        ("sun-thu", [SUN, MON, TUE, WED, THU]),
        ("fri-mon", [SUN, MON, FRI, SAT]),
        ("0-6", list(range(7))),
        ("*/2", [SUN, TUE, THU, SAT]),
        ("1-5/2", [MON, WED, FRI]),
        ("0", [SUN]),
        ("7", [SUN]),
        ("5-7", [SUN, FRI, SAT]),
        ("mon,wed,fri", [MON, WED, FRI]),
        ("sat,sun", [SUN, SAT]),
        # 7 is Sunday at the end of the week: `7-7` is Sunday alone, not every day.
        ("7-7", [SUN]),
        ("7", [SUN]),
        ("0-7", list(range(7))),
        ("sat-sun", [SUN, SAT]),
        ("7-1", [SUN, MON]),
        # A single day with a step runs to 7, as cronie reads it, so Sunday is included.
        ("1/2", [SUN, MON, WED, FRI]),
        ("mon/2", [SUN, MON, WED, FRI]),
        ("0/2", [SUN, TUE, THU, SAT]),
        ("5-7/2", [SUN, FRI]),
        ("fri-mon/2", [SUN, FRI]),
    ],
)
def test_day_of_week_fields(field: str, days: list[int]) -> None:
    assert expand_days(field) == days


@pytest.mark.parametrize("field", ["8", "funday", "mon-", "1/0"])
def test_bad_day_fields_are_rejected(field: str) -> None:
    with pytest.raises(ValueError):
        expand_days(field)


def test_the_trigger_fires_on_those_days() -> None:
    trigger = cron_trigger("0 9 * * 1-5/2", "Europe/Berlin")
    fired = []
    moment = datetime(2024, 5, 5, tzinfo=UTC)  # a Sunday
    for _ in range(6):
        moment = trigger.get_next_fire_time(None, moment + timedelta(seconds=1))
        fired.append(moment.strftime("%a %H:%M"))
    assert fired == ["Mon 09:00", "Wed 09:00", "Fri 09:00", "Mon 09:00", "Wed 09:00", "Fri 09:00"]


def _next_dates(cron: str, timezone: str, start: datetime, count: int) -> list[str]:
    trigger = cron_trigger(cron, timezone)
    dates: list[str] = []
    moment: datetime | None = start
    for _ in range(count):
        assert moment is not None
        moment = next_fire(trigger, moment)
        assert moment is not None
        dates.append(moment.astimezone(trigger.timezone).strftime("%a %d %b %H:%M"))
    return dates


def test_both_day_fields_restricted_fire_on_either() -> None:
    # crontab(5): "the 1st, and every Monday", not "a Monday that is the 1st" (Feb and Mar only).
    start = datetime(2027, 1, 1, tzinfo=UTC)  # a Friday, the 1st
    assert _next_dates("0 9 1 * mon", "UTC", start, 7) == [
        "Fri 01 Jan 09:00",
        "Mon 04 Jan 09:00",
        "Mon 11 Jan 09:00",
        "Mon 18 Jan 09:00",
        "Mon 25 Jan 09:00",
        "Mon 01 Feb 09:00",  # both at once: one run, not two
        "Mon 08 Feb 09:00",
    ]
    # In a DST zone, with a day list: the 15th or any Saturday/Sunday, local time.
    assert _next_dates(
        "30 7 15 3 sat,sun", "Europe/Berlin", datetime(2027, 3, 12, tzinfo=UTC), 4
    ) == [
        "Sat 13 Mar 07:30",
        "Sun 14 Mar 07:30",
        "Mon 15 Mar 07:30",
        "Sat 20 Mar 07:30",
    ]


def test_a_starred_day_field_still_narrows_with_the_other() -> None:
    # Only one field restricted (`*/2` counts as unrestricted): both must match, as before.
    start = datetime(2027, 1, 1, tzinfo=UTC)
    assert _next_dates("0 9 * * mon", "UTC", start, 2) == ["Mon 04 Jan 09:00", "Mon 11 Jan 09:00"]
    assert _next_dates("0 9 */2 * mon", "UTC", start, 2) == ["Mon 11 Jan 09:00", "Mon 25 Jan 09:00"]


@pytest.mark.parametrize("cron", ["0 9 31 2 *", "0 9 30 2 *", "0 9 31 4,6,9,11 *"])
def test_a_schedule_that_never_fires_is_refused(cron: str) -> None:
    with pytest.raises(NeverFiresError, match="never fires"):
        cron_trigger(cron, "UTC")
    # A date that only exists in leap years is fine; so is a day list that rescues Feb 31.
    assert cron_trigger("0 9 29 2 *", "UTC") is not None
    assert next_fire(cron_trigger("0 9 31 2 mon", "UTC"), datetime(2027, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    "field", ["mon#1", "sunny", "monthly", "fri-sunday_", "5L", "1#1", "mondayy", "sundae"]
)
def test_a_word_that_only_starts_with_a_day_is_refused(field: str) -> None:
    # "mon#1" is Quartz's "first Monday": read as "mon" it fired every Monday.
    with pytest.raises(ValueError, match="is not a day of the week"):
        expand_days(field)


def test_full_and_cut_day_names_are_days() -> None:
    # Spellings schedules saved before cron fields were checked may hold.
    assert expand_days("monday-weds,Sundays,thurs,fridays") == expand_days("mon-wed,sun,thu,fri")
    assert expand_days("mons,wednes,satur,thursd,frid") == expand_days("mon,wed,sat,thu,fri")
