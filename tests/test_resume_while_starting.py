"""A /watchlist resume made while start's catch-up chooses instant stories: the catch-up skipped
the channel (paused at its turn), so the resume is noted and chosen once the catch-up is done,
and only once. It used to be lost for good when the minute's job sync ran during start: the sync
forgot the channel was paused but left its catch-up to a start that had passed it by."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.clock import Clock
from fakes.held_selection import Held
from fakes.runner import slack_service, stop
from fakes.stories import add_story

from bot.config import ChannelConfig
from bot.runner.changes import resumed_caught_up
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
FIRST = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)
SECOND = ChannelConfig(platform="slack", id="C2", mode="instant", min_sources=1)


async def _second_paused(tmp_path: Path) -> int:
    """A database where C2 was paused in chat and a story qualified meanwhile; C2's pk."""
    service, _chat = slack_service(tmp_path, Clock(T0), FIRST, SECOND)
    await service.start()
    second = next(c for c in service.instant_channels() if c.channel_id == "C2")
    channel_store.update_channel(service.db, second.id, paused_reason="paused in chat")
    await stop(service)
    db = open_database(tmp_path / "nd.db")
    add_story(db, "held", ["A", "B"], now=T0 - timedelta(minutes=5))
    db.conn.close()
    return second.id


async def _resume_in_chat(service: Service, pk: int) -> None:
    """/watchlist resume as the Slack handler does it: the row, then the callback."""
    before = channel_store.get_channel_by_pk(service.db, pk)
    assert before.paused_reason
    after = channel_store.update_channel(service.db, pk, paused_reason=None)
    await service.channel_changed(before, after)


def _story_deliveries(service: Service) -> list[str]:
    rows = service.db.execute(
        "SELECT c.channel_id FROM deliveries d JOIN channels c ON c.id = d.channel_pk"
        " WHERE d.kind = 'story' ORDER BY 1"
    )
    return [r[0] for r in rows]


@pytest.mark.parametrize("sync_during_start", [False, True])
async def test_resumed_during_the_catch_up_is_caught_up_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sync_during_start: bool
) -> None:
    second = await _second_paused(tmp_path)
    service, _chat = slack_service(tmp_path, Clock(T0), FIRST, SECOND)
    held = Held(monkeypatch)
    starting = asyncio.create_task(service.start())
    try:
        assert await asyncio.to_thread(held.entered.wait, 10)  # C1's turn; C2 skipped, paused
        assert service.state == "starting"
        await _resume_in_chat(service, second)
        if sync_during_start:
            service.sync_jobs()  # the minute's sync-jobs job, run while start awaits
        held.release.set()
        await starting
        # Start's catch-up chose it, as a running service would have at once.
        assert _story_deliveries(service) == ["C1", "C2"]
        # And the next job sync does not catch it up again (twice instant mode's limit).
        assert service.sync_jobs() == set()
        await resumed_caught_up(service)
        assert _story_deliveries(service) == ["C1", "C2"]
    finally:
        held.release.set()
        await stop(service)


async def test_resumed_elsewhere_during_the_catch_up_is_caught_up_after_a_sync_during_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newsdigest channels resume` while starting: no callback, only a job sync sees it."""
    second = await _second_paused(tmp_path)
    service, _chat = slack_service(tmp_path, Clock(T0), FIRST, SECOND)
    held = Held(monkeypatch)
    starting = asyncio.create_task(service.start())
    try:
        assert await asyncio.to_thread(held.entered.wait, 10)
        channel_store.update_channel(service.db, second, paused_reason=None)
        service.sync_jobs()
        held.release.set()
        await starting
        assert _story_deliveries(service) == ["C1", "C2"]
        assert service.sync_jobs() == set()
    finally:
        held.release.set()
        await stop(service)
