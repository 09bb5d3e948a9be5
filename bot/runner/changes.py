"""Settings changed in chat (`/watchlist ...`) taking effect at once in the running service:
the digest job follows a new schedule, an instant channel gets the stories a new setting lets
through, and a resumed channel gets what its pause held back, rather than waiting for the next
job sync or for those stories to change. Another process's write lock (`newsdigest poll`, a
prune) neither stops the job's replacing nor loses a catch-up: one that meets it is tried again
until done (`catch_up_soon`), and the command's reply says it follows."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlite_utils

from bot.runner import update_planner
from bot.runner.digest_build import enqueue_instant_off_loop
from bot.store import channels as channel_store
from bot.store import digest_runs
from bot.store.channels import ChannelRow
from bot.store.database import is_busy
from bot.store.loop_waits import FollowUpLater, repeated

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)

# One step of a catch-up: a single write transaction (it either committed or met the lock before
# writing), so it is tried again until done, but never once done. The instant enqueue is not
# safe to repeat: the stories its notice counts as left out are the next ones it would queue.
CatchUpStep = Callable[["Service", ChannelRow], Coroutine[Any, Any, None]]
# A catch-up for a channel: its steps, done in order.
CatchUp = tuple[CatchUpStep, ...]


# How long a command itself tries again a catch-up that met another process's write lock (a
# poll's or a prune's batch is over well within it) before a task of its own takes it over, so
# the person hears back soon.
CATCH_UP_WAIT_SECONDS = 2.0


async def channel_changed(service: Service, before: ChannelRow, after: ChannelRow) -> None:
    """Runs inside the chat command (`bot.store.loop_waits`), after its setting was saved. A
    schedule change was recorded with the setting, in its transaction (`/watchlist`), so
    neither a restart nor the job sync can lose it; the digest job is replaced here whatever
    another process's write lock does (`ScheduleChanges.record` leaves a write it meets to the
    next job sync). A catch-up (a resume's, an instant channel's wider setting) is done step by
    step, each step tried again while the lock is held, for `CATCH_UP_WAIT_SECONDS`, then the
    steps left handed to a task of its own that does them once the lock is free: `FollowUpLater`
    is raised then, for the reply to say so. Nothing is answered "partly done" nor lost to a retried command that finds nothing
    changed."""
    if before.schedule_signature != after.schedule_signature:
        # Recorded with the setting: the job sync must not record it again, later.
        service.schedule_changes.seen[after.id] = after.schedule_signature
    if service.state != "running":
        # Start syncs the jobs and catches up from the database after the platforms are up, so
        # a change made while starting is picked up there; after stop nothing should run. The
        # catch-up may have read this channel's row already (it awaits each channel's choosing,
        # and chat answers meanwhile; a paused one it skipped): it is noted, for the catch-up to
        # choose again.
        if service.state == "starting":
            if _resumed(before, after):
                # Caught up by start, so the first job sync must not do it again (twice instant
                # mode's limit).
                service.schedule_changes.paused.discard(after.id)
                service.changed_while_starting.add(after.id)
            elif _instant_wants_more(before, after):
                service.changed_while_starting.add(after.id)
        return
    if _resumed(before, after):
        # Caught up here, so the job sync below (or the next), seeing the resume, must not do it
        # again (twice instant mode's limit).
        service.schedule_changes.paused.discard(after.id)
    # Cheap and idempotent: only a channel whose (schedule, time zone) or mode changed gets its
    # job replaced, so the old schedule's job can no longer fire. It also catches up the other
    # channels it sees resumed (`resume_soon`).
    service.sync_jobs()
    if _resumed(before, after):
        await _now_or_soon(service, after, RESUMED_CATCH_UP)
    elif _instant_wants_more(before, after) and after.platform in service.outbox.adapters:
        # Stories that qualify under the new setting were skipped by earlier passes and may not
        # be touched again: queue them now. Instant mode's window and limit, with its notice
        # for the rest, bound how many.
        await _now_or_soon(service, after, (_instant_now_qualifying,))


async def _instant_now_qualifying(service: Service, channel: ChannelRow) -> None:
    queued = await enqueue_instant_off_loop(service.db, channel, now=service.clock())
    if queued:
        log.info("channel %s: %d stories now qualify for instant posts", channel.key, queued)
        service.kick()


async def _now_or_soon(service: Service, channel: ChannelRow, catch_up: CatchUp) -> None:
    """`catch_up` for the channel in the command, each step tried again while another process
    holds the write lock; past `CATCH_UP_WAIT_SECONDS`, the steps not done yet are handed to a
    task (`catch_up_soon`): a step done is never run again."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CATCH_UP_WAIT_SECONDS
    for done, step in enumerate(catch_up):
        within = max(deadline - loop.time(), 0.0)
        if await repeated(service.db, _bound(step, service, channel), within=within):
            continue
        log.info(
            "channel %s: the database is busy; its catch-up is queued once it is free",
            channel.key,
            extra={"event": "catch_up_waits", "channel": channel.key},
        )
        catch_up_soon(service, channel, catch_up[done:])
        raise FollowUpLater()


def _bound(
    step: CatchUpStep, service: Service, channel: ChannelRow
) -> Callable[[], Coroutine[Any, Any, None]]:
    return lambda: step(service, channel)


async def _resumed_instant(service: Service, channel: ChannelRow) -> None:
    """An instant channel gets the stories that qualified while it was paused (instant mode's
    window and limit, with its notice for the rest, so a long pause does not end in a flood;
    chosen off the loop, seconds on a big database)."""
    if channel.mode == "instant" and channel.platform in service.outbox.adapters:
        queued = await enqueue_instant_off_loop(service.db, channel, now=service.clock())
        if queued:
            log.info("channel %s: %d stories now qualify for instant posts", channel.key, queued)
    # Also for the posts queued before the pause, which may be due already.
    service.kick()


async def _resumed_updates(service: Service, channel: ChannelRow) -> None:
    """The thread updates for posted stories that grew, as the start-up catch-up plans them;
    planning again queues only what is not queued or sent."""
    # Not tied to the platform being up: updates wait in the outbox, as a pass's do.
    updates = update_planner.enqueue_missed_updates(
        service.db,
        now=service.clock(),
        window=timedelta(hours=service.config.story_window_hours),
        interval=service.settings.update_interval,
        channel_pk=channel.id,
    )
    if updates:
        log.info("channel %s resumed: %d thread updates planned", channel.key, updates)
        service.kick()


# A channel's pause was lifted (/watchlist resume, `newsdigest channels resume`, a config sync
# after its webhook_url changed): queue what the pause held back. Poll passes queue nothing for
# a paused channel and do not touch a story again once it stops changing. Two steps, so another
# process's write lock met by the second never runs the first again (twice instant mode's
# limit, the stories its notice said were left out among them).
RESUMED_CATCH_UP: CatchUp = (_resumed_instant, _resumed_updates)


def resume_soon(service: Service, channel: ChannelRow) -> None:
    """`RESUMED_CATCH_UP` for a channel a job sync saw resumed, in a task of its own (the job
    sync is not a coroutine), see `catch_up_soon`."""
    catch_up_soon(service, channel, RESUMED_CATCH_UP)


def catch_up_soon(service: Service, channel: ChannelRow, catch_up: CatchUp) -> None:
    """`catch_up` for the channel in a task of its own, each step tried again while another
    process holds the write lock until it is done (a stop ends it: the next start's catch-up
    chooses again); a stop waits for it; the minute's job that started it does not
    (`Service.sync_jobs_job`)."""
    earlier = service.resuming.get(channel.id)
    task = asyncio.create_task(
        _catch_up(service, channel.id, catch_up, earlier), name=f"catch-up-{channel.key}"
    )
    # Keyed by channel: a /watchlist resume waits for its own channel's only. One still running
    # for this channel (paused and resumed again meanwhile) is awaited by the new one first, so
    # the two never choose at once and waiting for the latest covers both.
    service.resuming[channel.id] = task

    def forget(done: asyncio.Task[None]) -> None:
        if service.resuming.get(channel.id) is done:
            del service.resuming[channel.id]

    task.add_done_callback(forget)


async def resumed_caught_up(service: Service, channel_pk: int | None = None) -> None:
    """Wait for the catch-ups `catch_up_soon` started: this channel's, or with no `channel_pk`
    every channel's."""
    while True:
        if channel_pk is None:
            tasks = set(service.resuming.values())
        else:
            tasks = {t} if (t := service.resuming.get(channel_pk)) is not None else set()
        if not tasks:
            return
        await asyncio.wait(tasks)


async def _catch_up(
    service: Service, pk: int, catch_up: CatchUp, earlier: asyncio.Task[None] | None
) -> None:
    if earlier is not None:
        await asyncio.wait({earlier})  # its failure is its own, logged there

    wanted = True

    async def attempt(step: CatchUpStep) -> None:
        nonlocal wanted
        # Read again at each try: paused again or removed meanwhile, it wants nothing now (the
        # next resume catches up), nor the steps after.
        channel = channel_store.get_channel_by_pk(service.db, pk)
        wanted = channel is not None and not channel.paused_reason
        if channel is not None and wanted:
            await step(service, channel)

    try:
        for step in catch_up:
            if not await repeated(service.db, _attempt(attempt, step), stop=service.stopping):
                log.info("stopping: channel %d's catch-up waits for the next start", pk)
                return
            if not wanted:
                return
    except Exception:  # a task's own: nothing else would say it failed
        log.exception("catching up channel %d failed", pk)


def _attempt(
    attempt: Callable[[CatchUpStep], Coroutine[Any, Any, None]], step: CatchUpStep
) -> Callable[[], Coroutine[Any, Any, None]]:
    return lambda: attempt(step)


class ScheduleChanges:
    """Records the changes made outside chat, which `channel_changed` never sees: by the config
    file at start, or by another process (`newsdigest poll` syncing the config, `newsdigest
    channels resume`). The service takes a `snapshot` before its config sync and `record`s on
    every job sync, which compares each channel's `schedule_signature` with the last one seen,
    and returns the channels whose pause was lifted since (for `RESUMED_CATCH_UP`)."""

    def __init__(self) -> None:
        self.seen: dict[int, tuple[str, str, str]] = {}
        self.paused: set[int] = set()

    def snapshot(self, db: sqlite_utils.Database) -> None:
        channels = channel_store.list_channels(db)
        self.seen = {c.id: c.schedule_signature for c in channels}
        self.paused = {c.id for c in channels if c.paused_reason}

    def saw_paused(self, channel_pk: int) -> None:
        """The service paused the channel (its outbox, `Outbox.on_pause`): a resume from now
        on is one, even before the next job sync has seen the pause."""
        self.paused.add(channel_pk)

    def record(self, db: sqlite_utils.Database, *, now: datetime) -> list[ChannelRow]:
        """A change another process made is recorded here; one whose record meets its write
        lock is recorded at a later sync, and the jobs are synced meanwhile all the same."""
        seen, paused, resumed = {}, set(), []
        for channel in channel_store.list_channels(db):
            known = self.seen.get(channel.id)
            seen[channel.id] = channel.schedule_signature
            if known not in (None, channel.schedule_signature) and not _recorded(db, channel, now):
                seen[channel.id] = known  # the next sync compares with it again
            if channel.paused_reason:
                paused.add(channel.id)
            elif channel.id in self.paused:
                resumed.append(channel)
        self.seen, self.paused = seen, paused
        return resumed


@contextmanager
def _left_to_job_sync(channel: ChannelRow, doing: str) -> Iterator[None]:
    """The block's write skipped when another process holds the write lock past the wait."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        log.info(
            "channel %s: the database was busy %s; the next job sync does it", channel.key, doing
        )


def _recorded(db: sqlite_utils.Database, channel: ChannelRow, now: datetime) -> bool:
    """The channel's schedule change recorded, unless another process holds the write lock."""
    with _left_to_job_sync(channel, "recording its schedule change"):
        channel_store.record_schedule_change(db, channel.id, at=now)
        return True
    return False


def record_baseline(db: sqlite_utils.Database, channel: ChannelRow, *, now: datetime) -> None:
    """A digest run as the channel's baseline (`Service.sync_jobs`), so downtime from here on
    can be told apart from "never ran"; skipped when the database is busy, for the next sync."""
    with _left_to_job_sync(channel, "recording its first digest run"):
        digest_runs.record_baseline(db, channel.id, at=now)


def _resumed(before: ChannelRow, after: ChannelRow) -> bool:
    return bool(before.paused_reason) and not after.paused_reason


def _instant_wants_more(before: ChannelRow, after: ChannelRow) -> bool:
    """True when an instant channel now takes stories it did not before: it just switched to
    instant mode or lowered its minimum number of independent sources (a resume is
    `RESUMED_CATCH_UP`'s)."""
    if after.mode != "instant" or after.paused_reason:
        return False
    return before.mode != "instant" or after.min_sources < before.min_sources
