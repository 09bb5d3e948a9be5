"""The bot's edit of a posted card, sent as one REST request of our own (`BotRest`) rather than
through discord.py's HTTPClient, which tries a 500, 502 or 504 five times over some 25 s within the
one call, holding up the outbox's drain (every channel's) and hiding the failure from the
outbox's backoff; its session takes no hook to stop that, as the webhooks' does
(`webhook.webhook_session`). Raised at the first 5xx, the edit is retried by the outbox (a
`refresh` row), as the webhooks' edits are.

The request goes over the bot client's own connection pool, proxy, token and User-Agent. It
answers as discord.py would raise (`discord.HTTPException` and its kinds, built from the
response), so `errors.translate_error` reads it as any other: a 5xx is transient, a 401 the bot
token's, a 429 a rate limit with its wait. Rate limits are kept as discord.py keeps them, but for
long waits: Discord's headers are kept per channel (its message edits' bucket), and a channel
whose bucket is spent waits for it to refill; a 429 from Discord itself is waited out and the
edit sent again, once. Either wait is made in the call only up to `BUCKET_WAIT`; a longer one is
raised as a rate limit with its wait, for the outbox to wait out (holding back the bot's route, as
any rate limit left to it), where discord.py would sleep it out under the outbox's drain.

Only the edit goes this way: it has no effect twice (the same embeds again), needs no answer back,
and carries no view to register. Posts stay on discord.py, whose nonce with `enforce_nonce` makes
Discord answer a retried post with the message it already created.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from typing import Any

import aiohttp
import discord
from aiohttp import ClientResponse

from bot.delivery.adapter import TransientDeliveryError

log = logging.getLogger(__name__)

# Longest wait for a spent bucket or a 429 within the call; a longer one is the outbox's to wait
# out. Discord's message buckets refill within a few seconds.
BUCKET_WAIT = 5.0


class BotRest:
    """REST requests the bot makes itself, on `client`'s connection pool and credentials."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        # channel id -> loop time its bucket refills, while it is spent
        self._refills: dict[int, float] = {}

    async def edit_message(self, channel_id: int, message_id: int, payload: dict[str, Any]) -> None:
        """PATCH the message; raises discord.py's exception for any answer but a 2xx. Only a 429
        asking for a short wait is tried again, once: Discord did not take that request."""
        route = discord.http.Route(
            "PATCH",
            "/channels/{channel_id}/messages/{message_id}",
            channel_id=channel_id,
            message_id=message_id,
        )
        for tries in range(2):
            await self._wait_for_bucket(channel_id)
            error, wait = await self._send(route, channel_id, payload)
            if error is None:
                return
            if tries or wait is None:
                raise error
            log.debug("edits in channel %d: rate limited, retrying in %.2f s", channel_id, wait)
            await asyncio.sleep(wait)

    async def _send(
        self, route: discord.http.Route, channel_id: int, payload: dict[str, Any]
    ) -> tuple[discord.HTTPException | None, float | None]:
        """One request: no error once it took, else the error to raise and, for a 429 to wait
        out in the call, its wait."""
        http = self.client.http
        headers = {
            "Authorization": f"Bot {http.token}",
            "User-Agent": http.user_agent,
            "Content-Type": "application/json",
        }
        # A session for the one request, not owning the client's pool: it closes with the client.
        async with (
            aiohttp.ClientSession(
                connector=http.connector,
                connector_owner=False,
                cookie_jar=aiohttp.DummyCookieJar(),
            ) as session,
            session.request(
                route.method,
                route.url,
                data=json.dumps(payload),
                headers=headers,
                proxy=http.proxy,
                proxy_auth=http.proxy_auth,
            ) as response,
        ):
            if response.status != 429:
                self._note_bucket(channel_id, response)
            if 200 <= response.status < 300:
                # The edited message is not needed (whatever the body, it took), but read to the
                # end, the connection goes back to the pool for the next edit, not closed.
                await response.read()
                return None, None
            body = await error_body(response)
            return http_error(response, body), _short_rate_limit(response, body)

    async def _wait_for_bucket(self, channel_id: int) -> None:
        refill = self._refills.get(channel_id)
        if refill is None:
            return
        wait = refill - self.client.loop.time()
        if wait <= 0:
            self._drop_refill(channel_id, refill)
            return
        if wait > BUCKET_WAIT:
            raise TransientDeliveryError(
                f"edits in channel {channel_id}: rate limited for {wait:.1f} s",
                retry_after=wait,
                rate_limited=True,
            )
        log.debug("edits in channel %d: rate limit bucket spent, waiting %.2f s", channel_id, wait)
        await asyncio.sleep(wait)
        self._drop_refill(channel_id, refill)

    def _drop_refill(self, channel_id: int, refill: float) -> None:
        # Only the refill waited for: an answer meanwhile may have noted a newer one.
        if self._refills.get(channel_id) == refill:
            del self._refills[channel_id]

    def _note_bucket(self, channel_id: int, response: ClientResponse) -> None:
        if response.headers.get("X-RateLimit-Remaining") != "0":
            return
        try:
            reset_after = float(response.headers.get("X-RateLimit-Reset-After", ""))
        except ValueError:
            return
        if math.isfinite(reset_after) and reset_after > 0:
            self._refills[channel_id] = self.client.loop.time() + reset_after


def _short_rate_limit(response: ClientResponse, body: dict[str, Any] | str) -> float | None:
    """The wait a 429 from Discord itself asks (`Via` and its JSON, as discord.py tells it from
    Cloudflare's), when it is short enough to wait in the call, as discord.py would."""
    if response.status != 429 or not response.headers.get("Via") or not isinstance(body, dict):
        return None
    wait = body.get("retry_after")
    if isinstance(wait, bool) or not isinstance(wait, int | float):
        return None
    if not math.isfinite(wait) or not 0 <= wait <= BUCKET_WAIT:
        return None
    return float(wait)


def http_error(response: ClientResponse, body: dict[str, Any] | str) -> discord.HTTPException:
    """The exception discord.py raises for this error answer, once it has no retry left."""
    if response.status == 403:
        return discord.Forbidden(response, body)
    if response.status == 404:
        return discord.NotFound(response, body)
    if response.status >= 500:
        return discord.DiscordServerError(response, body)
    return discord.HTTPException(response, body)


async def error_body(response: ClientResponse) -> dict[str, Any] | str:
    """The error answer as discord.py keeps it: Discord's JSON as a dict, anything else as text
    (discord.py decodes JSON only on this exact Content-Type)."""
    text = (await response.read()).decode("utf-8", errors="replace")
    if response.headers.get("Content-Type") == "application/json":
        try:
            found = json.loads(text)
        except ValueError:
            return text
        if isinstance(found, dict):
            return found
    return text
