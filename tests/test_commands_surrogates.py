"""A lone UTF-16 surrogate typed into a command (valid JSON, "\\ud800", in an interaction
payload) is repaired as feed text is, not a crash: /story and /follow failed in SQLite's bind,
and a Discord reply quoting it in its length count."""

from __future__ import annotations

import json

import pytest

from bot.adapters.discord.escape import utf16_len
from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.textutil import repair_surrogates

CRASHED = "Sorry, that command failed on our side"


@pytest.mark.parametrize(
    ("command", "args"),
    [
        ("story", "harbor \ud800"),
        ("story", "\ud800"),
        ("follow", "x\ud800"),
        ("follow", "t query: a \ud800"),
        ("watchlist", "timezone \ud800"),
    ],
)
@pytest.mark.parametrize("platform", ["discord", "slack"])
async def test_a_typed_lone_surrogate_gets_a_reply(
    core: NewsDigest, command: str, args: str, platform: str
) -> None:
    ctx = CommandContext(platform=platform, channel_id="D1", user_id="U8", is_admin=True)
    reply = await Commands(core).dispatch(command, args, ctx)
    assert not reply.text.startswith(CRASHED)
    assert "\ud800" not in reply.text
    if platform == "discord":
        assert render_reply(reply)[0].content
    else:
        json.dumps([m.blocks for m in reply_messages(reply)]).encode()


def test_a_split_pair_is_joined_and_a_lone_half_replaced() -> None:
    assert repair_surrogates("a\ud83d\ude00b") == "a\U0001f600b"
    assert repair_surrogates("a\udc00") == "a\ufffd"
    assert repair_surrogates("plain") == "plain"


def test_discord_counts_a_lone_surrogate_as_one_unit() -> None:
    assert utf16_len("a\ud800") == 2
    assert utf16_len("\U0001f600") == 2
