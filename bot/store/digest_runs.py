"""The `digest_runs` table: the last digest slot each channel got, so a restart can tell a missed
digest from one already sent.

A channel signed up in chat has its first run (a baseline: no slot before it is owed) recorded
with its row (`record_first_run`), not at the runner's next job sync: a restart within that minute
found no run, took the restart itself as the first, and the slots missed while the bot was down
were never caught up. The job sync and the start's catch-up still record one for a channel that
has none (made at a start by the config file, or an upgrade's older rows). A sign-up straight into
instant mode (`/watchlist mode instant` as a channel's first command) has none: its switch to
digest mode records the first run then."""

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


def record_first_run(db: sqlite_utils.Database, channel_pk: int, *, at: datetime) -> None:
    """The channel's first digest run, as of `at` (its sign-up, or its switch to digest mode):
    the slots of its schedule from then are its to catch up after a restart. A run already
    recorded is kept: it is later, or a digest the channel had."""
    db.execute(
        "INSERT INTO digest_runs (channel_pk, scheduled_for, ran_at, stories) VALUES (?, ?, ?, 0)"
        " ON CONFLICT(channel_pk) DO NOTHING",
        [channel_pk, iso(at), iso(at)],
    )


def forget_first_run(db: sqlite_utils.Database, channel_pk: int) -> None:
    """The channel's first run taken back while it is still that (no digest has run since): a
    sign-up straight into instant mode, which has no digest slots owed. Within the caller's
    transaction."""
    db.execute(
        "DELETE FROM digest_runs WHERE channel_pk = ? AND stories = 0 AND ran_at = scheduled_for",
        [channel_pk],
    )


def last_digest_ran_at(db: sqlite_utils.Database, channel_pk: int) -> datetime | None:
    """When the channel's last digest was queued: what it listed was what had arrived by then."""
    row = db.execute("SELECT ran_at FROM digest_runs WHERE channel_pk = ?", [channel_pk]).fetchone()
    return parse_iso(row[0]) if row else None
