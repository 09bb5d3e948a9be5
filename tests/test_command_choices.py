"""The arguments a command offers as it is typed (Discord's autocomplete) come from the core
(`bot.commands.choices`), not from the adapter reading the store: a feed is named as /feeds
list names it to the asker, on every platform, its key hidden from anyone but an admin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.commands import choices
from bot.commands.feed_lines import feed_line
from bot.config import Config
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store.database import open_database

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
KEYED = "https://feeds.example/rss?apikey=SECRET123"


@pytest.fixture
def core(tmp_path: Path) -> NewsDigest:
    path = tmp_path / "nd.db"
    return NewsDigest(Config(database=str(path)), db=open_database(path))


@pytest.mark.parametrize("whole", [False, True])
def test_a_feed_is_offered_as_feeds_list_names_it(core: NewsDigest, whole: bool) -> None:
    keyed = feed_store.add_feed(core.db, KEYED)
    named = feed_store.add_feed(
        core.db, "https://named.example/feed.xml", name="Named https://named.example/f?key=NAMEKEY"
    )
    offered = {c.value: c.label for c in choices.feeds(core.db, whole=whole)}
    assert list(offered) == [str(keyed.id), str(named.id)]
    for feed in (keyed, named):
        line = feed_line(feed, whole=whole)
        # The list line's name and address, as the choice's label reads them.
        text = line.text if line.url is None else f"{line.text} {line.url}"
        assert offered[str(feed.id)].replace("<", "").replace(">", "") == text
    labels = " ".join(offered.values())
    assert ("SECRET123" in labels, "NAMEKEY" in labels) == (whole, whole)


def test_stories_topics_and_mutes_on_offer(core: NewsDigest) -> None:
    add_story(core.db, "fresh", ["A", "B"], now=NOW - timedelta(hours=2))
    add_story(core.db, "old", ["A", "B"], now=NOW - timedelta(hours=choices.STORY_HOURS + 1))
    assert choices.stories(core, now=NOW) == [
        choices.Choice("story-fresh", "Story fresh (story-fresh)")
    ]
    channel_store.upsert_topic(core.db, "harbor", "harbor OR port")
    channel_store.upsert_topic(core.db, "space", "rocket")
    assert [c.label for c in choices.topics(core.db)] == ["harbor: harbor OR port", "space: rocket"]
    # A channel never signed up follows nothing and mutes nothing.
    assert choices.followed_topics(core.db, "discord", "42") == []
    assert choices.muted_stories(core.db, "discord", "42") == []
    channel = channel_store.ensure_channel(core.db, "discord", "42")
    channel_store.follow(core.db, channel.id, "space")
    channel_store.mute_story(core.db, channel.id, "fresh")
    assert choices.followed_topics(core.db, "discord", "42") == [
        choices.Choice("space", "space: rocket")
    ]
    assert choices.muted_stories(core.db, "discord", "42") == [
        choices.Choice("story-fresh", "Story fresh (story-fresh)")
    ]


def test_zones_offer_what_chat_accepts_the_likely_ones_first() -> None:
    named, rest = choices.zones("pst")
    assert named and all("/" in z for z in named)
    assert "EST" not in rest and "CET" not in rest
    assert "UTC" in rest and "Europe/Berlin" in rest and not set(named) & set(rest)
