"""A /watchlist value typed as a sentence (`/watchlist timezone Europe/Berlin.`) is read without
its full stop, as /follow reads a topic: it was refused ("Did you mean Europe/Berlin?"), though no
value ends with one. Real dispatch (Discord's through its slash command too), real SQLite."""

from __future__ import annotations

from typing import Any

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, answer, slash

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store

pytestmark = pytest.mark.empty_core

CASES: list[tuple[str, str, Any]] = [
    ("timezone Europe/Berlin.", "timezone", "Europe/Berlin"),
    ("mode instant.", "mode", "instant"),
    ("quiet 22:00-07:00.", "quiet_hours", "22:00-07:00"),
    ("min-sources 3.", "min_sources", 3),
    ("digest-size 5.", "digest_size", 5),
    ("schedule daily 08:30.", "schedule", "30 8 * * *"),
]


@pytest.mark.parametrize("platform", ["slack", "discord"])
@pytest.mark.parametrize(("typed", "column", "saved"), CASES)
async def test_a_value_ending_a_sentence_is_read_without_its_full_stop(
    core: NewsDigest, platform: str, typed: str, column: str, saved: Any
) -> None:
    ctx = CommandContext(platform=platform, channel_id="C7", user_id="U1", channel_name="news")
    reply = await Commands(core).dispatch("watchlist", typed, ctx)
    assert reply.text.startswith("Saved."), reply.text
    channel = channel_store.get_channel(core.db, platform, "C7")
    assert channel is not None and getattr(channel, column) == saved


@pytest.mark.parametrize("platform", ["slack", "discord"])
async def test_only_one_full_stop_is_a_sentences(core: NewsDigest, platform: str) -> None:
    ctx = CommandContext(platform=platform, channel_id="C7", user_id="U1", channel_name="news")
    reply = await Commands(core).dispatch("watchlist", "min-sources 3..", ctx)
    assert not reply.text.startswith("Saved.")
    assert channel_store.get_channel(core.db, platform, "C7") is None


async def test_discord_zone_option_ending_in_a_full_stop(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "watchlist", "timezone", zone="Europe/Berlin.")
    assert answer(discord_api)["content"].startswith("Saved.")
    channel = channel_store.get_channel(core.db, "discord", str(CHANNEL))
    assert channel is not None and channel.timezone == "Europe/Berlin"


@pytest.mark.parametrize("platform", ["slack", "discord"])
@pytest.mark.parametrize("typed", ["show.", "Show."])
async def test_show_ending_a_sentence_shows_the_watchlist(
    core: NewsDigest, platform: str, typed: str
) -> None:
    ctx = CommandContext(platform=platform, channel_id="C7", user_id="U1", channel_name="news")
    bare = await Commands(core).dispatch("watchlist", "", ctx)
    reply = await Commands(core).dispatch("watchlist", typed, ctx)
    # It was refused as an unknown setting: the bare-command check came before the name's full
    # stop was dropped.
    assert reply.text == bare.text
    assert "Unknown setting" not in reply.text
