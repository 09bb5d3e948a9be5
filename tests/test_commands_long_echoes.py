"""Public replies echo no paste in full: /follow's confirmation cuts a long query's reading
(the topic keeps it whole); /feeds names a feed whose URL is too long to show whole by its #id,
which /feeds remove takes, and refuses a URL longer than 2,048 characters outright. Real
dispatch through Slack's app and Discord's, real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.config import Config
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import open_database
from bot.topics.query import TopicQuery

MANAGE_GUILD = 1 << 5
LONG_URL = "https://feeds.example.com/rss?" + "&".join(f"tag{i}=harbour" for i in range(100))
TOO_LONG_URL = "https://feeds.example.com/" + "a" * 2992


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    app = NewsDigest(
        Config(database=str(tmp_path / "nd.db"), admin_users=["UADMIN"]),
        db=open_database(tmp_path / "nd.db"),
    )
    yield app
    app.close()


async def test_follow_confirmation_cuts_a_long_query(h: Harness, core: NewsDigest) -> None:
    query = " OR ".join(f"lighthouse{i}" for i in range(60))
    assert 900 < len(query) <= 1000
    _, body = await h.slash("/follow", f"beacons {query}")
    assert body == ""
    [call] = await h.slack_api.wait_for("chat.postMessage")
    described = TopicQuery.parse(query).describe()
    shown = described[:199].rstrip() + "…"
    assert call["text"].startswith(f"This channel now follows beacons (matching {shown}).")
    topic = channel_store.get_topic(core.db, "beacons")
    assert topic is not None and topic.query == query  # saved whole


async def test_slack_names_a_long_feed_url_by_its_id_to_remove(
    h: Harness, core: NewsDigest
) -> None:
    assert 500 < len(LONG_URL) <= 2048
    _, body = await h.slash("/feeds", f"add {LONG_URL}", user="UADMIN")
    (feed,) = feed_store.list_feeds(core.db)
    start = LONG_URL[:99]
    assert ack_text(body) == (
        f"Added feed #{feed.id} `{start}…` ({len(LONG_URL):,} characters: /feeds remove "
        f"#{feed.id} removes it). Not fetched yet: its first poll, within a few minutes, "
        "says whether it is a feed (/feeds list shows what it found)."
    ).replace("&", "&amp;")
    _, again = await h.slash("/feeds", f"add {LONG_URL}", user="UADMIN")
    assert f"/feeds remove #{feed.id} removes it" in ack_text(again)
    _, removed = await h.slash("/feeds", f"remove #{feed.id}", user="UADMIN")
    assert ack_text(removed).startswith(f"Removed feed #{feed.id} `")
    assert feed_store.list_feeds(core.db) == []


async def test_discord_names_a_long_feed_url_by_its_id_to_remove(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "feeds", "add", permissions=MANAGE_GUILD, url=LONG_URL)
    (feed,) = feed_store.list_feeds(core.db)
    content = answer(discord_api)["content"]
    assert content.startswith(f"Added feed #{feed.id} `https://feeds.example.com/rss?")
    assert f"characters: /feeds remove feed:#{feed.id} removes it)." in content
    assert content.count("`") == 2
    await slash(bot, "feeds", "remove", permissions=MANAGE_GUILD, feed=f"#{feed.id}")
    assert answer(discord_api)["content"].startswith(f"Removed feed #{feed.id} `")
    assert feed_store.list_feeds(core.db) == []


async def test_a_feed_url_over_2048_characters_is_refused(h: Harness, core: NewsDigest) -> None:
    assert len(TOO_LONG_URL) == 3018
    _, body = await h.slash("/feeds", f"add {TOO_LONG_URL}", user="UADMIN")
    assert ack_text(body) == (
        "Not added: that URL is 3,018 characters long; a feed URL added in chat is at most 2,048."
    )
    assert feed_store.list_feeds(core.db) == []
