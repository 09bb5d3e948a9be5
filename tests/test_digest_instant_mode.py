"""`/digest` in a channel in instant mode: the reply says the channel is in instant mode and how to
switch, not that it "switched to instant mode meanwhile" (it was instant all along)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.runner import slack_service
from fakes.stories import add_story

from bot.commands import CommandContext
from bot.config import ChannelConfig
from bot.store import deliveries

NOW = datetime(2027, 3, 8, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("platform", "switch"),
    [("slack", "/watchlist mode digest"), ("discord", "/watchlist mode mode:digest")],
)
async def test_digest_in_instant_mode_says_so_and_how_to_switch(
    tmp_path: Path, platform: str, switch: str
) -> None:
    service, _chat = slack_service(
        tmp_path, lambda: NOW, ChannelConfig(platform=platform, id="C7", mode="instant")
    )
    service.core.sync_config()
    add_story(service.db, "ferries", ["A", "B"], now=NOW - timedelta(hours=1))
    ctx = CommandContext(platform=platform, channel_id="C7", user_id="U1")
    try:
        reply = await service.commands.dispatch("digest", "", ctx)
        assert reply.text == (
            "This channel is in instant mode: stories are posted as they break, so it has no "
            f"digest to post. /digest is for digest mode; {switch} switches the channel to "
            "digests on its schedule."
        )
        assert "meanwhile" not in reply.text
        assert deliveries.in_state(service.db, "pending") == []
    finally:
        service.core.close()
