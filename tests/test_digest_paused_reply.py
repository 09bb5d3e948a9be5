"""`/digest` in a paused channel: "Fix that" only for a fault, not for a channel removed from the
config file, whose reason already says an admin can /watchlist resume it to keep it."""

from __future__ import annotations

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store
from bot.store.sync import REMOVED_FROM_CONFIG

SLACK = CommandContext(platform="slack", channel_id="C7", user_id="U1", channel_name="news")


@pytest.mark.parametrize(
    ("reason", "reply"),
    [
        (
            REMOVED_FROM_CONFIG,
            # Shown as only an admin may act on it: a member told to resume would be refused.
            "Posting to this channel is paused: removed from the config file "
            "(an admin can /watchlist resume it to keep it).",
        ),
        (
            "channel archived",
            "Posting to this channel is paused: channel archived. Fix that, then /watchlist resume.",
        ),
    ],
)
async def test_digest_on_a_paused_channel_says_fix_that_only_for_a_fault(
    core: NewsDigest, reason: str, reply: str
) -> None:
    channel = channel_store.ensure_channel(core.db, "slack", "C7", name="news")
    channel_store.update_channel(core.db, channel.id, paused_reason=reason)
    answer = await Commands(core).dispatch("digest", "", SLACK)
    assert answer.text == reply
