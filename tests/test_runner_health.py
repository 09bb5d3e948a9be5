"""/healthz beyond "is the scheduler running": a database that refuses writes and polling that
stalled are critical (HTTP 503); chat trouble stays a 200 "degraded". Controlled clock."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.delivery.adapter import RateLimitedDeliveryError
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)


def make_service(tmp_path: Path, clock: Clock, *, port: int | None = None) -> Service:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *")],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=port, post_pace=0, start_spread=300)
    service = Service(config, core=core, settings=settings, clock=clock, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    return service


async def test_healthz_is_503_while_the_database_refuses_writes(tmp_path: Path) -> None:
    service = make_service(tmp_path, Clock(T0), port=0)
    await service.start()
    assert service.health_server is not None
    url = f"http://127.0.0.1:{service.health_server.port}/healthz"
    async with httpx.AsyncClient() as client:
        healthy = await client.get(url)
        service.db.execute("PRAGMA query_only = ON")  # as a read-only mount or file would
        try:
            broken = await client.get(url)
        finally:
            service.db.execute("PRAGMA query_only = OFF")
        again = await client.get(url)
        await service.stop()
    service.core.close()
    assert healthy.status_code == 200 and healthy.json()["status"] == "ok"
    body = broken.json()
    assert broken.status_code == 503
    assert body["status"] == "degraded" and body["critical"] is True
    assert any("refuses writes" in p for p in body["problems"]), body["problems"]
    assert again.status_code == 200 and again.json()["problems"] == []


async def test_health_is_critical_when_a_due_feed_goes_unpolled(tmp_path: Path) -> None:
    clock = Clock(T0)
    service = make_service(tmp_path, clock)
    await service.start()
    # Added after start so the real poller never fetches it: the test drives the clock only.
    feed = feed_store.add_feed(service.db, "https://feeds.example/rss", interval=900)
    clock.now = T0 + timedelta(minutes=30)  # within 3 intervals plus the start spread
    fresh = service.health()
    clock.now = T0 + timedelta(hours=2)
    stalled = service.health()
    # A poll, failed or not, sets the feed's next poll time: the poller is alive again.
    feed_store.update_feed(service.db, feed.id, next_poll_at=clock.now + timedelta(minutes=15))
    recovered = service.health()
    await service.stop()
    service.core.close()
    assert fresh["status"] == "ok"
    assert stalled["status"] == "degraded" and stalled["critical"] is True
    assert any("polling stalled" in p for p in stalled["problems"])
    assert recovered["status"] == "ok" and recovered["critical"] is False


async def test_a_feed_waiting_out_its_ttl_is_not_a_stalled_poller(tmp_path: Path) -> None:
    clock = Clock(T0)
    service = make_service(tmp_path, clock)
    await service.start()
    feed = feed_store.add_feed(service.db, "https://feeds.example/rss", interval=900)
    # Polled at T0+1 min; its <ttl> of a day (or a Retry-After, or backoff) put the next poll
    # far past three poll intervals.
    feed_store.update_feed(
        service.db,
        feed.id,
        last_success_at=T0 + timedelta(minutes=1),
        next_poll_at=T0 + timedelta(days=1),
    )
    clock.now = T0 + timedelta(hours=5)
    body = service.health()
    await service.stop()
    service.core.close()
    assert body["critical"] is False and body["status"] == "ok", body["problems"]


async def test_a_database_busy_with_another_writer_is_not_critical(tmp_path: Path) -> None:
    service = make_service(tmp_path, Clock(T0))
    await service.start()
    other = sqlite3.connect(tmp_path / "nd.db")
    other.execute("BEGIN IMMEDIATE")  # a `newsdigest poll` from cron, mid-write
    try:
        body = service.health()
    finally:
        other.execute("ROLLBACK")
        other.close()
    await service.stop()
    service.core.close()
    assert body["critical"] is False, body["problems"]


async def test_a_paused_channel_is_degraded_but_not_critical(tmp_path: Path) -> None:
    service = make_service(tmp_path, Clock(T0))
    await service.start()
    service.db.execute("UPDATE channels SET paused_reason = 'channel archived'")
    body = service.health()
    await service.stop()
    service.core.close()
    assert body["status"] == "degraded" and body["critical"] is False


async def test_a_rate_limit_held_shows_in_health_without_being_a_problem(tmp_path: Path) -> None:
    clock = Clock(T0)
    service = make_service(tmp_path, clock)
    await service.start()
    adapter = service.outbox.adapters["slack"]
    assert isinstance(adapter, FakeChatAdapter)
    adapter.failures = [RateLimitedDeliveryError("slack: rate limited", retry_after=600)]
    channel = channel_store.get_channel(service.db, "slack", "C1")
    assert channel is not None
    add_story(service.db, "s1", ["A", "B"], now=T0)
    delivery_store.enqueue_story(service.db, "s1", channel.id, now=T0)
    await service.outbox.drain()
    body = service.health()
    await service.stop()
    service.core.close()
    # A ten-minute hold on Slack's posts is visible; being asked to slow down is no problem.
    assert body["rate_limits"] == [
        {"route": "slack", "call": "post", "until": iso(T0 + timedelta(seconds=600))}
    ]
    assert body["status"] == "ok" and body["problems"] == []
