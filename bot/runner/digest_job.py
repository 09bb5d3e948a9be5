"""A digest job's run: the slot it stands for (a catch-up names it; a scheduled job's is the
latest fire of the channel's current schedule), and queuing that digest unless the channel is
paused, the job is from an old schedule, or the slot was already covered. The digest is chosen
off the event loop (`bot.runner.digest_build`), one at a time (`Service.digest_lock`), and the
checks are made again once it is chosen: the loop ran on meanwhile. Kept apart from
`bot.runner.service`, which wires the parts together."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from bot.commands.base import DigestNotQueued
from bot.runner import digests
from bot.runner.digest_build import selection_off_loop
from bot.runner.jobs import latest_fire
from bot.store import channels as channel_store
from bot.store import digest_runs
from bot.store.channels import ChannelRow
from bot.store.database import iso

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)


async def run_digest(
    service: Service,
    channel_pk: int,
    scheduled_for: datetime | None = None,
    *,
    schedule: tuple[str, str] | None = None,
) -> None:
    """Queue the channel's digest for `scheduled_for` (a catch-up), or, run by its job (whose
    `schedule` is the (cron, time zone) it was made for), for the slot the job stands for."""
    async with service.digest_lock:
        await _run_digest(service, channel_pk, scheduled_for, schedule=schedule)


async def _run_digest(
    service: Service,
    channel_pk: int,
    scheduled_for: datetime | None,
    *,
    schedule: tuple[str, str] | None,
) -> None:
    db = service.db
    channel = channel_store.get_channel_by_pk(db, channel_pk)
    if channel is None or channel.mode != "digest":
        return
    if channel.paused_reason:
        # Nothing can be posted there; queuing anyway would flood it on /watchlist resume.
        log.info("channel %s is paused; no digest", channel.key)
        return
    now = service.clock()
    if schedule is not None and tuple(schedule) != (channel.schedule, channel.timezone):
        log.info("digest job for %s is from its old schedule; skipping it", channel.key)
        service.sync_jobs()
        return
    when = scheduled_for or latest_fire(channel, now, service.settings.catch_up_window)
    if when is None:
        # No slot of the current schedule is due: posting would send a digest nobody
        # scheduled and record `now` as a run, shifting the next digest's window.
        log.info("no digest slot of %s is due at %s; skipping", channel.key, iso(now))
        return
    last = digest_runs.last_digest_run(db, channel.id)
    if last is not None and when <= last:
        # Already covered: the repeat of a fall-back hour, or a catch-up / `/digest` that ran
        # since this slot.
        log.info("digest for %s at %s already sent; skipping", channel.key, iso(when))
        return
    size = service.config.digest_size
    selection = await selection_off_loop(db, channel, now=now, slot=when, default_size=size)
    # The loop ran on while the digest was chosen: the channel as it is now decides. (A
    # `/digest` meanwhile waited for `digest_lock`; one from another process recorded its run,
    # read here again.) Removed meanwhile is said by `enqueue_digest`, in its write transaction;
    # so are mutes, a raised minimum of sources and the topics followed (`meanwhile.still_wanted`).
    fresh = channel_store.get_channel_by_pk(db, channel_pk)
    if fresh is not None:
        if why := changed_meanwhile(fresh):
            log.info("channel %s %s while its digest was chosen; no digest", fresh.key, why)
            return
        if schedule is not None and tuple(schedule) != (fresh.schedule, fresh.timezone):
            log.info("digest job for %s: its schedule changed meanwhile; skipping it", fresh.key)
            service.sync_jobs()
            return
        channel = fresh
    last = digest_runs.last_digest_run(db, channel.id)
    if last is not None and when <= last:
        log.info("digest for %s at %s already sent; skipping", channel.key, iso(when))
        return
    digests.enqueue_digest(
        db,
        channel,
        now=now,
        scheduled_for=when,
        default_size=size,
        selection=selection,
    )
    service.outbox.kick()


def changed_meanwhile(channel: ChannelRow) -> str | None:
    """Why the channel, read again after its digest was chosen, gets none: paused (nothing can be
    posted there; queuing anyway would flood it on resume) or no longer in digest mode."""
    if channel.paused_reason:
        return "was paused"
    if channel.mode != "digest":
        return f"switched to {channel.mode} mode"
    return None


async def post_digest(service: Service, channel: ChannelRow) -> int:
    """`/digest` in chat: queue the channel's digest now; the outbox posts it. Chosen off the
    loop, after any digest being chosen for a job or the catch-up (`Service.digest_lock`).
    Raises `DigestNotQueued` when the channel was paused, switched mode or removed meanwhile."""
    async with service.digest_lock:
        now, size = service.clock(), service.config.digest_size
        selection = await selection_off_loop(
            service.db, channel, now=now, slot=now, default_size=size
        )
        # As for a job: the command waited for the lock and the thread, and the loop ran on.
        fresh = channel_store.get_channel_by_pk(service.db, channel.id)
        if fresh is None:
            raise DigestNotQueued("This channel was removed meanwhile; no digest was queued.")
        if why := changed_meanwhile(fresh):
            log.info("channel %s %s while /digest was chosen; no digest", fresh.key, why)
            raise DigestNotQueued(f"This channel {why} meanwhile; no digest was queued.")
        count = digests.enqueue_digest(
            service.db, fresh, now=now, default_size=size, selection=selection
        )
    service.outbox.kick()
    return count
