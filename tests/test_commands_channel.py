"""Commands and the channel's row: /digest in quiet hours, min-sources input, and which commands
sign a channel up for digests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store

CTX = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")
NIGHT = datetime(2027, 3, 8, 22, 30, tzinfo=UTC)


@pytest.mark.parametrize("value", ["²", "３", "٣", "-1", "0", "51", "2.5", ""])
async def test_min_sources_rejects_anything_but_ascii_numbers(core: NewsDigest, value: str) -> None:
    commands = Commands(core)
    reply = await commands.dispatch("watchlist", f"min-sources {value}", CTX)
    assert reply.text.startswith("min-sources takes a whole number from 1 to 50.")
    channel = channel_store.get_channel(core.db, "slack", "C7")
    assert channel is not None and channel.min_sources == 2


async def test_min_sources_accepts_a_plain_number(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "min-sources 4", CTX)
    assert reply.text.startswith("Saved.") and "min sources: 4" in reply.text
