"""Platform-wide delivery outages: the whole platform refuses us (a missing scope, a 401), as
opposed to one channel that cannot take posts.

No channel is paused for it and no row uses up an attempt; the platform's sends back off together
(growing with each failure) and `/healthz` lists the outage until a send succeeds again.

A refused credential (`AuthDeliveryError`: a revoked or invalid token) is fatal instead: retrying
cannot fix it, so the platform stays blocked for the rest of the run, its rows stay pending (not
sent, not failed) for a restart with a new token, and `on_fatal` tells the runner, which stops the
platform and reports it; the other platforms are not affected.
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
    """platform -> its current outage."""

    def __init__(self) -> None:
        super().__init__()
        # Called once per platform whose credentials are refused, with the platform and the error.
        self.on_fatal: Callable[[str, str], None] | None = None

    def blocked(self, platform: str, now: datetime) -> bool:
        outage = self.get(platform)
        return outage is not None and (outage.fatal or now < outage.retry_at)

    def down(
        self,
        platform: str,
        exc: PlatformDeliveryError,
        *,
        now: datetime,
        backoff: Callable[[int], float],
    ) -> datetime:
        """Record a failure; returns when the platform is next tried (for a fatal one `now`:
        its rows are due but `blocked` keeps them back)."""
        previous = self.get(platform)
        if previous is not None and previous.fatal:
            return now  # a send that was already under way when the platform was given up
        failures = previous.failures + 1 if previous else 1
        since = previous.since if previous else now
        if isinstance(exc, AuthDeliveryError):
            self[platform] = PlatformOutage(str(exc), since, now, failures, fatal=True)
            if self.on_fatal is not None:
                self.on_fatal(platform, str(exc))
            else:
                log.error(
                    "%s refuses our credentials, not retrying: %s",
                    platform,
                    exc,
                    extra={"event": "platform_auth_failed", "platform": platform},
                )
            return now
        delay = exc.retry_after if exc.retry_after is not None else backoff(failures)
        retry_at = now + timedelta(seconds=delay)
        self[platform] = PlatformOutage(
            error=str(exc), since=since, retry_at=retry_at, failures=failures
        )
        log.error(
            "%s refuses every post (%s); retrying in %.0fs",
            platform,
            exc,
            delay,
            extra={"event": "platform_down", "platform": platform},
        )
        return retry_at

    def up(self, platform: str) -> None:
        outage = self.get(platform)
        if outage is None or outage.fatal:
            # A send that was under way when the token was refused may still have gone
            # through; it does not make the token good again.
            return
        del self[platform]
        log.info("%s accepts posts again", platform, extra={"event": "platform_up"})
