"""A topic name typed with the sentence's punctuation after it (`/follow ferries.`, `/unfollow
ferries!`) is the name: no topic name ends with one, and "does not follow 'ferries!' (it follows:
ferries)" or a name error read as the bot not knowing the topic. Real dispatch through Slack's
app and Discord's, real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, answer, slash
from test_slack_app import Harness

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store import channels as channel_store

pytestmark = pytest.mark.empty_core


def _topics(core: NewsDigest, platform: str, channel_id: str) -> list[str]:
    channel = channel_store.get_channel(core.db, platform, channel_id)
    assert channel is not None
    return [t.slug for t in channel_store.channel_topics(core.db, channel.id)]


@pytest.mark.parametrize("end", [".", "!", "?", ",", "…", "!!"])
async def test_slack_follow_and_unfollow_drop_a_sentence_end(
    h: Harness, core: NewsDigest, end: str
) -> None:
    channel_store.upsert_topic(core.db, "ferries", "ferry")
    await h.slash("/follow", f"ferries{end}")
    assert _topics(core, "slack", "C1") == ["ferries"]
    await h.slash("/unfollow", f"ferries{end}")
    assert _topics(core, "slack", "C1") == []


async def test_slack_follow_with_a_query_after_a_name_with_a_comma(
    h: Harness, core: NewsDigest
) -> None:
    await h.slash("/follow", "ferries, query: ferry")
    [post] = await h.slack_api.wait_for("chat.postMessage")
    assert post["text"].startswith("This channel now follows ferries (matching ferry).")


async def test_discord_follow_and_unfollow_drop_a_sentence_end(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    channel_store.upsert_topic(core.db, "ferries", "ferry")
    await slash(bot, "follow", topic="ferries.")
    assert answer(discord_api)["content"].startswith("This channel now follows ferries.")
    await slash(bot, "unfollow", topic="ferries!")
    assert answer(discord_api)["content"].startswith("This channel no longer follows ferries.")
    assert _topics(core, "discord", str(CHANNEL)) == []
