"""What `/watchlist` accepts as typed by a person: quiet hours with spaces round the dash or an en
dash, on Slack (the text split into words) and Discord (one option value, quoted by the slash
command); schedule day names; time zones in any case. Real dispatch, real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, answer, make_bot, slash

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.core import USAGE
from bot.commands.schedule import SCHEDULE_USAGE
from bot.store import channels as channel_store

SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")
NO_TOPICS = (
    "• Following no topics: every story with enough sources is included. "
    "/follow \\<topic> to narrow it."
)
SAVED = "Saved. Mode: digest · schedule: daily 09:00 UTC · min sources: 2 · quiet hours: "


def _quiet(core: NewsDigest, platform: str, channel_id: str) -> str | None:
    channel = channel_store.get_channel(core.db, platform, channel_id)
    assert channel is not None
    return channel.quiet_hours


@pytest.mark.parametrize(
    "typed",
    [
        "22:00-07:00",
        "22:00 - 07:00",
        "22:00 -07:00",
        "'22:00 - 07:00'",  # what Discord's slash command passes on
        "22:00 – 07:00",  # en dash
        "22:00–07:00",
        "'22:00 — 07:00'",  # em dash, quoted
    ],
)
async def test_slack_quiet_hours_take_spaces_and_dashes(core: NewsDigest, typed: str) -> None:
    reply = await Commands(core).dispatch("watchlist", f"quiet {typed}", SLACK)
    assert reply.text == SAVED + "22:00-07:00"
    assert _quiet(core, "slack", "C7") == "22:00-07:00"


async def test_quiet_hours_that_are_no_range_are_still_refused(core: NewsDigest) -> None:
    commands = Commands(core)
    bad = await commands.dispatch("watchlist", "quiet 22:00 – 7", SLACK)
    assert bad.text == (
        "Quiet hours look like 22:00-07:00 (or `off`), got '22:00 – 7'.\nUsage: "
        + USAGE["watchlist"]
    )
    empty = await commands.dispatch("watchlist", "quiet '09:00 – 09:00'", SLACK)
    assert empty.text == (
        "Quiet hours 09:00-09:00 start and end at the same time, so they would never apply. "
        "Give a range like 22:00-07:00, or `quiet off`.\nUsage: " + USAGE["watchlist"]
    )
    assert channel_store.get_channel(core.db, "slack", "C7") is None


@pytest.fixture
async def bot(discord_api: FakeDiscord, core: NewsDigest) -> AsyncIterator[DiscordBot]:
    client = await make_bot(core)
    yield client
    await client.close()


@pytest.mark.parametrize("hours", ["22:00 - 07:00", " 22:00 – 07:00 ", "22:00-07:00"])
async def test_discord_quiet_hours_take_spaces_and_dashes(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest, hours: str
) -> None:
    await slash(bot, "watchlist", "quiet", hours=hours)
    assert answer(discord_api)["content"] == SAVED + "22:00-07:00\n" + NO_TOPICS
    assert _quiet(core, "discord", str(CHANNEL)) == "22:00-07:00"


async def test_a_word_that_only_starts_like_a_day_is_refused(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "schedule monkey 07:30", SLACK)
    assert reply.text == (
        "'monkey' is not a day name: DAYS is daily, weekdays, weekends or a day list like "
        "mon,wed,fri or mon-fri (monday, tues, thurs... also work)\nUsage: " + SCHEDULE_USAGE
    )
    assert reply.ephemeral
    assert channel_store.get_channel(core.db, "slack", "C7") is None


async def test_day_names_are_saved_as_cron_days(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "schedule Tues,Thursday 07:30", SLACK)
    assert reply.text == ("Saved. Mode: digest · schedule: tue,thu 07:30 UTC · min sources: 2")
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.schedule == "30 7 * * tue,thu"
