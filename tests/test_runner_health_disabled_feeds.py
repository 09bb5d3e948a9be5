"""/healthz with a disabled feed: it said "ok" while a feed read nothing. It lists the disabled
feeds (a count and their names) and the problem; a failing feed says when it is tried next and
when it last brought a new entry. Real service, SQLite file and health server; the feed disabled
by a real poll of a loopback server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
from fakes.runner import health_url, start_slack_service, stop

from bot.config import ChannelConfig
from bot.feedserver import FeedServer, Reply
from bot.store import feeds as feed_store

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)


async def test_healthz_lists_disabled_feeds_by_name(tmp_path: Path, server: FeedServer) -> None:
    now = [T0]
    service, _chat = await start_slack_service(
        tmp_path,
        lambda: now[0],
        ChannelConfig(platform="slack", id="C1", min_sources=1),
        health=True,
    )
    url = health_url(service)
    server.route("/gone", Reply(status=410, body=b"gone"))
    feed_store.add_feed(service.db, server.url("/gone"), name="Quayline Post")
    async with httpx.AsyncClient() as client:
        before = (await client.get(url)).json()
        await service.core.poll(feeds=feed_store.list_feeds(service.db), now=T0)
        after = (await client.get(url)).json()
    await stop(service)

    assert before["disabled_feeds"] == {"count": 0, "names": []}
    assert after["disabled_feeds"] == {"count": 1, "names": ["Quayline Post"]}
    assert after["status"] == "degraded"
    assert "1 feed disabled: Quayline Post (`newsdigest feeds list` says why)" in after["problems"]
    [failing] = after["failing_feeds"]
    assert failing["retried_daily"] is False and failing["next_try"] is None
