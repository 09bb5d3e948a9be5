"""The wall clock set back under a running service: noticed, and undone for the fixed jobs.

APScheduler 3 sleeps on the event loop's monotonic timer until the next job's wall-clock time.
When the system clock steps back by J (an NTP correction, an operator's `date -s`, a VM restored
with an old clock), every job's next run is suddenly J further away on the wall clock, and the
scheduler, asleep on a timer set before the step, wakes to find nothing due and sleeps J more:
polling, the outbox's safety net and the minute's sync stopped for the size of the step, and did
not resume when the clock was put right (the timer set meanwhile still ran its J out). Each
feed's stored `next_poll_at`, computed on the old clock, likewise lay J further ahead.

`ClockWatch` compares the wall clock's progress with the monotonic clock's every few seconds (an
asyncio task, not a scheduler job: the scheduler is what stalls). On a backward step larger than
`BACKWARD_STEP` it logs one warning with the step's size and undoes the step for what it froze:

- the fixed jobs (`bot.runner.jobs.FIXED_JOBS`) run when they would have without the step (their
  next run moved back by J, and no earlier than now), and the scheduler is woken so its timer is
  set again from the jobs as they now stand;
- a feed whose stored next poll lies further ahead than its interval, its backoff, its RSS
  `<ttl>` or a server's Retry-After could have put it (`poll_allowance`) is brought back by J
  (never before now, never further ahead than that allowance). A feed polled since the step
  has a next poll within its allowance and is left alone. A polling pass in flight at the step
  computes its feeds' next polls from the wall time it read before it, and writes them after:
  the feeds are brought back on every look until each pass that was in flight has finished;
- the outbox's waits measured from a wall time (`bot.runner.clock_waits`): a 429's hold on a
  route, rows waiting out a retry, a Retry-After or an update's interval, and the poller's
  in-memory holds, brought back by J (never before now). Quiet-hours holds are wall times of
  day and stay.

What the step changes in the database waits for another process's write lock at most
`loop_waits.STEP_WAIT_SECONDS` (`brief_lock_wait`), never the connection's 30 s on the event
loop; while it cannot be done the step stays pending and is done on a later look, so a look that
met the lock loses nothing.

Digest jobs are left to the wall clock, as cron runs them: a slot is a time of day, and a slot
already posted before the step is not posted again when the wall clock passes it a second time
(its job's next run is the slot after). A forward step (a suspend, a clock put forward) is left
to the scheduler as before: the jobs it skipped run once, coalesced, with a late digest for the
latest slot the catch-up window allows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta

import sqlite_utils
from apscheduler.schedulers.base import BaseScheduler

from bot.ingest.errors import is_internal_error
from bot.ingest.policy import MAX_BACKOFF, MAX_INTERVAL, MAX_RETRY_AFTER, MIN_INTERVAL
from bot.store.database import is_busy, iso, parse_iso, transaction, utcnow
from bot.store.loop_waits import brief_lock_wait

log = logging.getLogger(__name__)

CHECK_EVERY = 5.0  # seconds between two looks at the clocks
# A backward step smaller than this is left alone: it delays the jobs by no more than it, about
# two poll ticks. NTP slews an offset under 128 ms without stepping at all.
BACKWARD_STEP = 10.0
# The most the poller's jitter (`bot.runner.polling.Poller._jitter`) adds after a poll, and a
# margin for a pass's own duration: part of every feed's allowance.
JITTER_SLACK = timedelta(seconds=90)
# The longest wait a feed's RSS <ttl> imposes (`bot.pipeline.poll.MAX_TTL`).
TTL_CEILING = timedelta(hours=24)
# How a failure whose server may have sent a Retry-After reads (`bot.ingest.fetcher`).
ASKED_TO_WAIT = ("HTTP 429", "HTTP 503")

# Undoes a step for waits held in memory (`RateLimits`, `Poller.held`): (step, now).
InMemoryWaits = Callable[[timedelta, datetime], None]
# Undoes a step for waits stored in the database (`clock_waits.pull_waits_back`): (db, now,
# step), returning how many were moved.
StoredWaits = Callable[[sqlite_utils.Database, datetime, timedelta], int]


class ClockWatch:
    """Watches for the wall clock stepping back under `scheduler` (see the module docstring)."""

    def __init__(
        self,
        scheduler: BaseScheduler,
        db: sqlite_utils.Database,
        *,
        jobs: Iterable[str],
        wall: Callable[[], datetime] = utcnow,
        monotonic: Callable[[], float] = time.monotonic,
        every: float = CHECK_EVERY,
        threshold: float = BACKWARD_STEP,
    ) -> None:
        self.scheduler = scheduler
        self.db = db
        self.jobs = tuple(jobs)
        # The clock the scheduler reads (datetime.now): a test gives both the same fake.
        self.wall = wall
        self.monotonic = monotonic
        self.every = every
        self.threshold = threshold
        self.task: asyncio.Task[None] | None = None
        self._last: tuple[datetime, float] | None = None
        # The polling passes under way (`Poller.tasks`): one in flight at a step writes its
        # feeds' next polls from the clock before it.
        self.passes: Callable[[], Collection[asyncio.Task[None]]] = frozenset
        self.in_memory: list[InMemoryWaits] = []
        self.stored: list[StoredWaits] = []
        # What a step left to do in the database: the steps not yet taken off the stored waits,
        # the feeds' next polls to bring back (by the steps since the first still pending) and
        # the passes that were in flight at a step and may still write on the old clock.
        self._waits_step: timedelta | None = None
        self._polls_step: timedelta | None = None
        self._settling: set[asyncio.Task[None]] = set()

    def start(self, stopping: asyncio.Event) -> None:
        """Watch until `stopping` is set (the service's stop)."""
        self.check()  # the first reading, so a step from now on is seen
        self.task = asyncio.create_task(self._watch(stopping), name="clock-watch")

    async def _watch(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=self.every)
            if stopping.is_set():
                return
            try:
                self.check()
            except Exception:  # a failed look must not end the watch for the rest of the run
                log.exception("checking the clock failed")

    def check(self) -> timedelta | None:
        """Compare the clocks' progress since the last look; on a backward step larger than the
        threshold, undo it for the fixed jobs, the feeds' next polls and the outbox's waits, and
        do what an earlier step left pending. Returns the step."""
        wall, mono = self.wall(), self.monotonic()
        last, self._last = self._last, (wall, mono)
        step = None if last is None else self._step(last, wall, mono)
        if step is not None:
            # Pending first: whatever fails below, a later look still does the database's part.
            self._waits_step = (self._waits_step or timedelta(0)) + step
            self._polls_step = (self._polls_step or timedelta(0)) + step
            self._settling.update(self.passes())
            moved = self._pull_jobs_back(step, wall)
            for undo in self.in_memory:
                undo(step, wall)
            log.warning(
                "the system clock went back %s: the jobs (%s), the feeds' next polls and the"
                " outbox's waits brought back as if it had not",
                _duration(step),
                ", ".join(moved) or "none",
                extra={"event": "clock_stepped_back", "seconds": step.total_seconds()},
            )
        self._settle(wall)
        return step

    def _step(self, last: tuple[datetime, float], wall: datetime, mono: float) -> timedelta | None:
        # How far the wall clock fell behind the monotonic one: a step back (or a slew, too
        # small to count). A wall clock that gained (a suspend: the monotonic clock stops) is
        # negative here and left to the scheduler.
        behind = (mono - last[1]) - (wall - last[0]).total_seconds()
        if behind <= self.threshold:
            return None
        return timedelta(seconds=round(behind, 3))

    def _settle(self, now: datetime) -> None:
        """Do in the database what the steps left pending, each part kept pending until done.
        Another process holding the write lock (a `newsdigest poll`, a prune) is waited for
        only briefly: the loop runs everything else, and the next look tries again."""
        if self._waits_step is None and self._polls_step is None:
            return
        try:
            with brief_lock_wait(self.db.conn):
                if self._waits_step is not None:
                    waits = sum(undo(self.db, now, self._waits_step) for undo in self.stored)
                    self._waits_step = None
                    if waits:
                        log.info(
                            "%d of the outbox's waits brought back for the clock's step", waits
                        )
                if self._polls_step is not None:
                    # Read first: a pass that ended before this pull wrote before it.
                    running = {task for task in self._settling if not task.done()}
                    polls = pull_polls_back(self.db, now=now, step=self._polls_step)
                    self._settling = running
                    if not running:
                        self._polls_step = None
                    if polls:
                        log.info("%d feed(s)' next poll brought back for the clock's step", polls)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            log.info("the database is busy: the clock's step is undone on a later look")

    def _pull_jobs_back(self, step: timedelta, now: datetime) -> list[str]:
        moved: list[str] = []
        for job_id in self.jobs:
            job = self.scheduler.get_job(job_id)
            if job is None or job.next_run_time is None:  # not scheduled, or paused
                continue
            self.scheduler.modify_job(job_id, next_run_time=max(now, job.next_run_time - step))
            moved.append(job_id)
        # modify_job wakes a running scheduler already; once more in case no job was moved.
        if self.scheduler.running:
            self.scheduler.wakeup()
        return moved


def poll_allowance(
    interval: int, failures: int, last_error: str | None, ttl_minutes: int | None
) -> timedelta:
    """The furthest ahead of its last poll a feed's next poll can lie: its interval or RSS <ttl>,
    and for a failing feed its backoff's ceiling, or a server's Retry-After (`bot.ingest.policy`,
    `bot.pipeline.poll`)."""
    seconds = min(max(interval, MIN_INTERVAL), MAX_INTERVAL)
    allowance = timedelta(seconds=seconds)
    if ttl_minutes:
        allowance = max(allowance, min(timedelta(minutes=ttl_minutes), TTL_CEILING))
    if is_internal_error(last_error):
        allowance = max(allowance, timedelta(seconds=MAX_BACKOFF))
    elif failures > 0:
        ceiling = min(float(MAX_BACKOFF), seconds * 2.0 ** min(failures - 1, 32))
        allowance = max(allowance, timedelta(seconds=ceiling))
        if (last_error or "").startswith(ASKED_TO_WAIT):
            allowance = max(allowance, MAX_RETRY_AFTER)
    return allowance + JITTER_SLACK


def pull_polls_back(db: sqlite_utils.Database, *, now: datetime, step: timedelta) -> int:
    """Bring back by `step` each enabled feed's next poll that lies further ahead of `now` than
    `poll_allowance` permits: set on a clock since stepped back. Never before `now`, never
    further ahead than the allowance. Returns how many were moved."""
    rows = db.execute(
        "SELECT id, poll_interval, consecutive_failures, last_error, ttl_minutes, next_poll_at"
        " FROM feeds WHERE disabled_reason IS NULL AND next_poll_at > ?",
        [iso(now)],
    ).fetchall()
    moves: list[tuple[str | None, int]] = []
    for feed_id, interval, failures, last_error, ttl_minutes, stored in rows:
        due = parse_iso(stored)
        if due is None:
            continue
        allowance = poll_allowance(interval, failures, last_error, ttl_minutes)
        if due - now > allowance:
            moves.append((iso(max(now, min(due - step, now + allowance))), feed_id))
    if moves:
        with transaction(db):
            db.conn.executemany("UPDATE feeds SET next_poll_at = ? WHERE id = ?", moves)
    return len(moves)


def _duration(step: timedelta) -> str:
    seconds = step.total_seconds()
    if seconds < 600:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
