"""`query:` typed twice (`/follow ferries query: query: ferry`, or Discord's query option given
`query: ferry`) is one marker, not the word "query" in the topic's query. Real dispatch through
Slack's app and Discord's, real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import answer, slash
from test_slack_app import Harness

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store import channels as channel_store

pytestmark = pytest.mark.empty_core


def _query(core: NewsDigest) -> str:
    topic = channel_store.get_topic(core.db, "ferries")
    assert topic is not None
    return topic.query


@pytest.mark.parametrize("typed", ["ferries query: query: ferry", "ferries query:query: ferry"])
async def test_slack_follow_reads_a_repeated_query_marker_as_one(
    h: Harness, core: NewsDigest, typed: str
) -> None:
    await h.slash("/follow", typed)
    [post] = await h.slack_api.wait_for("chat.postMessage")
    assert post["text"].startswith("This channel now follows ferries (matching ferry).")
    assert _query(core) == "ferry"


async def test_discord_follow_reads_a_marker_in_the_query_option_as_none(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "follow", topic="ferries", query="query: ferry")
    assert answer(discord_api)["content"].startswith(
        "This channel now follows ferries (matching ferry)."
    )
    assert _query(core) == "ferry"
