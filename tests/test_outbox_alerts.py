"""The disabled-feed notice: only channels that relied on the feed or follow its topics get it,
and the feed's own title cannot format, link or ping."""

from __future__ import annotations

from datetime import UTC, datetime

from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import feed_alerts
from bot.store import channels as channel_store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


def world():  # type: ignore[no-untyped-def]
    db = open_database(":memory:")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    db.execute(
        "INSERT INTO feeds (url, title, created_at) VALUES ('https://x.test/rss',"
        " '*Breaking* <!channel> [bank](https://evil.test)', '2024')"
    )
    add_story(db, "flood", ["X"], now=T0)
    db.execute("UPDATE articles SET feed_id = 1")
    db.execute(
        "UPDATE feeds SET disabled_reason = 'HTTP 404', disabled_at = '2024-05-06T09:00:00+00:00',"
        " consecutive_failures = 10"
    )
    return db, outbox, chat


async def test_feed_nobody_relied_on_alerts_nobody() -> None:
    db, outbox, chat = world()
    add_channel(db, "C1")
    add_channel(db, "C2")
    assert feed_alerts.alert_disabled_feeds(db, now=T0) == 0
    await outbox.drain()
    assert not chat.texts()


async def test_channels_following_matching_topics_are_alerted() -> None:
    db, outbox, chat = world()
    follower = add_channel(db, "C1")
    add_channel(db, "C2")
    channel_store.upsert_topic(db, "floods", "flood")
    channel_store.follow(db, follower.id, "floods")
    assert feed_alerts.alert_disabled_feeds(db, now=T0) == 1
    await outbox.drain()
    (alert,) = chat.texts()
    assert alert.channel_id == "C1"
    assert "`" not in alert.text  # plain text: the adapter escapes it all as untrusted
