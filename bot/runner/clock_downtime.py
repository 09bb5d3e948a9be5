"""A wall clock set back while the bot was stopped (a VM restored from a snapshot, a clock set
by hand, a machine whose battery-backed clock was reset), undone at start (`ClockWatch.start`).

No monotonic clock spans the stop, so the step is told from the database: the clock's readings
it keeps (when a post's row was last written, a notice queued, a feed polled, a prune run) can
lie no later than the clock read then. The latest of them ahead of now says the clock went back
at least that far: by that much, the step's lower bound, and never more, are brought back:

- the feeds' next polls that lie further ahead than their interval, backoff, `<ttl>` or a
  Retry-After could have put them (`clock_polls.pull_polls_back`), each never past that
  allowance, even with no reading ahead (then to the allowance's end); a disabled feed keeps its
  daily retry, and a feed's long backoff within its allowance is left;
- the outbox's waits in the rows stamped after now (written on the clock before the step), each
  keeping as much of its wait as it was given, or more; a quiet-hours hold keeps its time of
  day, and a row written since on today's clock (another process's) is left.

One warning says how many were moved and by how much.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlite_utils

from bot.runner.clock_polls import pull_polls_back
from bot.runner.clock_waits import pull_waits_back
from bot.store.database import parse_iso

log = logging.getLogger(__name__)

# Columns holding the clock's reading when their row was written: (table, column).
READINGS = (
    ("deliveries", "updated_at"),
    ("alerts", "created_at"),
    ("feeds", "last_polled_at"),
    ("service_state", "updated_at"),
)


def stepped_while_down(db: sqlite_utils.Database, now: datetime) -> timedelta:
    """How far at least the clock went back before `now`: how far ahead of it the latest reading
    the database keeps lies (0 when none does)."""
    readings = (
        parse_iso(db.execute(f"SELECT MAX({column}) FROM {table}").fetchone()[0])
        for table, column in READINGS
    )
    latest = max((when for when in readings if when is not None), default=None)
    if latest is None or latest <= now:
        return timedelta(0)
    return latest - now


def undo_step_while_down(db: sqlite_utils.Database, now: datetime, threshold: float) -> int:
    """Bring back the waits a step while the bot was stopped left too far ahead (see the module
    docstring); returns how many were moved."""
    step = stepped_while_down(db, now)
    if step.total_seconds() <= threshold:
        step = timedelta(0)
    polls = pull_polls_back(db, now=now, step=step)
    waits = pull_waits_back(db, now, step, stamped_after=now) if step else 0
    if polls or waits:
        behind = f"at least {step_length(step)} behind" if step else "behind"
        log.warning(
            "the system clock is %s what the database last recorded (set back while the bot"
            " was stopped?): %d feed(s)' next poll and %d of the outbox's waits brought back",
            behind,
            polls,
            waits,
            extra={"event": "clock_behind_database", "seconds": step.total_seconds()},
        )
    return polls + waits


def step_length(step: timedelta) -> str:
    """A step's size as a log line says it."""
    seconds = step.total_seconds()
    if seconds < 600:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
