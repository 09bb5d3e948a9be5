"""Delivery outages: a whole delivery route refuses us (a missing scope, a 401) or cannot be
reached (connection refused, DNS, timeouts, 5xx, rate limits left over), as opposed to one channel
that cannot take posts.

A route is what a channel's posts go through (`bot.delivery.adapter.delivery_route`): for most
platforms the platform itself, for Discord the bot ("discord") or a channel's webhook URL
("discord-webhook"), so an outage of one leaves the other's channels posting. No channel is paused
for it and no row uses up an attempt; the route's sends back off together (growing with each
failure) and `/healthz` lists the outage until a send succeeds again. A route that is only
unreachable or failing (`TransientDeliveryError`) is held back the same way, but `/healthz` lists
it only once TRANSIENT_RUN such failures came in a row, or its wait reaches TRANSIENT_SPAN: one 503
or one leftover 429 is no outage, an hour's Retry-After is.
A rate limit (`TransientDeliveryError.rate_limited`, even one of the whole route, such as
Cloudflare's) is held back the same way, but logged once per episode, as a warning, until a send
gets through: not as an ERROR at every retry.

A refused credential (`AuthDeliveryError`: a revoked or invalid token) is fatal instead: retrying
cannot fix it, so the route stays blocked for the rest of the run, its rows stay pending (not
sent, not failed) for a restart with a new token, and `on_fatal` tells the runner, which stops
what needs that token and reports it; other routes and platforms are not affected.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.delivery.adapter import AuthDeliveryError, PlatformDeliveryError, TransientDeliveryError

log = logging.getLogger(__name__)

# Failures in a row, with no send getting through in between, before a route that is unreachable
# or failing counts as down in /healthz: with the backoff, about a minute and a half of trouble.
TRANSIENT_RUN = 3
# ...or at once, when one wait is that long: Cloudflare's 429 page with a Retry-After of an hour
# would otherwise take three hours of silence to show.
TRANSIENT_SPAN = timedelta(seconds=90)


@dataclass(slots=True)
class PlatformOutage:
    error: str
    since: datetime
    retry_at: datetime
    failures: int = 1
    # Not retried this run (credentials refused); `retry_at` then means nothing.
    fatal: bool = False
    # Only unreachable or failing so far, never refusing us: reported from TRANSIENT_RUN on.
    transient: bool = False
    # Its last failure was a rate limit (logged once, as the episode began).
    rate_limited: bool = False
    # How long its last failure holds the route back.
    wait: timedelta = timedelta(0)

    @property
    def shown(self) -> bool:
        return not self.transient or self.failures >= TRANSIENT_RUN or self.wait >= TRANSIENT_SPAN


class Outages(dict[str, PlatformOutage]):
    """delivery route -> its current outage."""

    def __init__(self) -> None:
        super().__init__()
        # Called once per route whose credentials are refused, with the route and the error.
        self.on_fatal: Callable[[str, str], None] | None = None
        # Sends that got through, per route (`mark`, `through_since`).
        self._through: dict[str, int] = {}

    def mark(self, route: str) -> int:
        """Before a call: the route's count of sends that got through, for `through_since`."""
        return self._through.get(route, 0)

    def through_since(self, route: str, mark: int) -> bool:
        """Whether a send on the route got through since `mark` was read: another channel's, as
        a channel's sends go one at a time (`bot.delivery.channel_drain`). A call that failed
        meanwhile (a timeout) failed alone: the route was taking posts."""
        return self._through.get(route, 0) > mark

    def blocked(self, route: str, now: datetime) -> bool:
        outage = self.get(route)
        return outage is not None and (outage.fatal or now < outage.retry_at)

    def reported(self) -> dict[str, PlatformOutage]:
        """The outages /healthz lists: not a route's first transient failures."""
        return {route: outage for route, outage in self.items() if outage.shown}

    def down(
        self,
        route: str,
        exc: TransientDeliveryError,
        *,
        now: datetime,
        backoff: Callable[[int], float],
    ) -> datetime:
        """Record a failure; returns when the route is next tried (for a fatal one `now`: its
        rows are due but `blocked` keeps them back)."""
        previous = self.get(route)
        if previous is not None and previous.fatal:
            return now  # a send that was already under way when the route was given up
        rate_limited = exc.rate_limited
        refused = isinstance(exc, PlatformDeliveryError) and not rate_limited
        if (
            previous is not None
            and now < previous.retry_at
            and not isinstance(exc, AuthDeliveryError)
        ):
            # A send that started before the route was held back (channels drain side by side):
            # the same outage, not one more failure to lengthen the backoff by.
            if refused and previous.transient:
                previous.error, previous.transient = str(exc), False
            if exc.retry_after is not None:
                later = now + timedelta(seconds=exc.retry_after)
                previous.retry_at = max(previous.retry_at, later)
            return previous.retry_at
        failures = previous.failures + 1 if previous else 1
        since = previous.since if previous else now
        # Refused once in this outage, it stays a refusal for /healthz until a send succeeds.
        transient = not refused and (previous is None or previous.transient)
        if isinstance(exc, AuthDeliveryError):
            self[route] = PlatformOutage(str(exc), since, now, failures, fatal=True)
            if self.on_fatal is not None:
                self.on_fatal(route, str(exc))
            else:
                log.error(
                    "%s refuses our credentials, not retrying: %s",
                    route,
                    exc,
                    extra={"event": "platform_auth_failed", "platform": route},
                )
            return now
        delay = exc.retry_after if exc.retry_after is not None else backoff(failures)
        retry_at = now + timedelta(seconds=delay)
        outage = PlatformOutage(
            error=str(exc),
            since=since,
            retry_at=retry_at,
            failures=failures,
            transient=transient,
            rate_limited=rate_limited,
            wait=retry_at - now,
        )
        self[route] = outage
        if rate_limited:
            if previous is None or not previous.rate_limited:
                log.warning(
                    "%s rate limits us (%s); retrying in %.0fs, until a post gets through",
                    route,
                    exc,
                    delay,
                    extra={"event": "platform_rate_limited", "platform": route},
                )
            return retry_at
        if not transient:
            what = "refuses every post"
        elif outage.shown:
            what = f"unreachable or failing for {failures} tries in a row"
        else:
            # Not an outage yet: the row waits, the log says why, /healthz stays quiet. A send
            # that may have landed is the outbox's to tell: it looks in the channel first.
            if not getattr(exc, "maybe_sent", False):
                log.warning("%s did not take a post (%s); retrying in %.0fs", route, exc, delay)
            return retry_at
        log.error(
            "%s %s (%s); retrying in %.0fs",
            route,
            what,
            exc,
            delay,
            extra={"event": "platform_down", "platform": route},
        )
        return retry_at

    def up(self, route: str) -> None:
        self._through[route] = self._through.get(route, 0) + 1
        outage = self.get(route)
        if outage is None or outage.fatal:
            # A send that was under way when the token was refused may still have gone
            # through; it does not make the token good again.
            return
        del self[route]
        log.info("%s accepts posts again", route, extra={"event": "platform_up"})
