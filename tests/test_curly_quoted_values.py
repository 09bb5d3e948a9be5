"""Values in curly quotes, as macOS and iOS type them, work as in straight ones: a cron schedule,
quiet hours, a time zone, a mode, a topic name to follow or unfollow. An apostrophe inside a word
(St. John's, typed curly) stays part of the word. Real dispatch through Slack's app and
Discord's, real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.commands import base
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow

pytestmark = pytest.mark.empty_core


def _channel(core: NewsDigest, platform: str, channel_id: str) -> ChannelRow:
    found = channel_store.get_channel(core.db, platform, channel_id)
    assert found is not None
    return found


def _topics(core: NewsDigest, platform: str, channel_id: str) -> list[str]:
    channel = _channel(core, platform, channel_id)
    return [t.slug for t in channel_store.channel_topics(core.db, channel.id)]


@pytest.mark.parametrize(
    ("typed", "column", "value"),
    [
        ("schedule cron ‘30 6 * * 1-5’", "schedule", "30 6 * * 1-5"),
        ("schedule “weekdays 09:00” Europe/Berlin", "schedule", "0 9 * * mon-fri"),
        ("quiet “22:00-07:00”", "quiet_hours", "22:00-07:00"),
        ("timezone “Europe/Berlin”", "timezone", "Europe/Berlin"),
        ("timezone ‘America/St_Johns’", "timezone", "America/St_Johns"),
        ("timezone zone:“Europe/Berlin”", "timezone", "Europe/Berlin"),
        ("mode “instant”", "mode", "instant"),
    ],
)
async def test_slack_settings_take_curly_quoted_values(
    h: Harness, core: NewsDigest, typed: str, column: str, value: str
) -> None:
    _, body = await h.slash("/watchlist", typed)
    assert ack_text(body).startswith("Saved. "), body
    assert getattr(_channel(core, "slack", "C1"), column) == value


@pytest.mark.parametrize(
    ("subcommand", "option", "typed", "column", "value"),
    [
        ("schedule", "when", "cron ‘30 6 * * 1-5’", "schedule", "30 6 * * 1-5"),
        ("quiet", "hours", "“22:00-07:00”", "quiet_hours", "22:00-07:00"),
        ("timezone", "zone", "“Europe/Berlin”", "timezone", "Europe/Berlin"),
    ],
)
async def test_discord_settings_take_curly_quoted_values(
    discord_api: FakeDiscord,
    bot: DiscordBot,
    core: NewsDigest,
    subcommand: str,
    option: str,
    typed: str,
    column: str,
    value: str,
) -> None:
    await slash(bot, "watchlist", subcommand, **{option: typed})
    assert answer(discord_api)["content"].startswith("Saved. ")
    assert getattr(_channel(core, "discord", str(CHANNEL)), column) == value


async def test_slack_follow_and_unfollow_take_a_quoted_topic_name(
    h: Harness, core: NewsDigest
) -> None:
    await h.slash("/follow", "ferries query: ferry")
    await h.slash("/unfollow", "“ferries”")
    assert _topics(core, "slack", "C1") == []
    await h.slash("/follow", "‘ferries’")
    assert _topics(core, "slack", "C1") == ["ferries"]
    await h.slash("/unfollow", "'ferries'")
    await h.slash("/follow", "“ferries” query: ferry")
    assert _topics(core, "slack", "C1") == ["ferries"]


async def test_discord_follow_and_unfollow_take_a_quoted_topic_name(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "follow", topic="ferries", query="ferry")
    await slash(bot, "unfollow", topic="“ferries”")
    assert answer(discord_api)["content"].startswith("This channel no longer follows ferries.")
    await slash(bot, "follow", topic="‘ferries’")
    assert _topics(core, "discord", str(CHANNEL)) == ["ferries"]


def test_an_apostrophe_inside_a_word_stays() -> None:
    assert base.split_args("timezone “America/St_Johns”") == ["timezone", "America/St_Johns"]
    assert base.split_args("“St. John’s” ferry") == ["St. John’s", "ferry"]
    assert base.split_args("St. John’s ferry") == ["St.", "John’s", "ferry"]
