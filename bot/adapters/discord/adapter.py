"""ChatAdapter implementations for Discord: `DiscordBotAdapter` posts as the bot, and
`DiscordAdapter` (`bot.adapters.discord.routes`), the one the runner registers for platform
"discord", sends each channel through its webhook (`bot.adapters.discord.webhook`) when it has a
`webhook_url` and through the bot otherwise. The bot's cards, thread starts, thread replies and
edits of a card, and its notices and digest headings, are requests of our own
(`bot.adapters.discord.rest`), so a 5xx or a 429 reaches the outbox at once, with its scope,
rather than after discord.py's retries and sleeps; its reads of history go through discord.py
(`bot.adapters.discord.post_lookup`). The outbox paces posts per channel, and each request keeps
Discord's rate-limit buckets on top of that. Errors become the DeliveryError tree in `bot.adapters.discord.errors`.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import discord

from bot.adapters.discord import post_lookup
from bot.adapters.discord.embeds import (
    card_embeds,
    message_link,
    pointing,
    thread_name,
    update_embed,
)
from bot.adapters.discord.errors import (
    PLATFORM,
    SEND_TIMEOUT,
    THREAD_EXISTS,
    UNKNOWN_CHANNEL,
    WRONG_CHANNEL_TYPE,
    answered,
    delivering,
    edit_after_reply,
    edit_card,
    on_bot_route,
    snowflake,
)
from bot.adapters.discord.messages import (
    NO_MENTIONS,
    escape_notice,
    mark_update,
    post_payload,
    text_payload,
)
from bot.adapters.discord.packing import split_content
from bot.adapters.discord.rest import BUCKET_WAIT, BotRest
from bot.adapters.discord.routes import DiscordAdapter
from bot.adapters.discord.views import card_view
from bot.adapters.discord.webhook_reads import WebhookReads
from bot.cards import StoryCard
from bot.delivery.adapter import DeliveryError, PostedMessage
from bot.store.channels import ChannelRow

__all__ = ["DiscordAdapter", "DiscordBotAdapter"]

log = logging.getLogger(__name__)

HISTORY_LIMIT = 50
# Threads started, remembered (`_started`); one forgotten costs a refused start (160004) only.
THREADS_KEPT = 1000


class DiscordBotAdapter:
    """Posts as the bot user. Needs View Channel, Send Messages, Embed Links, Read Message
    History (for `find_posted`: without it, a post whose answer was lost cannot be checked),
    Create Public Threads and Send Messages in Threads."""

    platform = PLATFORM

    def __init__(
        self,
        client: discord.Client,
        *,
        history_limit: int = HISTORY_LIMIT,
        send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        self.client = client
        # Each request that creates something gives up after `send_timeout` (`answered` then
        # takes its TimeoutError for "maybe sent"); a spent bucket's short wait comes before it.
        self.rest = BotRest(client, timeout=send_timeout)
        self.history_limit = history_limit
        self.send_timeout = send_timeout
        # Cards whose thread this process started (its id is theirs), newest last: a reply put
        # off after the start (a 429, a 5xx) is retried straight in it, not via a second start.
        self._threads: OrderedDict[int, None] = OrderedDict()

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        what = f"post {card.slug} to {channel.key}"
        payload = post_payload(card_embeds(card), nonce=nonce, view=card_view([card]))
        async with delivering(what):
            message_id = await answered(
                self.rest.post_message(snowflake(channel.channel_id, "channel"), payload), what
            )
        return PostedMessage(message_ref=str(message_id))

    async def post_update(
        self,
        channel: ChannelRow,
        posted: PostedMessage,
        card: StoryCard,
        *,
        new_outlets: list[str],
        nonce: str,
    ) -> PostedMessage:
        # A card ref that is no Discord id fails here, before the reply, not at the edit after it.
        snowflake(posted.message_ref, "message")
        update = mark_update(update_embed(card, new_outlets), nonce)
        what = f"update {card.slug} in {channel.key}"
        async with delivering(what):

            async def send(thread_id: int | None) -> None:
                # None: the bot cannot thread it, so in the channel, linking the card it updates.
                embed = update
                if thread_id is None:
                    embed = pointing(update, await self.card_link(channel, posted.message_ref))
                target = (
                    snowflake(channel.channel_id, "channel") if thread_id is None else thread_id
                )
                payload = post_payload([embed], nonce=nonce)
                await answered(self.rest.post_message(target, payload), what)

            landed_in = await self.in_thread(channel, posted, card, send)
        edited = await edit_after_reply(self.refresh_card(channel, posted, card), what)
        return PostedMessage(posted.message_ref, str(landed_in), card_unedited=not edited)

    async def refresh_card(
        self, channel: ChannelRow, posted: PostedMessage, card: StoryCard
    ) -> None:
        """The original card re-rendered, with the story's source count now; its components are
        left as they are. Raises as a post does (`edit_card`), at the first 5xx: the request is
        our own (`bot.adapters.discord.rest`), not discord.py's, which would retry it for 25 s."""
        message_id = snowflake(posted.message_ref, "message")
        payload = {
            "embeds": [embed.to_dict() for embed in card_embeds(card)],
            "allowed_mentions": NO_MENTIONS.to_dict(),
        }
        await edit_card(
            self.rest.edit_message(snowflake(channel.channel_id, "channel"), message_id, payload),
            f"update {card.slug} in {channel.key}",
            # The request's time, and the short waits before each of its two tries (Discord's
            # global limit's, then the bucket's: `BotRest._wait_for_limits`).
            timeout=self.send_timeout + 4 * BUCKET_WAIT,
        )

    async def delete_message(self, channel: ChannelRow, message_ref: str) -> None:
        """Delete a message the bot posted in `channel` (a digest heading left over no card)."""
        what = f"delete in {channel.key}"
        async with delivering(what):
            await self.rest.delete_message(
                snowflake(channel.channel_id, "channel"), snowflake(message_ref, "message")
            )

    async def edit_text(self, channel: ChannelRow, message_ref: str, text: str) -> None:
        """Edit a plain message the bot posted in `channel` (a digest heading recounted) to
        `text`, escaped as `post_text` escapes it; one piece, as a heading is. Sent once."""
        what = f"edit in {channel.key}"
        payload = {
            "content": split_content(escape_notice(text))[0],
            "allowed_mentions": NO_MENTIONS.to_dict(),
        }
        async with delivering(what):
            await answered(
                self.rest.edit_message(
                    snowflake(channel.channel_id, "channel"),
                    snowflake(message_ref, "message"),
                    payload,
                ),
                what,
                timeout=self.send_timeout + 4 * BUCKET_WAIT,
            )

    async def card_link(self, channel: ChannelRow, message_ref: str) -> str | None:
        """The jump link to a card the bot posted in `channel`, or None if its server cannot be
        told (`BotRest.guild_of`): the update then goes out without a link rather than not at all,
        and the next one asks again."""
        channel_id = snowflake(channel.channel_id, "channel")
        try:
            guild_id = await self.rest.guild_of(channel_id)
        except (
            discord.HTTPException,
            aiohttp.ClientError,
            TimeoutError,
            ValueError,
            DeliveryError,  # Discord's global rate limit, not waited out for a link
        ) as exc:
            log.info("%s: no link to the card (%s)", channel.key, exc)
            return None
        return message_link(guild_id, channel_id, message_ref)

    async def in_thread(
        self,
        channel: ChannelRow,
        posted: PostedMessage,
        card: StoryCard,
        send: Callable[[int | None], Awaitable[None]],
    ) -> int:
        """Send into the story's thread, starting the thread on the message the first time;
        `send(None)` posts in the channel itself. Returns the id of where it landed.

        A thread started from a message shares the message's id, so the outbox's thread_ref
        (which defaults to the message id) is right even before the thread exists. A card with
        no reply yet (`PostedMessage.replied`) gets its thread started first, unless this process
        started it already (the reply put off after the start: a 429, a 5xx); otherwise the reply
        is sent first, and the thread started on Unknown Channel (a thread someone deleted).

        A refusal that concerns threads only must not pause a channel whose cards go through, so
        the update is posted in the channel instead, linking the card (`card_link`), after one try
        in a thread someone else started when the bot may not start it: a bot without Create
        Public Threads or Send Messages in Threads (403), a channel that is itself a thread
        (Discord will not start a thread in a thread), a webhook channel in a server the bot is
        not in. Should the channel refuse too, that refusal is the channel's and stands."""
        thread_id = snowflake(posted.thread_ref or posted.message_ref, "thread")
        message_id = snowflake(posted.message_ref, "message")
        if posted.replied or message_id in self._threads:
            try:
                await send(thread_id)
                return thread_id
            except discord.Forbidden as exc:
                return await self._in_channel(channel, card, send, exc)
            except discord.NotFound as exc:
                if exc.code != UNKNOWN_CHANNEL:
                    raise
        channel_id = snowflake(channel.channel_id, "channel")
        # As discord.py's start_thread_with_message sent it.
        thread: dict[str, Any] = {
            "name": thread_name(card),
            "auto_archive_duration": 1440,
            "rate_limit_per_user": None,
        }
        what = f"thread for {card.slug} in {channel.key}"
        try:
            thread_id = await answered(self.rest.start_thread(channel_id, message_id, thread), what)
        except discord.Forbidden as exc:
            if not posted.replied:
                return await self._in_their_thread(channel, card, send, message_id, exc)
            return await self._in_channel(channel, card, send, exc)
        except discord.HTTPException as exc:
            if exc.code == WRONG_CHANNEL_TYPE:
                return await self._in_channel(channel, card, send, exc)
            if exc.code != THREAD_EXISTS:
                raise on_bot_route(exc, what) from exc
            thread_id = message_id
        except (DeliveryError, aiohttp.ClientError, TimeoutError, OSError) as exc:
            # The bot's request, also when `send` is a webhook's (a webhook channel's update):
            # its 5xx, timeout or rate limit holds back the bot's route, not the webhooks'.
            error = on_bot_route(exc, what)
            if error is exc:
                raise
            raise error from exc
        self._started(message_id)
        try:
            await send(thread_id)
        except discord.Forbidden as exc:
            return await self._in_channel(channel, card, send, exc)
        return thread_id

    def _started(self, message_id: int) -> None:
        """The card's thread exists: remembered for its next reply, the last `THREADS_KEPT`."""
        self._threads[message_id] = None
        self._threads.move_to_end(message_id)
        while len(self._threads) > THREADS_KEPT:
            self._threads.popitem(last=False)

    async def _in_their_thread(
        self,
        channel: ChannelRow,
        card: StoryCard,
        send: Callable[[int | None], Awaitable[None]],
        thread_id: int,
        refusal: discord.Forbidden,
    ) -> int:
        """The bot may not start threads (no Create Public Threads), but someone else may have
        started the story's one, and Send Messages in Threads is enough to reply there: tried
        once, before the channel. Only a reply tried first (`replied`) would have found it."""
        try:
            await send(thread_id)
        except discord.Forbidden as exc:
            return await self._in_channel(channel, card, send, exc)
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_CHANNEL:
                raise
            return await self._in_channel(channel, card, send, refusal)
        return thread_id

    async def _in_channel(
        self,
        channel: ChannelRow,
        card: StoryCard,
        send: Callable[[int | None], Awaitable[None]],
        refusal: discord.HTTPException,
    ) -> int:
        if refusal.code == WRONG_CHANNEL_TYPE:
            why = "the channel is itself a thread"
        else:
            why = (
                f"the bot may not use the story's thread ({refusal.text or refusal.status}): "
                "it needs Create Public Threads and Send Messages in Threads"
            )
        log.warning("%s: %s; update for %s posted in the channel", channel.key, why, card.slug)
        await send(None)
        return snowflake(channel.channel_id, "channel")

    async def post_text(
        self,
        channel: ChannelRow,
        text: str,
        *,
        start: int = 0,
        posted: Callable[[int], None] | None = None,
        nonce: str | None = None,
        label: str = "notice",
    ) -> str | None:
        """Each piece is a request of our own (`rest.BotRest`), as a card is: a 429 says its
        scope (a bucket's puts off the notice alone, the global limit holds the bot's posts) and
        is kept for the channel's bucket, and a 5xx reaches the outbox at once. A piece's nonce,
        `nonce` and its number, makes Discord answer the piece sent again after a 5xx or a
        timeout that landed with the message it created; without one (a heading), a piece may be
        posted twice then. `label` names the message in errors and the log ("digest heading").
        Returns the last piece's message id (a heading's: its one)."""
        what = f"{label} to {channel.key}"
        channel_id = snowflake(channel.channel_id, "channel")
        last: str | None = None
        async with delivering(what):
            pieces = split_content(escape_notice(text))
            for number, piece in enumerate(pieces[start:], start=start + 1):
                payload = text_payload(piece, nonce=None if nonce is None else f"{nonce}.{number}")
                made = await answered(self.rest.post_message(channel_id, payload), what)
                last = str(made) if made else None
                if posted is not None:
                    posted(number)
        return last

    async def find_posted(
        self,
        channel: ChannelRow,
        *,
        story_id: str,
        nonce: str,
        kind: str = "story",
        parent: PostedMessage | None = None,
        webhook: WebhookReads | None = None,
    ) -> PostedMessage | None:
        """A card: our message in the channel whose footer carries the story ref. An update: our
        message whose footer carries this update's nonce mark, in the story's thread or, where
        `in_thread` had to fall back, in the channel (`post_lookup`). Given `webhook`, the
        webhook's message, read through it."""
        return await post_lookup.find_posted(
            self,
            channel,
            story_id=story_id,
            nonce=nonce,
            kind=kind,
            parent=parent,
            webhook=webhook,
        )
