"""Whether a bot or webhook post whose answer was lost (a 5xx, a timeout, a crash mid-send)
landed after all (`find_posted`), looked for in the channel's recent history through the bot,
before the outbox sends it again.

A card is our plain message whose footer carries the story ref; an update, our plain message
whose footer carries its nonce mark (`messages.update_mark`), in the story's thread or, where
`DiscordBotAdapter.in_thread` had to fall back, in the channel. History shows the bot its own
messages whole; a webhook's it shows blank (no Message Content intent), so those are read
through the webhook (`webhook_reads`).

Without Read Message History in the channel Discord answers history with no messages, not an
error, which would read as "not posted". So the bot's permissions there are worked out first,
from the guild cache (`channel_access.history_hidden`): in the bot's own channel that is "cannot
check" (`errors.HistoryHidden`: the row is checked again with backoff and, that never working,
fails visibly rather than posting twice, as Slack's `CANNOT_READ_ERRORS` do); in a webhook
channel, which needs nothing of the bot, it is as a server the bot is not in: the post is sent
again, and the log says it may show twice. While a server READY named has not come in yet (a new
gateway session's first minute), a channel the cache does not hold cannot be checked yet either
(`channel_access.GuildsPending`): the bot's own channel's row is checked again shortly, its
history never read as "not posted" meanwhile; a webhook channel's is read as before.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from bot.adapters.discord.channel_access import may_look
from bot.adapters.discord.embeds import story_ref
from bot.adapters.discord.errors import UNKNOWN_CHANNEL, delivering, snowflake
from bot.adapters.discord.messages import discord_nonce, update_mark
from bot.adapters.discord.webhook_reads import WebhookReads
from bot.delivery.adapter import PostedMessage
from bot.store.channels import ChannelRow

if TYPE_CHECKING:
    from bot.adapters.discord.adapter import DiscordBotAdapter

log = logging.getLogger(__name__)

# A channel's (False) or a thread's (True) history searched.
Search = Callable[[discord.PartialMessageable, bool], Awaitable[PostedMessage | None]]


async def find_posted(
    bot: DiscordBotAdapter,
    channel: ChannelRow,
    *,
    story_id: str,
    nonce: str,
    kind: str = "story",
    parent: PostedMessage | None = None,
    webhook: WebhookReads | None = None,
) -> PostedMessage | None:
    """The post `nonce` (a card of `story_id`, or an update of the card `parent`) in `channel`,
    made by the bot or, given `webhook`, by that webhook (its messages read through it); None if
    it is not there. Raises `HistoryHidden` when the bot may not read the channel's history,
    `GuildsPending` when the guild cache cannot tell yet."""
    wanted = discord_nonce(nonce)
    me = bot.client.user.id if bot.client.user else None
    what = "card" if kind == "story" else kind
    channel_id = snowflake(channel.channel_id, "channel")
    if not may_look(bot.client, channel.key, channel_id, what, webhook=webhook is not None):
        return None

    async def hit(message: discord.Message, thread_id: int | None) -> bool:
        mine = (
            message.webhook_id == webhook.webhook_id
            if webhook is not None
            else message.author.id == me
        )
        if not mine or not _plain_post(message):
            return False
        if message.nonce == wanted:
            return True
        # History rarely carries the nonce, so the footer is the real check.
        if webhook is None:
            footers = [e.footer.text for e in message.embeds]
        elif (seen := await webhook.seen(message, thread_id=thread_id)) is not None:
            footers = list(seen.footers)
        else:
            return False
        if kind == "update":
            return any(update_mark(text) == wanted for text in footers)
        return any(story_ref(text) == story_id for text in footers)

    async def search(source: discord.PartialMessageable, thread: bool) -> PostedMessage | None:
        async for message in source.history(limit=bot.history_limit):
            if await hit(message, source.id if thread else None):
                return PostedMessage(
                    message_ref=str(message.id),
                    thread_ref=str(source.id) if kind == "update" else None,
                )
        return None

    # Paged history of up to two channels: a hung page holds the drain as a hung send does.
    # The webhook's reads get half of it, so a timeout of the whole is the bot's pages' doing.
    budget = 2 * bot.send_timeout
    if webhook is not None:
        webhook.within(budget / 2)
    # The bot's reads, also for a webhook channel: their trouble is the bot's route's (the
    # webhook's reads say their own route, `webhook_reads`).
    async with delivering(f"history of {channel.key}", bot=True):
        # A global limit of ours refuses the read as rate limited (a lookup held), not as
        # a timeout that marks the route down.
        await bot.rest.wait_for_global()
        try:
            # Past it, TimeoutError, which `delivering` takes as the bot's route's, transient.
            found = await asyncio.wait_for(_find(bot, channel, kind, parent, search), budget)
        except discord.Forbidden as exc:
            if webhook is None:
                raise
            # The webhook posts without the bot, so the bot not seeing the channel (a server
            # it is not in) says nothing about the channel: "cannot tell", as with no bot.
            log.warning("%s: the bot cannot read the webhook's channel: %s", channel.key, exc)
            return None
    if found is None and webhook is not None and webhook.unread:
        log.warning(
            "%s: a %s that may have been posted through the webhook was not among the %d newest "
            "of its messages read (%d more not read, to keep within Discord's rate limits); it "
            "is resent and may show twice",
            channel.key,
            what,
            webhook.read,
            webhook.unread,
        )
    return found


async def _find(
    bot: DiscordBotAdapter,
    channel: ChannelRow,
    kind: str,
    parent: PostedMessage | None,
    search: Search,
) -> PostedMessage | None:
    if kind != "update":
        return await search(_channel(bot, channel), False)
    if parent is None:
        return None
    thread_id = snowflake(parent.thread_ref or parent.message_ref, "thread")
    thread = bot.client.get_partial_messageable(thread_id, type=discord.ChannelType.public_thread)
    try:
        found = await search(thread, True)
    except discord.Forbidden:
        found = None  # a thread we may not read is one we could not post in either
    except discord.NotFound as exc:
        if exc.code != UNKNOWN_CHANNEL:
            raise
        found = None  # no thread (yet, or in a thread channel ever)
    # Not in the thread: it may have been posted in the channel instead (`in_thread`).
    return found or await search(_channel(bot, channel), False)


def _channel(bot: DiscordBotAdapter, channel: ChannelRow) -> discord.PartialMessageable:
    return bot.client.get_partial_messageable(snowflake(channel.channel_id, "channel"))


def _plain_post(message: discord.Message) -> bool:
    """Outbox posts are plain messages. A public /story reply is the bot's too and carries the
    same footer, but taking it for a card that never landed would mark that card sent."""
    return message.type is discord.MessageType.default and message.interaction_metadata is None
