"""/watchlist schedule as people type it: `9am`, `9:00am`, `9pm`, an hour alone (`9`, on the
24-hour clock), day names typed apart (`mon wed`); a time that is none (`25:00`, `24:00`) gets
its own reason and the fix, not the general form; `schedule` alone says what to type; and the
usage names the whole command. Real dispatch through Slack's app and Discord's, real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store import channels as channel_store

# Written out, not imported: the usage is what is under test.
SLACK_USAGE = (
    "/watchlist schedule [DAYS] HH:MM [TIME_ZONE], where DAYS is daily (the default), weekdays, "
    "weekends or a list like mon,wed,fri; or: /watchlist schedule [cron] '<5 cron fields>' "
    "[TIME_ZONE]. Example: /watchlist schedule weekdays 09:00 Europe/Berlin"
)


# `core`, and the `h` and `bot` over it, on an empty database (conftest).
pytestmark = pytest.mark.empty_core


def _cron(core: NewsDigest, platform: str, channel_id: str) -> tuple[str, str] | None:
    channel = channel_store.get_channel(core.db, platform, channel_id)
    return None if channel is None else (channel.schedule, channel.timezone)


@pytest.mark.parametrize(
    ("typed", "cron", "zone"),
    [
        ("9am", "0 9 * * *", "UTC"),
        ("9:00am", "0 9 * * *", "UTC"),
        ("9:30 a.m.", "30 9 * * *", "UTC"),
        ("9pm", "0 21 * * *", "UTC"),
        ("12am", "0 0 * * *", "UTC"),
        ("12pm", "0 12 * * *", "UTC"),
        ("9", "0 9 * * *", "UTC"),
        ("weekdays 9 am Europe/Berlin", "0 9 * * mon-fri", "Europe/Berlin"),
        ("9am, Europe/Berlin", "0 9 * * *", "Europe/Berlin"),
        ("9:00 (Europe/Berlin)", "0 9 * * *", "Europe/Berlin"),
        ("mon wed 09:00", "0 9 * * mon,wed", "UTC"),
        ("Monday Wednesday Friday 7pm Asia/Tokyo", "0 19 * * mon,wed,fri", "Asia/Tokyo"),
        ("09:00 weekdays", "0 9 * * mon-fri", "UTC"),
        # Days typed apart after the time: one list, where only the first was read as days and
        # the next refused as "not a time zone".
        ("9 sat sun", "0 9 * * sat,sun", "UTC"),
        ("7pm mon wed Europe/Berlin", "0 19 * * mon,wed", "Europe/Berlin"),
        # A day range with spaces round its dash, or an en dash: the range, where the lone dash
        # was refused as "not a time".
        ("mon - fri 9", "0 9 * * mon-fri", "UTC"),
        ("mon – fri 9am", "0 9 * * mon-fri", "UTC"),
        ("9 tue - thu", "0 9 * * tue-thu", "UTC"),
    ],
)
async def test_slack_schedule_takes_times_as_people_type_them(
    h: Harness, core: NewsDigest, typed: str, cron: str, zone: str
) -> None:
    status, body = await h.slash("/watchlist", f"schedule {typed}")
    assert status == 200
    assert ack_text(body).startswith("Saved. Mode: digest · schedule: "), body
    assert _cron(core, "slack", "C1") == (cron, zone)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("25:00", "`25:00` is not a time: hours run 00 to 23"),
        ("24:00", "`24:00` is not a time: hours run 00 to 23 (midnight is 00:00)"),
        ("weekdays 9:75", "`9:75` is not a time: minutes run 00 to 59"),
        (
            "13pm",
            "`13pm` is not a time: with am or pm, hours run 1 to 12 (or write 13:00 on the "
            "24-hour clock)",
        ),
        ("weekdays", "`weekdays` needs a time of day after it, like 09:00"),
        ("weekdays noon", "`noon` is not a time like 09:00 or 9am"),
        (
            "9am @ Europe/Berlin",
            "Give the time zone right after the time, with a space or a comma: "
            "`9am Europe/Berlin` or `9am, Europe/Berlin`",
        ),
        (
            "",
            "Give the time of day for the digest, like 09:00 (every day), or days and a time, "
            "like weekdays 09:00, and a time zone if not the channel's",
        ),
    ],
)
async def test_slack_schedule_says_what_is_wrong_and_the_whole_command(
    h: Harness, core: NewsDigest, typed: str, reason: str
) -> None:
    _, body = await h.slash("/watchlist", f"schedule {typed}".strip())
    # As Slack shows it: its own escaping of the usage's `<`, the reason's values as code.
    assert ack_text(body) == f"{reason}\nUsage: " + SLACK_USAGE.replace("<", "&lt;").replace(
        ">", "&gt;"
    )
    assert _cron(core, "slack", "C1") is None  # nothing saved, no sign-up


async def test_discord_schedule_takes_9am_and_names_a_bad_hour(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "watchlist", "schedule", when="weekdays 9pm")
    assert answer(discord_api)["content"].startswith("Saved. Mode: digest · schedule: ")
    assert _cron(core, "discord", str(CHANNEL)) == ("0 21 * * mon-fri", "UTC")
    await slash(bot, "watchlist", "schedule", when="24:00")
    assert answer(discord_api)["content"].startswith(
        "`24:00` is not a time: hours run 00 to 23 (midnight is 00:00)\n"
        "Usage: /watchlist schedule when:"
    )
    assert _cron(core, "discord", str(CHANNEL)) == ("0 21 * * mon-fri", "UTC")
