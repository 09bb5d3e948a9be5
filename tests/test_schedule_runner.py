"""Digest schedules, quiet hours and catch-up, computed at fixed instants (never by sleeping)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.runner.schedule import (
    cron_trigger,
    fire_times,
    missed_digest,
    next_fire,
    parse_quiet_hours,
    poll_jitter,
    quiet_until,
    release_time,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_digest_keeps_local_time_across_spring_forward() -> None:
    # Europe/Berlin switches to summer time on 2024-03-31 (02:00 -> 03:00).
    trigger = cron_trigger("0 9 * * *", "Europe/Berlin")
    times = fire_times(trigger, utc(2024, 3, 29, 12), utc(2024, 4, 2, 12))
    assert times == [
        utc(2024, 3, 30, 8),  # 09:00 CET
        utc(2024, 3, 31, 7),  # 09:00 CEST
        utc(2024, 4, 1, 7),
        utc(2024, 4, 2, 7),
    ]


def test_daily_digest_keeps_local_time_across_fall_back_in_new_york() -> None:
    # America/New_York falls back on 2024-11-03.
    trigger = cron_trigger("30 7 * * *", "America/New_York")
    times = fire_times(trigger, utc(2024, 11, 2, 0), utc(2024, 11, 4, 23))
    assert times == [utc(2024, 11, 2, 11, 30), utc(2024, 11, 3, 12, 30), utc(2024, 11, 4, 12, 30)]


def test_digest_in_the_skipped_hour_still_runs_once() -> None:
    trigger = cron_trigger("30 2 * * *", "Europe/Berlin")
    times = fire_times(trigger, utc(2024, 3, 30, 12), utc(2024, 4, 1, 12))
    # 02:30 does not exist on 2024-03-31; the digest still goes out that day, once.
    assert len([t for t in times if t.date() == datetime(2024, 3, 31).date()]) == 1
    assert len(times) == 2


def test_repeated_hour_on_fall_back_fires_once() -> None:
    trigger = cron_trigger("30 2 * * *", "Europe/Berlin")  # 02:30 happens twice on 2024-10-27
    times = fire_times(trigger, utc(2024, 10, 26, 12), utc(2024, 10, 27, 12))
    assert times == [utc(2024, 10, 27, 0, 30)]


def test_weekday_rules_use_cron_numbering() -> None:
    # Standard cron: 1-5 is Monday to Friday (APScheduler 3 would read it as Tuesday-Saturday).
    numeric = cron_trigger("0 9 * * 1-5", "UTC")
    named = cron_trigger("0 9 * * mon-fri", "UTC")
    start, end = utc(2024, 5, 4), utc(2024, 5, 12)  # Saturday to the next Sunday
    days = [t.strftime("%a") for t in fire_times(numeric, start, end)]
    assert days == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    assert fire_times(named, start, end) == fire_times(numeric, start, end)
    sunday = cron_trigger("0 9 * * 0", "UTC")
    assert next_fire(sunday, start) == utc(2024, 5, 5, 9)
    assert next_fire(cron_trigger("0 9 * * 7", "UTC"), start) == utc(2024, 5, 5, 9)


def test_weekly_digest_in_tokyo_is_monday_morning_local() -> None:
    trigger = cron_trigger("0 8 * * mon", "Asia/Tokyo")
    # Sunday 23:30 UTC is already Monday 08:30 in Tokyo: the next one is a week later.
    assert next_fire(trigger, utc(2024, 5, 5, 23, 30)) == utc(2024, 5, 12, 23)
    assert next_fire(trigger, utc(2024, 5, 5, 22, 0)) == utc(2024, 5, 5, 23)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (utc(2024, 5, 6, 19, 59), None),  # 21:59 Berlin: before quiet hours
        (utc(2024, 5, 6, 20, 0), utc(2024, 5, 7, 5, 0)),  # 22:00: quiet until 07:00
        (utc(2024, 5, 7, 1, 0), utc(2024, 5, 7, 5, 0)),  # 03:00, after midnight
        (utc(2024, 5, 7, 5, 0), None),  # 07:00: over
    ],
)
def test_quiet_hours_wrapping_midnight(when: datetime, expected: datetime | None) -> None:
    assert quiet_until(when, "22:00-07:00", "Europe/Berlin") == expected


def test_quiet_hours_same_day_range_and_release() -> None:
    assert quiet_until(utc(2024, 5, 6, 12, 30), "12:00-13:00", "UTC") == utc(2024, 5, 6, 13)
    assert quiet_until(utc(2024, 5, 6, 13, 0), "12:00-13:00", "UTC") is None
    assert release_time(utc(2024, 5, 6, 11), "12:00-13:00", "UTC") == utc(2024, 5, 6, 11)
    assert release_time(utc(2024, 5, 6, 12), None, "UTC") == utc(2024, 5, 6, 12)
    assert parse_quiet_hours("08:00-08:00") is None
    with pytest.raises(ValueError):
        parse_quiet_hours("8-9")


def test_quiet_hours_end_on_dst_night_is_local_time() -> None:
    # Quiet 22:00-07:00 across spring-forward: ends 07:00 CEST = 05:00 UTC (not 06:00).
    assert quiet_until(utc(2024, 3, 30, 23), "22:00-07:00", "Europe/Berlin") == utc(2024, 3, 31, 5)
    # ...and across fall-back: 07:00 CET = 06:00 UTC.
    assert quiet_until(utc(2024, 10, 26, 23), "22:00-07:00", "Europe/Berlin") == utc(
        2024, 10, 27, 6
    )


def test_quiet_hours_ending_inside_the_dst_gap() -> None:
    # 02:30 does not exist on 2024-03-31 in Berlin; quiet hours end when the gap ends, at 03:00
    # CEST, as a 02:30 digest fires (`bot.cron.arrival`), not at 03:30.
    assert quiet_until(utc(2024, 3, 31, 0, 30), "22:00-02:30", "Europe/Berlin") == utc(
        2024, 3, 31, 1, 0
    )


def test_missed_digest_sent_once_for_several_missed_runs() -> None:
    trigger = cron_trigger("0 9 * * *", "UTC")
    last = utc(2024, 5, 1, 9)
    # Down for three days, back at 10:00 on the 4th: one catch-up, for the 4th's run.
    missed = missed_digest(
        trigger, last_run=last, now=utc(2024, 5, 4, 10), window=timedelta(hours=6)
    )
    assert missed == utc(2024, 5, 4, 9)
    # Back at 16:00: the 09:00 digest is out of its 6h window.
    assert (
        missed_digest(trigger, last_run=last, now=utc(2024, 5, 4, 16), window=timedelta(hours=6))
        is None
    )
    # Nothing missed: the last run is the latest scheduled one.
    assert (
        missed_digest(
            trigger, last_run=utc(2024, 5, 4, 9), now=utc(2024, 5, 4, 10), window=timedelta(hours=6)
        )
        is None
    )
    assert (
        missed_digest(trigger, last_run=None, now=utc(2024, 5, 4, 10), window=timedelta(hours=6))
        is None
    )


def test_poll_jitter_spreads_feeds_stably() -> None:
    offsets = [poll_jitter(i, 900) for i in range(1000)]
    assert all(0 <= o < 900 for o in offsets)
    assert offsets == [poll_jitter(i, 900) for i in range(1000)]
    per_second = max(sum(1 for o in offsets if int(o) == s) for s in range(900))
    assert per_second <= 8  # ~1.1 per second on average; never a thundering herd
