"""The `digest_runs` table: the last digest slot each channel got, so a restart can tell a missed
digest from one already sent."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.store.database import iso, parse_iso


def last_digest_run(db: sqlite_utils.Database, channel_pk: int) -> datetime | None:
    row = db.execute(
        "SELECT scheduled_for FROM digest_runs WHERE channel_pk = ?", [channel_pk]
    ).fetchone()
    return parse_iso(row[0]) if row else None


def record_digest_run(
    db: sqlite_utils.Database,
    channel_pk: int,
    *,
    scheduled_for: datetime,
    now: datetime,
    stories: int,
) -> None:
    db.execute(
        "INSERT INTO digest_runs (channel_pk, scheduled_for, ran_at, stories) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(channel_pk) DO UPDATE SET scheduled_for = excluded.scheduled_for,"
        " ran_at = excluded.ran_at, stories = excluded.stories",
        [channel_pk, iso(scheduled_for), iso(now), stories],
    )


def last_digest_ran_at(db: sqlite_utils.Database, channel_pk: int) -> datetime | None:
    """When the channel's last digest was queued: what it listed was what had arrived by then."""
    row = db.execute("SELECT ran_at FROM digest_runs WHERE channel_pk = ?", [channel_pk]).fetchone()
    return parse_iso(row[0]) if row else None
