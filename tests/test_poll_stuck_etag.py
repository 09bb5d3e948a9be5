"""A server stuck on one ETag (a CDN or plugin that stopped changing it) answers 304 while new
items appear. A day without a full answer, the poll asks without its validators, so the feed is
read whole at least daily; and `feeds list` says when a feed last brought a new entry, so "ok: not
modified" for a month does not pass for a working feed. Real poll, real SQLite, loopback server,
the clock given to each pass."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.cores import local_core

from bot.app import NewsDigest
from bot.feed_status import feed_status
from bot.feedserver import FeedServer, Reply
from bot.store import feeds as feed_store

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _rss(n: int) -> bytes:
    items = "".join(
        f"<item><guid>k{i}</guid><title>Kestrel library update {i}</title>"
        f"<link>https://k.example/{i}</link></item>"
        for i in range(n)
    )
    return f'<rss version="2.0"><channel><title>Kestrel</title>{items}</channel></rss>'.encode()


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    with local_core(tmp_path) as app:
        yield app


async def test_a_feed_stuck_on_one_etag_is_read_whole_daily(
    core: NewsDigest, server: FeedServer
) -> None:
    feed_store.add_feed(core.db, server.url("/k"), interval=3600)
    for hour in range(3 * 24):
        # A new item each day, the ETag never changing.
        server.route("/k", Reply(body=_rss(1 + hour // 24), etag='"v1"'))
        await core.poll(now=T0 + timedelta(hours=hour))
    assert core.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3
    asked = [r.headers.get("If-None-Match") for r in server.requests_to("/k")]
    # Conditional as a rule: one unconditional poll a day, not every poll.
    assert asked.count(None) <= 4 and asked.count('"v1"') >= 60


async def test_feeds_status_says_when_a_feed_last_brought_a_new_entry(
    core: NewsDigest, server: FeedServer
) -> None:
    server.route("/k", Reply(body=_rss(1), etag='"v1"'))
    feed_store.add_feed(core.db, server.url("/k"), interval=3600)
    await core.poll(now=T0)
    await core.poll(now=T0 + timedelta(hours=5))
    [feed] = feed_store.list_feeds(core.db)
    last_new = feed_store.last_new_entries(core.db)
    assert last_new == {feed.id: T0}
    status = feed_status(feed, last_new.get(feed.id))
    assert status.line() == "ok: not modified (last new entry 2026-03-01 00:00 UTC)"
