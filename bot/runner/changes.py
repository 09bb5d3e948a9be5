"""Settings changed in chat (`/watchlist ...`) taking effect at once in the running service,
rather than at the next periodic job sync."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.store.channels import ChannelRow

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


async def channel_changed(service: Service, before: ChannelRow, after: ChannelRow) -> None:
    if service.state != "running":
        # Start syncs the jobs and catches up from the database after the platforms are up, so
        # a change made while starting is picked up there; after stop nothing should run.
        return
    # Cheap and idempotent: only a channel whose (schedule, time zone) or mode changed gets its
    # job replaced, so the old schedule's job can no longer fire.
    service.sync_jobs()
