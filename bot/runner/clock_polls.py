"""The feeds' next polls set on a wall clock since stepped back (`bot.runner.clock_watch`), and
found at start after a step while the bot was stopped (`bot.runner.clock_downtime`).

A feed's `next_poll_at` is a wall time: "its interval (or backoff, or Retry-After) from the poll".
Written on a clock since set back by J, it lies J further ahead than it should. Which feeds were
so is told from the stored times alone: a next poll further ahead of now than any rule could have
put it (`poll_allowance`) was set on a clock ahead of today's. A feed polled since is within its
allowance and is never moved, whenever it was written.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from bot.ingest.errors import is_internal_error
from bot.ingest.policy import MAX_BACKOFF, MAX_INTERVAL, MAX_RETRY_AFTER, MIN_INTERVAL
from bot.store.database import iso, parse_iso, transaction

# The most the poller's jitter (`bot.runner.polling.Poller._jitter`) adds after a poll, and a
# margin for a pass's own duration: part of every feed's allowance.
JITTER_SLACK = timedelta(seconds=90)
# The longest wait a feed's RSS <ttl> imposes (`bot.pipeline.poll.MAX_TTL`).
TTL_CEILING = timedelta(hours=24)
# How a failure whose server may have sent a Retry-After reads (`bot.ingest.fetcher`).
ASKED_TO_WAIT = ("HTTP 429", "HTTP 503")


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
    further ahead than the allowance (so with a step of 0, to the allowance's end). A disabled
    feed, retried daily or not at all, keeps its time. Returns how many were moved."""
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
