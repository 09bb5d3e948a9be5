"""Quiet hours whose start or end the clocks skip (a spring-forward gap) begin and end when that
wall time arrives, at the end of the gap, by the rule a digest slot in the gap follows
(`bot.cron.arrival`): not 30-60 minutes late, the end read with the offset before the jump.
Fixed instants; nothing sleeps."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.runner.schedule import cron_trigger, next_fire, quiet_until


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "spec", "when", "until"),
    [
        # Berlin skips 02:00-03:00 CET on 29 March 2026: 02:30 arrives at 03:00 CEST (01:00Z).
        ("Europe/Berlin", "22:00-02:30", utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 0)),
        # New York skips 02:00-03:00 EST on 8 March 2026: 02:15 arrives at 03:00 EDT (07:00Z).
        ("America/New_York", "23:00-02:15", utc(2026, 3, 8, 6, 30), utc(2026, 3, 8, 7, 0)),
        # Lord Howe moves 30 minutes, 02:00 to 02:30, on 4 October 2026: 02:15 arrives at 02:30
        # (+11:00, 15:30Z), not at 02:45.
        ("Australia/Lord_Howe", "22:00-02:15", utc(2026, 10, 3, 14, 50), utc(2026, 10, 3, 15, 30)),
    ],
)
def test_quiet_hours_ending_in_a_gap_end_when_the_gap_ends(
    zone: str, spec: str, when: datetime, until: datetime
) -> None:
    assert quiet_until(when, spec, zone) == until


def test_quiet_hours_end_with_the_digest_slot_at_the_same_wall_time() -> None:
    # A 02:30 digest in Berlin that night fires at the gap's end: quiet hours ending at 02:30
    # end at that same instant, so the digest is not held past its own slot.
    slot = next_fire(cron_trigger("30 2 * * *", "Europe/Berlin"), utc(2026, 3, 28, 12, 0))
    assert slot == utc(2026, 3, 29, 1, 0)
    assert quiet_until(utc(2026, 3, 29, 0, 59), "22:00-02:30", "Europe/Berlin") == slot
    assert quiet_until(slot, "22:00-02:30", "Europe/Berlin") is None


def test_quiet_hours_starting_in_a_gap_begin_when_the_gap_ends() -> None:
    # 02:30-07:00 in Berlin: 02:30 arrives at 03:00 CEST, so quiet from then, not from 03:30.
    assert quiet_until(utc(2026, 3, 29, 0, 59), "02:30-07:00", "Europe/Berlin") is None
    assert quiet_until(utc(2026, 3, 29, 1, 0), "02:30-07:00", "Europe/Berlin") == utc(
        2026, 3, 29, 5, 0
    )
    assert quiet_until(utc(2026, 3, 29, 1, 5), "02:30-07:00", "Europe/Berlin") == utc(
        2026, 3, 29, 5, 0
    )


def test_a_repeated_wall_time_still_ends_quiet_hours_at_its_first_pass() -> None:
    # New York repeats 01:00-02:00 on 1 November 2026: 01:30 ends the quiet hours at its first
    # pass (EDT), and the second pass (EST) is not quiet again.
    spec, zone = "23:00-01:30", "America/New_York"
    assert quiet_until(utc(2026, 11, 1, 5, 10), spec, zone) == utc(2026, 11, 1, 5, 30)
    assert quiet_until(utc(2026, 11, 1, 5, 40), spec, zone) is None
    assert quiet_until(utc(2026, 11, 1, 6, 10), spec, zone) is None
