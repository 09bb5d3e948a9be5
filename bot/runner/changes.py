"""Settings changed in chat (`/watchlist ...`) taking effect at once in the running service:
the digest job follows a new schedule, an instant channel gets the stories a new setting lets
through, and a resumed channel gets what its pause held back, rather than waiting for the next
job sync or for those stories to change."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from bot.runner import digests
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


async def channel_changed(service: Service, before: ChannelRow, after: ChannelRow) -> None:
    if before.schedule_signature != after.schedule_signature:
        # Also while starting: the catch-up that start runs must not take a slot of the new
        # schedule that passed before it was set for a missed digest.
        channel_store.record_schedule_change(service.db, after.id, at=service.clock())
    if service.state != "running":
        # Start syncs the jobs and catches up from the database after the platforms are up, so
        # a change made while starting is picked up there; after stop nothing should run.
        return
    # Cheap and idempotent: only a channel whose (schedule, time zone) or mode changed gets its
    # job replaced, so the old schedule's job can no longer fire.
    service.sync_jobs()
    queued = 0
    if _instant_wants_more(before, after) and after.platform in service.outbox.adapters:
        # Stories that qualify under the new setting (or qualified while the channel was paused,
        # when poll passes queue nothing for it) were skipped by earlier passes and may not be
        # touched again: queue them now. Instant mode's window and limit, with its notice for
        # the rest, bound how many, so a long pause does not end in a flood.
        queued = digests.enqueue_instant(service.db, after, now=service.clock(), story_ids=None)
        if queued:
            log.info("channel %s: %d stories now qualify for instant posts", after.key, queued)
    resumed = _resumed(before, after)
    if resumed:
        # Poll passes plan no updates for a paused channel, and a story that has stopped
        # growing is not planned again: plan what it missed, as the start-up catch-up does.
        # Not tied to the platform being up: updates wait in the outbox, as a pass's do.
        updates = digests.enqueue_missed_updates(
            service.db,
            now=service.clock(),
            window=timedelta(hours=service.config.story_window_hours),
            interval=service.settings.update_interval,
            channel_pk=after.id,
        )
        if updates:
            log.info("channel %s resumed: %d thread updates planned", after.key, updates)
        queued += updates
    if queued or resumed:
        # On resume also for the posts queued before the pause, which may be due already.
        service.kick()


class ScheduleChanges:
    """Records the schedule changes made outside chat, which `channel_changed` never sees: by the
    config file at start, or by another process (`newsdigest poll` syncing the config). The
    service takes a `snapshot` before its config sync and `record`s on every job sync, which
    compares each channel's `schedule_signature` with the last one seen."""

    def __init__(self) -> None:
        self.seen: dict[int, tuple[str, str, str]] = {}

    def snapshot(self, db: sqlite_utils.Database) -> None:
        self.seen = {c.id: c.schedule_signature for c in channel_store.list_channels(db)}

    def record(self, db: sqlite_utils.Database, *, now: datetime) -> None:
        seen = {}
        for channel in channel_store.list_channels(db):
            known = self.seen.get(channel.id)
            if known is not None and known != channel.schedule_signature:
                channel_store.record_schedule_change(db, channel.id, at=now)
            seen[channel.id] = channel.schedule_signature
        self.seen = seen


def _resumed(before: ChannelRow, after: ChannelRow) -> bool:
    return bool(before.paused_reason) and not after.paused_reason


def _instant_wants_more(before: ChannelRow, after: ChannelRow) -> bool:
    """True when an instant channel now takes stories it did not before: it just switched to
    instant mode, lowered its minimum number of independent sources, or was resumed."""
    if after.mode != "instant" or after.paused_reason:
        return False
    return (
        before.mode != "instant"
        or after.min_sources < before.min_sources
        or _resumed(before, after)
    )
