"""Cron day-of-week fields mean what they mean in crontab(5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cron import cron_trigger, expand_days

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
