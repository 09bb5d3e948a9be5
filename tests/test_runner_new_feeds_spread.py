"""Feeds added while the runner is up (an OPML import, /feeds add, a config sync) have no
next_poll_at: the next tick spreads them like the start does, instead of starting them all at
once with one shared `now`, which kept them polling in a clump for good."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import sqlite_utils

from bot.app import PassReport
from bot.config import PollingConfig
from bot.feedserver import FeedServer
from bot.pipeline.poll import poll_feeds
from bot.runner.polling import Poller
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0, per_host_limit=20)
RSS = b"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>A</title><link>https://d.example/1</link></item></channel></rss>"""
T0 = datetime(2030, 1, 1, tzinfo=UTC)


class _Core:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.config = SimpleNamespace(polling=POLLING)

    async def poll(self, *, feeds: Any, now: datetime, fetcher: Any) -> PassReport:
        report = await poll_feeds(self.db, POLLING, feeds=feeds, now=now, fetcher=fetcher)
        return PassReport(poll=report, touched_stories=set())


async def _ignore(_report: Any) -> None:
    return None


async def _drain(poller: Poller) -> None:
    for task in list(poller.tasks):
        await task


async def test_feeds_added_while_running_are_spread(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/f", RSS)
    clock = [T0]
    poller = Poller(_Core(db), _ignore, clock=lambda: clock[0])  # type: ignore[arg-type]
    await poller.open(spread=300)
    for i in range(150):
        feed_store.add_feed(db, server.url(f"/f?{i}"), interval=900)
    started = await poller.tick()
    await _drain(poller)
    assert started < 15
    feeds = feed_store.list_feeds(db)
    waiting = [f.next_poll_at for f in feeds if f.last_polled_at is None]
    assert all(w is not None and T0 <= w < T0 + timedelta(seconds=300) for w in waiting)
    # Ticking on through the window (every 10 s here) polls every one, spread out.
    for step in range(1, 31):
        clock[0] = T0 + timedelta(seconds=10 * step)
        await poller.tick()
        await _drain(poller)
    await poller.close(1)
    polled = feed_store.list_feeds(db)
    assert all(f.last_polled_at is not None for f in polled)
    nxt = sorted(f.next_poll_at for f in polled if f.next_poll_at is not None)
    assert (nxt[-1] - nxt[0]).total_seconds() > 200


async def test_no_spread_wanted_polls_a_new_feed_at_once(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/f", RSS)
    poller = Poller(_Core(db), _ignore, clock=lambda: T0)  # type: ignore[arg-type]
    await poller.open(spread=0)
    feed_store.add_feed(db, server.url("/f"), interval=900)
    assert await poller.tick() == 1
    await _drain(poller)
    await poller.close(1)
