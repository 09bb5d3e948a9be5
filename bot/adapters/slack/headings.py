"""A scheduled digest's heading in Slack, the message before its cards
(`bot.delivery.digest_heading`): posted (`begin_digest`), looked for after a lost answer
(`find_heading`), recounted to the cards left under it (`revise_heading`) or deleted when none or
one is (`retract_heading`).

`DigestHeadings` is mixed into `SlackAdapter`, whose posts, client and conversation ids it uses
(`HeadingPoster`); split out of the adapter when that reached the 400-line limit. Every call
raises the DeliveryError tree, as the adapter's posts do.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import SlackMessage, header
from bot.adapters.slack.errors import delivery_error
from bot.adapters.slack.escape import slack_escape
from bot.adapters.slack.history import find_bot_text
from bot.delivery.adapter import LOOKUP_CLOCK_SKEW
from bot.render.text import chat_digest_heading
from bot.store.channels import ChannelRow


class HeadingPoster(Protocol):
    """What `DigestHeadings` takes of the adapter it is mixed into (`SlackAdapter`)."""

    client: AsyncWebClient

    # Only what the headings use of `SlackAdapter.post_message`: a top-level post, its ts back.
    async def post_message(self, channel_id: str, message: SlackMessage) -> str: ...

    async def _conversation(self, channel: ChannelRow, what: str) -> str: ...

    async def _history_conversation(self, channel: ChannelRow) -> str: ...


def heading_message(channel: ChannelRow, count: int, at: datetime) -> SlackMessage | None:
    """The heading of `count` cards at `at` in the channel's time zone, or None when a digest
    of `count` has none (`chat_digest_heading`)."""
    if (text := chat_digest_heading(count, at, channel.timezone)) is None:
        return None
    return SlackMessage(text=slack_escape(text), blocks=[header(text)])


class DigestHeadings:
    """The ChatAdapter's digest-heading calls (`bot.delivery.adapter`), for Slack."""

    async def begin_digest(
        self: HeadingPoster, channel: ChannelRow, count: int, at: datetime
    ) -> str | bool:
        """A scheduled digest's heading, a message before its cards, if it has several
        (`bot.delivery.digest_heading`): its ts, or False when it posted none."""
        if (message := heading_message(channel, count, at)) is None:
            return False
        try:
            return await self.post_message(channel.channel_id, message)
        except Exception as exc:
            raise delivery_error(exc, "chat.postMessage") from exc

    async def retract_heading(self: HeadingPoster, channel: ChannelRow, ref: str) -> None:
        """chat.delete of a digest heading (`begin_digest`'s ts) left over no card or a lone one
        (`bot.delivery.digest_heading_settle.settle_headings`). Raises the DeliveryError tree."""
        try:
            conversation = await self._conversation(channel, "chat.delete")
            await self.client.chat_delete(channel=conversation, ts=ref)
        except Exception as exc:
            raise delivery_error(exc, "chat.delete") from exc

    async def revise_heading(
        self: HeadingPoster, channel: ChannelRow, ref: str, count: int, at: datetime
    ) -> None:
        """chat.update of a digest heading (`begin_digest`'s ts) to the `count` cards left under
        it (`bot.delivery.digest_heading_settle.settle_headings`). Raises the DeliveryError tree."""
        if (message := heading_message(channel, count, at)) is None:
            return
        try:
            conversation = await self._conversation(channel, "chat.update")
            await self.client.chat_update(
                channel=conversation, ts=ref, text=message.text, blocks=message.blocks
            )
        except Exception as exc:
            raise delivery_error(exc, "chat.update") from exc

    async def find_heading(
        self: HeadingPoster,
        channel: ChannelRow,
        count: int,
        at: datetime,
        *,
        since: datetime,
        exclude: frozenset[str] = frozenset(),
    ) -> str | bool | None:
        """Whether the heading `begin_digest(channel, count, at)` posts is in the channel's
        history since `since` (when it was sent, less `LOOKUP_CLOCK_SKEW`: Slack stamps it with
        its own clock): one whose answer was lost (Slack's internal_error, a timeout) may have
        landed. The text alone would also match an earlier digest's heading of the same minute
        and count, from before that or in it: the messages `exclude` names (known to be other
        headings) are passed over with any older, and of the rest the newest is taken, its ts
        returned. Raises the DeliveryError tree when the history cannot be read (a 429 as
        `RateLimitedDeliveryError`: the heading counts as one nobody could look for)."""
        if (message := heading_message(channel, count, at)) is None:
            return False
        conversation = await self._history_conversation(channel)
        return await find_bot_text(
            self.client,
            conversation,
            message.text,
            oldest=since - LOOKUP_CLOCK_SKEW,
            map_error=delivery_error,
            exclude=exclude,
        )


if TYPE_CHECKING:
    from bot.adapters.slack.adapter import SlackAdapter

    # Checked by mypy here, with no caller needed: the adapter that mixes the headings in gives
    # them all they take of it.
    _GIVES_HEADINGS: type[HeadingPoster] = SlackAdapter
