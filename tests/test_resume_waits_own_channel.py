"""A chat /watchlist resume answers once its own channel's catch-up is queued, not once every
channel a job sync saw resumed is: the reply used to wait for all of them, seconds each on a big
database."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.stories import add_story

from bot.commands.base import CommandContext
from bot.config import ChannelConfig
from bot.pipeline.digest import Selection
from bot.runner import digests
from bot.runner.changes import resume_soon, resumed_caught_up
from bot.store import channels as channel_store

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
C1 = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)
C2 = ChannelConfig(platform="slack", id="C2", mode="instant", min_sources=1)


async def test_resume_reply_does_not_wait_for_another_channels_catch_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service, _chat = slack_service(tmp_path, Clock(T0), C1, C2)
    await service.start()
    entered, release = threading.Event(), threading.Event()
    real = digests.instant_selection

    def held(db: Any, channel: Any, *args: Any, **kwargs: Any) -> Selection:
        selection = real(db, channel, *args, **kwargs)
        if channel.channel_id == "C2":
            entered.set()
            assert release.wait(10)
        return selection

    try:
        channels = {c.channel_id: c for c in service.instant_channels()}
        for channel in channels.values():
            channel_store.update_channel(service.db, channel.id, paused_reason="paused")
        service.sync_jobs()
        add_story(service.db, "held", ["A", "B"], now=T0 - timedelta(minutes=5))
        monkeypatch.setattr(digests, "instant_selection", held)
        # C2 resumed from the command line; the minute's job sync starts its catch-up.
        channel_store.update_channel(service.db, channels["C2"].id, paused_reason=None)
        assert service.sync_jobs() == {channels["C2"].id}
        assert await asyncio.to_thread(entered.wait, 10)
        ctx = CommandContext(platform="slack", channel_id="C1", user_id="U1")
        reply = asyncio.create_task(service.commands.dispatch("watchlist", "resume", ctx))
        done, _ = await asyncio.wait({reply}, timeout=5)
        assert done, "C1's /watchlist resume waited for C2's catch-up"
        rows = service.db.execute(
            "SELECT c.channel_id FROM deliveries d JOIN channels c ON c.id = d.channel_pk"
            " WHERE d.kind = 'story'"
        )
        assert [r[0] for r in rows] == ["C1"]  # its own, queued before it answered
        # The minute's job still waits for every catch-up it started.
        release.set()
        await resumed_caught_up(service)
        assert not service.resuming
        rows = service.db.execute(
            "SELECT c.channel_id FROM deliveries d JOIN channels c ON c.id = d.channel_pk"
            " WHERE d.kind = 'story' ORDER BY 1"
        )
        assert [r[0] for r in rows] == ["C1", "C2"]
    finally:
        release.set()
        await stop(service)


async def test_a_second_catch_up_for_a_channel_waits_for_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Paused and resumed again while its first catch-up chooses: kept under one key, the second
    runs after the first, so waiting for the channel's covers both and they never choose at once."""
    service, _chat = slack_service(tmp_path, Clock(T0), C1)
    await service.start()
    entered, release = threading.Event(), threading.Event()
    calls: list[str] = []
    real = digests.instant_selection

    def held(*args: Any, **kwargs: Any) -> Selection:
        calls.append("chosen")
        if len(calls) == 1:
            entered.set()
            assert release.wait(10)
        return real(*args, **kwargs)

    try:
        (channel,) = service.instant_channels()
        monkeypatch.setattr(digests, "instant_selection", held)
        resume_soon(service, channel)
        assert await asyncio.to_thread(entered.wait, 10)
        resume_soon(service, channel)
        assert len(service.resuming) == 1
        waiting = asyncio.create_task(resumed_caught_up(service, channel.id))
        await asyncio.sleep(0.2)
        assert calls == ["chosen"] and not waiting.done()
        release.set()
        await asyncio.wait_for(waiting, 10)
        assert calls == ["chosen", "chosen"] and not service.resuming
    finally:
        release.set()
        await stop(service)
