"""A story's post and its thread updates, queued: the outbox's new rows (`bot.store.deliveries`
holds them, their state changes and the queries on them).

A story has one top-level post per channel, ever (the unique index on story and channel of the
'story' rows), and at most one thread update waiting at a time. A row queued for quiet hours (`not_before`)
is released then: it goes stale from that moment, not from when it was queued.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlite_utils

from bot.store.database import iso
from bot.store.durable import durable
from bot.store.schema_v2 import add_column
from bot.store.stale import STALE_CARD


def new_nonce() -> str:
    # Discord accepts nonces of at most 25 characters; 20 hex digits are plenty unique.
    return secrets.token_hex(10)


def enqueue_story(
    db: sqlite_utils.Database,
    story_id: str,
    channel_pk: int,
    *,
    now: datetime,
    not_before: datetime | None = None,
) -> bool:
    """A pending top-level post. False if the channel already has (or had) this story: the unique
    index on (story, channel) is what guarantees a channel never gets a story twice."""
    return queue_story(db, story_id, channel_pk, now=now, not_before=not_before) is not None


def queue_story(
    db: sqlite_utils.Database,
    story_id: str,
    channel_pk: int,
    *,
    now: datetime,
    not_before: datetime | None = None,
) -> int | None:
    """`enqueue_story`, returning the new row's id (None if the channel has or had the story).
    A card of the story given up as stale never went out: it is replaced (see
    `bot.store.stale`)."""
    db.execute(
        f"DELETE FROM deliveries WHERE story_id = ? AND channel_pk = ? AND {STALE_CARD}",
        [story_id, channel_pk],
    )
    cursor = db.execute(
        "INSERT OR IGNORE INTO deliveries (story_id, channel_pk, kind, state, nonce,"
        " next_attempt_at, release_at, created_at, updated_at)"
        " VALUES (?, ?, 'story', 'pending', ?, ?, ?, ?, ?)",
        [story_id, channel_pk, new_nonce(), *_times(now, not_before)],
    )
    return cursor.lastrowid if cursor.rowcount > 0 else None


def enqueue_update(
    db: sqlite_utils.Database,
    story_id: str,
    channel_pk: int,
    *,
    now: datetime,
    not_before: datetime | None,
) -> bool:
    """A pending thread update, unless one is already waiting (it will show the latest state)."""
    waiting = db.execute(
        "SELECT 1 FROM deliveries WHERE story_id = ? AND channel_pk = ? AND kind = 'update'"
        " AND state IN ('pending', 'sending')",
        [story_id, channel_pk],
    ).fetchone()
    if waiting:
        return False
    db.execute(
        "INSERT INTO deliveries (story_id, channel_pk, kind, state, nonce, next_attempt_at,"
        " release_at, created_at, updated_at) VALUES (?, ?, 'update', 'pending', ?, ?, ?, ?, ?)",
        [story_id, channel_pk, new_nonce(), *_times(now, not_before)],
    )
    return True


def return_to_digest_pool(db: sqlite_utils.Database, channel_pk: int) -> int:
    """A channel switched from instant to digest mode: the story posts instant passes queued for
    it and not yet sent (due, or held for quiet hours, a retry or a rate limit) are deleted, not
    sent: the outbox reads the mode when it sends, so they would go out at once under a digest
    heading, ahead of the schedule. Deleted rather than failed, they leave their stories
    undelivered to the channel (a failed row marks a story delivered for good), so its next
    digest chooses among them; their topic matches, given by those rows, go with them. A row
    being sent is left alone: it may have landed. It is marked (`to_pool`), so that if it did
    not (a retry, a crash judged unsent) it is returned when it goes back to pending
    (`return_unsent`), not posted at once. Call inside the mode change's transaction. Returns
    how many were returned."""
    db.execute(
        "UPDATE deliveries SET to_pool = 1 WHERE channel_pk = ? AND kind = 'story'"
        " AND state = 'sending'",
        [channel_pk],
    )
    cursor = db.execute(
        "DELETE FROM deliveries WHERE channel_pk = ? AND kind = 'story' AND state = 'pending'",
        [channel_pk],
    )
    return cursor.rowcount


def return_unsent(db: sqlite_utils.Database, row_id: int) -> None:
    """A row back to pending that was an instant post in flight at a switch to digest mode
    (`return_to_digest_pool`): deleted, so its story waits for the channel's next digest, as the
    posts waiting at the switch do, rather than go out at once ahead of the schedule. Left if
    the channel is back in instant mode, where it goes out as any instant post does."""
    db.execute(
        "DELETE FROM deliveries WHERE id = ? AND state = 'pending' AND to_pool = 1"
        " AND channel_pk IN (SELECT id FROM channels WHERE mode = 'digest')",
        [row_id],
    )


def give_up_unsent(db: sqlite_utils.Database, row_id: int, *, now: datetime, error: str) -> bool:
    """A row out of attempts that surely did not post (refused, or looked for and not there):
    failed, but for an instant post in flight at a switch to digest mode, which is deleted, as
    `return_unsent` deletes it at any earlier retry, so its story waits for the next digest:
    failed, it would mark the story delivered to the channel for good, never posted there. Left
    in instant mode again, it fails as any instant post does. Whether it was returned."""
    with durable(db):
        cursor = db.execute(
            "DELETE FROM deliveries WHERE id = ? AND to_pool = 1"
            " AND channel_pk IN (SELECT id FROM channels WHERE mode = 'digest')",
            [row_id],
        )
        if cursor.rowcount:
            return True
        db.execute(
            "UPDATE deliveries SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
            [error, iso(now), row_id],
        )
    return False


def m046_instant_posts_in_flight(db: sqlite_utils.Database) -> None:
    # 1: an instant post being sent when its channel switched to digest mode (`to_pool`).
    add_column(db, "deliveries", "to_pool", "INTEGER NOT NULL DEFAULT 0")


def _times(now: datetime, not_before: datetime | None) -> list[str | None]:
    """A new row's next_attempt_at, release_at, created_at and updated_at."""
    release = max(now, not_before) if not_before is not None else now
    return [iso(not_before), iso(release), iso(now), iso(now)]
