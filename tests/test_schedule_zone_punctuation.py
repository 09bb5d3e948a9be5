"""Punctuation round a schedule's zone as people type it: a comma between the zone and the days
after it, a sentence's full stop after the days, and a comma after the time with no zone after it
(refused: the channel's zone is not what someone typing a pause for a zone meant)."""

from __future__ import annotations

import pytest

from bot.commands.schedule import Schedule, ScheduleError, parse_config_schedule, parse_schedule


@pytest.mark.parametrize(
    ("typed", "cron", "zone"),
    [
        ("9am Europe/Berlin, weekdays", "0 9 * * mon-fri", "Europe/Berlin"),
        ("9am (Europe/Berlin), sat sun", "0 9 * * sat,sun", "Europe/Berlin"),
        ("9am utc weekdays.", "0 9 * * mon-fri", "UTC"),
        ("9am Europe/Berlin mon, wed.", "0 9 * * mon,wed", "Europe/Berlin"),
        # What already worked keeps working.
        ("9am Europe/Berlin mon, wed", "0 9 * * mon,wed", "Europe/Berlin"),
        ("mon, wed 07:30", "30 7 * * mon,wed", "Asia/Tokyo"),
        ("9am, Europe/Berlin", "0 9 * * *", "Europe/Berlin"),
    ],
)
def test_punctuation_round_the_zone_is_read_as_meant(typed: str, cron: str, zone: str) -> None:
    assert parse_schedule(typed, default_timezone="Asia/Tokyo") == Schedule(cron, zone)


@pytest.mark.parametrize("typed", ["9am ,", "9am,", "weekdays 09:00 , "])
def test_a_comma_after_the_time_with_no_zone_is_refused(typed: str) -> None:
    with pytest.raises(ScheduleError, match="a comma with no time zone after it"):
        parse_schedule(typed, default_timezone="Asia/Tokyo")


@pytest.mark.parametrize(
    ("written", "cron"), [("09:00,", "0 9 * * *"), ("weekdays 09:00,", "0 9 * * mon-fri")]
)
def test_a_config_files_trailing_comma_still_loads_in_the_files_zone(
    written: str, cron: str
) -> None:
    """The comma refusal is for chat: a config file that loaded before the chat check keeps
    loading, with its zone from the file's `timezone` key, where the refusal's advice to give
    the zone after the comma would be wrong."""
    assert parse_config_schedule(written, "Europe/Berlin") == Schedule(cron, "Europe/Berlin")


def test_a_cron_day_list_ending_on_a_comma_gets_the_cron_error_not_the_zone_one() -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_schedule("cron 0 9 * * 1,")
    assert "time zone" not in str(refused.value)
    assert "day of the week" in str(refused.value)
