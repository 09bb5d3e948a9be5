"""`DiscordWebhookAdapter`: posting through a channel's webhook URL, with no gateway and no bot
token needed; with a bot also available it threads updates and finds posts through the bot, unless
the bot cannot see the channel (a server it is not in): then it behaves as without a bot.

Without a bot nothing can look in the channel, so a post that may have landed (a 5xx, a timeout,
an answer that is not a Discord message) is resent with a warning that it may show twice: a
duplicate is accepted rather than a lost story.

Posts (cards, updates, notices) and edits of a card are requests of our own (`webhook_rest`), so
a 429 reaches the outbox at once with its scope, rather than slept out inside discord.py. The
webhook session (`webhook_session`) raises at the first 5xx (a post's as "maybe posted", never
resent blind) and at a 429, also for the webhook's GET, which still goes through discord.py (its
retries would hold the drain); the outbox retries, puts off or holds them, as it does every send.
An interaction's follow-ups are no outbox rows, so theirs (`follow_up_session`) waits out a short
429 once in the call and sends the follow-up again, as the user waits for it.

A thread update that goes into the channel itself (no bot, or one that cannot thread there) is
titled with the story's headline and links the card it updates: its title and a last line jump to
the card's message (`card_link`, with the server and channel the webhook's own GET names)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import aiohttp
import discord
from aiohttp import ClientHandlerType, ClientRequest, ClientResponse

from bot.adapters.discord.embeds import card_embeds, message_link, pointing, update_embed
from bot.adapters.discord.errors import (
    PLATFORM,
    SEND_TIMEOUT,
    answered,
    delivering,
    edit_after_reply,
    edit_card,
    snowflake,
)
from bot.adapters.discord.messages import escape_notice, mark_update
from bot.adapters.discord.notice_lookup import find_piece
from bot.adapters.discord.packing import split_content
from bot.adapters.discord.ratelimits import TooManyRequests, rate_limit_wait
from bot.adapters.discord.rest import error_body
from bot.adapters.discord.webhook_reads import WebhookReads
from bot.adapters.discord.webhook_rest import WebhookRest, webhook_payload
from bot.cards import StoryCard
from bot.delivery.adapter import PermanentDeliveryError, PostedMessage
from bot.store.channels import ChannelRow

if TYPE_CHECKING:
    from bot.adapters.discord.adapter import DiscordBotAdapter

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = aiohttp.ClientTimeout(total=30)
# The longest 429 a follow-up waits out in the call, once (`follow_up_session`): the user is
# waiting for the reply, and its interaction's token lives 15 minutes.
FOLLOW_UP_WAIT = 10.0


class MaybePosted(aiohttp.ClientError):
    """A webhook post answered with a 5xx: the message may exist (a gateway timeout often comes
    after it was created), so it must not be sent again blind."""


async def _no_blind_resend(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    response = await handler(req)
    if response.status == 429:
        # discord.py sleeps out a 429 of Discord's own (a `Via`, its JSON) for its whole
        # `retry_after` inside the call, holding the outbox's drain, and crashes reading one that
        # is a page. Raised at once instead, as our own requests raise it (`WebhookRest`), for
        # the outbox to put off or hold (`ratelimits.too_many_requests`): one that is not
        # Discord's JSON is Cloudflare's (a proxy on the way can add the Via).
        raise await _refused(response)
    return await _no_server_error(req, response)


async def _follow_up_once_more(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    response = await handler(req)
    if response.status == 429:
        # An interaction's reply is no outbox row: nothing would send it later, and the user
        # would get "that command failed" for a limit of a second. A short wait of Discord's own
        # is waited out here and the request sent once more (refused, nothing was created); a
        # long one, Cloudflare's, or a second 429 is raised, not slept out for minutes while
        # the user waits (discord.py would, five times over).
        error = await _refused(response)
        wait = _short_wait(error)
        if wait is None:
            raise error
        log.info(
            "Discord: %s %s rate limited; sending it again in %.2f s",
            req.method,
            req.url.path,
            wait,
        )
        await asyncio.sleep(wait)
        response = await handler(req)
        if response.status == 429:
            raise await _refused(response)
    return await _no_server_error(req, response)


async def _refused(response: ClientResponse) -> discord.HTTPException:
    """A 429 as the error raised for it: Discord's JSON read (`TooManyRequests`), else the page."""
    body = await error_body(response)
    response.release()
    if isinstance(body, dict):
        return TooManyRequests(response, body)
    return discord.HTTPException(response, body)


def _short_wait(error: discord.HTTPException) -> float | None:
    """The seconds a 429 of Discord's own asks for (its JSON's `retry_after`, to the
    millisecond, else its headers'), if no more than `FOLLOW_UP_WAIT`."""
    if not isinstance(error, TooManyRequests) or not error.discords:
        return None  # Cloudflare's: it limits the IP, often for long
    wait = error.retry_after
    if wait is None:
        wait = rate_limit_wait(error.response.headers)
    return wait if wait is not None and wait <= FOLLOW_UP_WAIT else None


async def _no_server_error(req: ClientRequest, response: ClientResponse) -> ClientResponse:
    if req.method == "POST" and response.status >= 500:
        # Webhooks take no nonce for Discord to deduplicate by (and discord.py resent a POST on
        # any 5xx, five times): "maybe posted", for the outbox to look for the message (through
        # the bot, when there is one) before it is sent again.
        response.release()
        raise MaybePosted(f"HTTP {response.status} from Discord after a webhook post")
    if req.method == "PATCH" and response.status >= 500:
        # An edit of a card. discord.py would try it five times over some 25 s (no setting
        # changes that), within the one call the outbox waits on, holding up every channel's
        # drain; and an update's edit could time out after its reply landed. Raised at the
        # first 5xx as discord.py raises after its last, the outbox retries the edit (a
        # `refresh` row) with its own backoff and outage rules, as it does every other send.
        body = await error_body(response)
        response.release()
        raise discord.DiscordServerError(response, body)
    return response


def webhook_session() -> aiohttp.ClientSession:
    """The HTTP session the outbox's webhook posts go through: a 429 raised at once."""
    return aiohttp.ClientSession(timeout=WEBHOOK_TIMEOUT, middlewares=(_no_blind_resend,))


def follow_up_session() -> aiohttp.ClientSession:
    """The HTTP session an interaction's follow-ups (a command's reply after the first message,
    the apology for a command that failed) go through: a 5xx as in `webhook_session`, never
    resent blind; a short 429 of Discord's own waited out once (`FOLLOW_UP_WAIT`)."""
    return aiohttp.ClientSession(timeout=WEBHOOK_TIMEOUT, middlewares=(_follow_up_once_more,))


class DiscordWebhookAdapter:
    """Posts through a channel's webhook URL: no gateway and no bot token needed. Webhooks cannot
    start threads or carry interactive buttons, so a growing story gets a follow-up message in
    the channel (in the story's thread when a bot is also available) and the original is edited."""

    platform = PLATFORM

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        bot: DiscordBotAdapter | None = None,
        send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        self.session = session
        # Posts are requests of our own, so a 429 reaches the outbox at once (`webhook_rest`).
        self.rest = WebhookRest(session)
        self.bot = bot
        # How long an edit of a card may take; posts have the session's own timeout.
        self.send_timeout = send_timeout
        # Each webhook's server and channel, from its GET: what a link to its card needs.
        self._places: dict[int, tuple[int, int]] = {}

    def _hook(self, channel: ChannelRow) -> discord.Webhook:
        try:
            return discord.Webhook.from_url(channel.webhook_url or "", session=self.session)
        except ValueError:
            raise PermanentDeliveryError(
                f"{channel.key}: webhook_url is not a Discord webhook URL"
            ) from None

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        hook = self._hook(channel)
        what = f"webhook post {card.slug} to {channel.key}"
        async with delivering(what):
            # ?wait=true makes Discord return the message, whose id later edits need.
            message_id = await answered(
                self.rest.execute(hook, webhook_payload(embeds=card_embeds(card))), what
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
        hook = self._hook(channel)
        # A card ref that is no Discord id fails here, before the reply, not at the edit after it.
        snowflake(posted.message_ref, "message")
        thread_ref = posted.thread_ref
        update = mark_update(update_embed(card, new_outlets), nonce)
        what = f"webhook update {card.slug} in {channel.key}"
        async with delivering(what):
            if self.bot is not None:

                async def send(thread_id: int | None) -> None:
                    # None: the bot cannot thread it, so a follow-up in the channel, as without it.
                    embed = update
                    if thread_id is None:
                        embed = pointing(update, await self.card_link(hook, posted.message_ref))
                    payload = webhook_payload(embeds=[embed])
                    await answered(self.rest.execute(hook, payload, thread_id=thread_id), what)

                thread_ref = str(await self.bot.in_thread(channel, posted, card, send))
            else:
                embed = pointing(update, await self.card_link(hook, posted.message_ref))
                await answered(self.rest.execute(hook, webhook_payload(embeds=[embed])), what)
        edited = await edit_after_reply(self.refresh_card(channel, posted, card), what)
        return PostedMessage(posted.message_ref, thread_ref, card_unedited=not edited)

    async def card_link(self, hook: discord.Webhook, message_ref: str) -> str | None:
        """The jump link to a card the webhook posted, or None if its server is not known: the
        webhook's GET (asked once per webhook) names its server and channel. Failing, the update
        goes out without a link rather than not at all, and the next one asks again."""
        if hook.id not in self._places:
            try:
                found = await asyncio.wait_for(hook.fetch(prefer_auth=False), self.send_timeout)
            except (discord.HTTPException, aiohttp.ClientError, TimeoutError, ValueError) as exc:
                log.info("webhook %s: no link to the card (%s)", hook.id, exc)
                return None
            if found.guild_id is None or found.channel_id is None:
                return None
            self._places[hook.id] = (found.guild_id, found.channel_id)
        guild_id, channel_id = self._places[hook.id]
        return message_link(guild_id, channel_id, message_ref)

    async def refresh_card(
        self, channel: ChannelRow, posted: PostedMessage, card: StoryCard
    ) -> None:
        """The original card edited through the webhook that posted it. Raises as a post does
        (`edit_card`)."""
        message_id = snowflake(posted.message_ref, "message")
        await edit_card(
            self.rest.edit(
                self._hook(channel), message_id, webhook_payload(embeds=card_embeds(card))
            ),
            f"webhook update {card.slug} in {channel.key}",
            timeout=self.send_timeout,
        )

    async def delete_message(self, channel: ChannelRow, message_ref: str) -> None:
        """Delete a message the webhook posted in `channel` (a digest heading left over no
        card)."""
        async with delivering(f"webhook delete in {channel.key}"):
            await self.rest.delete(self._hook(channel), snowflake(message_ref, "message"))

    async def edit_text(self, channel: ChannelRow, message_ref: str, text: str) -> None:
        """Edit a plain message the webhook posted in `channel` (a digest heading recounted) to
        `text`, escaped as `post_text` escapes it; one piece, as a heading is. Sent once."""
        what = f"webhook edit in {channel.key}"
        payload = webhook_payload(content=split_content(escape_notice(text))[0])
        async with delivering(what):
            await answered(
                self.rest.edit(self._hook(channel), snowflake(message_ref, "message"), payload),
                what,
                timeout=self.send_timeout,
            )

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
        """Posts the pieces from `start` on; the last one's message id (a heading's: one)."""
        # `nonce` unused: Execute Webhook takes none. A piece whose answer was lost is looked
        # for before it is sent again instead (`find_text`).
        hook = self._hook(channel)
        what = f"webhook {label} to {channel.key}"
        last: str | None = None
        async with delivering(what):
            pieces = split_content(escape_notice(text))
            for number, piece in enumerate(pieces[start:], start=start + 1):
                made = await answered(self.rest.execute(hook, webhook_payload(content=piece)), what)
                last = str(made) if made else None
                if posted is not None:
                    posted(number)
        return last

    async def find_text(
        self,
        channel: ChannelRow,
        text: str,
        *,
        piece: int,
        since: datetime,
        exclude: frozenset[str] = frozenset(),
    ) -> str | bool | None:
        """Whether piece `piece` of the notice `text`, whose answer was lost, landed: looked
        for through the bot (`notice_lookup`). None without a bot: nothing can look, so it is
        sent again, and may show twice (said in the log), rather than the notice left short."""
        if self.bot is None:
            log.warning(
                "%s: a notice's piece may have been posted through the webhook already, and is "
                "resent; it may show twice, as no bot token (DISCORD_TOKEN) is configured to "
                "look in the channel",
                channel.key,
            )
            return None
        return await find_piece(
            self.bot,
            channel,
            text,
            piece=piece,
            since=since,
            webhook=WebhookReads(self.rest, self._hook(channel)),
            exclude=exclude,
        )

    async def find_posted(
        self,
        channel: ChannelRow,
        *,
        story_id: str,
        nonce: str,
        kind: str = "story",
        parent: PostedMessage | None = None,
    ) -> PostedMessage | None:
        # Webhooks cannot read history; with a bot in the channel we can look for the webhook's
        # messages. Without one there is no way to look, and a story must not be lost, so it is
        # resent: the admin is told why a card may show twice.
        if self.bot is None:
            log.warning(
                "%s: a %s may have been posted through the webhook already, and is resent; it "
                "may show twice, as no bot token (DISCORD_TOKEN) is configured to look in the "
                "channel",
                channel.key,
                "card" if kind == "story" else kind,
            )
            return None
        # History shows the bot the webhook's messages blank (no Message Content intent): they
        # are read through the webhook itself (`webhook_reads`).
        reads = WebhookReads(self.rest, self._hook(channel))
        return await self.bot.find_posted(
            channel, story_id=story_id, nonce=nonce, kind=kind, parent=parent, webhook=reads
        )
