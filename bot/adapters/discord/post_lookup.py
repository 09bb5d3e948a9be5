"""Whether a bot or webhook post whose answer was lost (a 5xx, a timeout, a crash mid-send)
landed after all (`find_posted`), looked for in the channel's recent history through the bot,
before the outbox sends it again.

A card is our plain message whose footer carries the story ref; an update, our plain message
whose footer carries its nonce mark (`messages.update_mark`), in the story's thread or, where
`DiscordBotAdapter.in_thread` had to fall back, in the channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord

from bot.adapters.discord.embeds import story_ref
from bot.adapters.discord.errors import UNKNOWN_CHANNEL, delivering, snowflake
from bot.adapters.discord.messages import discord_nonce, update_mark
from bot.delivery.adapter import PostedMessage
from bot.store.channels import ChannelRow

if TYPE_CHECKING:
    from bot.adapters.discord.adapter import DiscordBotAdapter

log = logging.getLogger(__name__)

Search = Callable[[discord.PartialMessageable], Awaitable[PostedMessage | None]]


async def find_posted(
    bot: DiscordBotAdapter,
    channel: ChannelRow,
    *,
    story_id: str,
    nonce: str,
    kind: str = "story",
    parent: PostedMessage | None = None,
    webhook_id: int | None = None,
) -> PostedMessage | None:
    """The post `nonce` (a card of `story_id`, or an update of the card `parent`) in `channel`,
    made by the bot or, given `webhook_id`, by that webhook; None if it is not there."""
    wanted = discord_nonce(nonce)
    me = bot.client.user.id if bot.client.user else None

    def hit(message: discord.Message) -> bool:
        mine = (
            message.webhook_id == webhook_id if webhook_id is not None else message.author.id == me
        )
        if not mine or not _plain_post(message):
            return False
        if message.nonce == wanted:
            return True
        # History rarely carries the nonce, so the footer is the real check.
        if kind == "update":
            return any(update_mark(e.footer.text) == wanted for e in message.embeds)
        return any(story_ref(e.footer.text) == story_id for e in message.embeds)

    async def search(source: discord.PartialMessageable) -> PostedMessage | None:
        async for message in source.history(limit=bot.history_limit):
            if hit(message):
                return PostedMessage(
                    message_ref=str(message.id),
                    thread_ref=str(source.id) if kind == "update" else None,
                )
        return None

    # The bot's reads, also for a webhook channel: their trouble is the bot's route's.
    async with delivering(f"history of {channel.key}", bot=True):
        # A global limit of ours refuses the read as rate limited (a lookup held), not as
        # a timeout that marks the route down.
        await bot.rest.wait_for_global()
        try:
            # Paged history of up to two channels: a hung page holds the drain as a hung
            # send does, and raises TimeoutError, which `delivering` takes as transient.
            return await asyncio.wait_for(
                _find(bot, channel, kind, parent, search), 2 * bot.send_timeout
            )
        except discord.Forbidden as exc:
            if webhook_id is None:
                raise
            # The webhook posts without the bot, so the bot not seeing the channel (a server
            # it is not in) says nothing about the channel: "cannot tell", as with no bot.
            log.warning("%s: the bot cannot read the webhook's channel: %s", channel.key, exc)
            return None


async def _find(
    bot: DiscordBotAdapter,
    channel: ChannelRow,
    kind: str,
    parent: PostedMessage | None,
    search: Search,
) -> PostedMessage | None:
    if kind != "update":
        return await search(_channel(bot, channel))
    if parent is None:
        return None
    thread_id = snowflake(parent.thread_ref or parent.message_ref, "thread")
    thread = bot.client.get_partial_messageable(thread_id, type=discord.ChannelType.public_thread)
    try:
        found = await search(thread)
    except discord.Forbidden:
        found = None  # a thread we may not read is one we could not post in either
    except discord.NotFound as exc:
        if exc.code != UNKNOWN_CHANNEL:
            raise
        found = None  # no thread (yet, or in a thread channel ever)
    # Not in the thread: it may have been posted in the channel instead (`in_thread`).
    return found or await search(_channel(bot, channel))


def _channel(bot: DiscordBotAdapter, channel: ChannelRow) -> discord.PartialMessageable:
    return bot.client.get_partial_messageable(snowflake(channel.channel_id, "channel"))


def _plain_post(message: discord.Message) -> bool:
    """Outbox posts are plain messages. A public /story reply is the bot's too and carries the
    same footer, but taking it for a card that never landed would mark that card sent."""
    return message.type is discord.MessageType.default and message.interaction_metadata is None
