"""/follow in a paused channel says the channel is paused, as a setting's "Saved." does: the
topic brings nothing until the pause is lifted. Real dispatch through Slack's app and Discord's,
real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, answer, slash
from test_slack_app import Harness

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store import channels as channel_store
from bot.store.sync import REMOVED_FROM_CONFIG

pytestmark = pytest.mark.empty_core

REASONS = [
    (
        "slack refused to post (is_archived)",
        "Posting is paused: slack refused to post (is_archived). Fix it, then /watchlist resume.",
    ),
    # The stored reason invites a resume only admins may do: shown as such.
    (
        REMOVED_FROM_CONFIG,
        "Posting is paused: removed from the config file (an admin can /watchlist resume it to "
        "keep it).",
    ),
]


def _paused(core: NewsDigest, platform: str, channel_id: str, reason: str) -> None:
    channel = channel_store.ensure_channel(core.db, platform, channel_id, name="news")
    channel_store.update_channel(core.db, channel.id, paused_reason=reason)


@pytest.mark.parametrize(("reason", "note"), REASONS)
async def test_slack_follow_in_a_paused_channel_says_it_is_paused(
    h: Harness, core: NewsDigest, reason: str, note: str
) -> None:
    _paused(core, "slack", "C1", reason)
    await h.slash("/follow", "chips query: chip OR wafer")
    [post] = await h.slack_api.wait_for("chat.postMessage")
    assert post["text"] == f"This channel now follows chips (matching chip OR wafer).\n{note}"


@pytest.mark.parametrize(("reason", "note"), REASONS)
async def test_discord_follow_in_a_paused_channel_says_it_is_paused(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest, reason: str, note: str
) -> None:
    _paused(core, "discord", str(CHANNEL), reason)
    await slash(bot, "follow", topic="chips", query="chip OR wafer")
    assert answer(discord_api)["content"] == (
        f"This channel now follows chips (matching chip OR wafer).\n{note}"
    )
    await slash(bot, "follow", topic="chips")
    assert answer(discord_api)["content"] == f"This channel already follows chips.\n{note}"
