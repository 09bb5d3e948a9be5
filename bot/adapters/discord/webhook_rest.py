"""A webhook's posts (cards, thread updates, notices), each sent as one Execute Webhook request of
our own (`WebhookRest`) rather than through discord.py's `Webhook.send`, which sleeps out a 429 of
Discord's own for its whole `retry_after` (no limit) and a spent bucket's reset after each
answer, inside the one call the outbox waits on: every channel's drain waited with it.

A 429 of Discord's own is raised at once (`ratelimits.TooManyRequests`, read by
`errors.translate_error` as the bot's are): a bucket's puts off the row and the later posts to
the same place (`bot.delivery.rate_limits`), Discord's global limit holds the webhooks' route.
Its wait, and a spent bucket's X-RateLimit-Reset-After, are kept per webhook, so the webhook's
next post waits for a short one in the call (up to `rest.BUCKET_WAIT`) and is refused here,
before any request, for a longer one (`DeferredDeliveryError`), rather than sent into the limit.

The requests go over the webhook session (`webhook.webhook_session`): its middleware raises at a
post's first 5xx (`webhook.MaybePosted`) and at a 429 that is not Discord's JSON (Cloudflare's),
so the outbox's "maybe sent" and route rules apply as before. The JSON is what discord.py sent,
with `?wait=true`, so Discord answers with the message, whose id an edit of the card needs; a
2xx that is not a Discord message is `errors.NotAMessage` (garbled: maybe sent).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from typing import Any

import discord
from aiohttp import ClientResponse, ClientSession

from bot.adapters.discord.messages import NO_MENTIONS
from bot.adapters.discord.packing import EMBEDS_PER_MESSAGE
from bot.adapters.discord.ratelimits import TooManyRequests, rate_limit_wait
from bot.adapters.discord.rest import BUCKET_WAIT, created_id, error_body, http_error
from bot.delivery.adapter import DeferredDeliveryError

log = logging.getLogger(__name__)


class WebhookRest:
    """Execute Webhook requests on `session`, keeping each webhook's rate-limit bucket."""

    def __init__(self, session: ClientSession) -> None:
        self.session = session
        # webhook id -> event loop time its bucket refills, while it is spent
        self._refills: dict[int, float] = {}

    async def execute(
        self, hook: discord.Webhook, payload: dict[str, Any], *, thread_id: int | None = None
    ) -> int:
        """Post `payload` through the webhook (in the thread `thread_id`, if given); the id of
        the message Discord created. Sent once, whatever the answer."""
        await self._wait_for_bucket(hook.id)
        route = discord.http.Route(
            "POST",
            "/webhooks/{webhook_id}/{webhook_token}",
            webhook_id=hook.id,
            webhook_token=hook.token,
        )
        params = {"wait": "1", "with_components": "0"}
        if thread_id is not None:
            params["thread_id"] = str(thread_id)
        try:
            async with self.session.post(
                route.url,
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
                params=params,
            ) as response:
                if response.status != 429:
                    self._note_bucket(hook.id, response)
                if 200 <= response.status < 300:
                    return created_id(await response.read())
                body = await error_body(response)
                raise http_error(response, body)
        except TooManyRequests as exc:
            # Raised here or by the session's middleware, which reads every 429 first.
            self._keep_wait(hook.id, exc)
            raise

    async def _wait_for_bucket(self, hook_id: int) -> None:
        """Before a post: its webhook's spent bucket waited for in the call up to
        `BUCKET_WAIT`; a longer wait refuses the post, sending nothing."""
        refill = self._refills.get(hook_id)
        if refill is None:
            return
        wait = refill - asyncio.get_running_loop().time()
        if wait <= 0:
            self._drop_refill(hook_id, refill)
            return
        what = f"posts through webhook {hook_id}"
        if wait > BUCKET_WAIT:
            # The webhook's own limit: only the rows posting through it wait.
            raise DeferredDeliveryError(f"{what}: rate limited for {wait:.1f} s", retry_after=wait)
        log.debug("%s: rate limit bucket spent, waiting %.2f s", what, wait)
        await asyncio.sleep(wait)
        self._drop_refill(hook_id, refill)

    def _keep_wait(self, hook_id: int, error: TooManyRequests) -> None:
        """A 429 of Discord's own: its wait kept as the webhook's refill (a global one too:
        the outbox holds the route for it anyway)."""
        if not error.discords:
            return
        wait = rate_limit_wait(error.response.headers, error.retry_after)
        if wait is None:
            return
        refill = asyncio.get_running_loop().time() + wait
        self._refills[hook_id] = max(refill, self._refills.get(hook_id, refill))

    def _note_bucket(self, hook_id: int, response: ClientResponse) -> None:
        if response.headers.get("X-RateLimit-Remaining") != "0":
            return
        try:
            reset_after = float(response.headers.get("X-RateLimit-Reset-After", ""))
        except ValueError:
            return
        if math.isfinite(reset_after) and reset_after > 0:
            self._refills[hook_id] = asyncio.get_running_loop().time() + reset_after

    def _drop_refill(self, hook_id: int, refill: float) -> None:
        # Only the refill waited for: an answer meanwhile may have noted a newer one.
        if self._refills.get(hook_id) == refill:
            del self._refills[hook_id]


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
