"""Human digest schedules typed in chat."""

from __future__ import annotations

import pytest

from bot.commands.schedule import ScheduleError, parse_schedule
from bot.schedule_words import describe_schedule


@pytest.mark.parametrize(
    ("text", "cron", "tz", "described"),
    [
        (
            "weekdays 09:00 Europe/Berlin",
            "0 9 * * mon-fri",
            "Europe/Berlin",
            "weekdays 09:00 Europe/Berlin",
        ),
        ("daily 8:30", "30 8 * * *", "UTC", "daily 08:30 UTC"),
        (
            "weekends 10:15 Asia/Tokyo",
            "15 10 * * sat,sun",
            "Asia/Tokyo",
            "weekends 10:15 Asia/Tokyo",
        ),
        (
            "mon,wed,fri 17:00 America/New_York",
            "0 17 * * mon,wed,fri",
            "America/New_York",
            "mon,wed,fri 17:00 America/New_York",
        ),
        (
            "cron 0 9 * * 1-5 Europe/Paris",
            "0 9 * * 1-5",
            "Europe/Paris",
            "cron '0 9 * * 1-5' Europe/Paris",
        ),
    ],
)
def test_schedules_round_trip(text: str, cron: str, tz: str, described: str) -> None:
    schedule = parse_schedule(text)
    assert (schedule.cron, schedule.timezone) == (cron, tz)
    assert describe_schedule(schedule.cron, schedule.timezone) == described


@pytest.mark.parametrize(
    ("text", "cron", "tz"),
    [
        ("weekdays 09:00, Europe/Berlin", "0 9 * * mon-fri", "Europe/Berlin"),
        ("weekdays, 09:00 Europe/Berlin", "0 9 * * mon-fri", "Europe/Berlin"),
        ("0 9 * * *, Europe/Berlin", "0 9 * * *", "Europe/Berlin"),
        ("cron '0 9 * * 1-5', Europe/Berlin", "0 9 * * 1-5", "Europe/Berlin"),
        ("mon, wed 07:30, Asia/Tokyo", "30 7 * * mon,wed", "Asia/Tokyo"),
        # A day list in cron syntax keeps its comma: only a comma and a space is a pause.
        ("0 9 * * 1,3 UTC", "0 9 * * 1,3", "UTC"),
        # After a time with am/pm, spaced or not, or one with minutes and no space: "9am," was
        # read as a day list ("'9am' is not a day name").
        ("9am, Europe/Berlin", "0 9 * * *", "Europe/Berlin"),
        ("9am,Europe/Berlin", "0 9 * * *", "Europe/Berlin"),
        ("9 am, Europe/Berlin", "0 9 * * *", "Europe/Berlin"),
        ("9 a.m., Europe/Berlin", "0 9 * * *", "Europe/Berlin"),
        ("weekdays 9pm, Asia/Tokyo", "0 21 * * mon-fri", "Asia/Tokyo"),
        ("09:00,Europe/Berlin", "0 9 * * *", "Europe/Berlin"),
        ("9am, utc", "0 9 * * *", "UTC"),
        # After a day name, as the day list's comma: "fri,Europe/Berlin" was one cron field.
        ("0 9 * * mon-fri, Europe/Berlin", "0 9 * * mon-fri", "Europe/Berlin"),
        ("9am sat, Europe/Berlin", "0 9 * * sat", "Europe/Berlin"),
        # The zone in brackets, as calendars show it, or ending a sentence.
        ("9:00 (Europe/Berlin)", "0 9 * * *", "Europe/Berlin"),
        ("9am [Asia/Tokyo]", "0 9 * * *", "Asia/Tokyo"),
        ("9am, (Europe/Berlin)", "0 9 * * *", "Europe/Berlin"),
        ("cron '0 9 * * 1-5' (Europe/Berlin)", "0 9 * * 1-5", "Europe/Berlin"),
        ("weekdays 9am Europe/Berlin.", "0 9 * * mon-fri", "Europe/Berlin"),
    ],
)
def test_a_comma_before_the_time_zone_is_a_pause(text: str, cron: str, tz: str) -> None:
    schedule = parse_schedule(text)
    assert (schedule.cron, schedule.timezone) == (cron, tz)


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("9am @ Europe/Berlin", "'9am Europe/Berlin' or '9am, Europe/Berlin'"),
        ("9am in Europe/Berlin", "'9am Europe/Berlin' or '9am, Europe/Berlin'"),
        ("9am Europe/Berlin time", "'9am Europe/Berlin' or '9am, Europe/Berlin'"),
        ("09:00 - Europe/Berlin", "'09:00 Europe/Berlin' or '09:00, Europe/Berlin'"),
        ("9am - Europe/Berlin", "'9am Europe/Berlin' or '9am, Europe/Berlin'"),
        ("9am; Europe/Berlin", "'9am Europe/Berlin' or '9am, Europe/Berlin'"),
        ("9am/Europe/Berlin", "'9am Europe/Berlin' or '9am, Europe/Berlin'"),
        ("weekdays 9am; utc", "'weekdays 9am UTC' or 'weekdays 9am, UTC'"),
        ("9am weekdays @ Asia/Tokyo", "'weekdays 9am Asia/Tokyo' or 'weekdays 9am, Asia/Tokyo'"),
    ],
)
def test_other_marks_before_the_time_zone_are_refused_showing_the_form(text: str, fix: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_schedule(text)
    assert str(refused.value) == (
        f"Give the time zone right after the time, with a space or a comma: {fix}"
    )


@pytest.mark.parametrize(
    ("text", "cron", "tz"),
    [
        # The days after the zone: a zone is never a day name. The hint for this form dropped
        # the days, so copying it saved a daily schedule.
        ("9am Europe/Berlin weekdays", "0 9 * * mon-fri", "Europe/Berlin"),
        ("9am UTC sat sun", "0 9 * * sat,sun", "UTC"),
        ("9am (Asia/Tokyo) mon,wed", "0 9 * * mon,wed", "Asia/Tokyo"),
        # A comma or one bracket of a pair after the zone: the hint was the text as typed.
        ("9am Europe/Berlin,", "0 9 * * *", "Europe/Berlin"),
        ("9am Europe/Berlin)", "0 9 * * *", "Europe/Berlin"),
        ("9am (Europe/Berlin", "0 9 * * *", "Europe/Berlin"),
    ],
)
def test_a_zone_before_the_days_or_with_a_stray_mark_is_read(text: str, cron: str, tz: str) -> None:
    schedule = parse_schedule(text)
    assert (schedule.cron, schedule.timezone) == (cron, tz)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Saved with the channel's zone, as if no brackets were typed.
        ("9am ()", "'()' names no time zone"),
        ("cron '0 9 * * 1-5' []", "'[]' names no time zone"),
        # "5pm is not a time zone I know": a second time is no zone.
        (
            "9am, 5pm",
            "A schedule has one time of day; for a digest at each of these hours, give a "
            "cron: cron '0 9,17 * * *'",
        ),
        (
            "weekdays 9am and 5pm Europe/Berlin",
            "cron: cron '0 9,17 * * mon-fri' Europe/Berlin",
        ),
        ("9am, 5:30pm", "A schedule has one time of day; a cron holds several hours at one"),
        ("mon 9am, tue 10am", "A schedule has one time of day; a cron holds several hours"),
    ],
)
def test_empty_brackets_and_a_second_time_are_refused_saying_so(text: str, message: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_schedule(text)
    assert message in str(refused.value)


def test_words_that_name_no_zone_still_get_the_zone_checks_hint() -> None:
    # Only a tz database name among other words is read as a misplaced zone.
    with pytest.raises(ScheduleError, match=r"New York is not a time zone I know\. Did you mean"):
        parse_schedule("9am, New York")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Give the time of day for the digest, like 09:00"),
        ("weekdays 25:00", "not a time"),
        ("someday 09:00", "'someday' is not a day name: DAYS is daily, weekdays, weekends"),
        ("monkey 07:30", "'monkey' is not a day name"),
        ("mon,frisbee 07:30", "'frisbee' is not a day name"),
        ("mon,,fri 07:30", "'mon,,fri' misses a day"),
        ("mon-wed-fri 07:30", "'mon-wed-fri' is not a day range like mon-fri"),
        ("daily 09:00 Mars/Base", "Mars/Base is not a time zone I know"),
        ("cron 0 9 *", "5 fields"),
    ],
)
def test_bad_schedules_say_why(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text)


@pytest.mark.parametrize(
    ("days", "cron_days"),
    [
        ("mon", "mon"),
        ("Monday", "mon"),
        ("mondays", "mon"),
        ("tues,thurs", "tue,thu"),
        ("tuesday,thur", "tue,thu"),
        ("weds-fri", "wed-fri"),
        ("WEDNESDAY,saturday,Sundays", "wed,sat,sun"),
        ("thu", "thu"),
        ("friday-monday", "fri-mon"),
    ],
)
def test_day_names_and_their_abbreviations(days: str, cron_days: str) -> None:
    assert parse_schedule(f"{days} 07:30").cron == f"30 7 * * {cron_days}"


def test_the_channel_time_zone_is_kept_when_none_is_given() -> None:
    assert parse_schedule("daily 07:00", default_timezone="Europe/Oslo").timezone == "Europe/Oslo"


def test_a_cron_that_never_fires_is_not_saved() -> None:
    with pytest.raises(ScheduleError, match=r"'0 9 31 2 \*' never fires.*not changed"):
        parse_schedule("cron 0 9 31 2 *")
    assert parse_schedule("cron 0 9 1 * mon").cron == "0 9 1 * mon"


@pytest.mark.parametrize(
    ("text", "cron", "tz"),
    [
        # The form SCHEDULE_USAGE documents: quotes around the five fields, then the zone.
        ("cron '0 9 * * 1-5' Europe/Berlin", "0 9 * * 1-5", "Europe/Berlin"),
        ('cron "30 8 * * mon" Asia/Kathmandu', "30 8 * * mon", "Asia/Kathmandu"),
        ("cron '15 7 * * *'", "15 7 * * *", "UTC"),
    ],
)
def test_quoted_cron_fields_keep_no_quote(text: str, cron: str, tz: str) -> None:
    schedule = parse_schedule(text)
    assert (schedule.cron, schedule.timezone) == (cron, tz)


def test_an_unclosed_quote_is_named() -> None:
    with pytest.raises(ScheduleError, match="quote is not closed"):
        parse_schedule("cron '0 9 * * 1-5 Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "cron", "tz"),
    [
        # As many words as a cron's fields, but only the first a number: a time, then days.
        ("9 sat sun Europe/Berlin", "0 9 * * sat,sun", "Europe/Berlin"),
        ("9 sat sun UTC", "0 9 * * sat,sun", "UTC"),
        ("9 mon wed fri", "0 9 * * mon,wed,fri", "UTC"),
        ("9 mon tue wed", "0 9 * * mon,tue,wed", "UTC"),
        ("9 mon wed fri Asia/Tokyo", "0 9 * * mon,wed,fri", "Asia/Tokyo"),
        # A cron is still read without its keyword.
        ("0 9 * * sat,sun Europe/Berlin", "0 9 * * sat,sun", "Europe/Berlin"),
        ("*/30 9-17 * * mon-fri", "*/30 9-17 * * mon-fri", "UTC"),
    ],
)
def test_days_typed_apart_after_the_time_are_no_cron(text: str, cron: str, tz: str) -> None:
    schedule = parse_schedule(text)
    assert (schedule.cron, schedule.timezone) == (cron, tz)


def test_four_numbers_are_still_a_cron_missing_a_field() -> None:
    with pytest.raises(ScheduleError, match="a cron schedule has 5 fields, got 4"):
        parse_schedule("0 9 * *")
