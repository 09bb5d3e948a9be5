"""The `digest_runs` table: the last digest slot each channel got, so a restart can tell a missed
digest from one already sent.

A channel signed up in chat has its first run (a baseline: no slot before it is owed) recorded
with its row (`record_first_run`), not at the runner's next job sync: a restart within that minute
found no run, took the restart itself as the first, and the slots missed while the bot was down
were never caught up. The job sync and the start's catch-up still record one for a channel that
has none (made at a start by the config file, or an upgrade's older rows). A sign-up straight into
instant mode (`/watchlist mode instant` as a channel's first command) has none: its switch to
digest mode records the first run then.

A baseline is no digest: its row has `stories` BASELINE (-1), so `status` tells it from a digest
of no card (a `/digest` that found nothing new wrote `stories` 0 at `scheduled_for == ran_at`, the
shape baselines had, and `status` went back to "never"). Rows an older version wrote keep that
shape and are read as digests: a channel with no digest since such a baseline shows the baseline's
time as its last digest until its first digest.

A scheduled slot skipped because an earlier digest is held for the quiet hours is marked covered
(`mark_slot_covered`): `scheduled_for` moves on to it and `ran_at` stays the held digest's. A
restart's catch-up read the slot as missed and posted a second digest, carding the stories the
held one had only listed."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.store.database import iso, parse_iso

# The `stories` of a baseline: the channel's first run, no digest (`record_baseline`).
BASELINE = -1


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
        "INSERT INTO digest_runs (channel_pk, scheduled_for, ran_at, stories) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(channel_pk) DO NOTHING",
        [channel_pk, iso(at), iso(at), BASELINE],
    )


def record_baseline(db: sqlite_utils.Database, channel_pk: int, *, at: datetime) -> None:
    """A baseline as the channel's run, replacing any (the job sync and the start's catch-up
    write one only for a channel with none): slots from `at` on are owed, none before."""
    record_digest_run(db, channel_pk, scheduled_for=at, now=at, stories=BASELINE)


def mark_slot_covered(db: sqlite_utils.Database, channel_pk: int, *, slot: datetime) -> None:
    """The scheduled `slot` taken as done, without a digest of its own: a digest queued earlier
    in the same quiet hours is held, and goes out when they end with what the slot would have
    had. `ran_at` (and so what the next digest counts as new to the channel) stays that
    digest's; the next digest's window starts there too (`digest_window_start`)."""
    db.execute(
        "UPDATE digest_runs SET scheduled_for = ? WHERE channel_pk = ? AND scheduled_for < ?",
        [iso(slot), channel_pk, iso(slot)],
    )


def digest_window_start(db: sqlite_utils.Database, channel_pk: int) -> datetime | None:
    """Where the channel's next digest window starts: its last run's slot, or when it ran if
    that was earlier (a slot marked covered by a held digest queued before it: the stories
    from then to the slot were in no digest)."""
    row = db.execute(
        "SELECT MIN(scheduled_for, ran_at) FROM digest_runs WHERE channel_pk = ?", [channel_pk]
    ).fetchone()
    return parse_iso(row[0]) if row else None


def forget_first_run(db: sqlite_utils.Database, channel_pk: int) -> None:
    """The channel's first run taken back while it is still that (no digest has run since): a
    sign-up straight into instant mode, which has no digest slots owed. Within the caller's
    transaction."""
    db.execute(
        "DELETE FROM digest_runs WHERE channel_pk = ?"
        " AND (stories = ? OR stories = 0 AND ran_at = scheduled_for)",
        [channel_pk, BASELINE],
    )


def last_digest_ran_at(db: sqlite_utils.Database, channel_pk: int) -> datetime | None:
    """When the channel's last digest was queued: what it listed was what had arrived by then."""
    row = db.execute("SELECT ran_at FROM digest_runs WHERE channel_pk = ?", [channel_pk]).fetchone()
    return parse_iso(row[0]) if row else None
