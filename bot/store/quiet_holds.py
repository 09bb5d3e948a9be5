"""Posts and notices the outbox is holding for a channel's quiet hours, and letting them go when
the channel's quiet hours change (`/watchlist quiet off`, a new range or time zone, a resume).

A digest queued in the quiet hours is the channel's one until they end (`held_digest`): its cards,
or its list alone (a digest of no new card for a channel behind, which held no card, so a second
`/digest` queued a second list). A post queued before they began (a card still retrying) is no
digest held for them: it blocked the scheduled digest, said to be "held for its quiet hours"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlite_utils

from bot.store.database import iso, parse_iso, transaction

# The keys of a digest's notices (`bot.runner.digests`): its list, and its backlog's message.
_DIGEST_NOTICES = "(key LIKE 'digest-more:%' OR key LIKE 'digest-backlog:%')"


def held_digest(db: sqlite_utils.Database, channel_pk: int, *, since: datetime) -> tuple[int, int]:
    """The channel's digest posts queued at or after `since` (its quiet hours' start) and not
    sent yet: (story cards, digest notices)."""
    stamp = iso(since)
    cards = db.execute(
        "SELECT COUNT(*) FROM deliveries WHERE channel_pk = ? AND kind = 'story'"
        " AND state IN ('pending', 'sending') AND created_at >= ?",
        [channel_pk, stamp],
    ).fetchone()[0]
    notices = db.execute(
        "SELECT COUNT(*) FROM alerts WHERE channel_pk = ? AND state IN ('pending', 'sending')"
        f" AND {_DIGEST_NOTICES} AND created_at >= ?",
        [channel_pk, stamp],
    ).fetchone()[0]
    return int(cards), int(notices)


def release_held(
    db: sqlite_utils.Database,
    channel_pk: int,
    *,
    now: datetime,
    held_until: Callable[[datetime], bool],
) -> int:
    """Make the channel's pending rows whose next attempt `held_until` recognises as the end of
    its quiet hours due `now`; returns how many. The outbox checks the channel's quiet hours
    again when it sends, so a row released while the (new) quiet hours still apply simply waits
    for their new end. A row deferred for another reason (a retry, an update's interval) keeps
    its time unless it happens to fall exactly on a quiet-hours end."""
    stamp = iso(now)
    with transaction(db):
        # Both queues hold a row for quiet hours the same way: pending, next attempt = the end.
        deliveries = _held(db, "deliveries", channel_pk, stamp, held_until)
        for pk in deliveries:
            db.execute(
                "UPDATE deliveries SET next_attempt_at = ?, updated_at = ? WHERE id = ?",
                [stamp, stamp, pk],
            )
        alerts = _held(db, "alerts", channel_pk, stamp, held_until)
        for pk in alerts:
            db.execute("UPDATE alerts SET next_attempt_at = ? WHERE id = ?", [stamp, pk])
    return len(deliveries) + len(alerts)


def _held(
    db: sqlite_utils.Database,
    table: str,
    channel_pk: int,
    stamp: str | None,
    held_until: Callable[[datetime], bool],
) -> list[int]:
    # `table` is one of the two names above, never input.
    rows = db.execute(
        f"SELECT id, next_attempt_at FROM {table} WHERE channel_pk = ?"
        " AND state = 'pending' AND next_attempt_at > ?",
        [channel_pk, stamp],
    ).fetchall()
    return [pk for pk, at in rows if (when := parse_iso(at)) is not None and held_until(when)]
