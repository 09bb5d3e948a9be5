"""Counts of the outbox's rows, for `/healthz`, `newsdigest status`, tests and tools: read
through the partial indexes (migrations 42 and 43) from the rows they count alone, never every
post ever sent."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.store.database import iso
from bot.store.deliveries import STATES, UNFINISHED, UNFINISHED_SQL


def waiting_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Posts (stories and their updates) waiting or in flight, by state, for `/healthz`: read
    from the unfinished rows alone, not from every post ever sent (with six months of history,
    80-90 ms a request on the event loop). An edit of a posted card (`refresh`,
    `bot.store.card_refreshes.waiting_counts`) is no post: counted here, a card edit retried a
    few times read as a post backlog."""
    found = dict.fromkeys(UNFINISHED, 0)
    sql = f"SELECT state, COUNT(*) FROM deliveries WHERE {UNFINISHED_SQL} AND kind != 'refresh'"
    for state, n in db.execute(sql + " GROUP BY state"):
        found[state] = n
    return found


# The rows set `failed` on purpose, not for a post or edit that went wrong (`bot.delivery.prepare`:
# a story muted, merged away or gone; an edit with no card; "merged into ..." a story the channel
# has): no failure for a monitor to alert on.
DROPPED_ON_PURPOSE = (
    "story muted",
    "story merged away",
    "story no longer exists",
    "no posted card to edit",
)


def failed_since(db: sqlite_utils.Database, since: datetime) -> dict[str, int]:
    """Posts and card edits (`refresh` rows) that failed at `since` or later, for `/healthz`: the
    failure signal a monitor alerts on, read through `deliveries_failed` (migration 43) from
    those rows alone. A row failed by its last attempt or as stale counts once; one dropped on
    purpose (`DROPPED_ON_PURPOSE`) does not."""
    found = {"posts": 0, "card_edits": 0}
    sql = f"SELECT kind = 'refresh', COUNT(*) {_FAILED_SINCE} GROUP BY 1"
    for edits, n in db.execute(sql, [iso(since), *DROPPED_ON_PURPOSE]):
        found["card_edits" if edits else "posts"] += n
    return found


def failed_posts_by_channel(db: sqlite_utils.Database, since: datetime) -> dict[int, int]:
    """Posts (not card edits) failed at `since` or later, by channel pk, counted as
    `failed_since` counts them (`newsdigest status`)."""
    sql = f"SELECT channel_pk, COUNT(*) {_FAILED_SINCE} AND kind != 'refresh' GROUP BY 1"
    return {pk: n for pk, n in db.execute(sql, [iso(since), *DROPPED_ON_PURPOSE])}


# Named: without statistics SQLite rates `deliveries_state`'s (state=?) above a range on the
# partial index, and would read every failed row ever kept.
_FAILED_SINCE = (
    "FROM deliveries INDEXED BY deliveries_failed WHERE state = 'failed' AND updated_at >= ?"
    f" AND last_error NOT IN ({', '.join('?' * len(DROPPED_ON_PURPOSE))})"
    " AND last_error NOT LIKE 'merged into %'"
)


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Posts (stories and their updates) by state, finished ones too: a read of every row, for
    tests and tools, not for anything the service runs often (`waiting_counts`)."""
    found = dict.fromkeys(STATES, 0)
    sql = "SELECT state, COUNT(*) FROM deliveries WHERE kind != 'refresh' GROUP BY state"
    for state, n in db.execute(sql):
        found[state] = n
    return found
