"""The bot's posts (cards, notices, digest headings), thread replies, thread starts and edits of a
card, each sent as one REST request of our own (`BotRest`) rather than through discord.py's
HTTPClient, which tries a 500, 502 or 504 five times over some 25 s within the one call, holding up
the outbox's drain (every channel's) and hiding the failure from the outbox's backoff; its session
takes no hook to stop that, as the webhooks' does (`webhook.webhook_session`). Raised at the first
5xx, the send is retried by the outbox: a post or a reply is looked for in the channel first (a 5xx
may come after the message was created), then sent again with the same nonce, which with
`enforce_nonce` makes Discord answer with the message it already created rather than post it twice;
an edit is a `refresh` row, as the webhooks' edits are. A notice's piece is sent again unchecked,
with its nonce.

The requests go over the bot client's own connection pool, proxy, token and User-Agent, with the
JSON discord.py sent (`messages.post_payload`, `messages.text_payload`). They answer as discord.py
would raise (`discord.HTTPException` and its kinds, built from the response), so
`errors.translate_error` reads them as any other: a 5xx is transient, a 401 the bot token's, a 403
or 404 with Discord's code the channel's (or the thread's, which `adapter.in_thread` falls back
from), a 429 a rate limit with its wait; an error body that cannot be read is a plain
`HTTPException`, as `errors.unreadable_error` makes of discord.py's. A 2xx that is not a Discord
object with an id is `errors.NotAMessage`: garbled, so maybe sent. A request that creates something
gives up after `timeout` seconds, as `TimeoutError` (maybe sent). The server a channel is in, which
a link to a message needs, is read from the client's cache or one GET of the channel (`guild_of`).

Rate limits: Discord's headers are kept per channel and route (a bucket), and a request whose
bucket is spent waits for it to refill, in the call only up to `BUCKET_WAIT`; a longer wait is
raised as a `DeferredDeliveryError` with its wait, before any request, for the outbox to put off
that row until then (other channels' buckets are their own), where discord.py would sleep it out
under the outbox's drain. A 429 of Discord's own answered to a post, a reply or a thread start is
raised at once (`ratelimits.TooManyRequests`, read as that same error: a bucket's puts off the row, the
global limit's holds the bot's call), its wait (Retry-After, else its JSON's `retry_after`) kept as
the bucket's refill, so the channel's next request in it is refused here, not sent into the limit;
only an edit, which has no effect twice, is sent again after a short 429, once. A 429 of Discord's
global limit (the bot's, over every route) is kept for its wait (`_global_until`): our requests,
and the adapter's reads of history before discord.py sends them, wait for it in the call up to
`BUCKET_WAIT`, else are refused as rate limited. A wait discord.py would sleep out
itself (up to its `max_ratelimit_timeout`) also closes its global lock, as discord.py does after
its own; a longer one does not, as discord.py raises instead. A 429 that is Cloudflare's (a page,
no `Via`) is the whole route's (`ratelimits.too_many_requests`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

import aiohttp
import discord
from aiohttp import ClientResponse

from bot.adapters.discord.errors import NotAMessage
from bot.adapters.discord.ratelimits import (
    BUCKET_WAIT,
    Bucket,
    BucketRefills,
    TooManyRequests,
    global_limit,
    rate_limit_wait,
)
from bot.delivery.adapter import RateLimitedDeliveryError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Answer:
    """One request's outcome: `error` to raise (None once it took), for a 429 of Discord's own
    the `wait` it asks (an edit's short one is waited out before it is sent again), and a
    success's body."""

    error: discord.HTTPException | None
    wait: float | None = None
    data: bytes = b""


class BotRest:
    """REST requests the bot makes itself, on `client`'s connection pool and credentials.
    `timeout`: seconds a request that creates something may take, the bucket's wait aside."""

    def __init__(self, client: discord.Client, *, timeout: float | None = None) -> None:
        self.client = client
        self.timeout = timeout
        # Buckets: a route (method and path template) and the channel it is kept for.
        self._refills = BucketRefills(log)
        # channel id -> the server it is in, for links to a message (`guild_of`)
        self._guilds: dict[int, int] = {}
        # After a global 429 of ours: the loop time it ends, and while it holds discord.py's
        # global lock, the call that opens the lock then.
        self._global_until: float | None = None
        self._reopen: asyncio.TimerHandle | None = None

    async def post_message(self, channel_id: int, payload: dict[str, Any]) -> int:
        """POST a message in a channel or thread; its id."""
        route = discord.http.Route("POST", "/channels/{channel_id}/messages", channel_id=channel_id)
        return await self._create(route, channel_id, payload)

    async def start_thread(self, channel_id: int, message_id: int, payload: dict[str, Any]) -> int:
        """Start a thread on a message; the thread's id."""
        route = discord.http.Route(
            "POST",
            "/channels/{channel_id}/messages/{message_id}/threads",
            channel_id=channel_id,
            message_id=message_id,
        )
        return await self._create(route, channel_id, payload)

    async def _create(self, route: discord.http.Route, channel_id: int, payload: Any) -> int:
        """Sent once, whatever the answer: an error is the outbox's, a 429 and a 5xx included."""
        bucket = (route.key, channel_id)
        await self._wait_for_limits(bucket)
        answer = await self._timed(self._send(route, bucket, payload))
        if answer.error is not None:
            raise answer.error
        return created_id(answer.data)

    async def edit_message(self, channel_id: int, message_id: int, payload: dict[str, Any]) -> None:
        """PATCH the message; raises discord.py's exception for any answer but a 2xx. Only a 429
        asking for a short wait is tried again, once: Discord did not take that request."""
        route = discord.http.Route(
            "PATCH",
            "/channels/{channel_id}/messages/{message_id}",
            channel_id=channel_id,
            message_id=message_id,
        )
        bucket = (route.key, channel_id)
        for tries in range(2):
            await self._wait_for_limits(bucket)
            answer = await self._send(route, bucket, payload)
            if answer.error is None:
                return
            if tries or answer.wait is None or answer.wait > BUCKET_WAIT:
                raise answer.error
            # The wait is the bucket's refill now (or the global lock's), waited out next time.
            log.debug(
                "edits in channel %d: rate limited, retrying in %.2f s", channel_id, answer.wait
            )

    async def delete_message(self, channel_id: int, message_id: int) -> None:
        """DELETE the message, once; raises discord.py's exception for any answer but a 2xx."""
        route = discord.http.Route(
            "DELETE",
            "/channels/{channel_id}/messages/{message_id}",
            channel_id=channel_id,
            message_id=message_id,
        )
        bucket = (route.key, channel_id)
        await self._wait_for_limits(bucket)
        answer = await self._timed(self._send(route, bucket, None))
        if answer.error is not None:
            raise answer.error

    async def guild_of(self, channel_id: int) -> int:
        """The server a channel (or thread) is in, for a link to a message in it: the client's
        cache (which the gateway's `guilds` intent fills), else Discord's GET of the channel,
        asked once per channel. Raises as a request does; ValueError for a channel in no server."""
        if (known := self._guilds.get(channel_id)) is not None:
            return known
        cached = self.client.get_channel(channel_id)
        guild = getattr(cached, "guild", None)
        if guild is not None:
            return int(guild.id)
        route = discord.http.Route("GET", "/channels/{channel_id}", channel_id=channel_id)
        await self.wait_for_global()
        answer = await self._timed(self._send(route, (route.key, channel_id), None))
        if answer.error is not None:
            raise answer.error
        found = json.loads(answer.data)
        guild_id = str(found.get("guild_id") or "") if isinstance(found, dict) else ""
        if not guild_id.isdigit():
            raise ValueError(f"channel {channel_id} is in no server")
        self._guilds[channel_id] = int(guild_id)
        return int(guild_id)

    async def _timed(self, request: Awaitable[Answer]) -> Answer:
        """`request` within `timeout`: past it, a TimeoutError saying so."""
        try:
            async with asyncio.timeout(self.timeout) as limit:
                return await request
        except TimeoutError:
            if not limit.expired():
                raise
            raise TimeoutError(f"no answer from Discord within {self.timeout:g} s") from None

    async def _send(self, route: discord.http.Route, bucket: Bucket, payload: Any) -> Answer:
        """One request: no error once it took, else the error to raise and, for a 429 of
        Discord's own, its wait."""
        http = self.client.http
        headers = {"Authorization": f"Bot {http.token}", "User-Agent": http.user_agent}
        if payload is not None:
            headers["Content-Type"] = "application/json"
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
                data=json.dumps(payload) if payload is not None else None,
                headers=headers,
                proxy=http.proxy,
                proxy_auth=http.proxy_auth,
            ) as response,
        ):
            if response.status != 429:
                self._refills.note(bucket, response.headers)
            if 200 <= response.status < 300:
                # Read to the end even when not needed (an edit's answer), so the connection
                # goes back to the pool for the next request, not closed.
                return Answer(None, data=await response.read())
            body = await error_body(response)
            error = http_error(response, body)
            return Answer(error, self._rate_limited(bucket, response, error))

    def _rate_limited(
        self, bucket: Bucket, response: ClientResponse, error: discord.HTTPException
    ) -> float | None:
        """The wait a 429 of Discord's own asks (`Via` and its JSON, as discord.py tells it from
        Cloudflare's), kept for the requests after it: the bucket's refill, or for the bot's
        global limit discord.py's global lock. None for any other answer."""
        if not isinstance(error, TooManyRequests) or not error.discords:
            return None
        wait = rate_limit_wait(response.headers, error.retry_after)
        if wait is None:
            return None
        if global_limit(error, response.headers) and self._close_global(wait):
            return wait
        self._refills.keep(bucket, wait)
        return wait

    async def _wait_for_limits(self, bucket: Bucket) -> None:
        """Before a request: the global limit's wait, then its bucket's, in the call up to
        `BUCKET_WAIT`; a longer one refuses the request, sending nothing."""
        await self.wait_for_global()
        # The bucket's, not the bot's: only the row that needs it waits.
        await self._refills.wait(bucket, f"{bucket[0]} in channel {bucket[1]}")

    def _global_lock(self) -> asyncio.Event | None:
        # discord.py's own (private: absent in another version, or before the client's login).
        over = getattr(self.client.http, "_global_over", None)
        return over if isinstance(over, asyncio.Event) else None

    def _close_global(self, wait: float) -> bool:
        """Discord's global limit hit by our request: kept for `wait` in `_global_until`, which
        `wait_for_global` checks before each of our requests (and the adapter's reads of
        history, `DiscordBotAdapter`). discord.py's global lock is closed for it only
        when discord.py would have waited that long itself (`max_ratelimit_timeout`): its
        requests wait on the lock with no limit, so closed for an hour it would hold a request of
        discord.py's (a slash command's answer) for the hour, where discord.py raises
        RateLimited instead. False when there is no lock (another discord.py, no login yet)."""
        over = self._global_lock()
        if over is None:
            return False
        loop = self.client.loop
        until = loop.time() + wait
        if self._global_until is not None and until <= self._global_until:
            return True  # held for longer already
        self._global_until = until
        longest = self.client.http.max_ratelimit_timeout
        if longest and wait > longest:
            return True
        over.clear()
        if self._reopen is not None:
            self._reopen.cancel()
        self._reopen = loop.call_later(wait, over.set)
        return True

    async def wait_for_global(self) -> None:
        """While Discord's global limit holds (our 429's, or discord.py's lock closed after its
        own), wait for it to end, up to `BUCKET_WAIT`; longer, refused as rate limited, nothing
        sent."""
        left = (self._global_until or 0.0) - self.client.loop.time()
        if left > BUCKET_WAIT:
            raise RateLimitedDeliveryError(
                f"Discord's global rate limit: for {left:.1f} s", retry_after=left
            )
        if left > 0:
            await asyncio.sleep(left)
        over = self._global_lock()
        if over is None or over.is_set():
            return
        try:
            async with asyncio.timeout(BUCKET_WAIT) as limit:
                await over.wait()
        except TimeoutError:
            if not limit.expired():
                raise
            # Closed by discord.py, for a wait it did not say: looked at again after as long.
            raise RateLimitedDeliveryError(
                f"Discord's global rate limit: still on after {BUCKET_WAIT:g} s",
                retry_after=BUCKET_WAIT,
            ) from None


def created_id(data: bytes) -> int:
    """The id in Discord's answer to a request that created something (a message, a thread);
    NotAMessage for anything else, as discord.py's reading of it raises: garbled, maybe sent."""
    try:
        found = json.loads(data)
    except ValueError as exc:  # cut off, a page, bytes that are not UTF-8
        raise NotAMessage(f"answered {data[:200]!r}") from exc
    if not isinstance(found, dict) or not str(found.get("id", "")).isdigit():
        raise NotAMessage(f"answered {data[:200]!r}")
    return int(found["id"])


def http_error(response: ClientResponse, body: dict[str, Any] | str) -> discord.HTTPException:
    """The exception discord.py raises for this error answer, once it has no retry left. Discord's
    JSON that cannot be read (cut off) makes discord.py raise while decoding it, which
    `errors.unreadable_error` takes for a plain HTTPException: not a 403's or a 404's refusal by
    the channel, whose code it cannot tell."""
    if isinstance(body, str) and response.headers.get("Content-Type") == "application/json":
        return discord.HTTPException(response, body)
    if response.status == 429:
        return TooManyRequests(response, body)
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
