"""The scheduler's jobs, rebuilt from the database at every start.

Jobs live in APScheduler's memory job store on purpose: the database (channels, feeds,
digest_runs) is the single source of truth, so a restart rebuilds exactly one job per channel
and there is nothing stale to de-duplicate. Fixed jobs:

    poll          every few seconds: start polling the feeds that are due
    outbox        a safety net that wakes the outbox (it is normally kicked directly)
    sync-jobs     every minute: pick up schedule/mode changes made outside chat (a change made
                  with /watchlist resyncs at once, see `bot.runner.changes`), catch up a
                  channel resumed outside it (`newsdigest channels resume`, a config sync), and
                  plan the stories another process's poll changed (`bot.runner.elsewhere`)
    prune         daily, unless retention is off: delete old stories (`bot.runner.retention`)
    digest:<pk>   one per digest-mode channel: cron in the channel's time zone (DST-correct)

Misfires are handled on purpose: digest jobs coalesce (several missed runs make one digest) and
accept a late run up to the catch-up window. The fixed jobs coalesce too, and accept a late run
up to their own interval (the prune a day): after a suspend or a busy loop they run once, late,
and are never skipped (`add_fixed_jobs`). A listener logs every missed run, in one line (with
APScheduler's own warning dropped). A wall clock stepped back is undone for the fixed jobs by
`bot.runner.clock_watch`. Downtime is not a
misfire APScheduler can see (the memory store starts empty), so `missed_digests` compares each
channel's last recorded run with its schedule at start and the service sends one catch-up digest,
for a slot that passed while that schedule was in force (`ChannelRow.schedule_changed_at`): a
running job never fires for a slot before its schedule was set, so neither does a restart.
A digest job carries the (cron, time zone) it was made for: one that fires after the channel's
schedule changed, before a resync replaced it, skips rather than post off-schedule.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils
from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.runner.retention import PRUNE_JOB
from bot.runner.schedule import cron_trigger, missed_digest
from bot.store import digest_runs
from bot.store.channels import ChannelRow
from bot.store.database import utcnow

if TYPE_CHECKING:
    from bot.runner.service import Service

log = logging.getLogger(__name__)

DIGEST_PREFIX = "digest:"
POLL_JOB, OUTBOX_JOB, SYNC_JOB = "poll", "outbox", "sync-jobs"
OUTBOX_EVERY = 30  # seconds: the outbox is normally kicked directly; this is the safety net
# The jobs that run on an interval, whatever the channels: `bot.runner.clock_watch` brings them
# back when the wall clock steps back.
FIXED_JOBS = (POLL_JOB, OUTBOX_JOB, SYNC_JOB, PRUNE_JOB)
# A run late by at most this still runs, for a job that sets no grace of its own.
DEFAULT_GRACE = 30


class QuietShutdownCancel(logging.Filter):
    """Drops APScheduler's "Error running job ..." record for a job cancelled by the scheduler's
    own shutdown (a poll tick submitted just before a stop): a traceback at every shutdown
    reads as a crash. A job failing with a real error is still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, asyncio.CancelledError)


class OneMissedLine(logging.Filter):
    """Drops APScheduler's own "Run time of job ... was missed by ..." warning: the listener's
    `job_missed` line (`_on_event`) says the same, how late included, so a missed run is one
    line in the log, not two."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith("Run time of job "))


def make_scheduler() -> AsyncIOScheduler:
    executor_log = logging.getLogger("apscheduler.executors.default")
    for kind in (QuietShutdownCancel, OneMissedLine):
        if not any(isinstance(f, kind) for f in executor_log.filters):
            executor_log.addFilter(kind())
    scheduler = AsyncIOScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": DEFAULT_GRACE},
    )
    scheduler.add_listener(_on_event, EVENT_JOB_MISSED | EVENT_JOB_ERROR | EVENT_JOB_MAX_INSTANCES)
    return scheduler


def _on_event(event: JobExecutionEvent | JobSubmissionEvent) -> None:
    if event.code == EVENT_JOB_MISSED:
        scheduled = getattr(event, "scheduled_run_time", None)
        late = utcnow() - scheduled if isinstance(scheduled, datetime) else None
        log.warning(
            "job %s missed its run at %s%s",
            event.job_id,
            scheduled,
            f" ({timedelta(seconds=round(late.total_seconds()))} late)" if late else "",
            extra={"event": "job_missed", "job": event.job_id},
        )
    elif event.code == EVENT_JOB_MAX_INSTANCES:
        log.info("job %s still running; this run is skipped", event.job_id)
    elif event.code == EVENT_JOB_ERROR:
        exc = getattr(event, "exception", None)
        log.error(
            "job %s failed: %r",
            event.job_id,
            exc,
            exc_info=exc,
            extra={"event": "job_error", "job": event.job_id},
        )


def add_fixed_jobs(service: Service) -> None:
    """The poll, outbox and sync-jobs jobs, and the daily prune (`bot.runner.retention`). Each
    accepts a run as late as its own interval (30 s at least), coalesced: its latest missed run
    is always within one interval of now, so after a suspend or a stalled loop it runs once, late,
    instead of being skipped as missed (a 30 s grace skipped the minute's sync whenever its
    coalesced run was 31-59 s late, and the prune for a whole day)."""
    scheduler, settings = service.scheduler, service.settings
    scheduler.add_job(
        service.poller.tick,
        "interval",
        seconds=settings.poll_tick,
        id=POLL_JOB,
        next_run_time=utcnow(),
        replace_existing=True,
        misfire_grace_time=interval_grace(settings.poll_tick),
    )
    # Coroutine functions on purpose: AsyncIOScheduler runs plain functions in a thread pool,
    # where they would use the shared SQLite connection off the loop (joining the loop's open
    # transaction) and set the outbox's asyncio.Event from a thread (which wakes nothing).
    for job_id, job, every in (
        (OUTBOX_JOB, service.kick_job, OUTBOX_EVERY),
        (SYNC_JOB, service.sync_jobs_job, settings.sync_interval),
    ):
        scheduler.add_job(
            job,
            "interval",
            seconds=every,
            id=job_id,
            replace_existing=True,
            misfire_grace_time=interval_grace(every),
        )
    service.pruner.schedule(scheduler)


def interval_grace(every: float) -> int:
    """A grace as long as the interval: APScheduler wants a positive whole number of seconds."""
    return max(DEFAULT_GRACE, math.ceil(every))


def digest_channels(channels: list[ChannelRow], platforms: set[str]) -> list[ChannelRow]:
    """Channels that get scheduled digests: digest mode, on a platform that is running. A channel
    whose platform is not configured gets no job, so its digests do not pile up unsent."""
    return [c for c in channels if c.mode == "digest" and c.platform in platforms]


class ChannelJobs:
    """Keeps one `digest:<pk>` job per digest channel in step with the channels table."""

    def __init__(
        self,
        scheduler: AsyncIOScheduler,
        run_digest: Callable[..., Awaitable[None]],
        *,
        catch_up: timedelta,
    ) -> None:
        self.scheduler = scheduler
        self.run_digest = run_digest
        self.catch_up = catch_up
        self.signatures: dict[int, tuple[str, str]] = {}

    def sync(self, channels: list[ChannelRow]) -> tuple[int, int]:
        """Add, replace or remove digest jobs. Returns (added or changed, removed)."""
        wanted = {c.id: c for c in channels}
        changed = removed = 0
        for pk in list(self.signatures):
            if pk not in wanted:
                self._remove(pk)
                removed += 1
        for channel in channels:
            signature = (channel.schedule, channel.timezone)
            if self.signatures.get(channel.id) == signature:
                continue
            try:
                trigger = cron_trigger(channel.schedule, channel.timezone)
            except (ValueError, KeyError) as exc:
                log.error("channel %s has an invalid schedule: %s", channel.key, exc)
                continue
            self.scheduler.add_job(
                self.run_digest,
                trigger=trigger,
                args=[channel.id],
                # The job carries the schedule it was made for, so a run that fires after the
                # channel's schedule changed (before the next sync) can tell it is stale.
                kwargs={"schedule": signature},
                id=f"{DIGEST_PREFIX}{channel.id}",
                name=f"digest {channel.key}",
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                # APScheduler wants a positive whole number of seconds; a catch-up window of 0
                # (no catch-up) still lets a job that fires a moment late run.
                misfire_grace_time=max(1, int(self.catch_up.total_seconds())),
            )
            self.signatures[channel.id] = signature
            changed += 1
        return changed, removed

    def _remove(self, pk: int) -> None:
        self.signatures.pop(pk, None)
        job_id = f"{DIGEST_PREFIX}{pk}"
        if self.scheduler.get_job(job_id) is not None:
            self.scheduler.remove_job(job_id)


def missed_digests(
    db: sqlite_utils.Database,
    channels: list[ChannelRow],
    *,
    now: datetime,
    window: timedelta,
) -> list[tuple[ChannelRow, datetime]]:
    """Digest channels that missed a run while the bot was down, each with the latest missed
    time (one catch-up per channel however many runs were missed). A channel with no run on
    record (the config file's, synced in at this start) gets a baseline instead, so its first
    start does not count as a missed digest; one signed up in chat has its first run from its
    sign-up (`digest_runs.record_first_run`), so slots since then are caught up."""
    found: list[tuple[ChannelRow, datetime]] = []
    for channel in channels:
        last = digest_runs.last_digest_run(db, channel.id)
        if last is None:
            digest_runs.record_baseline(db, channel.id, at=now)
            continue
        try:
            trigger = cron_trigger(channel.schedule, channel.timezone)
        except (ValueError, KeyError):
            continue
        missed = missed_digest(
            trigger, last_run=last, now=now, window=window, since=channel.schedule_changed_at
        )
        if missed is not None:
            found.append((channel, missed))
    return found


# How far back a digest job running now looks for the slot it stands for, at least: a job runs
# a little after its slot even on time (and later when the loop was busy), also with a catch-up
# window of 0, where APScheduler still allows it a second of grace.
LATE_RUN_SLACK = timedelta(minutes=5)


def latest_fire(channel: ChannelRow, now: datetime, window: timedelta) -> datetime | None:
    """The scheduled time a digest job running now stands for (it may run late after a misfire),
    or None if no slot of the channel's current schedule is that recent: the job is from an
    older schedule (changed in chat since) and must not post, nor record `now` as a run."""
    try:
        trigger = cron_trigger(channel.schedule, channel.timezone)
    except (ValueError, KeyError):
        return None
    window = max(window, LATE_RUN_SLACK)
    return missed_digest(
        trigger, last_run=now - window, now=now, window=window, since=channel.schedule_changed_at
    )
