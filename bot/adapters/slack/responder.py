"""Getting a command's reply to the user: posted in the channel, through the response_url when
the bot may not post there, or ephemeral; a failure to answer is logged, never raised.

Slack accepts a response_url only 5 times (within 30 minutes); later POSTs are refused and the
message is lost. Uses are counted per URL, the last one is kept for a note when a reply would
need more, and the overflow goes by chat.postEphemeral instead.

A 429 on any of these is waited out once when its Retry-After is short (3 s at most), else the
reply is given up with a log line (`short_waits`); a public reply given up so says so to the
person, ephemerally, as chat.postEphemeral and the response_url have limits of their own. A
public reply of several messages waits once in all, its overflow included; the parts it could
not post are told to the person the same way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.blocks import SlackMessage
from bot.adapters.slack.errors import is_rate_limited
from bot.adapters.slack.replies import ephemeral_body, reply_messages, text_body
from bot.adapters.slack.settings import retry_handlers
from bot.adapters.slack.short_waits import (
    SHORT_WAIT,
    Sleep,
    once_more_if_short,
    send_once_more_if_short,
)

if TYPE_CHECKING:
    from bot.commands.core import Reply

log = logging.getLogger(__name__)

# Slack's own errors when the bot may not post in a channel; the response_url still works there.
NOT_POSTABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
RESPONSE_URL_USES = 5
# A response_url expires after 30 minutes, so its count can be forgotten then.
RESPONSE_URL_LIFETIME = 30 * 60.0
CUT_SHORT = (
    "{missing} more part(s) of this reply could not be shown: Slack allows only five replies "
    "to one command or button."
)
PART_MISSING = (
    "Slack refused or asked me to slow down, so {missing} part(s) of this reply could not be "
    "posted. Please try again in a minute."
)
SLOW_DOWN = (
    "Slack asked me to slow down, so I could not post this reply in the channel. "
    "Please try again in a minute."
)


class Responder:
    def __init__(
        self,
        client: AsyncWebClient,
        adapter: SlackAdapter,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.client = client
        self.adapter = adapter
        self._clock = clock
        self._sleep = sleep
        # response_url -> (uses so far, first use).
        self._uses: dict[str, tuple[int, float]] = {}

    async def deliver(
        self,
        reply: Reply,
        *,
        channel_id: str,
        user_id: str,
        response_url: str | None,
    ) -> None:
        messages = reply_messages(reply)
        if reply.ephemeral:
            bodies = [ephemeral_body(message) for message in messages]
            await self.respond_all(response_url, bodies, channel_id, user_id)
            return
        what = f"a reply in {channel_id}"
        # A reply waits out one short Retry-After in all (`short_waits`): once one was waited,
        # a later 429 on the same reply is not.
        waited = False

        async def sleep(seconds: float) -> None:
            nonlocal waited
            waited = True
            await self._sleep(seconds)

        def max_wait() -> float:
            return 0.0 if waited else SHORT_WAIT

        posted = 0
        not_posted = 0
        try:
            if reply.digest is not None:
                for message in messages:
                    await self._post_once_more_if_short(channel_id, message, what, sleep, waited)
                    posted += 1
            else:
                # Raises only for the first message, before anything was posted: made again
                # whole, it cannot post twice. The overflow waits as the reply does.
                parts = await once_more_if_short(
                    lambda: self.adapter.post_messages(
                        channel_id, messages, metadata=None, max_wait=max_wait()
                    ),
                    what=what,
                    sleep=sleep,
                )
                not_posted = parts.not_posted
        except SlackApiError as exc:
            if posted:
                # A digest's later message: the reply is part posted, said below.
                log.warning("Slack: posting a reply in %s failed: %s", channel_id, exc)
                not_posted = len(messages) - posted
            elif is_rate_limited(exc):
                await self.respond(response_url, text_body(SLOW_DOWN), channel_id, user_id)
                return
            else:
                await self._not_postable(exc, messages, channel_id, user_id, response_url)
                return
        if not_posted:
            log.warning(
                "Slack: %d part(s) of a reply in %s were not posted", not_posted, channel_id
            )
            note = text_body(PART_MISSING.format(missing=not_posted))
            await self.respond(response_url, note, channel_id, user_id)

    async def _post_once_more_if_short(
        self, channel_id: str, message: SlackMessage, what: str, sleep: Sleep, waited: bool
    ) -> None:
        """One message of a reply; a short 429 waited out once, unless the reply already did."""
        post = partial(self.adapter.post_message, channel_id, message)
        if waited:
            await post()
        else:
            await once_more_if_short(post, what=what, sleep=sleep)

    async def _not_postable(
        self,
        exc: SlackApiError,
        messages: list[SlackMessage],
        channel_id: str,
        user_id: str,
        response_url: str | None,
    ) -> None:
        """The reply's first message refused for another reason than the rate limit."""
        code = str(exc.response.get("error") or "")
        if code in NOT_POSTABLE and response_url:
            # A private channel or DM the bot was not invited to: the response_url can still
            # post there once per message (up to five times).
            for message in messages[: self.uses_left(response_url)]:
                body = {
                    "response_type": "in_channel",
                    "text": message.text,
                    "blocks": message.blocks,
                }
                await self.respond(response_url, body, channel_id, user_id)
            return
        log.warning("Slack: posting a reply to %s failed: %s", channel_id, code)
        note = f"I could not post in this channel ({code}). Try `/invite` me first."
        await self.respond(response_url, text_body(note), channel_id, user_id)

    async def respond_all(
        self,
        response_url: str | None,
        bodies: list[dict[str, Any]],
        channel_id: str,
        user_id: str,
    ) -> None:
        """Ephemeral bodies in order. What the response_url cannot take goes by
        chat.postEphemeral; if that fails too, the URL's last use says the reply was cut short."""
        left = self.uses_left(response_url) if response_url else 0
        if len(bodies) <= left:
            for body in bodies:
                await self.respond(response_url, body, channel_id, user_id)
            return
        by_url = bodies[: max(left - 1, 0)]
        for body in by_url:
            await self.respond(response_url, body, channel_id, user_id)
        rest = bodies[len(by_url) :]
        for sent, body in enumerate(rest):
            if not await self._post_ephemeral(body, channel_id, user_id):
                missing = len(rest) - sent
                log.warning("Slack: %d part(s) of a reply to %s were not shown", missing, user_id)
                if left:
                    note = text_body(CUT_SHORT.format(missing=missing))
                    await self.respond(response_url, note, channel_id, user_id)
                return

    async def respond(
        self, response_url: str | None, body: dict[str, Any], channel_id: str, user_id: str
    ) -> None:
        if not response_url or not self._use(response_url):
            if not await self._post_ephemeral(body, channel_id, user_id):
                log.warning("Slack: a reply to %s could not be sent", user_id)
            return
        try:
            webhook = AsyncWebhookClient(response_url, timeout=15, retry_handlers=retry_handlers())
            response = await send_once_more_if_short(
                webhook,
                {**body, "replace_original": False},
                what=f"a reply to {user_id} by its response_url",
                sleep=self._sleep,
            )
        except (aiohttp.ClientError, TimeoutError) as exc:
            # The reply may have been shown before the connection failed; never sent again.
            log.warning("Slack: a reply to %s may not have been shown: %r", user_id, exc)
            return
        except Exception:
            log.exception("Slack: could not send a reply to %s", user_id)
            return
        if not 200 <= response.status_code < 300:
            # e.g. 404 expired_url / used_url: Slack dropped the message, so say so in the log.
            log.warning(
                "Slack: the response_url refused a reply to %s: %s %s",
                user_id,
                response.status_code,
                (response.body or "")[:200],
            )
            if body.get("response_type") == "ephemeral":
                await self._post_ephemeral(body, channel_id, user_id)

    def uses_left(self, response_url: str) -> int:
        self._forget_expired()
        uses, _ = self._uses.get(response_url, (0, 0.0))
        return max(RESPONSE_URL_USES - uses, 0)

    def _use(self, response_url: str) -> bool:
        """Count one use; False when the URL has none left."""
        if self.uses_left(response_url) == 0:
            return False
        uses, first = self._uses.get(response_url, (0, self._clock()))
        self._uses[response_url] = (uses + 1, first)
        return True

    def _forget_expired(self) -> None:
        now = self._clock()
        for url in [u for u, (_, t) in self._uses.items() if now - t > RESPONSE_URL_LIFETIME]:
            del self._uses[url]

    async def _post_ephemeral(self, body: dict[str, Any], channel_id: str, user_id: str) -> bool:
        if not (channel_id and user_id):
            return False
        try:
            await once_more_if_short(
                lambda: self.client.chat_postEphemeral(
                    channel=channel_id, user=user_id, text=body["text"], blocks=body.get("blocks")
                ),
                what=f"a reply to {user_id} (chat.postEphemeral)",
                sleep=self._sleep,
            )
        except Exception as exc:
            # Fails where the bot is not a member (a private channel it was not invited to).
            log.info("Slack: chat.postEphemeral to %s failed: %r", user_id, exc)
            return False
        return True
