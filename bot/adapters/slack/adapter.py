"""The ChatAdapter for Slack: cards in, Web API calls out, Slack errors mapped to delivery errors.

Rate limits: `ChannelPacer` keeps our own posts to about one per second per channel, Slack's
documented posting rate, so a long digest does not provoke a 429 in the first place. A 429 that
comes all the same is not slept through (`settings.make_client`): it is raised at once as a
`RateLimitedDeliveryError` carrying the Retry-After, and the outbox holds the calls it limits
(`bot.delivery.rate_limits`). A card's overflow message (the rest of a card too big for one
message, in its thread) is no row the outbox could hold: one that must wait out a Retry-After
waits in a background task (`overflow`), never in the outbox's drain, and its 429 is told to
the outbox (`listen_for_rate_limits`), which holds the posts queued behind it all the same. A 5xx, an answer that is
not JSON or a dropped connection is not retried by the client: the post may have landed, so it
goes to the outbox as a transient error (`maybe_sent`), and the outbox asks `find_posted`
before resending (`errors`). A digest's heading, the message before its cards, is posted, found,
recounted and deleted by the calls `headings.DigestHeadings` mixes in.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.auth import AUTH_ERRORS
from bot.adapters.slack.blocks import (
    SlackMessage,
    card_messages,
    section,
)
from bot.adapters.slack.conversations import ConversationIds
from bot.adapters.slack.errors import delivery_error, error_code
from bot.adapters.slack.escape import notice_line, truncate
from bot.adapters.slack.fitted import card_edit_message, update_message
from bot.adapters.slack.headings import DigestHeadings
from bot.adapters.slack.history import find_by_nonce
from bot.adapters.slack.overflow import (
    MAX_OVERFLOW_WAIT,
    OVERFLOW_TRIES,
    OnLimited,
    OverflowPoster,
)
from bot.adapters.slack.pacing import ChannelPacer
from bot.cards import StoryCard
from bot.delivery.adapter import (
    DeliveryError,
    PostedMessage,
    TransientDeliveryError,
)
from bot.store.channels import ChannelRow

# Re-exported: the mapping lived here first, and tests and callers import it from the adapter.
__all__ = [
    "AUTH_ERRORS",
    "MAX_OVERFLOW_WAIT",
    "OVERFLOW_TRIES",
    "ChannelPacer",
    "PostedParts",
    "SlackAdapter",
    "delivery_error",
    "story_metadata",
]

log = logging.getLogger(__name__)

EVENT_TYPE = "newsdigest_story"
UPDATE_EVENT_TYPE = "newsdigest_story_update"

# chat.update of the original card failing this way means it was deleted or is too old to edit:
# nothing to edit, and nothing to try again.
UNEDITABLE_ERRORS = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
# How long the overflow still waiting to be posted may take at shutdown (`finish_overflow`).
OVERFLOW_GRACE = 2.0
# What giving the overflow left up takes (cancelling its tasks, logging the parts): kept from a
# deadline's grace, so the stop is done by the deadline.
FINISH_MARGIN = 0.1


@dataclass(frozen=True, slots=True)
class PostedParts:
    """What `post_messages` posted: the first message's ts, and how many of the `total` parts
    are known not posted when it returned (an overflow waiting in the background is not)."""

    ts: str
    total: int
    not_posted: int


class SlackAdapter(DigestHeadings):
    platform = "slack"

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        pacer: ChannelPacer | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.client = client
        self.pacer = pacer or ChannelPacer()
        self.conversations = ConversationIds(client)
        self.overflow = OverflowPoster(self._post_in_thread, sleep)

    # --- low level, shared with the command handlers -----------------------------------------------

    async def post_message(
        self,
        channel_id: str,
        message: SlackMessage,
        *,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """chat.postMessage, paced, never unfurling; returns the message's ts.

        Raises the raw SlackApiError so callers decide how to map it."""
        kwargs: dict[str, Any] = {
            "channel": channel_id,
            "text": message.text,
            "blocks": message.blocks,
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if thread_ts:
            kwargs["thread_ts"] = thread_ts
        if metadata:
            kwargs["metadata"] = metadata
        response = await self.pacer.run(channel_id, lambda: self.client.chat_postMessage(**kwargs))
        self.conversations.learn(channel_id, response.get("channel"))
        ts = response.get("ts")
        if not ts:
            # "ok" but no ts (a proxy's or a cut answer): the post landed, but recorded as "None"
            # no update could thread under it. Found in the channel, it gets its real ts.
            raise TransientDeliveryError(
                "Slack chat.postMessage: answered ok without the message's ts", maybe_sent=True
            )
        return str(ts)

    async def post_messages(
        self,
        channel_id: str,
        messages: list[SlackMessage],
        *,
        metadata: dict[str, Any] | None,
        max_wait: float | None = None,
    ) -> PostedParts:
        """The first message top level (with the metadata), the overflow in its thread.

        Raises only when the first message fails. Once it landed the post exists: raising for an
        overflow message would make the caller post the whole card again, first message included,
        so overflow failures are logged (and retried when Slack provably did not take them).
        `max_wait` None (a card): an overflow message that must wait out a Retry-After is
        posted by a background task, the call returning at once; else (a reply) the longest
        Retry-After waited out here, once (`overflow`)."""
        first_ts = await self.post_message(channel_id, messages[0], metadata=metadata)
        lost: list[int] = []
        if len(messages) > 1:
            lost = await self.overflow.post(channel_id, first_ts, messages[1:], max_wait=max_wait)
        return PostedParts(ts=first_ts, total=len(messages), not_posted=len(lost))

    async def _post_in_thread(self, channel_id: str, message: SlackMessage, thread_ts: str) -> None:
        await self.post_message(channel_id, message, thread_ts=thread_ts)

    def listen_for_rate_limits(self, listener: OnLimited) -> None:
        """`listener` (the outbox's, at `register`) is told each 429 a card's overflow message
        meets: a post of the adapter's own, outside any row, that the outbox holds posts for."""
        self.overflow.on_limited = listener

    async def finish_overflow(
        self, grace: float = OVERFLOW_GRACE, *, deadline: float | None = None
    ) -> None:
        """At shutdown: the overflow waiting in the background gets `grace` seconds, cut to end
        a moment before `deadline` (the loop's time) when given, then what is left is given up
        (logged as an ERROR)."""
        if deadline is not None:
            left = deadline - asyncio.get_running_loop().time() - FINISH_MARGIN
            grace = max(min(grace, left), 0.0)
        await self.overflow.finish(grace)

    async def finish_background(self, deadline: float) -> None:
        """The runner's last call at shutdown (`ChatAdapter`): the overflow the bot's stop did
        not finish (posted after it, its platform stopped mid-run) is finished the same way."""
        await self.finish_overflow(deadline=deadline)

    # --- ChatAdapter ---------------------------------------------------------------------------------

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        metadata = story_metadata(EVENT_TYPE, card.story_id, nonce)
        try:
            posted = await self.post_messages(
                channel.channel_id, card_messages(card), metadata=metadata
            )
        except Exception as exc:
            raise delivery_error(exc, "chat.postMessage") from exc
        return PostedMessage(message_ref=posted.ts, thread_ref=posted.ts)

    async def post_update(
        self,
        channel: ChannelRow,
        posted: PostedMessage,
        card: StoryCard,
        *,
        new_outlets: list[str],
        nonce: str,
    ) -> PostedMessage:
        root = posted.thread_ref or posted.message_ref
        metadata = story_metadata(UPDATE_EVENT_TYPE, card.story_id, nonce)
        try:
            await self.post_message(
                channel.channel_id,
                update_message(card, new_outlets),
                thread_ts=root,
                metadata=metadata,
            )
        except Exception as exc:
            raise delivery_error(exc, "chat.postMessage") from exc
        # The reply landed, so the update is delivered: an edit of the original card that fails
        # is not raised, since that would make the outbox post the reply again; the outbox makes
        # the edit later instead.
        try:
            await self.refresh_card(channel, posted, card)
        except Exception as exc:
            log.warning(
                "story %s: could not edit the original card (tried again later): %s",
                card.story_id,
                exc,
            )
            return PostedMessage(posted.message_ref, thread_ref=root, card_unedited=True)
        return PostedMessage(message_ref=posted.message_ref, thread_ref=root)

    async def refresh_card(
        self, channel: ChannelRow, posted: PostedMessage, card: StoryCard
    ) -> None:
        """chat.update of the original card's first message to `card`, whole in that one message
        (`card_edit_message`): what the card's overflow message carried in the thread is not
        posted again with each edit, so a grown card holds lines back with its "+N more" note
        and keeps its buttons. Raises as a post does, but for a card deleted or too old to
        edit: nothing to do."""
        first = card_edit_message(card)
        try:
            conversation = await self._conversation(channel, "chat.update")
            await self.client.chat_update(
                channel=conversation,
                ts=posted.message_ref,
                text=first.text,
                blocks=first.blocks,
            )
        except Exception as exc:
            if error_code(exc) in UNEDITABLE_ERRORS:
                log.info("story %s: original message can no longer be edited", card.story_id)
                return
            raise delivery_error(exc, "chat.update") from exc

    async def post_text(
        self,
        channel: ChannelRow,
        text: str,
        *,
        start: int = 0,
        posted: Callable[[int], None] | None = None,
        nonce: str | None = None,
    ) -> None:
        """A notice whose text may carry feed-derived parts (a feed's own title): every line is
        escaped as untrusted, so nothing in it can ping, link or format, but for the links the
        bot marked in it (`notice_line`). One message, a single piece: with `start` it landed
        already."""
        if start:
            return
        body = "\n".join(notice_line(line) for line in text.splitlines())
        # section() marks the text verbatim: otherwise Slack would link a "#general" or a URL
        # in a feed's title on its own.
        message = SlackMessage(text=truncate(body, 3000), blocks=[section(body)])
        try:
            await self.post_message(channel.channel_id, message)
        except Exception as exc:
            raise delivery_error(exc, "chat.postMessage") from exc
        if posted is not None:
            posted(1)

    async def find_posted(
        self,
        channel: ChannelRow,
        *,
        story_id: str,
        nonce: str,
        kind: str = "story",
        parent: PostedMessage | None = None,
    ) -> PostedMessage | None:
        """Search by the metadata every post carries: top-level history for a card, the story's
        thread (conversations.replies) for an update, whose reply never shows at top level.

        Only the nonce is compared: it is unique per delivery, while the story id in the metadata
        is the one the card was posted under, which a merge since then may have replaced with
        the surviving story's id in the delivery row."""
        if kind == "update":
            if parent is None:
                return None
            root: str | None = parent.thread_ref or parent.message_ref
            event_type = UPDATE_EVENT_TYPE
        else:
            root, event_type = None, EVENT_TYPE
        conversation = await self._history_conversation(channel)
        return await find_by_nonce(
            self.client,
            conversation,
            event_type=event_type,
            nonce=nonce,
            root=root,
            map_error=delivery_error,
        )

    async def _conversation(self, channel: ChannelRow, what: str) -> str:
        """The id `what` takes for a channel configured by name or user id (`conversations`).
        Unknown, it is a plain DeliveryError: neither the channel's fault (no pause) nor an
        outage (Slack is not held back); a lookup then ends in a visible failure, not a resend.
        A lookup rate limited is a `DeferredDeliveryError` (`ConversationIds.resolve` raises it):
        the limit is conversations.list's own, so the row waits it out and posts elsewhere go on."""
        conversation = await self.conversations.resolve(channel.channel_id)
        if conversation is None:
            raise DeliveryError(
                f"Slack {what}: cannot tell the conversation id of {channel.channel_id!r} (Slack "
                "takes only an id here); put the channel's id in the config file"
            )
        return conversation

    async def _history_conversation(self, channel: ChannelRow) -> str:
        """`_conversation` for a history read (a post or a heading looked for), its failure
        raised in the DeliveryError tree as conversations.list's, the call that failed."""
        try:
            return await self._conversation(channel, "conversations.history")
        except Exception as exc:
            raise delivery_error(exc, "conversations.list") from exc


def story_metadata(event_type: str, story_id: str, nonce: str) -> dict[str, Any]:
    return {"event_type": event_type, "event_payload": {"story_id": story_id, "nonce": nonce}}
