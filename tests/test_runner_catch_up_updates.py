"""A story that grew just before the process died (clustering committed, the poll pass's update
planning never ran) still gets its thread update after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.runner import stop
from fakes.stories import add_story, grow_story

from bot.app import NewsDigest, PassReport
from bot.config import ChannelConfig, Config
from bot.pipeline.poll import PollReport
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import deliveries as delivery_store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)


def make_service(tmp_path: Path, now: datetime) -> tuple[Service, FakeChatAdapter]:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=1)],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0)
    service = Service(config, core=core, settings=settings, clock=lambda: now, env={})
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    return service, chat


async def test_growth_committed_before_a_crash_is_planned_at_start(tmp_path: Path) -> None:
    service, chat = make_service(tmp_path, T0)
    await service.start()
    add_story(service.db, "s1", ["A"], now=T0)
    await service.on_poll_pass(PassReport(poll=PollReport(), touched_stories={"s1"}))
    await service.outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["s1"]
    # The next pass clusters B into s1 and commits; the process dies before on_poll_pass.
    grow_story(service.db, "s1", ["B"], now=T0 + timedelta(minutes=10))
    await stop(service)

    later = T0 + timedelta(minutes=30)
    service, chat = make_service(tmp_path, later)
    await service.start()
    waiting = delivery_store.in_state(service.db, "pending")
    (row,) = [r for r in waiting if r.kind == "update"]
    assert row.story_id == "s1"
    assert row.next_attempt_at == T0 + timedelta(hours=1)  # the update interval still applies
    # Meanwhile the card's count is to be edited to 2 (silently, by the next drain).
    assert [r.kind for r in waiting if r.kind != "update"] == ["refresh"]
    # Another restart queues nothing more: the update is already waiting.
    await stop(service)
    service, _chat = make_service(tmp_path, later)
    await service.start()
    assert [r.kind for r in delivery_store.in_state(service.db, "pending")] == [
        r.kind for r in waiting
    ]
    await stop(service)
