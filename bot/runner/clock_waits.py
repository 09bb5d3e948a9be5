"""The outbox's waits undone after the wall clock stepped back (`bot.runner.clock_watch`).

A wait the outbox stores is a wall time: a row's `next_attempt_at` after a 429's Retry-After, a
retry's backoff, a send to be checked, an update's interval; a card edit's `not_before`; a
notice's retry. Each was "so long from now" on the clock before the step, so after a step back
by J it lies J further away: a 429 asking 60 s just before an hour's step held the route's posts
61 minutes. They are brought back by J (never before now). A row held for its channel's quiet
hours waits for a time of day, a wall time in its own right, and keeps it: its
`next_attempt_at` is the end of the channel's quiet hours (`schedule.quiet_until`), as
`quiet_holds.release_held` recognises it.

Which waits were computed on the clock before the step is told by the outbox's own readings of
the clock (`OutboxSteps`): each one is also a look for the step, so the step is seen at the
outbox's first reading of the new clock at the latest, before it computes anything from it. The
waits the outbox stored until then, and its 429 holds in memory, are all from the old clock, and
are the ones brought back; a wait written from the new clock is never moved. While a drain is
under way at the step (it may hold a reading from before it and write a wait from it after),
that moment waits for its next reading, or its end: what it wrote from the old reading is then
stored, and brought back with the rest. The waits are chosen then (a read, no lock) and moved
when the write lock allows, each only if it still holds the wait it was chosen with.

A wait other code wrote from its own reading of the new clock before the outbox's first (an
update planned by a poll pass, a command, another process) is told by the row's `updated_at`:
a row stamped at a time the new clock may already have shown is left as it is.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from bot.runner.schedule import quiet_until
from bot.store.database import is_busy, iso, parse_iso, transaction

if TYPE_CHECKING:
    from bot.delivery.outbox import Outbox
    from bot.runner.clock_watch import ClockStep, ClockWatch
    from bot.runner.polling import Poller

log = logging.getLogger(__name__)

# Both queues keep a row's wait the same way; `table` below is one of these, never input. The
# third is the column stamped with the clock's reading when the row was last written, if any.
_QUEUES = (
    ("deliveries", "state IN ('pending', 'sending')", "updated_at"),
    ("alerts", "state = 'pending'", None),
)
_STATES = {table: pending for table, pending, _ in _QUEUES}

# (table, row id) -> (the wait as chosen, how far to bring it back)
Moves = dict[tuple[str, int], tuple[str, timedelta]]


def undo_waits(watch: ClockWatch, outbox: Outbox, poller: Poller) -> None:
    """Have `watch` undo its steps for the outbox's and the poller's waits too, and bring the
    feeds back until the polling passes in flight at a step have finished."""
    watch.passes = lambda: poller.tasks
    watch.in_memory.append(poller.pull_held_back)
    watch.listeners.append(OutboxSteps(watch, outbox))


class OutboxSteps:
    """The outbox's part of each step: its waits from the old clock, chosen at the outbox's first
    reading of the new one (see the module docstring), moved by `ClockWatch` when it can write."""

    def __init__(self, watch: ClockWatch, outbox: Outbox) -> None:
        self.outbox = outbox
        # Steps seen but not yet taken for the outbox, and the earliest time the clock may have
        # shown since the first of them (`ClockStep.since`).
        self.owed: timedelta | None = None
        self.since: datetime | None = None
        self.moves: Moves = {}
        read = outbox.clock

        def reading() -> datetime:
            now = read()
            try:
                # The watch's own clocks, read after the outbox's: a step between the two is
                # seen before the outbox reads the new clock. (Its clock is the system's, as the
                # watch's is; a test may give it another.)
                wall = watch.wall()
                watch.observe(wall, watch.monotonic())
                if self.owed is not None:
                    self.take(wall)
            except Exception:  # the outbox's clock must read whatever the watch meets
                log.exception("watching the clock failed")
            return now

        outbox.clock = reading

    @property
    def pending(self) -> bool:
        return self.owed is not None or bool(self.moves)

    def stepped(self, step: ClockStep, now: datetime) -> None:
        self.owed = (self.owed or timedelta(0)) + step.size
        self.since = step.since if self.since is None else min(self.since, step.since)
        if not self._draining():
            self.take(now)

    def take(self, now: datetime) -> None:
        """Choose the waits to bring back: every one stored now (the outbox has not read the new
        clock yet), and the 429 holds in memory alike."""
        if self.owed is None:
            return
        step, since = self.owed, self.since
        self.owed = self.since = None
        self.outbox.rate_limits.pull_back(step, now)
        try:
            chosen = waits_ahead(self.outbox.db, now, since=since)
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            log.warning("the database was busy: the outbox's waits keep the clock's step")
            return
        for table, row_id, at in chosen:
            before = self.moves.get((table, row_id))
            # Still the wait chosen at an earlier step (not yet moved): both steps are its.
            total = step + before[1] if before is not None and before[0] == at else step
            self.moves[(table, row_id)] = (at, total)

    def settle(self, db: sqlite_utils.Database, now: datetime) -> int:
        """Move the waits chosen (each only if unchanged since); returns how many moved. Raises
        SQLite's busy error while another process holds the write lock: kept for a later look."""
        if not self._draining():
            self.take(now)
        if not self.moves:
            return 0
        moved = 0
        with transaction(db):
            for (table, row_id), (at, step) in self.moves.items():
                due = parse_iso(at)
                if due is None:
                    continue
                moved += db.execute(
                    f"UPDATE {table} SET next_attempt_at = ? WHERE id = ?"
                    f" AND next_attempt_at = ? AND {_STATES[table]}",
                    [iso(max(now, due - step)), row_id, at],
                ).rowcount
        self.moves = {}
        if moved:
            self.outbox.kick()  # it may be asleep until a wait that is now earlier
        return moved

    def _draining(self) -> bool:
        # From a drain's first reading of the clock to its channels' last writes.
        return self.outbox.draining


def waits_ahead(
    db: sqlite_utils.Database, now: datetime, *, since: datetime | None = None
) -> list[tuple[str, int, str]]:
    """(table, id, wait) of every queued row waiting for a time after `now`, but quiet-hours
    holds; with `since`, not the rows stamped between it and `now`, which may have been written
    on the clock as it reads now."""
    chosen: list[tuple[str, int, str]] = []
    for table, _, stamp in _QUEUES:
        recent, args = "", []
        if since is not None and stamp is not None:
            recent, args = f" AND NOT (q.{stamp} >= ? AND q.{stamp} <= ?)", [iso(since), iso(now)]
        chosen += [(table, row_id, at) for row_id, at, _ in _waiting(db, table, now, recent, args)]
    return chosen


def pull_waits_back(
    db: sqlite_utils.Database,
    now: datetime,
    step: timedelta,
    *,
    stamped_after: datetime | None = None,
) -> int:
    """Bring back by `step` every queued row's wait that lies ahead of `now`, but for quiet-hours
    holds; never before `now`. With `stamped_after`, only the rows written (a delivery's
    `updated_at`) or queued (a notice's `created_at`) after it. Returns how many were moved."""
    moved = 0
    with transaction(db):
        for table, _, _ in _QUEUES:
            written, args = "", []
            if stamped_after is not None:
                stamp = "updated_at" if table == "deliveries" else "created_at"
                written, args = f" AND q.{stamp} > ?", [iso(stamped_after)]
            moves = [
                (iso(max(now, due - step)), row_id)
                for row_id, _, due in _waiting(db, table, now, written, args)
            ]
            db.conn.executemany(f"UPDATE {table} SET next_attempt_at = ? WHERE id = ?", moves)
            moved += len(moves)
    return moved


def _waiting(
    db: sqlite_utils.Database,
    table: str,
    now: datetime,
    condition: str,
    args: Sequence[str | None],
) -> list[tuple[int, str, datetime]]:
    """(id, stored wait, wait) of the table's queued rows waiting for a time after `now` and
    meeting `condition`, but for quiet-hours holds."""
    rows = db.execute(
        f"SELECT q.id, q.next_attempt_at, c.quiet_hours, c.timezone FROM {table} q"
        f" JOIN channels c ON c.id = q.channel_pk WHERE q.{_STATES[table]}"
        f" AND q.next_attempt_at > ?{condition}",
        [iso(now), *args],
    ).fetchall()
    return [
        (row_id, at, due)
        for row_id, at, spec, zone in rows
        if (due := parse_iso(at)) is not None and not _quiet_end(due, spec, zone)
    ]


def _quiet_end(when: datetime, spec: str | None, zone: str) -> bool:
    """Whether `when` is an end of the channel's quiet hours: a row held for them."""
    if not spec:
        return False
    try:
        return quiet_until(when - timedelta(seconds=1), spec, zone) == when
    except (ValueError, KeyError):  # hours or a zone this version cannot read: no quiet hours
        return False
