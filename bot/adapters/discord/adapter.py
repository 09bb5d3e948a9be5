"""ChatAdapter implementations for Discord: the bot (REST via discord.py) and channel webhooks.

`DiscordAdapter` is the one the runner registers for platform "discord": it sends through the
channel's webhook when the channel has a `webhook_url` and through the bot otherwise. The outbox
paces posts per channel; discord.py honours every rate-limit bucket and 429 on top of that.

Errors become the DeliveryError tree: a channel that cannot take posts (403, Unknown Channel,
Unknown Webhook) is permanent; 5xx, timeouts and connection errors are transient; a 400 about our
own payload is neither (retrying will not help, but the channel is fine and must not be paused).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import discord

from bot.adapters.discord.embeds import (
    card_embeds,
    split_content,
    story_ref,
    thread_name,
    update_embed,
)
from bot.adapters.discord.escape import escape
from bot.adapters.discord.views import card_view
from bot.cards import StoryCard
from bot.delivery.adapter import (
    DeliveryError,
    PermanentDeliveryError,
    PlatformDeliveryError,
    PostedMessage,
    TransientDeliveryError,
)
from bot.store.channels import ChannelRow

log = logging.getLogger(__name__)

PLATFORM = "discord"
NO_MENTIONS = discord.AllowedMentions.none()
HISTORY_LIMIT = 50
NONCE_LIMIT = 25
# Discord's JSON error codes that mean "this channel/webhook is gone or closed to us".
PERMANENT_CODES = {10003: "Unknown Channel", 10015: "Unknown Webhook", 50001: "Missing Access"}
PERMANENT_CODES |= {50013: "Missing Permissions", 50007: "Cannot send messages to this user"}
PERMANENT_CODES |= {50027: "Invalid Webhook Token"}
UNKNOWN_MESSAGE = 10008
UNKNOWN_CHANNEL = 10003
THREAD_EXISTS = 160004


def escape_notice(text: str) -> str:
    """A notice may carry feed-derived parts (a feed's own title): escape every line as untrusted
    text, so it can neither ping nor pass for the bot's own formatting or links."""
    return "\n".join(escape(line) for line in text.splitlines())


def discord_nonce(nonce: str) -> str:
    """Discord takes a nonce of at most 25 characters; longer outbox nonces are hashed, which
    keeps them stable across retries (the point of a nonce)."""
    if len(nonce) <= NONCE_LIMIT:
        return nonce
    return hashlib.sha256(nonce.encode()).hexdigest()[:NONCE_LIMIT]


UPDATE_MARK = " · update "
FOOTER_LIMIT = 2048


def mark_update(embed: discord.Embed, nonce: str) -> discord.Embed:
    """Sign an update's footer with its nonce. History does not return nonces, so this is how
    `find_posted` tells this update from the card (whose footer ends in the story ref) and from
    other updates in the thread."""
    mark = UPDATE_MARK + discord_nonce(nonce)
    text = (embed.footer.text or "")[: FOOTER_LIMIT - len(mark)]
    embed.set_footer(text=text + mark)
    return embed


def update_mark(text: str | None) -> str | None:
    if not text or UPDATE_MARK not in text:
        return None
    return text.rsplit(UPDATE_MARK, 1)[1].strip() or None


async def edit_best_effort(edit: Awaitable[object], what: str) -> None:
    """Refresh the original card after an update's reply landed. A failure is logged and
    swallowed: raising would make the outbox post the reply again."""
    try:
        await edit
    except (discord.DiscordException, aiohttp.ClientError, TimeoutError, OSError) as exc:
        log.warning("%s: could not edit the original card: %r", what, exc)


def translate_error(exc: BaseException, what: str) -> DeliveryError:
    if isinstance(exc, discord.RateLimited):
        # Only raised when a wait would exceed the client's max_ratelimit_timeout.
        return TransientDeliveryError(f"{what}: rate limited", retry_after=exc.retry_after)
    if isinstance(exc, discord.HTTPException):
        detail = f"{what}: HTTP {exc.status} (code {exc.code}) {exc.text}".strip()
        if exc.code in PERMANENT_CODES:
            return PermanentDeliveryError(f"{what}: {PERMANENT_CODES[exc.code]}")
        if exc.status == 401:
            # The bot token is invalid: every channel fails alike, so no channel is paused.
            return PlatformDeliveryError(detail)
        if exc.code == UNKNOWN_MESSAGE:
            # The message was deleted, not the channel: nothing to pause.
            return DeliveryError(detail)
        if isinstance(exc, discord.Forbidden | discord.NotFound):
            return PermanentDeliveryError(detail)
        if exc.status == 429:
            return TransientDeliveryError(detail)
        if exc.status >= 500:
            # A 5xx (a gateway timeout in particular) can come after the message was created.
            return TransientDeliveryError(detail, maybe_sent=True)
        return DeliveryError(detail)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return TransientDeliveryError(f"{what}: {type(exc).__name__}: {exc}")
    if isinstance(exc, aiohttp.ClientError | TimeoutError | OSError):
        # Webhooks carry no nonce: after a timeout the post may exist; look before resending.
        return TransientDeliveryError(f"{what}: {type(exc).__name__}: {exc}", maybe_sent=True)
    return DeliveryError(f"{what}: {type(exc).__name__}: {exc}")


@contextlib.asynccontextmanager
async def delivering(what: str) -> AsyncIterator[None]:
    try:
        yield
    except DeliveryError:
        raise
    except (discord.DiscordException, aiohttp.ClientError, TimeoutError, OSError) as exc:
        raise translate_error(exc, what) from exc


def _snowflake(value: str, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PermanentDeliveryError(f"{what} {value!r} is not a Discord id") from None


class DiscordBotAdapter:
    """Posts as the bot user. Needs View Channel, Send Messages, Embed Links, Read Message
    History (for `find_posted`), Create Public Threads and Send Messages in Threads."""

    platform = PLATFORM

    def __init__(self, client: discord.Client, *, history_limit: int = HISTORY_LIMIT) -> None:
        self.client = client
        self.history_limit = history_limit

    def _target(self, channel: ChannelRow) -> discord.PartialMessageable:
        return self.client.get_partial_messageable(_snowflake(channel.channel_id, "channel"))

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        async with delivering(f"post {card.slug} to {channel.key}"):
            # discord.py sends `enforce_nonce` with every nonce: Discord then answers a retried
            # send with the message it already created instead of posting a duplicate.
            message = await self._target(channel).send(
                embeds=card_embeds(card),
                view=card_view([card]),
                nonce=discord_nonce(nonce),
                allowed_mentions=NO_MENTIONS,
            )
        return PostedMessage(message_ref=str(message.id))

    async def post_update(
        self,
        channel: ChannelRow,
        posted: PostedMessage,
        card: StoryCard,
        *,
        new_outlets: list[str],
        nonce: str,
    ) -> PostedMessage:
        message_id = _snowflake(posted.message_ref, "message")
        update = mark_update(update_embed(card, new_outlets), nonce)
        async with delivering(f"update {card.slug} in {channel.key}"):

            async def send(thread_id: int) -> None:
                thread = self.client.get_partial_messageable(
                    thread_id, type=discord.ChannelType.public_thread
                )
                await thread.send(
                    embed=update, nonce=discord_nonce(nonce), allowed_mentions=NO_MENTIONS
                )

            thread_id = await self.in_thread(channel, posted, card, send)
        # The re-rendered card carries the new source count; components are left as they are.
        await edit_best_effort(
            self._target(channel)
            .get_partial_message(message_id)
            .edit(embeds=card_embeds(card), allowed_mentions=NO_MENTIONS),
            f"update {card.slug} in {channel.key}",
        )
        return PostedMessage(message_ref=posted.message_ref, thread_ref=str(thread_id))

    async def in_thread(
        self,
        channel: ChannelRow,
        posted: PostedMessage,
        card: StoryCard,
        send: Callable[[int], Awaitable[None]],
    ) -> int:
        """Send into the story's thread, starting the thread on the message the first time.

        A thread started from a message shares the message's id, so the outbox's thread_ref
        (which defaults to the message id) is right even before the thread exists; sending
        first and starting the thread on Unknown Channel costs one request only once."""
        thread_id = _snowflake(posted.thread_ref or posted.message_ref, "thread")
        try:
            await send(thread_id)
            return thread_id
        except discord.NotFound as exc:
            if exc.code != UNKNOWN_CHANNEL:
                raise
        channel_id = _snowflake(channel.channel_id, "channel")
        message_id = _snowflake(posted.message_ref, "message")
        try:
            data = await self.client.http.start_thread_with_message(
                channel_id, message_id, name=thread_name(card), auto_archive_duration=1440
            )
            thread_id = int(data["id"])
        except discord.HTTPException as exc:
            if exc.code != THREAD_EXISTS:
                raise
            thread_id = message_id
        await send(thread_id)
        return thread_id

    async def post_text(self, channel: ChannelRow, text: str) -> None:
        target = self._target(channel)
        async with delivering(f"notice to {channel.key}"):
            for piece in split_content(escape_notice(text)):
                await target.send(content=piece, allowed_mentions=NO_MENTIONS)

    async def find_posted(
        self,
        channel: ChannelRow,
        *,
        story_id: str,
        nonce: str,
        kind: str = "story",
        parent: PostedMessage | None = None,
        webhook_id: int | None = None,
    ) -> PostedMessage | None:
        """A card: our message in the channel whose footer carries the story ref. An update: our
        message in the story's thread whose footer carries this update's nonce mark."""
        wanted = discord_nonce(nonce)
        me = self.client.user.id if self.client.user else None
        if kind == "update":
            if parent is None:
                return None
            thread_id = _snowflake(parent.thread_ref or parent.message_ref, "thread")
            source = self.client.get_partial_messageable(
                thread_id, type=discord.ChannelType.public_thread
            )
        else:
            source = self._target(channel)
        async with delivering(f"history of {channel.key}"):
            try:
                async for message in source.history(limit=self.history_limit):
                    mine = (
                        message.webhook_id == webhook_id
                        if webhook_id is not None
                        else message.author.id == me
                    )
                    if not mine:
                        continue
                    # History rarely carries the nonce, so the footer is the real check.
                    if kind == "update":
                        hit = any(update_mark(e.footer.text) == wanted for e in message.embeds)
                    else:
                        hit = any(story_ref(e.footer.text) == story_id for e in message.embeds)
                    if message.nonce == wanted or hit:
                        return PostedMessage(
                            message_ref=str(message.id),
                            thread_ref=str(source.id) if kind == "update" else None,
                        )
            except discord.NotFound as exc:
                if kind == "update" and exc.code == UNKNOWN_CHANNEL:
                    return None  # no thread yet, so the update never landed
                raise
        return None


class DiscordWebhookAdapter:
    """Posts through a channel's webhook URL: no gateway and no bot token needed. Webhooks cannot
    start threads or carry interactive buttons, so a growing story gets a follow-up message in
    the channel (in the story's thread when a bot is also available) and the original is edited."""

    platform = PLATFORM

    def __init__(
        self, session: aiohttp.ClientSession, *, bot: DiscordBotAdapter | None = None
    ) -> None:
        self.session = session
        self.bot = bot

    def _hook(self, channel: ChannelRow) -> discord.Webhook:
        try:
            return discord.Webhook.from_url(channel.webhook_url or "", session=self.session)
        except ValueError:
            raise PermanentDeliveryError(
                f"{channel.key}: webhook_url is not a Discord webhook URL"
            ) from None

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        hook = self._hook(channel)
        async with delivering(f"webhook post {card.slug} to {channel.key}"):
            # wait=True makes Discord return the message, whose id later edits need.
            message = await hook.send(
                embeds=card_embeds(card), wait=True, allowed_mentions=NO_MENTIONS
            )
        return PostedMessage(message_ref=str(message.id))

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
        message_id = _snowflake(posted.message_ref, "message")
        thread_ref = posted.thread_ref
        update = mark_update(update_embed(card, new_outlets), nonce)
        async with delivering(f"webhook update {card.slug} in {channel.key}"):
            if self.bot is not None:

                async def send(thread_id: int) -> None:
                    await hook.send(
                        embed=update,
                        thread=discord.Object(thread_id),
                        wait=True,
                        allowed_mentions=NO_MENTIONS,
                    )

                thread_ref = str(await self.bot.in_thread(channel, posted, card, send))
            else:
                await hook.send(embed=update, wait=True, allowed_mentions=NO_MENTIONS)
        await edit_best_effort(
            hook.edit_message(message_id, embeds=card_embeds(card), allowed_mentions=NO_MENTIONS),
            f"webhook update {card.slug} in {channel.key}",
        )
        return PostedMessage(message_ref=posted.message_ref, thread_ref=thread_ref)

    async def post_text(self, channel: ChannelRow, text: str) -> None:
        hook = self._hook(channel)
        async with delivering(f"webhook notice to {channel.key}"):
            for piece in split_content(escape_notice(text)):
                await hook.send(content=piece, wait=True, allowed_mentions=NO_MENTIONS)

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
        # messages. Without one, a crash between send and record may repeat that one message.
        if self.bot is None:
            return None
        hook = self._hook(channel)
        return await self.bot.find_posted(
            channel, story_id=story_id, nonce=nonce, kind=kind, parent=parent, webhook_id=hook.id
        )


class DiscordAdapter:
    """Platform "discord": per channel, its webhook if configured, else the bot. Pacing between
    posts is the outbox's job (one per second per channel); discord.py adds the buckets."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        bot: DiscordBotAdapter | None = None,
        webhooks: DiscordWebhookAdapter | None = None,
    ) -> None:
        self.bot = bot
        self.webhooks = webhooks

    def _for(self, channel: ChannelRow) -> DiscordBotAdapter | DiscordWebhookAdapter:
        if channel.webhook_url and self.webhooks is not None:
            return self.webhooks
        if self.bot is not None:
            return self.bot
        raise PermanentDeliveryError(
            f"{channel.key}: no webhook_url for this channel and DISCORD_TOKEN is not set"
        )

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        return await self._for(channel).post_card(channel, card, nonce=nonce)

    async def post_update(
        self,
        channel: ChannelRow,
        posted: PostedMessage,
        card: StoryCard,
        *,
        new_outlets: list[str],
        nonce: str,
    ) -> PostedMessage:
        return await self._for(channel).post_update(
            channel, posted, card, new_outlets=new_outlets, nonce=nonce
        )

    async def post_text(self, channel: ChannelRow, text: str) -> None:
        await self._for(channel).post_text(channel, text)

    async def find_posted(
        self,
        channel: ChannelRow,
        *,
        story_id: str,
        nonce: str,
        kind: str = "story",
        parent: PostedMessage | None = None,
    ) -> PostedMessage | None:
        return await self._for(channel).find_posted(
            channel, story_id=story_id, nonce=nonce, kind=kind, parent=parent
        )
