"""Discord's 429s read: whose limit it is, how long it asks us to wait, and what the outbox
does about it.

Discord's own 429 (its JSON and a `Via`, as discord.py tells it from Cloudflare's) refuses for its
wait (`rate_limit_wait`: Retry-After, else the JSON's `retry_after`, else X-RateLimit-Reset-After)
with no outage: its global limit (`global_limit`) is a `RateLimitedDeliveryError` the outbox holds
the bot's kind of call for, a bucket's a `DeferredDeliveryError` that puts off only its row.
Cloudflare's (a page, or no `Via`: it limits the IP, often for long) is the whole route's
(`PlatformDeliveryError`). `TooManyRequests` is a 429 answered to our own request (`rest.BotRest`),
keeping what its JSON says; `discord_answer` tells an error answer of Discord's JSON from anyone
else's. Every other error is mapped by `errors.translate_error`, which hands 429s here
(`too_many_requests`). `BucketRefills` keeps the spent buckets of our own requests (the bot's,
`rest.BotRest`, and the webhooks', `webhook_rest.WebhookRest`) and waits for them before the next.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Mapping
from typing import Any

import aiohttp
import discord

from bot.delivery.adapter import (
    DeferredDeliveryError,
    DeliveryError,
    PlatformDeliveryError,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)

# Longest wait for a spent bucket or an edit's 429 within the call; a longer one is the outbox's
# to wait out. Discord's message buckets refill within a few seconds.
BUCKET_WAIT = 5.0

# A bucket: what the requests are (the bot's route, a webhook's method) and the channel or
# webhook it is kept for.
Bucket = tuple[str, int]


def discord_answer(exc: discord.HTTPException) -> bool:
    """Whether the error answer was Discord's JSON; discord.py decodes it only on this exact
    Content-Type, and keeps anything else as text."""
    headers = getattr(exc.response, "headers", None) or {}
    return headers.get("Content-Type") == "application/json"


def too_many_requests(exc: discord.HTTPException, what: str) -> DeliveryError:
    """A 429 discord.py did not wait out (or our own request's, `rest.BotRest`). Discord's own
    (`Via` and its JSON, as discord.py tells it from Cloudflare's) refuses for its wait
    (`rate_limit_wait`), with no outage: its global limit (`global_limit`) refuses the bot's kind
    of call everywhere, so the outbox holds it (posts or edits); a bucket's, only the row
    (`DeferredDeliveryError`), other channels going on. Without a `Via`, or with a body that is
    not Discord's JSON (a page, whatever Via a proxy added), it is Cloudflare's, which limits the
    whole IP (often for long): it holds back the platform's route, keeping its wait, or the
    outbox would hammer on after a short backoff. A page is not put in the message: the log and
    /healthz would carry its HTML."""
    headers = getattr(exc.response, "headers", None) or {}
    if not discord_answer(exc):
        detail = (
            f"{what}: HTTP 429 answered with a page, not Discord's JSON (Cloudflare or a proxy)"
        )
        return PlatformDeliveryError(
            detail, retry_after=rate_limit_wait(headers), rate_limited=True
        )
    detail = f"{what}: HTTP 429 (code {exc.code}) {exc.text}".strip()
    if not headers.get("Via"):
        return PlatformDeliveryError(
            detail, retry_after=rate_limit_wait(headers), rate_limited=True
        )
    wait = rate_limit_wait(headers, getattr(exc, "retry_after", None))
    if wait is None:
        # Nothing says how long: the route's backoff, as for any transient failure.
        return TransientDeliveryError(detail, rate_limited=True)
    if not global_limit(exc, headers):
        return DeferredDeliveryError(detail, retry_after=wait)
    return RateLimitedDeliveryError(detail, retry_after=wait)


def global_limit(exc: discord.HTTPException, headers: Mapping[str, str]) -> bool:
    """Whether a 429 of Discord's own is its global limit: its JSON's `global` (kept by
    `TooManyRequests`), X-RateLimit-Global, or X-RateLimit-Scope "global" ("user" and "shared"
    are the bucket's)."""
    return (
        getattr(exc, "is_global", False) is True
        or headers.get("X-RateLimit-Global", "").lower() == "true"
        or headers.get("X-RateLimit-Scope", "").lower() == "global"
    )


class TooManyRequests(discord.HTTPException):
    """A 429 answered to our own request (`rest.BotRest`), with what its JSON body says, which
    discord.py's HTTPException does not keep: `retry_after` (seconds, None if it says none) and
    whether the limit is the bot's global one rather than the bucket's. `discords`: Discord's own
    limit (its JSON and a `Via`, as discord.py tells it from Cloudflare's)."""

    def __init__(self, response: aiohttp.ClientResponse, body: dict[str, Any] | str) -> None:
        super().__init__(response, body)
        self.discords = isinstance(body, dict) and bool(response.headers.get("Via"))
        found = body.get("retry_after") if isinstance(body, dict) else None
        self.retry_after = _seconds(found)
        self.is_global = (isinstance(body, dict) and body.get("global") is True) or (
            response.headers.get("X-RateLimit-Global", "").lower() == "true"
        )


def rate_limit_wait(headers: Mapping[str, str], body_wait: float | None = None) -> float | None:
    """Seconds a 429 asks us to wait: its Retry-After, else the `retry_after` of Discord's JSON
    (`body_wait`), else Discord's X-RateLimit-Reset-After; None when none is a number of seconds
    (an HTTP date, garbage, absent), so the outbox's own backoff applies (30 s, doubling up to
    hourly): never a retry at once."""
    for found in (headers.get("Retry-After"), body_wait, headers.get("X-RateLimit-Reset-After")):
        if (seconds := _seconds(found)) is not None:
            return seconds
    return None


def _seconds(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


class BucketRefills:
    """Spent rate-limit buckets, each until the event loop time it refills: from an answer's
    X-RateLimit-Remaining 0 (`note`) or a 429's wait (`keep`). `wait` holds a request until its
    bucket refills, in the call up to `BUCKET_WAIT`; a longer wait refuses it before it is sent.
    Debug lines go to `log`, the caller's."""

    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        self._refills: dict[Bucket, float] = {}

    def clear(self) -> None:
        self._refills.clear()

    def note(self, bucket: Bucket, headers: Mapping[str, str]) -> None:
        """An answer's headers: a bucket they say is spent refills after X-RateLimit-Reset-After."""
        if headers.get("X-RateLimit-Remaining") != "0":
            return
        try:
            reset_after = float(headers.get("X-RateLimit-Reset-After", ""))
        except ValueError:
            return
        if math.isfinite(reset_after) and reset_after > 0:
            self._refills[bucket] = asyncio.get_running_loop().time() + reset_after

    def keep(self, bucket: Bucket, wait: float) -> None:
        """A 429's wait: the bucket refills no sooner than after it (a later refill noted stays)."""
        refill = asyncio.get_running_loop().time() + wait
        self._refills[bucket] = max(refill, self._refills.get(bucket, refill))

    async def wait(self, bucket: Bucket, what: str) -> None:
        """Before a request of `bucket` (`what` names it in the log and the error): a spent one
        waited for up to `BUCKET_WAIT`; longer, a `DeferredDeliveryError` with its wait, nothing
        sent, for the outbox to put off only the row that needs it."""
        refill = self._refills.get(bucket)
        if refill is None:
            return
        wait = refill - asyncio.get_running_loop().time()
        if wait <= 0:
            self._drop(bucket, refill)
            return
        if wait > BUCKET_WAIT:
            raise DeferredDeliveryError(f"{what}: rate limited for {wait:.1f} s", retry_after=wait)
        self._log.debug("%s: rate limit bucket spent, waiting %.2f s", what, wait)
        await asyncio.sleep(wait)
        self._drop(bucket, refill)

    def _drop(self, bucket: Bucket, refill: float) -> None:
        # Only the refill waited for: an answer meanwhile may have noted a newer one.
        if self._refills.get(bucket) == refill:
            del self._refills[bucket]
