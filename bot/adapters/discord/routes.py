"""`DiscordAdapter`, the ChatAdapter the runner registers for platform "discord": each channel
goes through its webhook (`DiscordWebhookAdapter`) when it has a `webhook_url`, and through the
bot (`DiscordBotAdapter`) otherwise. Those are the platform's two delivery routes
(`bot.delivery.adapter.delivery_route`): the bot's trouble (a refused token, a gateway restart)
holds up only the bot's channels, and webhook channels go on without the bot meanwhile.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from bot.adapters.discord.errors import BOT_ROUTE, PLATFORM, WEBHOOK_ROUTE
from bot.adapters.discord.notice_lookup import find_piece
from bot.cards import StoryCard
from bot.delivery.adapter import (
    AuthDeliveryError,
    PermanentDeliveryError,
    PlatformDeliveryError,
    PostedMessage,
)
from bot.render.text import chat_digest_heading
from bot.store.channels import ChannelRow

if TYPE_CHECKING:
    from bot.adapters.discord.adapter import DiscordBotAdapter
    from bot.adapters.discord.webhook import DiscordWebhookAdapter


class DiscordAdapter:
    """Platform "discord": per channel, its webhook if configured, else the bot. Pacing between
    posts is the outbox's job (one per second per channel); discord.py adds the buckets.

    Two delivery routes (`route`): the bot's channels (`BOT_ROUTE`) need the bot token and its
    client, webhook channels (`WEBHOOK_ROUTE`) need neither, so a refused token or a gateway
    restart holds up only the bot's channels; webhook channels then post as they do without a
    bot (an update as a follow-up in the channel)."""

    platform = PLATFORM

    def __init__(
        self,
        *,
        bot: DiscordBotAdapter | None = None,
        webhooks: DiscordWebhookAdapter | None = None,
    ) -> None:
        self.bot = bot
        self.webhooks = webhooks
        # Set once Discord refused the bot token (a 401 on a bot request, or the gateway's 4004):
        # for the rest of the run the bot's channels are refused with the reason, which the
        # outbox takes as fatal for the bot's route (rows kept pending).
        self.refused: str | None = None
        # Set while the bot's client is closed for a restart of its gateway (`detach_bot`).
        self.offline: str | None = None

    def route(self, channel: ChannelRow) -> str:
        if channel.webhook_url and self.webhooks is not None:
            return WEBHOOK_ROUTE
        return BOT_ROUTE

    def lookup_route(self, channel: ChannelRow) -> str:
        """Every channel's history is read by the bot (`find_posted`), a webhook channel's too."""
        return BOT_ROUTE

    def refuse(self, reason: str) -> None:
        """Discord refused the bot token: the bot's channels wait for a restart with a new one,
        webhook channels go on without the bot."""
        if self.refused is None:
            self.refused = reason
        if self.webhooks is not None:
            self.webhooks.bot = None

    def detach_bot(self, reason: str) -> None:
        """The bot's client is being closed (its gateway ended and is restarted): the bot's
        channels wait (the runner withdraws their route), webhook channels go on without it."""
        self.offline = reason
        if self.webhooks is not None:
            self.webhooks.bot = None

    def attach_bot(self, bot: DiscordBotAdapter | None) -> None:
        """The bot is back (a new client): its channels and the webhooks' threads use it."""
        self.bot = bot
        self.offline = None
        if self.webhooks is not None and self.refused is None:
            self.webhooks.bot = bot

    def _for(self, channel: ChannelRow) -> DiscordBotAdapter | DiscordWebhookAdapter:
        if self.route(channel) == WEBHOOK_ROUTE and self.webhooks is not None:
            return self.webhooks
        if self.refused is not None:
            raise AuthDeliveryError(self.refused, route=BOT_ROUTE)
        if self.offline is not None:
            # A send that raced the runner withdrawing the bot's route: wait, using no attempt.
            raise PlatformDeliveryError(self.offline, route=BOT_ROUTE)
        if self.bot is not None:
            return self.bot
        raise PermanentDeliveryError(
            f"{channel.key}: no webhook_url for this channel and DISCORD_TOKEN is not set"
        )

    @contextlib.contextmanager
    def _watching(self) -> Iterator[None]:
        """A request refused for the bot token, whichever channel's it was: stop using the bot."""
        try:
            yield
        except AuthDeliveryError as exc:
            if exc.route == BOT_ROUTE:
                self.refuse(str(exc))
            raise

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        with self._watching():
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
        with self._watching():
            return await self._for(channel).post_update(
                channel, posted, card, new_outlets=new_outlets, nonce=nonce
            )

    async def refresh_card(
        self, channel: ChannelRow, posted: PostedMessage, card: StoryCard
    ) -> None:
        with self._watching():
            await self._for(channel).refresh_card(channel, posted, card)

    async def begin_digest(self, channel: ChannelRow, count: int, at: datetime) -> str | bool:
        """A scheduled digest's heading, a message before its cards, if it has several
        (`bot.delivery.digest_heading`): its message's id, or False when it posted none."""
        if (text := chat_digest_heading(count, at, channel.timezone)) is None:
            return False
        with self._watching():
            # Named so in errors and the log: "digest heading to …", not a notice.
            posted = await self._for(channel).post_text(channel, text, label="digest heading")
        return posted or True

    async def retract_heading(self, channel: ChannelRow, ref: str) -> None:
        """Delete a digest heading (`begin_digest`'s message) left over no card or a lone one
        (`bot.delivery.digest_heading_settle.settle_headings`), through the route that posted it."""
        with self._watching():
            await self._for(channel).delete_message(channel, ref)

    async def revise_heading(self, channel: ChannelRow, ref: str, count: int, at: datetime) -> None:
        """Edit a digest heading (`begin_digest`'s message) to the `count` cards left under it
        (`bot.delivery.digest_heading_settle.settle_headings`), through the route that posted it."""
        if (text := chat_digest_heading(count, at, channel.timezone)) is None:
            return
        with self._watching():
            await self._for(channel).edit_text(channel, ref, text)

    async def find_heading(
        self,
        channel: ChannelRow,
        count: int,
        at: datetime,
        *,
        since: datetime,
        exclude: frozenset[str] = frozenset(),
    ) -> str | bool | None:
        """Whether the heading `begin_digest(channel, count, at)` posts, whose answer was lost,
        landed since `since`: looked for in the channel's history by the bot, as a webhook
        notice's piece is (`notice_lookup`); a webhook channel's as `find_text` looks, the bot's
        own channel's among the bot's own messages, passing over those `exclude` names and any
        older (other headings of the same text). None when nothing can look (no bot)."""
        if (text := chat_digest_heading(count, at, channel.timezone)) is None:
            return False
        if self.route(channel) == WEBHOOK_ROUTE:
            return await self.find_text(channel, text, piece=1, since=since, exclude=exclude)
        if self.bot is None:
            return None
        with self._watching():
            return await find_piece(
                self.bot, channel, text, piece=1, since=since, webhook=None, exclude=exclude
            )

    async def post_text(
        self,
        channel: ChannelRow,
        text: str,
        *,
        start: int = 0,
        posted: Callable[[int], None] | None = None,
        nonce: str | None = None,
    ) -> None:
        with self._watching():
            await self._for(channel).post_text(
                channel, text, start=start, posted=posted, nonce=nonce
            )

    async def find_text(
        self,
        channel: ChannelRow,
        text: str,
        *,
        piece: int,
        since: datetime,
        exclude: frozenset[str] = frozenset(),
    ) -> str | bool | None:
        """Whether a notice's piece whose answer was lost landed (`bot.delivery.notices`): a
        webhook channel's is looked for through the bot, as a webhook takes no nonce; None for
        the bot's own, which Discord de-duplicates by the piece's nonce, and sent again."""
        if self.route(channel) != WEBHOOK_ROUTE or self.webhooks is None:
            return None
        if self.refused is not None:
            # As for `find_posted`: waits for the bot rather than resend blind, for a few
            # lookups (`bot.delivery.notices.LOOKUP_TRIES`), then it is sent again.
            raise AuthDeliveryError(self.refused, route=BOT_ROUTE)
        if self.offline is not None:
            raise PlatformDeliveryError(self.offline, route=BOT_ROUTE)
        with self._watching():
            return await self.webhooks.find_text(
                channel, text, piece=piece, since=since, exclude=exclude
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
        if self.route(channel) == WEBHOOK_ROUTE:
            # Only the bot can read the webhook's channel, and the webhook adapter without one
            # answers "not found", which would resend a post that may have landed. While the bot
            # is away the row waits as the bot's own channels do, using no attempt: until it is
            # back from a gateway restart, or for a restart with a new token when Discord
            # refused this one (fatal for the bot's route, as for its channels' sends).
            if self.refused is not None:
                raise AuthDeliveryError(self.refused, route=BOT_ROUTE)
            if self.offline is not None:
                raise PlatformDeliveryError(self.offline, route=BOT_ROUTE)
        with self._watching():
            return await self._for(channel).find_posted(
                channel, story_id=story_id, nonce=nonce, kind=kind, parent=parent
            )
