"""The bot's own text and a reply's list lines as one Slack message's blocks (`text_blocks`):
command replies, the mention answer and the greeting. Within the message's limits, as cards are
(`blocks`): lines that do not fit are counted in a last line, never cut off silently.
"""

from __future__ import annotations

from bot.adapters.slack.blocks import (
    MAX_BLOCKS,
    MAX_MESSAGE_CHARS,
    MAX_SECTION_CHARS,
    Block,
    block_chars,
    context,
    sections,
)
from bot.adapters.slack.escape import escape_trusted, slack_escape, slack_link, truncate, units
from bot.commands.base import ListLine, cut_notice


def text_blocks(
    text: str, lines: list[ListLine] | None = None, *, limit: int = MAX_BLOCKS, see_all: str = ""
) -> list[Block]:
    """Bot text (which may quote user input) plus bullet lines, as one message's blocks: within
    `limit` blocks and `MAX_MESSAGE_CHARS` (sections of 3,000 each would allow 150,000). Lines
    that do not fit are counted in a last line, with `see_all`, where to see them all."""
    blocks = sections(truncate(escape_trusted(text), MAX_SECTION_CHARS), [])
    bullets = [f"• {list_line(line)}" for line in lines or []]
    body = sections("", bullets)
    used = sum(block_chars(b) for b in blocks)
    if len(blocks) + len(body) <= limit and used + sum(block_chars(b) for b in body) <= (
        MAX_MESSAGE_CHARS
    ):
        return blocks + body
    budget = MAX_MESSAGE_CHARS - used - _CUT_ROOM
    kept: list[str] = []
    for bullet in bullets:
        budget -= units(bullet) + 1  # and its newline
        if budget < 0:
            break
        kept.append(bullet)
    body = sections("", kept)
    while kept and len(blocks) + len(body) + 1 > limit:
        kept.pop()
        body = sections("", kept)
    notice = cut_notice(len(bullets) - len(kept), see_all)
    return [*blocks, *body, context(escape_trusted(notice))]


# Kept out of a cut list's budget: the notice, and what each section adds to its text as
# `block_chars` counts it ("type", "section", "mrkdwn": under 30 characters a block).
_CUT_ROOM = 400 + MAX_BLOCKS * 30


def list_line(line: ListLine) -> str:
    """A reply's list line: its text and note literal (a feed title's `*` or a server's
    `https://…` neither formats nor links), its address a link."""
    parts = [slack_escape(line.text), slack_link(line.url, line.url) if line.url else ""]
    return " ".join(p for p in [*parts, slack_escape(line.note)] if p)
