"""Rows waiting out their delivery route's outage, brought forward when the route is back before
its backoff ends (`bot.delivery.failures.retry_route`)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime

import sqlite_utils

from bot.store.database import iso


def retry_now(
    db: sqlite_utils.Database, channels: Collection[int], *, now: datetime, until: datetime
) -> int:
    """Rows of `channels` that failed and wait until the route's retry (`until`) or sooner, due
    now; pending ones are sent and `sending` ones (maybe posted) looked for in the next drain.
    A row whose own backoff ends later keeps it, and one never tried (held for quiet hours or an
    update's interval, no error recorded) keeps its time. Returns how many."""
    cursor = db.execute(
        "UPDATE deliveries SET next_attempt_at = ? WHERE state IN ('pending', 'sending')"
        " AND last_error IS NOT NULL AND next_attempt_at > ? AND next_attempt_at <= ?"
        " AND channel_pk IN (SELECT value FROM json_each(?))",
        [iso(now), iso(now), iso(until), json.dumps(sorted(channels))],
    )
    return cursor.rowcount
