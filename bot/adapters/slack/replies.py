"""A command's platform-neutral `Reply` as Slack messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.adapters.slack.blocks import (
    MAX_BLOCKS,
    SlackMessage,
    card_messages,
    context,
    digest_messages,
)
from bot.adapters.slack.escape import escape_trusted, truncate
from bot.adapters.slack.text_lists import text_blocks

if TYPE_CHECKING:
    from bot.commands.core import Reply

FAILED = "Sorry, something went wrong on our side. The bot's logs have the details."


def reply_messages(reply: Reply) -> list[SlackMessage]:
    """Cards, a digest, or text with bullet lines; the reply's `hint` (the bot's own) is a
    context line at the end."""
    if reply.digest is not None:
        return digest_messages(reply.digest)
    if reply.cards:
        out: list[SlackMessage] = []
        for card in reply.cards:
            out += card_messages(card, full=reply.full)
        if reply.see_also:
            line = escape_trusted(reply.see_also)
            out.append(SlackMessage(text=truncate(line, 3000), blocks=[context(line)]))
        return out
    limit = MAX_BLOCKS - (1 if reply.hint else 0)
    blocks = text_blocks(reply.marked, reply.lines, limit=limit, see_all=reply.see_all)
    if reply.hint:
        blocks.append(context(escape_trusted(reply.hint)))
    return [SlackMessage(text=truncate(escape_trusted(reply.marked), 3000), blocks=blocks)]


def ephemeral_body(message: SlackMessage) -> dict[str, Any]:
    """The JSON for an ack() or response_url reply that only the asker sees."""
    return {"response_type": "ephemeral", "text": message.text, "blocks": message.blocks}


def text_body(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": escape_trusted(text), "blocks": text_blocks(text)}


def failed_body() -> dict[str, Any]:
    return text_body(FAILED)
