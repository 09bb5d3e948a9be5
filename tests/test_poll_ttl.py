"""RSS <ttl> after a 304: the stored ttl still holds (the document is unchanged), so a feed that
asks to be polled every two hours is not fetched every interval once its server answers 304."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
T0 = datetime(2030, 1, 1, tzinfo=UTC)
RSS = b"""<rss version="2.0"><channel><title>Desk</title><ttl>120</ttl>
<item><guid>1</guid><title>A story</title><link>https://d.example/1</link></item>
</channel></rss>"""


async def test_ttl_is_honoured_after_a_304(server: FeedServer, db: sqlite_utils.Database) -> None:
    server.route("/f", Reply(body=RSS, etag='"v1"'))
    feed = feed_store.add_feed(db, server.url("/f"), interval=900)
    await poll_feeds(db, POLLING, now=T0)
    first = feed_store.get_feed(db, feed.id)
    assert first.next_poll_at is not None and first.next_poll_at >= T0 + timedelta(minutes=120)

    t1 = first.next_poll_at
    report = await poll_feeds(db, POLLING, now=t1)
    assert report.feeds[0].status == "not_modified"
    second = feed_store.get_feed(db, feed.id)
    assert second.ttl_minutes == 120
    assert second.next_poll_at is not None and second.next_poll_at >= t1 + timedelta(minutes=120)


async def test_a_failed_poll_does_not_wait_out_the_stored_ttl(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    # The ttl describes a document we have; a failure backs off by its own rules instead.
    server.script("/f", Reply(body=RSS), Reply(status=500))
    feed = feed_store.add_feed(db, server.url("/f"), interval=900)
    await poll_feeds(db, POLLING, now=T0)
    t1 = T0 + timedelta(hours=3)
    await poll_feeds(db, POLLING, now=t1)
    failed = feed_store.get_feed(db, feed.id)
    assert failed.consecutive_failures == 1
    assert failed.next_poll_at is not None and failed.next_poll_at < t1 + timedelta(minutes=120)
