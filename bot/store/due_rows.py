"""When queued rows come due: the rows a drain of the outbox sends now, and when its loop should
next wake for a deferred one (a retry, quiet hours, an update's interval).

Both read `next_attempt_at`, when a row may next be tried: `due` on the posts' rows
(`bot.store.deliveries`), `next_attempt_time` on those and on the notices' (`bot.store.alerts`).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from bot.store.database import iso, parse_iso
from bot.store.deliveries import DeliveryRow


def due(
    db: sqlite_utils.Database, now: datetime, channels: Collection[int], *, limit: int = 500
) -> list[DeliveryRow]:
    """Pending rows whose time has come in `channels` (those the outbox can post to now), each
    channel's oldest first (top-level posts before their updates).

    Channels take turns (every channel's first row, then every second one...), so no channel's
    backlog, however old, keeps the others' rows past the limit. Rows of the channels left out
    (paused, their route withdrawn or down) are not even read: such rows can pile up, and the
    oldest 500 of them once hid every newer row from the outbox."""
    sql = (
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY channel_pk ORDER BY id) AS turn"
        " FROM deliveries WHERE state = 'pending'"
        " AND channel_pk IN (SELECT value FROM json_each(?))"
        " AND (next_attempt_at IS NULL OR next_attempt_at <= ?))"
        " ORDER BY turn, id LIMIT ?"
    )
    params = [json.dumps(sorted(channels)), iso(now), limit]
    return [DeliveryRow.from_row(r) for r in db.execute_returning_dicts(sql, params)]


def next_attempt_time(db: sqlite_utils.Database, *, after: datetime) -> datetime | None:
    """When the earliest deferred row (retry, quiet hours, update interval) comes due, counting
    only rows not yet due at `after`: a row already due then had its chance in the drain that
    started at `after`, so if it is still waiting it cannot be sent now (its channel is paused,
    its platform has no adapter or is down) and waking for it would only spin.

    Times are stored to the second, so a row stored at `after`'s own second may have been due
    already or deferred to a moment later in that second: it wakes the loop once, a second
    later, by which time it is either sent or plainly stuck."""
    floor = iso(after)
    row = db.execute(
        "SELECT MIN(next_attempt_at) FROM deliveries WHERE state IN ('pending', 'sending')"
        " AND next_attempt_at >= ?"
        " UNION ALL SELECT MIN(next_attempt_at) FROM alerts WHERE state = 'pending'"
        " AND next_attempt_at >= ?",
        [floor, floor],
    ).fetchall()
    times = [parse_iso(r[0]) for r in row if r[0]]
    earliest = min((t for t in times if t is not None), default=None)
    if earliest is not None and earliest <= after:
        return earliest + timedelta(seconds=1)
    return earliest


@dataclass(frozen=True, slots=True)
class Waiting:
    """A channel's posts waiting or in flight (a card edit is no post), for `channels list`."""

    cards: int
    updates: int
    sending: int
    # When the earliest pending one may be tried (None: it may be tried now).
    next_at: datetime | None

    @property
    def total(self) -> int:
        return self.cards + self.updates


def waiting_posts(db: sqlite_utils.Database) -> dict[int, Waiting]:
    """Each channel's waiting posts (`Waiting`) by channel pk, channels with none left out."""
    rows = db.execute(
        "SELECT channel_pk, SUM(kind = 'story'), SUM(kind != 'story'), SUM(state = 'sending'),"
        # A pending row with no time is due now: it sorts first as ''.
        " MIN(CASE WHEN state = 'pending' THEN COALESCE(next_attempt_at, '') END)"
        " FROM deliveries WHERE kind != 'refresh' AND state IN ('pending', 'sending')"
        " GROUP BY channel_pk"
    )
    return {
        pk: Waiting(cards, updates, sending, parse_iso(first) if first else None)
        for pk, cards, updates, sending, first in rows
    }
