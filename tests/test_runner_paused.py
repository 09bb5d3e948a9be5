"""Paused channels: nothing is queued for them while paused, and what was queued before the pause
is dropped as stale on /watchlist resume if it is older than the story window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import slack_service
from fakes.stories import add_story, grow_story

from bot.app import PassReport
from bot.config import ChannelConfig
from bot.pipeline.poll import PollReport
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)


def make_service(tmp_path: Path, clock: Clock) -> tuple[Service, FakeChatAdapter]:
    service, chat = slack_service(
        tmp_path,
        clock,
        ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *", min_sources=1),
        ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=1),
    )
    service.core.sync_config()
    return service, chat


def pause_all(service: Service) -> None:
    for channel in channel_store.list_channels(service.db):
        channel_store.update_channel(service.db, channel.id, paused_reason="not_in_channel")


async def test_paused_channels_get_nothing_queued(tmp_path: Path) -> None:
    clock = Clock(T0)
    service, chat = make_service(tmp_path, clock)
    add_story(service.db, "s1", ["A", "B"], now=T0)
    pause_all(service)
    channels = channel_store.list_channels(service.db)
    assert channels
    for channel in channels:
        await service.run_digest(channel.id, scheduled_for=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"s1"}))
    # No row at all, in any state: not held, not failed, not skipped.
    assert service.db.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0] == 0
    await service.outbox.drain()
    assert chat.messages == []
    service.core.close()


async def test_paused_channel_gets_no_updates(tmp_path: Path) -> None:
    clock = Clock(T0)
    service, chat = make_service(tmp_path, clock)
    add_story(service.db, "s1", ["A", "B"], now=T0)
    c1 = channel_store.find_channel(service.db, "slack:C1")
    assert c1 is not None
    await service.run_digest(c1.id, scheduled_for=T0)
    await service.outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["s1"]
    pause_all(service)
    grow_story(service.db, "s1", ["C"], now=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"s1"}))
    assert not [r for r in delivery_store.in_state(service.db, "pending") if r.kind == "update"]
    service.core.close()


async def test_resume_drops_stories_queued_longer_than_the_window(tmp_path: Path) -> None:
    clock = Clock(T0)
    service, chat = make_service(tmp_path, clock)
    add_story(service.db, "old", ["A", "B"], now=T0)
    c1 = channel_store.find_channel(service.db, "slack:C1")
    assert c1 is not None
    await service.run_digest(c1.id, scheduled_for=T0)
    pause_all(service)  # the post failed: paused with the row still queued
    clock.now = T0 + timedelta(days=3)
    add_story(service.db, "new", ["A", "B"], now=clock.now)
    delivery_store.enqueue_story(service.db, "new", c1.id, now=clock.now)
    channel_store.update_channel(service.db, c1.id, paused_reason=None)  # /watchlist resume
    await service.outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["new"]
    (stale,) = delivery_store.in_state(service.db, "failed")
    assert stale.story_id == "old" and stale.last_error == "stale"
    service.core.close()
