"""/healthz's failure signal: the posts and card edits given up in the last 24 hours, under
`failed_last_24h`, since its `deliveries` counts hold only the rows waiting or in flight. Real
service, SQLite file and health server; a post marked failed as the outbox marks one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fakes.chat import FakeChatAdapter
from fakes.runner import stop
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner import digests
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)


async def test_a_refused_post_shows_as_failed_for_a_day(tmp_path: Path) -> None:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", min_sources=1)],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=0, health_host="127.0.0.1", post_pace=0)
    now = [T0]
    service = Service(config, core=core, settings=settings, clock=lambda: now[0], env={})
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    await service.start()
    assert service.health_server is not None
    url = f"http://127.0.0.1:{service.health_server.port}/healthz"
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
