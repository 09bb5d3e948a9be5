"""The one stale rule for queued chat posts, shared by the delivery rows and the notices.

`OutboxSettings.stale_after` (the story window), for every kind of row: a story post, a thread
update (to a thread days old, after a long pause, it is noise; a resumed channel's updates are
planned afresh) and a notice (`bot.store.alerts.expire_stale`). A row still waiting
`stale_after` past the time it was meant to go out is given up, never sent: old news rather than
a flood after a long pause or outage. For a delivery row that time is its `release_at`, the end
of a hold put on it on purpose (quiet hours, an update's paced gap, up to 8 times an interval of up to 30 days), else when it
was queued; counting from the queuing instead dropped every row held longer than the window
unsent. `is_stale` judges a row in hand (one that may have landed, whose lookup keeps failing)
and the `expire_stale`s of deliveries (here) and alerts every waiting row at once, all by
`stale_cutoff`, so they cannot drift apart. (A "feed disabled" notice is the one exception: it
waits while its feed stays disabled.)

A story's card given up as stale never went out, so it does not count as the channel's card of
the story (`STALE_CARD`): a digest or an instant pass may choose the story again once it is
news again (updated since the channel's last digest, reported within the instant window), and
old news stays out by those rules, not by a card the channel never saw.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlite_utils

from bot.store.database import iso
from bot.store.durable import durable

if TYPE_CHECKING:
    from bot.store.deliveries import DeliveryRow


# A story's card row given up as stale (SQL, over `deliveries`): it never went out.
STALE_CARD = "(kind = 'story' AND state = 'failed' AND last_error IS 'stale')"


def stale_cutoff(now: datetime, stale_after: timedelta) -> datetime:
    """Rows meant to go out before this are stale (`OutboxSettings.stale_after`)."""
    return now - stale_after


def is_stale(row: DeliveryRow, *, now: datetime, stale_after: timedelta) -> bool:
    due = row.release_at or row.created_at
    return due is not None and due < stale_cutoff(now, stale_after)


def expire_stale(db: sqlite_utils.Database, *, now: datetime, stale_after: timedelta) -> int:
    """Delivery rows still pending that are stale, failed as "stale" whatever holds them up (a
    paused channel, a route down or withdrawn, an outage). Done here rather than as each row comes
    up, because a row the outbox cannot act on never comes up. A `sending` row is left to
    reconcile, which looks for it first (`bot.delivery.failures.lookup_failed` gives it up if the
    lookup cannot be made). Returns how many."""
    with durable(db):
        # Rows written before `release_at` existed, or by hand, count from their queuing.
        return db.execute(
            "UPDATE deliveries SET state = 'failed', last_error = 'stale', updated_at = ?"
            " WHERE state = 'pending' AND COALESCE(release_at, created_at) < ?",
            [iso(now), iso(stale_cutoff(now, stale_after))],
        ).rowcount
