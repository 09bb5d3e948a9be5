"""The wall clock set back under a running service: noticed, and undone for the fixed jobs.

APScheduler 3 sleeps on the event loop's monotonic timer until the next job's wall-clock time.
When the system clock steps back by J (an NTP correction, an operator's `date -s`, a VM restored
with an old clock), every job's next run is suddenly J further away on the wall clock, and the
scheduler, asleep on a timer set before the step, wakes to find nothing due and sleeps J more:
polling, the outbox's safety net and the minute's sync stopped for the size of the step, and did
not resume when the clock was put right (the timer set meanwhile still ran its J out). Each
feed's stored `next_poll_at`, computed on the old clock, likewise lay J further ahead.

`ClockWatch` compares the wall clock's progress with the monotonic clock's every few seconds (an
asyncio task, not a scheduler job: the scheduler is what stalls), and at each reading the outbox
takes of the wall clock (`clock_waits.OutboxSteps`). On a backward step larger than
`BACKWARD_STEP` it logs one warning with the step's size and undoes the step for what it froze:

- the fixed jobs (`bot.runner.jobs.FIXED_JOBS`) run when they would have without the step (their
  next run moved back by J, and no earlier than now), and the scheduler is woken so its timer is
  set again from the jobs as they now stand;
- a feed whose stored next poll lies further ahead than its interval, its backoff, its RSS
  `<ttl>` or a server's Retry-After could have put it (`clock_polls.poll_allowance`) is brought
  back by J (never before now, never further ahead than that allowance). A feed polled since the
  step has a next poll within its allowance and is left alone. A polling pass in flight at the
  step computes its feeds' next polls from the wall time it read before it, and writes them
  after: the feeds are brought back on every look until each pass that was in flight has
  finished;
- the outbox's waits measured from a wall time (`bot.runner.clock_waits`): a 429's hold on a
  route, rows waiting out a retry, a Retry-After or an update's interval, brought back by J
  (never before now), and the poller's in-memory holds. Quiet-hours holds are wall times of day
  and stay. Only the waits computed on the clock before the step: a wait written on the new
  clock before the watch's next look (a 429 met meanwhile) keeps its whole Retry-After. As the
  outbox's readings are looks too, the step is seen at its first reading of the new clock, before
  it computes a wait from it; the waits stored and held until then are the old clock's. A drain
  under way at the step may still write waits from a reading of before it: the outbox's part
  waits for the drain's next reading of the clock, or its end. A post's row other code wrote
  before that from its own reading of the new clock (an update planned by a poll pass, another
  process) is told by its `updated_at`, between `ClockStep.since` and now, and left alone. What
  remains keeps the step, late but never early: a wait one channel's sends write from a reading
  of before the step after another channel's sends in the same drain read the new clock; a row
  written on the old clock just the step's length before the step (its `updated_at` reads as
  one written since).

At start, a step back while the bot was stopped (a VM restored from a snapshot) is undone
before the first look (`bot.runner.clock_downtime`): no monotonic clock spans the stop, so the
step's least size is read from the clock readings the database keeps, and the feeds' next polls
and the outbox's waits written before it are brought back by that much, with one warning.

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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import sqlite_utils
from apscheduler.schedulers.base import BaseScheduler

from bot.runner.clock_downtime import step_length, undo_step_while_down
from bot.runner.clock_polls import poll_allowance, pull_polls_back
from bot.store.database import is_busy, utcnow
from bot.store.loop_waits import brief_lock_wait

__all__ = ["ClockStep", "ClockWatch", "poll_allowance", "pull_polls_back"]

log = logging.getLogger(__name__)

CHECK_EVERY = 5.0  # seconds between two looks at the clocks
# A backward step smaller than this is left alone: it delays the jobs by no more than it, about
# two poll ticks. NTP slews an offset under 128 ms without stepping at all.
BACKWARD_STEP = 10.0

# Undoes a step for waits held in memory (`Poller.held`): (step, now).
InMemoryWaits = Callable[[timedelta, datetime], None]


@dataclass(frozen=True)
class ClockStep:
    """A step back the watch saw: `size`, and `since`, the earliest time the clock may have shown
    after it (the last reading before it, less the step). A wall time read between `since` and
    now may have been read after the step."""

    size: timedelta
    since: datetime


class StepListener(Protocol):
    """Waits stored from the old clock, undone in the database (`clock_waits.OutboxSteps`)."""

    @property
    def pending(self) -> bool: ...

    def stepped(self, step: ClockStep, now: datetime) -> None: ...

    def settle(self, db: sqlite_utils.Database, now: datetime) -> int: ...


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
        # The last reading of both clocks: the watch's own look, or a reading the outbox took.
        self._last: tuple[datetime, float] | None = None
        # The polling passes under way (`Poller.tasks`): one in flight at a step writes its
        # feeds' next polls from the clock before it.
        self.passes: Callable[[], Collection[asyncio.Task[None]]] = frozenset
        self.in_memory: list[InMemoryWaits] = []
        self.listeners: list[StepListener] = []
        # What a step left to do in the database: the feeds' next polls to bring back (by the
        # steps since the first still pending) and the passes that were in flight at a step and
        # may still write on the old clock; and, from `start`, a step while the bot was down.
        self._polls_step: timedelta | None = None
        self._settling: set[asyncio.Task[None]] = set()
        self._after_downtime = False

    def start(self, stopping: asyncio.Event) -> None:
        """Watch until `stopping` is set (the service's stop). First, undo a step of the clock
        while the bot was stopped (`bot.runner.clock_downtime`)."""
        self._after_downtime = True
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
        """Look at the clocks (`observe`), and do in the database what a step left pending.
        Returns the step's size."""
        wall = self.wall()
        step = self.observe(wall, self.monotonic())
        self._settle(wall)
        return None if step is None else step.size

    def observe(self, wall: datetime, mono: float) -> ClockStep | None:
        """Compare the clocks' progress since the last reading (a look, or one the outbox took);
        on a backward step larger than the threshold, undo it for the fixed jobs and the waits
        in memory at once, and leave the stored waits pending (`_settle`). Returns the step."""
        last, self._last = self._last, (wall, mono)
        step = None if last is None else self._step(last, wall, mono)
        if step is None:
            return None
        # Pending first: whatever fails below, a later look still does the database's part.
        self._polls_step = (self._polls_step or timedelta(0)) + step.size
        self._settling.update(self.passes())
        moved = self._pull_jobs_back(step.size, wall)
        for undo in self.in_memory:
            undo(step.size, wall)
        log.warning(
            "the system clock went back %s: the jobs (%s), the feeds' next polls and the"
            " outbox's waits brought back as if it had not",
            step_length(step.size),
            ", ".join(moved) or "none",
            extra={"event": "clock_stepped_back", "seconds": step.size.total_seconds()},
        )
        for listener in self.listeners:
            listener.stepped(step, wall)
        return step

    def _step(self, last: tuple[datetime, float], wall: datetime, mono: float) -> ClockStep | None:
        # How far the wall clock fell behind the monotonic one: a step back (or a slew, too
        # small to count). A wall clock that gained (a suspend: the monotonic clock stops) is
        # negative here and left to the scheduler.
        behind = (mono - last[1]) - (wall - last[0]).total_seconds()
        if behind <= self.threshold:
            return None
        size = timedelta(seconds=round(behind, 3))
        return ClockStep(size=size, since=last[0] - size)

    def _settle(self, now: datetime) -> None:
        """Do in the database what the steps left pending, each part kept pending until done.
        Another process holding the write lock (a `newsdigest poll`, a prune) is waited for
        only briefly: the loop runs everything else, and the next look tries again."""
        waiting = any(listener.pending for listener in self.listeners)
        if not (self._after_downtime or waiting or self._polls_step is not None):
            return
        try:
            with brief_lock_wait(self.db.conn):
                if self._after_downtime:
                    undo_step_while_down(self.db, now, self.threshold)
                    self._after_downtime = False
                waits = sum(listener.settle(self.db, now) for listener in self.listeners)
                if waits:
                    log.info("%d of the outbox's waits brought back for the clock's step", waits)
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
