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
MENTION_HELP = (
    "I post news digests. Commands (each takes `help`): `/story <slug or words>`, "
    "`/follow <topic> [query]`, `/unfollow <topic>`, `/watchlist`, `/digest`, `/feeds list`."
)
WATCHLIST_HINT = (
    "Change it: `/watchlist schedule weekdays 09:00 Europe/Berlin` · "
    "`/watchlist mode digest|instant` · `/watchlist min-sources N` · `/follow <topic> [query]` · "
    "`/unfollow <topic>`"
)


def reply_messages(reply: Reply, *, hint: str | None = None) -> list[SlackMessage]:
    """Cards, a digest, or text with bullet lines; `hint` is a trusted context line at the end."""
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
    limit = MAX_BLOCKS - (1 if hint else 0)
    blocks = text_blocks(reply.marked, reply.lines, limit=limit, see_all=reply.see_all)
    if hint:
        blocks.append(context(hint))
    return [SlackMessage(text=truncate(escape_trusted(reply.marked), 3000), blocks=blocks)]


def ephemeral_body(message: SlackMessage) -> dict[str, Any]:
    """The JSON for an ack() or response_url reply that only the asker sees."""
    return {"response_type": "ephemeral", "text": message.text, "blocks": message.blocks}


def hint_for(name: str, text: str) -> str | None:
    return WATCHLIST_HINT if name == "watchlist" and not text.strip() else None


def text_body(text: str) -> dict[str, Any]:
    return {"response_type": "ephemeral", "text": escape_trusted(text), "blocks": text_blocks(text)}


def failed_body() -> dict[str, Any]:
    return text_body(FAILED)
