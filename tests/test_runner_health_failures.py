"""/healthz's failure signal: the posts and card edits given up in the last 24 hours, under
`failed_last_24h`, since its `deliveries` counts hold only the rows waiting or in flight. Real
service, SQLite file and health server; a post marked failed as the outbox marks one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fakes.runner import health_url, start_slack_service, stop
from fakes.stories import add_story

from bot.config import ChannelConfig
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)


async def test_a_refused_post_shows_as_failed_for_a_day(tmp_path: Path) -> None:
    now = [T0]
    service, _chat = await start_slack_service(
        tmp_path,
        lambda: now[0],
        ChannelConfig(platform="slack", id="C1", min_sources=1),
        health=True,
    )
    url = health_url(service)
    channel = channel_store.get_channel(service.db, "slack", "C1")
    assert channel is not None

    async with httpx.AsyncClient() as client:
        before = (await client.get(url)).json()["failed_last_24h"]
        add_story(service.db, "s1", ["A", "B"], now=T0)
        assert digests.enqueue_digest(service.db, channel, now=T0) == 1
        (row,) = [r[0] for r in service.db.execute("SELECT id FROM deliveries")]
        # Given up (its last attempt refused, or stale): as the outbox marks it.
        delivery_store.mark_failed(service.db, row, now=T0, error="msg_too_long")
        after = (await client.get(url)).json()["failed_last_24h"]
        now[0] = T0 + timedelta(hours=25)
        later = (await client.get(url)).json()["failed_last_24h"]
    await stop(service)

    assert before == {"posts": 0, "card_edits": 0}
    assert after == {"posts": 1, "card_edits": 0}
    assert later == {"posts": 0, "card_edits": 0}
