"""Polite, guarded HTTP fetching of feeds.

One `FeedFetcher` serves a whole poll: it shares connections, caps concurrency per host and in
total, and turns every outcome (including refusals and network errors) into a `FetchResult`,
so the poller never has to catch anything. Redirects are followed by hand so each hop is
checked by the network guard and 301/308 can be told apart from 302/307.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Self

import httpx

from bot import USER_AGENT
from bot.domains import registrable_domain
from bot.feedurls import normalize_feed_url
from bot.ingest.bodies import BodyDecoder
from bot.ingest.errors import (
    BlockedAddressError,
    FetchError,
    FetchTimeoutError,
    ResponseTooLargeError,
    TooManyRedirectsError,
    UnsupportedURLError,
    internal_error,
    log_internal,
    network_error,
)
from bot.ingest.netguard import (
    GuardedNetworkBackend,
    Resolver,
    check_url,
    parse_url,
    system_resolver,
)
from bot.ingest.refusal import Refusal, refusal_of, refusal_phrase
from bot.ingest.transport import GuardedTransport, guard_lost, ssl_context

log = logging.getLogger(__name__)

__all__ = ["ACCEPT", "FeedFetcher", "FetchResult", "Refusal", "parse_retry_after", "refusal_phrase"]

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, */*;q=0.5"
)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_CHUNK = 65536


@dataclass(slots=True)
class FetchResult:
    url: str  # URL requested
    status: int | None = None  # final HTTP status; None when no response arrived
    body: bytes | None = None  # decoded body of a 2xx, else None
    etag: str | None = None
    last_modified: str | None = None
    # Where a 301/308 chain from `url` ended, on success only; in the spelling feeds are stored
    # in (bot.feedurls), so `/new#top` is recognised as the feed `/new` already added.
    permanent_url: str | None = None
    retry_after: datetime | None = None  # from 429/503 Retry-After, as an absolute UTC time
    error: str | None = None  # why this is not a usable 2xx/304, for the feed's status page
    elapsed: float = 0.0
    final_url: str | None = None  # last URL actually requested (after any redirect)
    content_type: str | None = None
    # Set when the network guard refused an address on the way: unlike a timeout or a 5xx, no
    # retry can change that until the address or the settings do.
    refused: Refusal | None = None
    # Set when the feed's own URL (not a redirect's) is one no fetch can use: a port no socket
    # can use, no host, not http(s). Adding one is refused (`bot.feedurls`), but an older
    # version stored some; nothing changes it but the feed's owner (`bot.ingest.policy`).
    unusable_url: bool = False
    # Set when a bug (or a module missing from the install) in our own code failed the fetch:
    # not the feed's fault, so it does not count towards disabling it (`bot.ingest.policy`).
    internal: bool = False

    @property
    def ok(self) -> bool:
        """A usable answer: new bytes (2xx) or "not modified" (304)."""
        return (
            self.error is None
            and self.status is not None
            and (200 <= self.status < 300 or self.status == 304)
        )


_YEAR = 365 * 86400


def _validator(value: str | None) -> str | None:
    """An ETag or Last-Modified we can send back: printable ASCII, as a header must be. A server
    that sent bytes beyond it ("caf\xc3\xa9") got them stored, and every later request failed
    to encode them until the feed was disabled; without one, the feed is fetched in full."""
    if value and value.isascii() and value.isprintable():
        return value
    return None


def site_key(host: str | None) -> str:
    """What one per-host limit covers: the site, not the host name as written. Thirty feeds on
    thirty subdomains of one blog platform, or one server spelt "LOCALHOST" and "localhost.",
    are one server to be polite to. So the site is read by the ICANN section of the public
    suffix list only: "foo.blogspot.com" and "bar.blogspot.com" are someone's own blogs, but
    blogspot.com's servers answer for both (`bot.domains`)."""
    name = (host or "").lower().rstrip(".")
    return registrable_domain(name, private=False) or name  # an address, a single label


def parse_retry_after(value: str | None, now: datetime) -> datetime | None:
    """Retry-After as delta-seconds or HTTP-date, to an absolute UTC time (never before now)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to isdigit(), not to int()
        # A year is already far past any wait the poller honours (it caps them); an absurd
        # value must not overflow the date arithmetic.
        seconds = int(value) if len(value) <= 12 else _YEAR
        return now + timedelta(seconds=min(seconds, _YEAR))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return max(when.astimezone(UTC), now)
    except OverflowError:
        # Year 9999 west of UTC cannot be shifted to UTC: no usable date, like an unparsable one.
        return None


class FeedFetcher:
    """Async context manager that fetches feeds politely and safely.

    `per_host_limit` bounds simultaneous requests to one site (`site_key`, per hop);
    `total_limit` bounds the whole fetcher. `timeout` is a wall-clock budget for a whole fetch,
    redirects included, so a server dripping one byte at a time cannot hold a slot forever;
    time spent queueing for a slot does not count against it.
    """

    def __init__(
        self,
        *,
        allow_private_networks: bool = False,
        per_host_limit: int = 2,
        total_limit: int = 20,
        timeout: float = 20.0,
        max_bytes: int = 10_000_000,
        transport: httpx.AsyncBaseTransport | None = None,
        resolver: Resolver | None = None,
        max_redirects: int = 5,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.allow_private_networks = allow_private_networks
        self._resolver: Resolver = resolver or system_resolver
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._host_slots: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(per_host_limit)
        )
        self._total_slots = asyncio.Semaphore(total_limit)
        self.rebinding_guard = transport is None
        if transport is None:
            backend = GuardedNetworkBackend(
                allow_private_networks=allow_private_networks, resolver=self._resolver
            )
            limits = httpx.Limits(
                max_connections=total_limit, max_keepalive_connections=total_limit
            )
            try:
                transport = GuardedTransport(backend=backend, limits=limits)
            except RuntimeError:
                # Fetching goes on (each address is still checked before connecting), but the
                # operator must hear of it: the log once, /healthz as a problem.
                transport = httpx.AsyncHTTPTransport(
                    verify=ssl_context(), limits=limits, trust_env=False
                )
                self.rebinding_guard = False
                guard_lost()
        # trust_env=False: an HTTP(S)_PROXY from the environment would route around the guard.
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(timeout),
            headers={
                "User-Agent": user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": "gzip, deflate",
            },
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        body: bool = True,
    ) -> FetchResult:
        """GET `url` conditionally. Never raises for network or server trouble.

        `body=False` follows the redirects, every hop through the guard as a poll does, but
        leaves a 2xx's body unread (`body` None): whether the feed can be reached, not what it
        holds (`feeds enable` checking a refused feed again)."""
        started = time.monotonic()
        result = FetchResult(url=url)
        headers: dict[str, str] = {}
        if etag := _validator(etag):
            headers["If-None-Match"] = etag
        if last_modified := _validator(last_modified):
            headers["If-Modified-Since"] = last_modified
        try:
            await self._follow(url, headers, result, body)
        except BlockedAddressError as exc:
            result.error = str(exc)
            result.refused = refusal_of(exc, url, result.final_url)
        except FetchError as exc:
            result.error = str(exc)
        except httpx.TimeoutException as exc:
            result.error = f"timed out ({type(exc).__name__})"
        except httpx.HTTPError as exc:
            # "connection refused", not "ConnectError: All connection attempts failed".
            result.error = network_error(exc)
        except OSError as exc:
            result.error = f"network error: {exc}"
        except (httpx.InvalidURL, httpx.StreamError) as exc:
            result.error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # the contract is "never raises"; log it as the bug it is
            result.error = internal_error(exc)
            result.internal = True
            log_internal(log, result.error, "unexpected error fetching %s", url)
        if result.error is not None:
            result.body = None
        if result.status == 304 and result.error is None:
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
        if not result.ok:
            result.permanent_url = None
        result.elapsed = time.monotonic() - started
        return result

    async def _follow(
        self, url: str, headers: dict[str, str], result: FetchResult, body: bool = True
    ) -> None:
        budget = self._timeout
        try:
            current = parse_url(url)
        except UnsupportedURLError:
            result.unusable_url = True
            raise
        still_permanent = True
        for hop in range(self._max_redirects + 1):
            result.final_url = str(current)
            # Slow DNS counts against the budget too; waiting for a free slot does not.
            started = time.monotonic()
            try:
                async with self._deadline(budget):
                    await check_url(
                        current,
                        allow_private_networks=self.allow_private_networks,
                        resolver=self._resolver,
                    )
            except UnsupportedURLError:
                # A redirect's may be the server's passing mistake, and is retried with backoff.
                result.unusable_url = hop == 0
                raise
            budget -= time.monotonic() - started
            async with self._host_slots[site_key(current.host)], self._total_slots:
                started = time.monotonic()
                async with self._deadline(budget):
                    location = await self._request(current, headers, result, body)
                budget -= time.monotonic() - started
            if location is None:
                return
            try:
                current = current.join(location)
            except httpx.InvalidURL as exc:
                raise FetchError(f"bad redirect Location {location!r}: {exc}") from exc
            if still_permanent and result.status in _PERMANENT:
                result.permanent_url = normalize_feed_url(str(current))
            else:
                still_permanent = False
        raise TooManyRedirectsError(f"more than {self._max_redirects} redirects")

    @contextlib.asynccontextmanager
    async def _deadline(self, budget: float) -> AsyncIterator[None]:
        try:
            async with asyncio.timeout(max(budget, 0.0)):
                yield
        except TimeoutError:
            raise FetchTimeoutError(f"timed out after {self._timeout:g}s") from None

    async def _request(
        self, url: httpx.URL, headers: dict[str, str], result: FetchResult, body: bool = True
    ) -> str | None:
        """One hop. Returns the Location to follow, or None when `result` is final."""
        async with contextlib.AsyncExitStack() as stack:
            try:
                resp = await stack.enter_async_context(
                    self._client.stream("GET", url, headers=headers)
                )
            except UnicodeError as exc:
                # httpx builds a redirect's next request before we see the answer, reading its
                # Location's host: idna raises for one that is no valid IDNA ("xn--a.example").
                raise FetchError(
                    f"bad redirect Location: its host name is not valid IDNA ({exc})"
                ) from exc
            status = result.status = resp.status_code
            if status in _REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {status} without a Location header")
                return location
            result.etag = _validator(resp.headers.get("ETag"))
            result.last_modified = _validator(resp.headers.get("Last-Modified"))
            result.content_type = resp.headers.get("Content-Type")
            if status in (429, 503):
                result.retry_after = parse_retry_after(
                    resp.headers.get("Retry-After"), datetime.now(UTC)
                )
            if status == 304:
                return None
            if not 200 <= status < 300:
                result.error = f"HTTP {status} {resp.reason_phrase}".rstrip()
                return None
            if body:
                result.body = await self._read_body(resp)
            return None

    async def _read_body(self, resp: httpx.Response) -> bytes:
        decoder = BodyDecoder(resp.headers.get("Content-Encoding", ""), self._max_bytes)
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise ResponseTooLargeError(f"feed declares {declared} bytes (cap {self._max_bytes})")
        async for chunk in resp.aiter_raw(_CHUNK):
            decoder.feed(chunk)
        return decoder.finish()
