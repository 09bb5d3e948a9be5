"""The notice that a feed was disabled goes to every channel that relied on it, where anyone may
read it: the feed's address shows no query string, path parameter or password (where feeds carry
API keys), nor does any address in its name or disabled reason, and the commands it suggests
name the feed by its id. Real outbox and adapters against the fake Slack Web API and the fake
Discord REST API (the bot, and a channel's webhook), on 127.0.0.1; the assertions read the JSON
the fakes were sent."""

from __future__ import annotations

import json
from typing import Any

import discord
import pytest
import sqlite_utils
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import CHANNEL
from fakes.slack_api import FakeSlackAPI
from fakes.slack_outbox import T0
from fakes.stories import add_story
from test_discord_garbled_posts import World
from test_slack_rate_limits import World as SlackWorld
from test_slack_rate_limits import instant

from bot.runner import feed_alerts
from bot.store import alerts
from bot.store.channels import ChannelRow

KEY_URL = "https://wire.example/rss?apikey=URLKEY"
# As an older version stored it: `feeds add` refuses a password now.
USERINFO_URL = "https://reader:PASSKEY@old.example/feed.xml"
NAME = "Wire https://wire.example/rss?sig=NAMEKEY"
REASON = (
    "HTTP 401 for https://wire.example/rss?apikey=URLKEY after a redirect from "
    "wire.example/v1;jsessionid=PARAMKEY"
)
SECRETS = ("URLKEY", "PASSKEY", "NAMEKEY", "PARAMKEY", "apikey", "jsessionid", "reader:")


def disable_feeds(db: sqlite_utils.Database, story: str) -> None:
    """Two feeds, each with an article in `story` (which the channel was sent), disabled."""
    db.execute(
        "INSERT INTO feeds (id, url, name, origin, created_at, disabled_reason, disabled_at,"
        " consecutive_failures) VALUES (1, ?, ?, 'chat', '2026', ?, '2026-11-30T09:00:00', 3),"
        " (2, ?, NULL, 'config', '2026', 'HTTP 403', '2026-11-30T09:00:00', 4)",
        [KEY_URL, NAME, REASON, USERINFO_URL],
    )
    first, second = [
        r[0] for r in db.execute("SELECT id FROM articles WHERE story_id = ?", [story])
    ]
    db.execute("UPDATE articles SET feed_id = 1 WHERE id = ?", [first])
    db.execute("UPDATE articles SET feed_id = 2 WHERE id = ?", [second])


def assert_hidden(sent: Any, notices: list[str], remove: str = "/feeds remove #1") -> None:
    everything = json.dumps(sent, ensure_ascii=False).replace("\u200b", "")
    assert not [s for s in SECRETS if s in everything]
    keyed, old = sorted(n.replace("\u200b", "") for n in notices)
    assert "https://wire.example/rss?…" in keyed
    assert "Wire https://wire.example/rss?…" in keyed  # the name's address too
    assert (
        "HTTP 401 for https://wire.example/rss?… after a redirect from wire.example/v1;…" in keyed
    )
    assert "newsdigest feeds enable 1" in keyed and remove in keyed
    assert "https://…@old.example/feed.xml" in old
    assert "newsdigest feeds enable 2" in old


async def slack_channel_sent_s1(
    db: sqlite_utils.Database, fake: FakeSlackAPI
) -> tuple[SlackWorld, ChannelRow]:
    """An instant Slack channel, C1, that was sent s1's card: it relied on both feeds."""
    world = SlackWorld(db, fake)
    channel = instant(db, "C1")
    world.queue(channel, "s1")
    await world.drain()
    return world, channel


def slack_notices(fake: FakeSlackAPI) -> list[dict[str, Any]]:
    """The posts that were not cards (a card carries its story in metadata)."""
    return [c for c in fake.calls_to("chat.postMessage") if "metadata" not in c]


def discord_notices(fake: FakeDiscord) -> list[str]:
    """The channel's messages with text: the notices (a card is an embed)."""
    return [m["content"] for m in fake.channel_messages(CHANNEL) if m.get("content")]


async def test_slack_channels_are_told_of_a_disabled_feed_without_its_keys(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world, _ = await slack_channel_sent_s1(db, slack_api)
    disable_feeds(db, "s1")
    assert feed_alerts.alert_disabled_feeds(db, now=world.now) == 2
    await world.drain()
    posts = slack_notices(slack_api)
    assert len(posts) == 2
    assert_hidden(posts, [json.dumps(p, ensure_ascii=False) for p in posts])


@pytest.mark.parametrize("route", ["bot", "webhook"])
async def test_discord_channels_are_told_of_a_disabled_feed_without_its_keys(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, route: str
) -> None:
    world = World(discord_api, discord_client, session, route)
    await world.outbox.drain()  # the story's card: the channel relied on both feeds
    disable_feeds(world.db, "s1")
    assert feed_alerts.alert_disabled_feeds(world.db, now=world.now) == 2
    await world.outbox.drain()
    notices = discord_notices(discord_api)
    assert len(notices) == 2
    # Discord's form of the command, as its /feeds replies give it.
    assert_hidden([r.body for r in discord_api.requests], notices, "/feeds remove feed:#1")


def test_the_log_names_the_feed_whole_for_the_operator(
    db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    """A guard: passes on the code before this change too, and keeps the operator's log naming
    the feed's address whole while chat hides its key."""
    add_story(db, "s1", ["A", "B"], now=T0)
    disable_feeds(db, "s1")
    with caplog.at_level("WARNING"):
        feed_alerts.alert_disabled_feeds(db, now=T0)
    assert KEY_URL in caplog.text and "URLKEY" in caplog.text


# A notice as an older version queued it: the address whole, /feeds remove by its URL.
OLD_TEXT = (
    f"The feed Wire ({KEY_URL}) was disabled after 3 failed polls: HTTP 401. Its stories will "
    f"be missing until it is fixed.\nAn admin can re-enable it with newsdigest feeds enable "
    f"{KEY_URL}\nor remove it with /feeds remove {KEY_URL}"
)


def queue_old_notice(db: sqlite_utils.Database, channel_pk: int, feed_id: int) -> None:
    disabled_at = db.execute("SELECT disabled_at FROM feeds WHERE id = ?", [feed_id]).fetchone()
    key = f"feed-disabled:{feed_id}:{disabled_at[0] if disabled_at else ''}"
    alerts.enqueue_alert(db, channel_pk, key, OLD_TEXT, now=T0)
    db.execute("UPDATE feeds SET alert_sent_at = ?", ["2026-12-01T00:00:00"])
    db.conn.commit()


async def test_a_notice_queued_before_the_upgrade_is_sent_as_the_feed_is_now(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world, channel = await slack_channel_sent_s1(db, slack_api)
    disable_feeds(db, "s1")
    queue_old_notice(db, channel.id, 1)
    await world.drain()
    [post] = slack_notices(slack_api)
    sent = json.dumps(post, ensure_ascii=False)
    assert "URLKEY" not in sent and "https://wire.example/rss?…" in sent
    assert "/feeds remove #1" in sent


async def test_an_old_notice_of_a_feed_gone_since_is_sent_with_its_addresses_hidden(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world, channel = await slack_channel_sent_s1(db, slack_api)
    # The key names a feed with no row: its stored text is all there is to send.
    alerts.enqueue_alert(db, channel.id, "feed-disabled:99:2026-11-30T09:00:00", OLD_TEXT, now=T0)
    db.conn.commit()
    await world.drain()
    posts = slack_notices(slack_api)
    sent = json.dumps(posts, ensure_ascii=False)
    assert "URLKEY" not in sent and "/feeds remove https://wire.example/rss?…" in sent


async def test_a_discord_channel_gets_an_old_notice_with_its_own_command_form(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    await world.outbox.drain()
    disable_feeds(world.db, "s1")
    pk = world.db.execute("SELECT id FROM channels").fetchone()[0]
    queue_old_notice(world.db, pk, 1)
    await world.outbox.drain()
    [notice] = discord_notices(discord_api)
    assert "URLKEY" not in notice and "/feeds remove feed:#1" in notice
