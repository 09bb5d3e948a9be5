"""A /watchlist change made while the start's catch-up chooses instant stories takes effect: the
catch-up awaits each channel's choosing off the loop, and chat answers meanwhile. A channel
changed after its row was read is chosen again once the catch-up is done (`channel_changed`
notes it while starting, when it used to leave it all to the catch-up); one changed before its
turn is read as it is then, not as it was when the catch-up began."""

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
from bot.store import channels as channel_store
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
FIRST = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=3)
SECOND = ChannelConfig(platform="slack", id="C2", mode="instant", min_sources=3)


async def test_min_sources_lowered_during_the_catch_up_is_caught_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(tmp_path / "nd.db")
    add_story(db, "two", ["A", "B"], now=T0 - timedelta(minutes=30))  # two sources: below 3
    db.conn.close()
    service, _chat = slack_service(tmp_path, Clock(T0), FIRST, SECOND)
    held = Held(monkeypatch)
    starting = asyncio.create_task(service.start())
    try:
        assert await asyncio.to_thread(held.entered.wait, 10)
        assert service.state == "starting"
        # Both lowered in chat as the Slack handler does it: the row, then the callback. The
        # first channel's stories were read already, the second's not yet.
        for before in service.instant_channels():
            after = channel_store.update_channel(service.db, before.id, min_sources=1)
            await service.channel_changed(before, after)
        held.release.set()
        await starting
        rows = service.db.execute(
            "SELECT c.channel_id, d.story_id FROM deliveries d"
            " JOIN channels c ON c.id = d.channel_pk WHERE d.kind = 'story' ORDER BY 1"
        )
        assert [tuple(r) for r in rows] == [("C1", "two"), ("C2", "two")]
        assert not service.changed_while_starting
    finally:
        held.release.set()
        await stop(service)
