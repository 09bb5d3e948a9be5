"""Catching up at start (or when a chat platform starts late): the digest each channel missed
while the bot was down, instant stories that qualified meanwhile, and updates for posted stories
that grew. Kept apart from `bot.runner.service`, which wires the parts together."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.runner import feed_alerts, update_planner
from bot.runner.digest_build import enqueue_instant_off_loop
from bot.runner.jobs import missed_digests
from bot.store.channels import ChannelRow
from bot.store.database import iso

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


async def catch_up(service: Service, *, platform: str | None = None) -> None:
    """Send the digests missed while down and queue instant stories (and at start, updates for
    posted stories that grew); with `platform`, only for that platform's channels (it has just
    started late)."""
    db = service.db
    now = service.clock()

    def wanted(channels: list[ChannelRow]) -> list[ChannelRow]:
        return [c for c in channels if platform is None or c.platform == platform]

    window = service.settings.catch_up_window
    for channel, missed in missed_digests(
        db, wanted(service.digest_channels()), now=now, window=window
    ):
        if service.stopping.is_set():
            # Each digest takes seconds on a big database: a stop asked for during the catch-up
            # is honoured before the next, well within Docker's 10 s before SIGKILL. The slots
            # not queued are caught up at the next start.
            log.info("stopping: the remaining missed digests wait for the next start")
            return
        log.info(
            "sending the digest for %s missed at %s",
            channel.key,
            iso(missed),
            extra={"event": "digest_catch_up", "channel": channel.key},
        )
        await service.run_digest(channel.id, scheduled_for=missed)
    await _instant(service, [c.id for c in wanted(service.instant_channels())], now=now)
    # Changed in chat after the catch-up read their row (`changes.channel_changed`): chosen again
    # under the change, as a running service would at once.
    while service.changed_while_starting:
        await _instant(service, sorted(service.changed_while_starting), now=service.clock())
    if platform is None:
        feed_alerts.alert_disabled_feeds(db, now=now)
        # A crash between a pass committing its clustering and `on_poll_pass` loses that pass's
        # update planning.
        update_planner.enqueue_missed_updates(
            db,
            now=now,
            window=timedelta(hours=service.config.story_window_hours),
            interval=service.settings.update_interval,
        )


async def _instant(service: Service, channel_pks: list[int], *, now: datetime) -> None:
    """Queue the instant stories of these channels, each chosen off the loop (seconds on a big
    database: /healthz and chat answer meanwhile). Each channel's row is read as its turn comes,
    not with the others' before the first: a /watchlist change made while an earlier one was
    chosen counts."""
    for pk in channel_pks:
        # The row read now has every change made so far.
        service.changed_while_starting.discard(pk)
        fresh = {c.id: c for c in service.instant_channels()}.get(pk)
        if fresh is not None:
            # Read unpaused: a resume made before now is caught up here, so a job sync seeing it
            # later must not catch it up again (twice instant mode's limit).
            service.schedule_changes.paused.discard(pk)
            await enqueue_instant_off_loop(service.db, fresh, now=now)
