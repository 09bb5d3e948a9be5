"""A webhook's posts (cards, thread updates, notices), edits of its cards and reads of its own
messages (what a lookup needs: `webhook_reads`), each sent as one request of our own
(`WebhookRest`) rather than through discord.py's `Webhook.send` and `edit_message`, which sleep
out a 429 of Discord's own for its whole `retry_after` (no limit) and a spent bucket's reset
after each answer, inside the one call the outbox waits on: every channel's drain waited with it.

A 429 of Discord's own is raised at once (`ratelimits.TooManyRequests`, read by
`errors.translate_error` as the bot's are): a bucket's puts off the row and the later posts to
the same place (`bot.delivery.rate_limits`), Discord's global limit holds the webhooks' route.
Its wait, and a spent bucket's X-RateLimit-Reset-After, are kept per webhook (its posts and its
edits apart, `ratelimits.BucketRefills`), so the webhook's next request of the kind waits for a
short one in the call (up to `ratelimits.BUCKET_WAIT`) and is refused here, before any request,
for a longer one (`DeferredDeliveryError`), rather than sent into the limit.

The requests go over the webhook session (`webhook.webhook_session`): its middleware raises at
the first 5xx (a post's as `webhook.MaybePosted`, an edit's as discord.py's server error) and at
a 429, so the outbox's "maybe sent" and route rules apply as before. The JSON is what discord.py
sent, with `?wait=true`, so Discord answers with the message, whose id an edit of the card needs;
a 2xx that is not a Discord message is `errors.NotAMessage` (garbled: maybe sent).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import discord
from aiohttp import ClientSession

from bot.adapters.discord.errors import UNKNOWN_MESSAGE
from bot.adapters.discord.messages import NO_MENTIONS
from bot.adapters.discord.packing import EMBEDS_PER_MESSAGE
from bot.adapters.discord.ratelimits import (
    Bucket,
    BucketRefills,
    TooManyRequests,
    rate_limit_wait,
)
from bot.adapters.discord.rest import created_id, error_body, http_error

log = logging.getLogger(__name__)


class WebhookRest:
    """Webhook requests on `session` (posts and edits of its messages), keeping each webhook's
    rate-limit buckets."""

    def __init__(self, session: ClientSession) -> None:
        self.session = session
        self._refills = BucketRefills(log)

    async def execute(
        self, hook: discord.Webhook, payload: dict[str, Any], *, thread_id: int | None = None
    ) -> int:
        """Post `payload` through the webhook (in the thread `thread_id`, if given); the id of
        the message Discord created. Sent once, whatever the answer."""
        params = {"wait": "1", "with_components": "0"}
        if thread_id is not None:
            params["thread_id"] = str(thread_id)
        data = await self._request("POST", "", hook, payload, params)
        return created_id(data)

    async def message(
        self, hook: discord.Webhook, message_id: int, *, thread_id: int | None = None
    ) -> bytes | None:
        """The JSON of a message the webhook sent (in the thread `thread_id`, if given), read
        whole through the webhook; None when Discord has no such message of the webhook's
        (Unknown Message). Raises discord.py's exception for any other answer but a 2xx."""
        params = {} if thread_id is None else {"thread_id": str(thread_id)}
        try:
            return await self._request("GET", f"/messages/{message_id}", hook, None, params)
        except discord.NotFound as exc:
            if exc.code == UNKNOWN_MESSAGE:
                return None
            raise

    async def edit(self, hook: discord.Webhook, message_id: int, payload: dict[str, Any]) -> None:
        """Edit a message the webhook posted; raises discord.py's exception for any answer but
        a 2xx (`discord.NotFound` for a message deleted)."""
        path = f"/messages/{message_id}"
        await self._request("PATCH", path, hook, payload, {"with_components": "0"})

    async def delete(self, hook: discord.Webhook, message_id: int) -> None:
        """Delete a message the webhook posted; raises discord.py's exception for any answer but
        a 2xx."""
        await self._request("DELETE", f"/messages/{message_id}", hook, {}, {})

    async def _request(
        self,
        method: str,
        path: str,
        hook: discord.Webhook,
        payload: dict[str, Any] | None,
        params: dict[str, str],
    ) -> bytes:
        # A webhook's bucket: the request's method (its posts', its edits' and its reads' are
        # Discord's three) and the webhook's id.
        bucket = (method, hook.id)
        # The webhook's own limit: only the rows needing it wait.
        await self._refills.wait(bucket, f"{method} through webhook {hook.id}")
        route = discord.http.Route(
            method,
            "/webhooks/{webhook_id}/{webhook_token}" + path,
            webhook_id=hook.id,
            webhook_token=hook.token,
        )
        try:
            async with self.session.request(
                method,
                route.url,
                data=None if payload is None else json.dumps(payload),
                headers={} if payload is None else {"Content-Type": "application/json"},
                params=params,
            ) as response:
                if response.status != 429:
                    self._refills.note(bucket, response.headers)
                if 200 <= response.status < 300:
                    return await response.read()
                body = await error_body(response)
                raise http_error(response, body)
        except TooManyRequests as exc:
            # Raised here or by the session's middleware, which reads every 429 first.
            self._keep_wait(bucket, exc)
            raise

    def _keep_wait(self, bucket: Bucket, error: TooManyRequests) -> None:
        """A 429 of Discord's own: its wait kept as the bucket's refill (a global one too:
        the outbox holds the route for it anyway)."""
        if not error.discords:
            return
        wait = rate_limit_wait(error.response.headers, error.retry_after)
        if wait is None:
            return
        self._refills.keep(bucket, wait)


def webhook_payload(
    *, embeds: list[discord.Embed] | None = None, content: str | None = None
) -> dict[str, Any]:
    """The JSON of a webhook post, as discord.py's `Webhook.send` built it: no mentions."""
    payload: dict[str, Any] = {}
    if embeds is not None:
        if len(embeds) > EMBEDS_PER_MESSAGE:
            # Refused by Discord every time: our rendering's bug, raised before any request, as
            # discord.py's own check raised it (`messages.post_payload`).
            raise ValueError(
                f"{len(embeds)} embeds in one message; Discord takes {EMBEDS_PER_MESSAGE}"
            )
        payload["embeds"] = [embed.to_dict() for embed in embeds]
    if content is not None:
        payload["content"] = content
    payload["tts"] = False
    payload["allowed_mentions"] = NO_MENTIONS.to_dict()
    return payload
