"""A resumed instant channel's stories (what its pause held back) are chosen off the event loop,
as the start's catch-up and a poll pass choose theirs: on a database of months that is seconds
of /healthz and chat waiting. Both ways a resume reaches the running service: /watchlist resume
in chat, and a job sync seeing a pause lifted elsewhere (`newsdigest channels resume`)."""

from __future__ import annotations

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
from bot.runner.changes import resumed_caught_up
from bot.store import channels as channel_store

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
INSTANT = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)


class Threads:
    """`digests.instant_selection`, recording the thread it ran on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = digests.instant_selection
        self.seen: list[int] = []
        monkeypatch.setattr(digests, "instant_selection", self)

    def __call__(self, *args: Any, **kwargs: Any) -> Selection:
        self.seen.append(threading.get_ident())
        return self.real(*args, **kwargs)


@pytest.mark.parametrize("how", ["chat", "elsewhere"])
async def test_a_resumed_channel_s_stories_are_chosen_off_the_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    service, _chat = slack_service(tmp_path, Clock(T0), INSTANT)
    await service.start()
    try:
        [channel] = service.instant_channels()
        channel_store.update_channel(service.db, channel.id, paused_reason="paused in chat")
        service.sync_jobs()  # the minute's job sync sees the pause
        add_story(service.db, "held", ["A", "B"], now=T0 - timedelta(minutes=5))
        threads = Threads(monkeypatch)
        if how == "chat":
            ctx = CommandContext(platform="slack", channel_id="C1", user_id="U1")
            reply = await service.commands.dispatch("watchlist", "resume", ctx)
            assert reply.text.startswith("Saved.")
        else:
            channel_store.update_channel(service.db, channel.id, paused_reason=None)
            service.sync_jobs()
            await resumed_caught_up(service)
        rows = service.db.execute("SELECT story_id FROM deliveries WHERE kind = 'story'")
        assert [r[0] for r in rows] == ["held"]
    finally:
        await stop(service)
    assert threads.seen and threading.get_ident() not in threads.seen
