"""/follow's answer to an invalid query points at the problem: a `^` under the query, in a code
block on Slack and Discord (monospace). The console chat showed the block's lines as every other
reply line, squashed and stripped, so the caret sat under the query's first character and the
raw ``` fences were printed. On every platform the echoed query is typed text: no terminal
escape reaches the console, and no bidi override reorders the line the caret points along."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from bot.adapters.console_chat import console_context, print_reply, reply_text
from bot.adapters.discord.interactions import render_reply
from bot.adapters.slack.replies import reply_messages
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.base import Reply

pytestmark = pytest.mark.empty_core

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
DISCORD = CommandContext(platform="discord", channel_id="D1", user_id="U8", is_admin=True)
# An escape sequence and a right-to-left override typed into the query.
HOSTILE = "a\u202eb\x1b[31m ("


def _slack(reply: Reply) -> str:
    (message,) = reply_messages(reply)
    return "\n".join(b["text"]["text"] for b in message.blocks if b.get("type") == "section")


def _discord(reply: Reply) -> str:
    return "\n".join(m.content or "" for m in render_reply(reply))


def _terminal(reply: Reply, width: int = 100) -> str:
    out = io.StringIO()
    print_reply(reply, Console(file=out, width=width, color_system=None))
    return out.getvalue()


def _pointed_at(shown: str) -> str:
    """What the `^` in `shown` points at: the rest of the line above it, from the caret's
    column on."""
    lines = shown.splitlines()
    [row] = [i for i, line in enumerate(lines) if line.strip() == "^"]
    return lines[row - 1][lines[row].index("^") :]


async def test_the_console_points_at_the_problem_without_fences(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch(
        "follow", "chips (chip OR", console_context("terminal", "terminal")
    )
    for shown in (reply_text(reply), _terminal(reply), _terminal(reply, width=20)):
        assert "At character 7: OR is missing a term after it" in shown
        assert _pointed_at(shown) == "OR"
        assert "```" not in shown


async def test_slack_and_discord_point_at_the_problem_in_a_code_block(core: NewsDigest) -> None:
    for ctx, render in ((SLACK, _slack), (DISCORD, _discord)):
        reply = await Commands(core).dispatch("follow", "chips query: (chip   OR", ctx)
        shown = render(reply)
        assert shown.count("```") == 2
        block = shown.split("```")[1]
        assert "  (chip   OR\n" in block
        assert _pointed_at(block) == "OR"


async def test_a_typed_escape_or_override_reaches_no_platform(core: NewsDigest) -> None:
    console = await Commands(core).dispatch(
        "follow", f"x query: {HOSTILE}", console_context("terminal", "terminal")
    )
    slack = await Commands(core).dispatch("follow", f"x query: {HOSTILE}", SLACK)
    discord = await Commands(core).dispatch("follow", f"x query: {HOSTILE}", DISCORD)
    for shown in (reply_text(console), _terminal(console), _slack(slack), _discord(discord)):
        assert "\x1b" not in shown and "\u202e" not in shown
        assert "unbalanced parenthesis" in shown
        # Each control character one space, the override none: the caret still on the "(".
        assert _pointed_at(shown) == "("
