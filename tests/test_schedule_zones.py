"""Time zones and schedules as typed in chat: abbreviations and bare offsets (fixed all year, an
hour off in summer) are refused naming the place's zone, a city gets its zone suggested, the zone
can be changed alone, a time alone is every day's, and a digest cannot come more often than every
30 minutes. Schedules saved before any of this keep loading, from the database and the config
file. Real dispatch, real SQLite file, real config file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.stories import add_channel

from bot import cron
from bot.adapters.discord.interactions import CommandRunner
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.schedule import ScheduleError, parse_schedule
from bot.config import Config, ConfigError, load_config, parse_config
from bot.cron import cron_trigger, shortest_gap
from bot.store import channels as channel_store
from bot.timezones import ZoneError, chat_timezone
from tests._cost import assert_costs_at_most

SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1")


# `core`, and the `h` and `bot` over it, on an empty database (conftest).
pytestmark = pytest.mark.empty_core


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("EST", "America/New_York"),
        ("edt", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("CST", "America/Chicago"),
        ("BST", "Europe/London"),
    ],
)
def test_an_abbreviation_is_refused_naming_the_places_zone(typed: str, zone: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(f"weekdays 09:00 {typed}")
    message = str(caught.value)
    assert message.startswith(f"{typed} is an abbreviation")
    assert zone in message and "summer time" in message
    assert "IANA" not in message


@pytest.mark.parametrize(
    ("typed", "zone", "posix"),
    [
        ("EST5EDT", "America/New_York", True),
        ("PST8PDT", "America/Los_Angeles", True),
        ("CET", "Europe/Berlin", False),
    ],
)
def test_an_old_name_that_follows_summer_time_is_refused_for_a_true_reason(
    typed: str, zone: str, posix: bool
) -> None:
    # These do change their clocks: "stays at one offset all year" would be false.
    with pytest.raises(ZoneError) as caught:
        chat_timezone(typed)
    message = str(caught.value)
    assert "one offset" not in message and "an hour off" not in message
    assert "compatibility" in message and zone in message
    assert ("POSIX-style" in message) == posix


@pytest.mark.parametrize(("typed", "example"), [("UTC+2", "Africa/Johannesburg"), ("GMT-5", "")])
def test_an_offset_is_refused_with_zones_at_that_offset(typed: str, example: str) -> None:
    with pytest.raises(ZoneError) as caught:
        chat_timezone(typed)
    assert str(caught.value).startswith(f"{typed} is an offset from UTC")
    assert example in str(caught.value)
    if typed == "GMT-5":
        # Its winter offset first: New York before Chicago (at UTC-5 only in summer).
        assert "e.g. America/New_York" in str(caught.value)


@pytest.mark.parametrize(("typed", "zone"), [("UTC", "UTC"), ("gmt", "GMT"), ("utc", "UTC")])
def test_utc_and_gmt_are_kept(typed: str, zone: str) -> None:
    assert parse_schedule(f"daily 09:00 {typed}").timezone == zone


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("Berlin", "Europe/Berlin"),
        ("new_york", "America/New_York"),
        ("São_Paulo", "America/Sao_Paulo"),
        ("Berln", "Europe/Berlin"),
        ("Europe/Berln", "Europe/Berlin"),
    ],
)
def test_a_city_gets_its_zone_suggested(typed: str, suggested: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(f"daily 09:00 {typed}")
    assert str(caught.value) == f"{typed} is not a time zone I know. Did you mean {suggested}?"


async def test_the_zone_alone_is_changed_keeping_the_schedule(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("watchlist", "schedule weekdays 07:30 Europe/Berlin", SLACK)
    reply = await commands.dispatch("watchlist", "timezone america/new_york", SLACK)
    assert reply.text.startswith("Saved. Mode: digest · schedule: weekdays 07:30 America/New_York")
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None
    assert (channel.schedule, channel.timezone) == ("30 7 * * mon-fri", "America/New_York")
    # "time zone" as two words, and a refusal with the setting's own usage line only.
    refused = await commands.dispatch("watchlist", "time zone EST", SLACK)
    assert refused.text.endswith("America/New_York.\nUsage: /watchlist timezone Europe/Berlin")
    assert channel_store.get_channel(core.db, "slack", "C7") == channel


async def test_a_time_alone_is_every_days(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "schedule 08:15 Asia/Tokyo", SLACK)
    assert reply.text.startswith("Saved. Mode: digest · schedule: daily 08:15 Asia/Tokyo")
    assert parse_schedule("9:00").cron == "0 9 * * *"


@pytest.mark.parametrize("cron", ["*/1 * * * *", "* * * * *", "*/15 * * * *", "0,10 9 * * *"])
async def test_a_digest_more_often_than_every_30_minutes_is_refused(
    core: NewsDigest, cron: str
) -> None:
    reply = await Commands(core).dispatch("watchlist", f"schedule {cron}", SLACK)
    assert reply.text.startswith(f"`{cron}` would post a digest more often than every 30 minutes")
    assert "instant mode" in reply.text
    assert channel_store.get_channel(core.db, "slack", "C7") is None


@pytest.mark.parametrize("cron", ["*/30 * * * *", "0 * * * *", "0 9,18 * * 1-5"])
def test_schedules_at_the_floor_or_rarer_are_saved(cron: str) -> None:
    assert parse_schedule(cron).cron == cron


def test_the_gap_is_read_across_midnight_too() -> None:
    assert shortest_gap("50 23 * * *").total_seconds() == 86400
    assert shortest_gap("0,50 23 * * *").total_seconds() == 50 * 60
    assert shortest_gap("10,50 0,23 * * *").total_seconds() == 20 * 60


@pytest.mark.parametrize(
    ("cron", "minutes"),
    [
        # Monday 23:50 is followed by the next Monday's 00:00, not by a 00:00 ten minutes later.
        ("0,50 0,23 * * 1", 50),
        ("0,50 0,23 * * mon,wed,fri", 50),
        ("0,50 0,23 * * sat,sun", 10),  # Saturday 23:50, Sunday 00:00
        ("0,50 0,23 * * fri-mon", 10),
        ("0,50 0,23 28 2 *", 50),
        ("0,50 0,23 28,29 2 *", 10),  # in a leap year
        ("0,50 0,23 1,31 1,12 *", 10),  # 31 December, 1 January
        ("0,50 0,23 1 * *", 50),
        ("0,50 0,23 28 2 1", 10),  # either day field: a Monday 1 March follows 28 February
        ("0,50 0,23 */2 * *", 10),  # the 31st, then the 1st
    ],
)
def test_the_gap_across_midnight_counts_only_when_two_days_in_a_row_fire(
    cron: str, minutes: int
) -> None:
    assert shortest_gap(cron).total_seconds() == minutes * 60


def test_a_weekly_schedule_with_close_times_across_midnight_is_saved() -> None:
    assert parse_schedule("cron '0,50 0,23 * * 1'").cron == "0,50 0,23 * * 1"
    with pytest.raises(ScheduleError, match="more often than every 30 minutes"):
        parse_schedule("cron '0,50 0,23 * * 0,6'")


def test_the_gap_is_found_quickly_on_any_days() -> None:
    # The slowest kind: both day fields restricted and no two days in a row, so the whole
    # 28-year calendar cycle is read (~0.3 s when written); every minute and hour listed.
    odd = ",".join(str(m) for m in range(1, 60, 2))

    def gaps() -> None:
        cron._fires_two_days_running.cache_clear()  # each run reads the calendar afresh
        assert shortest_gap(f"{odd} */2 31 2,4 mon,wed,fri").total_seconds() == 120
        assert shortest_gap("0,50 0,23 31 2,4 mon,wed,fri").total_seconds() == 50 * 60

    def calendar() -> int:
        # A plain pass over the same 28 years, one weekday check a day.
        first = datetime(2000, 1, 1)
        days = (datetime(2028, 1, 1) - first).days
        return sum((first + timedelta(days=d)).weekday() in (0, 2, 4) for d in range(days + 1))

    # About 10 times the plain pass. A search over more years costs that much more: 177 times
    # for a 400-year cycle, thousands to APScheduler's year 9999.
    assert_costs_at_most(gaps, calendar, 40)


async def test_schedules_saved_before_these_checks_keep_working(core: NewsDigest) -> None:
    # A channel saved by an older version: a fixed-offset zone and a digest every 5 minutes.
    channel = add_channel(core.db, "C7", schedule="*/5 * * * *", timezone="EST")
    trigger = cron_trigger(channel.schedule, channel.timezone)
    start = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, start) is not None
    commands = Commands(core)
    shown = await commands.dispatch("watchlist", "", SLACK)
    assert shown.text.startswith("Mode: digest · schedule: cron '*/5 * * * *' EST")
    # Changing another setting is not refused for what was saved before.
    reply = await commands.dispatch("watchlist", "min-sources 3", SLACK)
    assert reply.text.startswith("Saved.")
    # A new time without a zone keeps the saved zone.
    reply = await commands.dispatch("watchlist", "schedule daily 08:00", SLACK)
    assert reply.text.startswith("Saved. Mode: digest · schedule: daily 08:00 EST")


def _config(tmp_path: Path, channel: str) -> Path:
    path = tmp_path / "newsdigest.toml"
    path.write_text(f'[[channels]]\nplatform = "slack"\nid = "C1"\n{channel}\n', encoding="utf-8")
    return path


def test_the_config_file_keeps_loading_what_it_loaded(tmp_path: Path) -> None:
    # The file is used as written: an existing EST channel must still start.
    config = load_config(_config(tmp_path, 'timezone = "EST"\nschedule = "*/5 * * * *"'))
    assert (config.channels[0].timezone, config.channels[0].schedule) == ("EST", "*/5 * * * *")
    # The chat's forms, read by the chat's parser: a time alone is every day's there too.
    config = load_config(_config(tmp_path, 'timezone = "Europe/Oslo"\nschedule = "07:00"'))
    assert config.channels[0].schedule == "0 7 * * *"


def test_the_config_file_suggests_a_citys_zone(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_config(tmp_path, 'timezone = "Berlin"'))
    assert str(caught.value).endswith(
        "channels[0].timezone: unknown IANA time zone 'Berlin' (did you mean 'Europe/Berlin'?)"
    )


@pytest.mark.parametrize(
    ("zone", "schedule", "cron"),
    [
        # A zone in the schedule repeating the channel's, abbreviation or offset, in any case.
        ("EST", "weekdays 09:00 EST", "0 9 * * mon-fri"),
        ("EST", "weekdays 09:00 est", "0 9 * * mon-fri"),
        ("EST5EDT", "mon,wed 07:30 EST5EDT", "30 7 * * mon,wed"),
        ("Etc/GMT+5", "0 9 * * 1-5 Etc/GMT+5", "0 9 * * 1-5"),
        ("America/New_York", "cron '0 9 * * 1-5' america/new_york", "0 9 * * 1-5"),
        # The chat's floor is chat's: the file's cron never had one, with `cron` or without.
        ("UTC", "cron '*/5 * * * *'", "*/5 * * * *"),
        ("EST", "cron '*/5 * * * *' EST", "*/5 * * * *"),
    ],
)
def test_a_config_schedule_that_loaded_before_chats_checks_still_loads(
    tmp_path: Path, zone: str, schedule: str, cron: str
) -> None:
    config = load_config(_config(tmp_path, f'timezone = "{zone}"\nschedule = "{schedule}"'))
    assert (config.channels[0].schedule, config.channels[0].timezone) == (cron, zone)


def test_a_config_schedules_unknown_zone_is_refused_naming_the_timezone_key(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_config(tmp_path, 'schedule = "weekdays 09:00 Europe/Berln"'))
    message = str(caught.value)
    assert "unknown IANA time zone 'Europe/Berln'" in message
    assert message.endswith("the time zone goes in channels[0].timezone)")
    assert "cron fields" not in message
    # Another zone than the channel's, as before: the zone has one place in the file.
    with pytest.raises(ConfigError, match=r"the time zone goes in channels\[0\]\.timezone"):
        load_config(_config(tmp_path, 'timezone = "UTC"\nschedule = "weekdays 09:00 EST"'))


@pytest.mark.parametrize("typed", ["UTC+0", "GMT+0", "+00:00", "utc-0", "Etc/GMT+0"])
def test_a_zero_offset_is_utc(typed: str) -> None:
    assert chat_timezone(typed) == "UTC"


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        # The server's own zone, a placeholder, a rules file: no place's clock.
        ("localtime", "is not a time zone I know"),
        ("Factory", "is not a time zone I know"),
        ("posixrules", "is not a time zone I know"),
        ("right/UTC", "counts leap seconds, which no clock does: digests would come 27 seconds"),
        # POSIX signs: five hours behind UTC, all year.
        ("Etc/GMT+5", "is an offset from UTC, which does not follow summer time"),
    ],
)
def test_a_zone_that_is_no_places_clock_is_refused(typed: str, said: str) -> None:
    with pytest.raises(ZoneError) as caught:
        chat_timezone(typed)
    assert said in str(caught.value)
    if typed == "Etc/GMT+5":
        assert "e.g. America/New_York" in str(caught.value)


def test_a_posix_zone_is_saved_under_its_usual_name() -> None:
    assert chat_timezone("posix/Europe/Berlin") == "Europe/Berlin"


@pytest.mark.parametrize("typed", ["x" * 300, "Europe/" + "x" * 300])
async def test_an_over_long_zone_is_refused_in_plain_words(core: NewsDigest, typed: str) -> None:
    reply = await Commands(core).dispatch("watchlist", f"timezone {typed}", SLACK)
    assert reply.text.startswith("That is not a time zone I know.")
    with pytest.raises(ConfigError, match="unknown IANA time zone"):
        parse_config({"channels": [{"platform": "slack", "id": "C1", "timezone": typed}]})


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("los ang", "America/Los_Angeles"),
        ("ho chi", "Asia/Ho_Chi_Minh"),
        ("pst", "America/Los_Angeles"),
        ("CET", "Europe/Berlin"),
        ("est", "America/New_York"),
        ("berlin", "Europe/Berlin"),
    ],
)
def test_discord_offers_the_zone_meant(core: NewsDigest, typed: str, first: str) -> None:
    runner = CommandRunner(Commands(core), Config())
    choices = runner.zone_choices(typed)
    assert choices and choices[0].value == first
    # Each one offered is one chat accepts.
    assert all(chat_timezone(c.value) == c.value for c in choices)
