"""Platform-wide delivery outages: the whole platform refuses us (a revoked or expired token, a
missing scope), as opposed to one channel that cannot take posts.

No channel is paused for it and no row uses up an attempt; the platform's sends back off together
(growing with each failure) and `/healthz` lists the outage until a send succeeds again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.delivery.adapter import PlatformDeliveryError

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PlatformOutage:
    error: str
    since: datetime
    retry_at: datetime
    failures: int = 1


class Outages(dict[str, PlatformOutage]):
    """platform -> its current outage."""

    def blocked(self, platform: str, now: datetime) -> bool:
        outage = self.get(platform)
        return outage is not None and now < outage.retry_at

    def down(
        self,
        platform: str,
        exc: PlatformDeliveryError,
        *,
        now: datetime,
        backoff: Callable[[int], float],
    ) -> datetime:
        """Record a failure; returns when the platform is next tried."""
        previous = self.get(platform)
        failures = previous.failures + 1 if previous else 1
        delay = exc.retry_after if exc.retry_after is not None else backoff(failures)
        retry_at = now + timedelta(seconds=delay)
        self[platform] = PlatformOutage(
            error=str(exc),
            since=previous.since if previous else now,
            retry_at=retry_at,
            failures=failures,
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
        if self.pop(platform, None) is not None:
            log.info("%s accepts posts again", platform, extra={"event": "platform_up"})
