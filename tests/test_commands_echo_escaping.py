"""Command replies quote what people typed or stored: a topic's query, a name, a setting's value.
That text is shown literally on both platforms, as /watchlist's lines already show queries: no
masked link, spoiler or bold on Discord, no bold, code or mention on Slack, and a ``` in a bad
query cannot close the code block its error is shown in. The bot's own markup stays."""

from __future__ import annotations

import re

import pytest

from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.base import Reply
from bot.store import channels as channel_store

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")
ADMIN = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
DISCORD = CommandContext(platform="discord", channel_id="D1", user_id="U8")
HOSTILE = "*bold* OR [x](https://evil.example) OR ||x||"


def _slack(reply: Reply) -> str:
    (message,) = reply_messages(reply)
    return "\n".join(b["text"]["text"] for b in message.blocks if b.get("type") == "section")


def _discord(reply: Reply) -> str:
    return "\n".join(m.content or "" for m in render_reply(reply))


def _inert_on_slack(text: str) -> None:
    assert "*bold*" not in text and "<!" not in text and "<http" not in text, text


def _inert_on_discord(text: str) -> None:
    # Inside a code span (a cron, a URL to copy back) Discord formats and links nothing.
    text = re.sub(r"`[^`]*`", "", text)
    for live in ("*bold*", "[x](", "||x||", "https://evil.example"):
        assert live not in text, text


@pytest.fixture
def hostile_topic(core: NewsDigest) -> NewsDigest:
    channel_store.upsert_topic(core.db, "md", HOSTILE, origin="chat")
    return core


async def test_a_stored_query_in_the_already_exists_reply_is_literal(
    hostile_topic: NewsDigest,
) -> None:
    commands = Commands(hostile_topic)
    slack = await commands.dispatch("follow", "md query: chip", SLACK)
    assert slack.text.startswith(f"The topic 'md' already exists ({HOSTILE})")
    _inert_on_slack(_slack(slack))
    assert "∗bold∗" in _slack(slack)
    discord = await commands.dispatch("follow", "md query: chip", DISCORD)
    _inert_on_discord(_discord(discord))
    assert "\\*bold\\*" in _discord(discord) and "/follow topic:md" in _discord(discord)


async def test_the_public_changed_from_reply_is_literal(hostile_topic: NewsDigest) -> None:
    reply = await Commands(hostile_topic).dispatch("follow", "md query: chip", ADMIN)
    assert not reply.ephemeral
    assert f"changed from {HOSTILE} for every channel" in reply.text
    _inert_on_slack(_slack(reply))
    _inert_on_discord(_discord(reply))


async def test_the_admin_hint_repeats_a_typed_query_literally(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("follow", "md query: chip", ADMIN)
    reply = await commands.dispatch("follow", f"md {HOSTILE}", ADMIN)
    assert f"/follow md query: {HOSTILE}" in reply.text
    _inert_on_slack(_slack(reply))
    _inert_on_discord(_discord(reply))


async def test_a_fence_in_a_bad_query_cannot_close_the_error_block(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("follow", "x query: ```*bold* (", SLACK)
    assert reply.text.startswith("That query is not valid (topic 'x', query '```*bold* ('):\n```\n")
    # Exactly the block's own two fences, on both platforms: the query quoted before the block,
    # as typed, is escaped there.
    assert _slack(reply).count("```") == 2
    assert _discord(reply).count("```") == 2
    assert "ˋˋˋ*bold* (" in reply.text


@pytest.mark.parametrize(
    ("command", "typed"),
    [
        ("unfollow", "*bold* ||x||"),
        ("follow", "[x](https://evil.example) query: chip"),
        ("watchlist", "*bold* ||x||"),
        ("watchlist", "quiet *bold* ||x||"),
        ("watchlist", "schedule [x](https://evil.example) 09:00"),
        ("feeds", "*bold* ||x||"),
        ("story", "*bold* ||x|| [x](https://evil.example)"),
    ],
)
async def test_every_echo_of_typed_text_is_literal(
    core: NewsDigest, command: str, typed: str
) -> None:
    commands = Commands(core)
    slack = await commands.dispatch(command, typed, ADMIN)
    # The echo is there (as typed, in the platform-neutral text)...
    assert "*bold*" in slack.text or "[x](https://evil.example)" in slack.text, slack.text
    # ...and inert where it is drawn.
    _inert_on_slack(_slack(slack))
    _inert_on_discord(_discord(await commands.dispatch(command, typed, DISCORD)))


async def test_a_typed_name_inside_a_line_gets_no_line_start_escape(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("unfollow", "#general", DISCORD)
    # A '#' after other text heads nothing: a backslash before it would only show.
    assert "'#general'" in _discord(reply)
