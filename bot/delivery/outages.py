"""Delivery outages: a whole delivery route refuses us (a missing scope, a 401), as opposed to
one channel that cannot take posts.

A route is what a channel's posts go through (`bot.delivery.adapter.delivery_route`): for most
platforms the platform itself, for Discord the bot ("discord") or a channel's webhook URL
("discord-webhook"), so an outage of one leaves the other's channels posting. No channel is paused
for it and no row uses up an attempt; the route's sends back off together (growing with each
failure) and `/healthz` lists the outage until a send succeeds again.

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

from bot.delivery.adapter import AuthDeliveryError, PlatformDeliveryError

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PlatformOutage:
    error: str
    since: datetime
    retry_at: datetime
    failures: int = 1
    # Not retried this run (credentials refused); `retry_at` then means nothing.
    fatal: bool = False


class Outages(dict[str, PlatformOutage]):
    """delivery route -> its current outage."""

    def __init__(self) -> None:
        super().__init__()
        # Called once per route whose credentials are refused, with the route and the error.
        self.on_fatal: Callable[[str, str], None] | None = None

    def blocked(self, route: str, now: datetime) -> bool:
        outage = self.get(route)
        return outage is not None and (outage.fatal or now < outage.retry_at)

    def down(
        self,
        route: str,
        exc: PlatformDeliveryError,
        *,
        now: datetime,
        backoff: Callable[[int], float],
    ) -> datetime:
        """Record a failure; returns when the route is next tried (for a fatal one `now`: its
        rows are due but `blocked` keeps them back)."""
        previous = self.get(route)
        if previous is not None and previous.fatal:
            return now  # a send that was already under way when the route was given up
        failures = previous.failures + 1 if previous else 1
        since = previous.since if previous else now
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
        self[route] = PlatformOutage(
            error=str(exc), since=since, retry_at=retry_at, failures=failures
        )
        log.error(
            "%s refuses every post (%s); retrying in %.0fs",
            route,
            exc,
            delay,
            extra={"event": "platform_down", "platform": route},
        )
        return retry_at

    def up(self, route: str) -> None:
        outage = self.get(route)
        if outage is None or outage.fatal:
            # A send that was under way when the token was refused may still have gone
            # through; it does not make the token good again.
            return
        del self[route]
        log.info("%s accepts posts again", route, extra={"event": "platform_up"})
