"""The outbox's waits undone after the wall clock stepped back (`bot.runner.clock_watch`).

A wait the outbox stores is a wall time: a row's `next_attempt_at` after a 429's Retry-After, a
retry's backoff, a send to be checked, an update's interval; a card edit's `not_before`; a
notice's retry. Each was "so long from now" on the clock before the step, so after a step back
by J it lies J further away: a 429 asking 60 s just before an hour's step held the route's posts
61 minutes. They are brought back by J (never before now). A row held for its channel's quiet
hours waits for a time of day, a wall time in its own right, and keeps it: its
`next_attempt_at` is the end of the channel's quiet hours (`schedule.quiet_until`), as
`quiet_holds.release_held` recognises it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from bot.runner.schedule import quiet_until
from bot.store.database import iso, parse_iso, transaction

if TYPE_CHECKING:
    from bot.delivery.outbox import Outbox
    from bot.runner.clock_watch import ClockWatch
    from bot.runner.polling import Poller

# Both queues keep a row's wait the same way; `table` below is one of these, never input.
_QUEUES = (
    ("deliveries", "state IN ('pending', 'sending')"),
    ("alerts", "state = 'pending'"),
)


def undo_waits(watch: ClockWatch, outbox: Outbox, poller: Poller) -> None:
    """Have `watch` undo its steps for the outbox's and the poller's waits too, and bring the
    feeds back until the polling passes in flight at a step have finished."""
    watch.passes = lambda: poller.tasks
    watch.in_memory += [outbox.rate_limits.pull_back, poller.pull_held_back]
    watch.stored.append(pull_waits_back)


def pull_waits_back(db: sqlite_utils.Database, now: datetime, step: timedelta) -> int:
    """Bring back by `step` every queued row's wait that lies ahead of `now`, but for quiet-hours
    holds; never before `now`. Returns how many were moved."""
    moved = 0
    with transaction(db):
        for table, pending in _QUEUES:
            rows = db.execute(
                f"SELECT q.id, q.next_attempt_at, c.quiet_hours, c.timezone FROM {table} q"
                f" JOIN channels c ON c.id = q.channel_pk WHERE q.{pending}"
                " AND q.next_attempt_at > ?",
                [iso(now)],
            ).fetchall()
            moves = [
                (iso(max(now, due - step)), row_id)
                for row_id, at, spec, zone in rows
                if (due := parse_iso(at)) is not None and not _quiet_end(due, spec, zone)
            ]
            db.conn.executemany(f"UPDATE {table} SET next_attempt_at = ? WHERE id = ?", moves)
            moved += len(moves)
    return moved


def _quiet_end(when: datetime, spec: str | None, zone: str) -> bool:
    """Whether `when` is an end of the channel's quiet hours: a row held for them."""
    if not spec:
        return False
    try:
        return quiet_until(when - timedelta(seconds=1), spec, zone) == when
    except (ValueError, KeyError):  # hours or a zone this version cannot read: no quiet hours
        return False
