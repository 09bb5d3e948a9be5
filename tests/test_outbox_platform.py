"""A platform-wide failure (a missing scope) pauses no channel: it backs off, shows in /healthz and
recovers by itself once the platform accepts posts again. A refused token is not retried at all
(tests/test_slack_token_revoked.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, make_card_source

from bot.app import NewsDigest
from bot.config import Config
from bot.delivery.adapter import PlatformDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


async def test_platform_refusal_pauses_no_channel_and_recovers() -> None:
    db = open_database(":memory:")
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channels = [add_channel(db, "C1"), add_channel(db, "C2")]
    add_story(db, "s1", ["A", "B"], now=T0)
    for channel in channels:
        digests.enqueue_digest(db, channel, now=T0)
    chat.failures = [PlatformDeliveryError("Slack chat.postMessage: missing_scope")]
    report = await outbox.drain()
    assert report.paused == [] and chat.calls == 1  # the second channel was not even tried
    assert all(not channel_store.get_channel_by_pk(db, c.id).paused_reason for c in channels)  # type: ignore[union-attr]
    assert "missing_scope" in outbox.outages["slack"].error
    assert [r.attempts for r in store.in_state(db, "pending")] == [0, 0]
    await outbox.drain()  # still backing off
    assert chat.calls == 1
    clock.now = outbox.outages["slack"].retry_at
    await outbox.drain()
    assert len(chat.cards()) == 2 and "slack" not in outbox.outages


async def test_outage_shows_in_healthz(tmp_path: Path) -> None:
    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    service = Service(
        Config(), core=core, settings=RunnerSettings(health_port=None), env={}, clock=lambda: T0
    )
    service.outbox.outages.down(
        "slack", PlatformDeliveryError("Slack: missing_scope"), now=T0, backoff=lambda n: 60.0
    )
    health = service.health()
    assert health["delivery_outages"]["slack"]["error"] == "Slack: missing_scope"
    assert health["paused_channels"] == []
    core.close()
