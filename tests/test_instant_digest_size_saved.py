"""`/watchlist digest-size` in an instant channel says what it saved: the settings the reply shows
leave digest-size out in instant mode, so "Saved." alone showed nothing of it. Real dispatch
through Slack's app and Discord's, real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store import channels as channel_store

pytestmark = pytest.mark.empty_core


def _size(core: NewsDigest, platform: str, channel_id: str) -> int | None:
    channel = channel_store.get_channel(core.db, platform, channel_id)
    assert channel is not None
    return channel.digest_size


async def test_slack_digest_size_in_instant_mode_shows_the_saved_value(
    h: Harness, core: NewsDigest
) -> None:
    await h.slash("/watchlist", "mode instant")
    _, body = await h.slash("/watchlist", "digest-size 5")
    assert ack_text(body).startswith(
        "Saved. digest-size: 5, used in digest mode only.\nMode: instant · "
    )
    assert _size(core, "slack", "C1") == 5
    _, body = await h.slash("/watchlist", "digest-size default")
    assert ack_text(body).startswith(
        "Saved. digest-size: 10 (the default), used in digest mode only.\nMode: instant · "
    )
    assert _size(core, "slack", "C1") is None


async def test_discord_digest_size_in_instant_mode_shows_the_saved_value(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "watchlist", "mode", mode="instant")
    await slash(bot, "watchlist", "digest-size", cards=7)
    assert answer(discord_api)["content"].startswith(
        "Saved. digest-size: 7, used in digest mode only.\nMode: instant · "
    )
    assert _size(core, "discord", str(CHANNEL)) == 7


async def test_digest_size_in_digest_mode_is_shown_with_the_settings(h: Harness) -> None:
    _, body = await h.slash("/watchlist", "digest-size 5")
    text = ack_text(body)
    assert text.startswith("Saved. Mode: digest · ")
    assert " · digest-size: 5" in text
