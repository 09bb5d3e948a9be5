"""A feed's next poll counts from when its fetch finished, not from the start of the pass: time
spent waiting in its host's queue must not eat its interval (or backoff, or <ttl>)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store

RSS = b"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>A</title><link>https://d.example/1</link></item></channel></rss>"""
T0 = datetime(2030, 1, 1, tzinfo=UTC)


async def test_queue_time_does_not_eat_the_interval(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    # One request at a time to the host, each taking 1.2 s: the last of three finishes ~3.6 s in.
    polling = PollingConfig(allow_private_networks=True, timeout=5.0, per_host_limit=1)
    for i in range(3):
        server.route(f"/f{i}", Reply(body=RSS, delay=1.2))
        feed_store.add_feed(db, server.url(f"/f{i}"), interval=900)
    await poll_feeds(db, polling, now=T0)
    nxt = sorted(f.next_poll_at for f in feed_store.list_feeds(db) if f.next_poll_at)
    assert nxt[0] >= T0 + timedelta(seconds=901)
    assert nxt[-1] >= T0 + timedelta(seconds=903)
