"""Whether a webhook notice's piece whose answer was lost (a 5xx, a timeout, a crash mid-send)
landed after all, looked for through the bot before it is sent again (`find_piece`).

Discord's Execute Webhook takes no nonce, so unlike the bot's posts Discord cannot de-duplicate
a piece sent again, and a webhook cannot read its channel. The bot can: the piece landed if the
channel's recent history (`DiscordBotAdapter.history_limit` messages, newest first) holds a
plain message of that webhook with exactly the piece's text, made since the notice was queued
(Discord's ids carry the time they were made; `bot.delivery.adapter.LOOKUP_CLOCK_SKEW`, as on
Slack, allows for our clock being ahead of Discord's). A piece whose text an earlier piece of
the same notice repeats needs one such message more than those pieces. Without a bot there is
no way to look: the piece is sent again, and may show twice (`DiscordWebhookAdapter.find_text`
says so in the log): a duplicate piece is accepted rather than a notice with a piece missing.
So is a piece the bot could not look for a few times in a row
(`bot.delivery.notices.LOOKUP_TRIES`: its token refused, the bot away).

A digest's heading whose answer was lost is looked for the same way (`find_heading`), in a
webhook channel or among the bot's own messages in its own channel: its text names its digest.

History shows a webhook's messages blank (no Message Content intent), so each of the webhook's
messages it names is read through the webhook (`webhook_reads`), newest first, until enough
matches are found or the reads run out (then the piece is sent again, and the log says it may
show twice). Where the bot may not read the channel's history (`channel_access.history_hidden`:
Discord would answer with no messages) the bot's own heading cannot be checked
(`errors.HistoryHidden`), and a webhook's piece is sent again, as in a server the bot is not
in.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.adapters.discord.channel_access import may_look
from bot.adapters.discord.errors import delivering, snowflake
from bot.adapters.discord.messages import escape_notice
from bot.adapters.discord.packing import split_content
from bot.adapters.discord.webhook_reads import WebhookReads
from bot.delivery.adapter import LOOKUP_CLOCK_SKEW
from bot.store.channels import ChannelRow

if TYPE_CHECKING:
    from bot.adapters.discord.adapter import DiscordBotAdapter

log = logging.getLogger(__name__)


async def find_piece(
    bot: DiscordBotAdapter,
    channel: ChannelRow,
    text: str,
    *,
    piece: int,
    since: datetime,
    webhook: WebhookReads | None,
    exclude: frozenset[str] = frozenset(),
) -> str | bool | None:
    """Whether piece number `piece` (from 1) of the notice `text`, split as `post_text` splits
    it, was posted in `channel` through the webhook `webhook` (None: by the bot itself, as
    a digest's heading is) since `since`. Raises the
    DeliveryError tree, on the bot's route, when the bot cannot read the channel now
    (`HistoryHidden` for the bot's own, without Read Message History); None when a webhook's
    channel cannot be read at all (a server the bot is not in, no Read Message History):
    nothing can tell. The messages `exclude`
    names (a digest's earlier heading of the same text) are passed over, and any older (an id
    is a snowflake, in the order Discord made them). Found, a lone piece (a heading) is the
    id of its newest match, which a later lookup passes over in turn."""
    pieces = split_content(escape_notice(text))
    if not 1 <= piece <= len(pieces):
        return False
    wanted = pieces[piece - 1].strip()
    # Pieces before it with the same text landed too, and are in the channel as well.
    needed = sum(1 for earlier in pieces[:piece] if earlier.strip() == wanted)
    oldest = since - LOOKUP_CLOCK_SKEW
    channel_id = snowflake(channel.channel_id, "channel")
    if not may_look(bot.client, channel.key, channel_id, "message", webhook=webhook is not None):
        return None
    target = bot.client.get_partial_messageable(channel_id)
    me = bot.client.user.id if bot.client.user else None

    newest: list[int] = []  # the newest match's id: a heading's, which later lookups pass over

    async def count() -> int:
        seen = 0
        async for message in target.history(limit=bot.history_limit):
            if message.created_at < oldest:
                break  # older than the notice: not one of its pieces
            mine = (
                message.webhook_id == webhook.webhook_id
                if webhook is not None
                else message.webhook_id is None and message.author.id == me
            )
            if (
                not mine
                or any(message.id <= int(ref) for ref in exclude if ref.isdigit())
                or message.type is not discord.MessageType.default
            ):
                continue
            content = message.content
            if webhook is not None:
                shown = await webhook.seen(message, thread_id=None)
                content = shown.content if shown is not None else ""
            if content.strip() == wanted:
                seen += 1
                if not newest:
                    newest.append(message.id)  # history comes newest first
                if seen >= needed:
                    break  # enough: older ones need no read
        return seen

    # The webhook's reads get half the lookup's time, as a card's do (`post_lookup`): slow ones
    # fail on the webhooks' route before the whole times out as the bot's.
    budget = 2 * bot.send_timeout
    if webhook is not None:
        webhook.within(budget / 2)
    async with delivering(f"history of {channel.key}", bot=True):
        await bot.rest.wait_for_global()
        try:
            seen = await asyncio.wait_for(count(), budget)
        except discord.Forbidden as exc:
            # A server the bot is not in says nothing about the channel: "cannot tell".
            log.warning("%s: the bot cannot read the channel: %s", channel.key, exc)
            return None
    log.debug(
        "%s: piece %d of a notice seen %d time(s), %d needed", channel.key, piece, seen, needed
    )
    if seen < needed:
        if webhook is not None and webhook.unread:
            log.warning(
                "%s: piece %d of a notice was not among the %d newest of the webhook's messages "
                "read (%d more not read, to keep within Discord's rate limits); it is resent and "
                "may show twice",
                channel.key,
                piece,
                webhook.read,
                webhook.unread,
            )
        return False
    return str(newest[0]) if needed == 1 else True
