"""The `deliveries` table, the delivery outbox: story posts and their thread updates, one row per
story, channel and kind, their state changes and the queries on them.

A delivery row moves pending -> sending -> sent | failed. Every state change that brackets a chat
API call is committed with `synchronous = FULL` (see `bot.store.durable`), so after a power cut or
SIGKILL the row says truthfully whether a send may have started. Which rows are due, and when the
next one comes due, is `bot.store.due_rows`; how a post or an update is queued,
`bot.store.queued_posts`; notices live in `bot.store.alerts`, the last digest each channel got in
`bot.store.digest_runs`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from bot.store.database import iso, parse_iso
from bot.store.durable import durable

# Rows are created by `bot.store.queued_posts`; these names stay here for the callers that queue
# through this module.
from bot.store.queued_posts import enqueue_story as enqueue_story
from bot.store.queued_posts import enqueue_update as enqueue_update
from bot.store.queued_posts import new_nonce as new_nonce
from bot.store.queued_posts import queue_story as queue_story
from bot.store.queued_posts import return_unsent

STATES = ("pending", "sending", "sent", "failed")


@dataclass(slots=True)
class DeliveryRow:
    id: int
    story_id: str
    channel_pk: int
    kind: str
    state: str
    nonce: str
    attempts: int
    next_attempt_at: datetime | None
    message_ref: str | None
    thread_ref: str | None
    source_count: int
    outlets: list[str]
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime | None = None
    # When the row was first meant to go out: its quiet-hours hold's or update interval's end, or
    # when it was queued. The stale rule counts from here, so a deliberate hold is never the
    # reason a row is dropped (`bot.store.stale`).
    release_at: datetime | None = None
    # Sends the platform did not take or answer (unreachable, 5xx, rate limited) while its route
    # was otherwise up: they use no attempt, only lengthen the row's own wait. Failures while the
    # route was already down are the outage's and not counted (`bot.delivery.failures._row_wait`).
    waits: int = 0
    # The headline the card was sent with: its edits keep it (`bot.delivery.prepare`).
    headline: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> DeliveryRow:
        return cls(
            id=row["id"],
            story_id=row["story_id"],
            channel_pk=row["channel_pk"],
            kind=row["kind"],
            state=row["state"],
            nonce=row["nonce"],
            attempts=row["attempts"],
            next_attempt_at=parse_iso(row["next_attempt_at"]),
            message_ref=row["message_ref"],
            thread_ref=row["thread_ref"],
            source_count=row["source_count"],
            outlets=json.loads(row["outlets"]) if row["outlets"] else [],
            last_error=row["last_error"],
            sent_at=parse_iso(row["sent_at"]),
            created_at=parse_iso(row["created_at"]),
            release_at=parse_iso(row.get("release_at")),
            waits=row.get("waits") or 0,
            headline=row.get("headline"),
        )


def _rows(db: sqlite_utils.Database, sql: str, params: Iterable[Any] = ()) -> list[DeliveryRow]:
    return [DeliveryRow.from_row(r) for r in db.execute_returning_dicts(sql, list(params))]


def get(db: sqlite_utils.Database, row_id: int) -> DeliveryRow | None:
    found = _rows(db, "SELECT * FROM deliveries WHERE id = ?", [row_id])
    return found[0] if found else None


# --- state changes around an API call ---------------------------------------------------------


def count_attempt(db: sqlite_utils.Database, row_id: int, *, now: datetime) -> int:
    """An attempt that failed before the claim (building the card); returns the new count."""
    db.execute(
        "UPDATE deliveries SET attempts = attempts + 1, updated_at = ? WHERE id = ?",
        [iso(now), row_id],
    )
    row = db.execute("SELECT attempts FROM deliveries WHERE id = ?", [row_id]).fetchone()
    return int(row[0]) if row else 0


def claim(
    db: sqlite_utils.Database,
    row_id: int,
    now: datetime,
    *,
    source_count: int | None = None,
    outlets: list[str] | None = None,
    headline: str | None = None,
) -> DeliveryRow | None:
    """pending -> sending, durably, before the API call. None if someone else moved it first.

    The count, outlets and headline of the card about to be sent are stored with the claim: if
    the send has to be reconciled later, what the channel was shown is this card, not the story
    by then."""
    with durable(db):
        cursor = db.execute(
            "UPDATE deliveries SET state = 'sending', attempts = attempts + 1,"
            " source_count = COALESCE(?, source_count), outlets = COALESCE(?, outlets),"
            " headline = COALESCE(?, headline), updated_at = ? WHERE id = ? AND state = 'pending'",
            [
                source_count,
                json.dumps(outlets) if outlets is not None else None,
                headline,
                iso(now),
                row_id,
            ],
        )
    return get(db, row_id) if cursor.rowcount else None


def mark_sent(
    db: sqlite_utils.Database,
    row_id: int,
    *,
    message_ref: str | None,
    thread_ref: str | None,
    source_count: int,
    outlets: list[str],
    now: datetime,
) -> None:
    with durable(db):
        db.execute(
            "UPDATE deliveries SET state = 'sent', message_ref = ?, thread_ref = ?,"
            " source_count = ?, outlets = ?, last_error = NULL, sent_at = ?, updated_at = ?"
            " WHERE id = ?",
            [
                message_ref,
                thread_ref,
                source_count,
                json.dumps(outlets),
                iso(now),
                iso(now),
                row_id,
            ],
        )


def release(
    db: sqlite_utils.Database,
    row_id: int,
    *,
    now: datetime,
    next_attempt_at: datetime | None,
    error: str | None = None,
) -> None:
    """Back to pending (a retry later, a paused channel, or a crash reconciled as not sent);
    an instant post in flight at a switch to digest mode is deleted instead (`return_unsent`)."""
    with durable(db):
        db.execute(
            "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, last_error = ?,"
            " updated_at = ? WHERE id = ?",
            [iso(next_attempt_at), error, iso(now), row_id],
        )
        return_unsent(db, row_id)


def unclaim(
    db: sqlite_utils.Database,
    row_id: int,
    *,
    now: datetime,
    next_attempt_at: datetime | None,
    error: str,
    waited: bool = True,
) -> None:
    """Back to pending without using up the attempt (the platform, not the row, was at fault),
    counted as one more wait (`DeliveryRow.waits`) if `waited`; deleted as `release` says."""
    with durable(db):
        db.execute(
            "UPDATE deliveries SET state = 'pending', attempts = MAX(attempts - 1, 0),"
            " waits = waits + ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
            [int(waited), iso(next_attempt_at), error, iso(now), row_id],
        )
        return_unsent(db, row_id)


def hold_sending(
    db: sqlite_utils.Database,
    row_id: int,
    *,
    now: datetime,
    check_at: datetime,
    error: str,
    attempts: int = 0,
    waited: bool = False,
) -> None:
    """The send failed in a way that may still have posted (a timeout): stay `sending`, so the
    next drain after `check_at` looks for the message before anything is resent. `attempts`
    adjusts the count: +1 for a failed check of such a row, which has no claim of its own to
    count it; -1 to give back the claim's attempt when the platform, not the row, was at fault.
    `waited` counts one more of the row's own waits (`DeliveryRow.waits`)."""
    with durable(db):
        db.execute(
            "UPDATE deliveries SET next_attempt_at = ?, last_error = ?, updated_at = ?,"
            " attempts = MAX(attempts + ?, 0), waits = waits + ? WHERE id = ? AND state = 'sending'",
            [iso(check_at), error, iso(now), attempts, int(waited), row_id],
        )


def hold(db: sqlite_utils.Database, row_id: int, *, now: datetime, until: datetime) -> None:
    """Back to pending until `until`, the end of the channel's quiet hours. A row that has not
    been tried yet was meant to go out then, so its stale clock starts there too; a row that has
    failed keeps its own, or a platform failing for days would hold it past every night.

    Only a row still pending is held: the drain that meets quiet hours may already have settled
    some of its rows (a digest's are prepared before its heading), and a row given up on, muted
    or sent must stay so."""
    with durable(db):
        db.execute(
            "UPDATE deliveries SET next_attempt_at = ?, last_error = NULL,"
            " updated_at = ?, release_at = CASE WHEN attempts = 0 AND waits = 0"
            " THEN MAX(COALESCE(release_at, created_at), ?) ELSE release_at END"
            " WHERE id = ? AND state = 'pending'",
            [iso(until), iso(now), iso(until), row_id],
        )


def postpone(db: sqlite_utils.Database, row_id: int, *, now: datetime, until: datetime) -> None:
    """A pending row not tried before `until` (its platform rate limits the call it needs): no
    attempt, no wait of its own and no stale clock change, since it was never sent. Only ever
    later, and only a row still pending."""
    with durable(db):
        db.execute(
            "UPDATE deliveries SET next_attempt_at = MAX(COALESCE(next_attempt_at, ?), ?),"
            " updated_at = ? WHERE id = ? AND state = 'pending'",
            [iso(until), iso(until), iso(now), row_id],
        )


def postpone_posts(
    db: sqlite_utils.Database,
    channel_pk: int,
    *,
    from_id: int,
    story_id: str | None,
    now: datetime,
    until: datetime,
) -> None:
    """`postpone` for every pending row of the channel from `from_id` on that posts to the same
    place: its cards, or with `story_id` that story's updates (its thread). None of them goes
    out before a post put off ahead of it, so a place's messages keep their queued order; an
    edit of a posted card (`card_refreshes.REFRESH`) shows in no order and goes on."""
    if story_id is None:
        place, args = "kind = 'story'", []
    else:
        place, args = "kind = 'update' AND story_id = ?", [story_id]
    with durable(db):
        db.execute(
            "UPDATE deliveries SET next_attempt_at = MAX(COALESCE(next_attempt_at, ?), ?),"
            " updated_at = ? WHERE channel_pk = ? AND id >= ? AND state = 'pending'"
            f" AND {place}",
            [iso(until), iso(until), iso(now), channel_pk, from_id, *args],
        )


def mark_failed(db: sqlite_utils.Database, row_id: int, *, now: datetime, error: str) -> None:
    with durable(db):
        db.execute(
            "UPDATE deliveries SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
            [error, iso(now), row_id],
        )


def repoint(db: sqlite_utils.Database, row_id: int, story_id: str) -> None:
    """Move a row to the story its own story was merged into."""
    with durable(db):
        db.execute(
            "UPDATE deliveries SET story_id = ? WHERE id = ?",
            [story_id, row_id],
        )


def delete(db: sqlite_utils.Database, row_id: int) -> None:
    with durable(db):
        db.execute("DELETE FROM deliveries WHERE id = ?", [row_id])


# --- queries ----------------------------------------------------------------------------------


def in_state(db: sqlite_utils.Database, state: str) -> list[DeliveryRow]:
    return _rows(db, "SELECT * FROM deliveries WHERE state = ? ORDER BY id", [state])


def story_post(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> DeliveryRow | None:
    found = _rows(
        db,
        "SELECT * FROM deliveries WHERE story_id = ? AND channel_pk = ? AND kind = 'story'",
        [story_id, channel_pk],
    )
    return found[0] if found else None


def last_sent(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> DeliveryRow | None:
    """The most recent post or update of this story that reached the channel (an edit of its
    card, `bot.store.card_refreshes`, shows no news of its own)."""
    found = _rows(
        db,
        "SELECT * FROM deliveries WHERE story_id = ? AND channel_pk = ? AND state = 'sent'"
        " AND kind != 'refresh' ORDER BY sent_at DESC, id DESC LIMIT 1",
        [story_id, channel_pk],
    )
    return found[0] if found else None


def ever_queued(db: sqlite_utils.Database, channel_pk: int) -> bool:
    """Whether any story was ever queued for the channel (by a digest or at once), sent or not."""
    sql = "SELECT 1 FROM deliveries WHERE channel_pk = ? LIMIT 1"
    return db.execute(sql, [channel_pk]).fetchone() is not None


# The states of a row still to be sent: `deliveries_unfinished` (migration 42) indexes them alone.
UNFINISHED = ("pending", "sending")
UNFINISHED_SQL = "state IN ('pending', 'sending')"  # as the index's WHERE has it, so it serves
