"""The `listed_stories` table: the stories a channel's digests listed after their cards
(`bot.runner.overflow`), each with the independent sources it had when last listed.

A story listed once is not listed again by the next digest unless it has gained sources since:
on a busy week the same backlog was listed digest after digest. A listing is no delivery (the
outbox's `deliveries` are): a listed story may still get its one card. Rows go with their
channel and with their story (retention deletes old stories), by foreign key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlite_utils

from bot.store.database import iso


def create_listed_stories(db: sqlite_utils.Database) -> None:
    """Migration 33's body."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS listed_stories ("
        " channel_pk INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
        " story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
        " sources INTEGER NOT NULL,"
        " listed_at TEXT NOT NULL,"
        " PRIMARY KEY (channel_pk, story_id))"
    )


def listed_sources(
    db: sqlite_utils.Database, channel_pk: int, story_ids: Sequence[str]
) -> dict[str, int]:
    """Of `story_ids`, those listed to the channel before: the sources each had then."""
    if not story_ids:
        return {}
    rows = db.execute(
        "SELECT story_id, sources FROM listed_stories WHERE channel_pk = ?"
        " AND story_id IN (SELECT value FROM json_each(?))",
        [channel_pk, json.dumps(list(story_ids))],
    ).fetchall()
    return {story_id: sources for story_id, sources in rows}


def record_listed(
    db: sqlite_utils.Database,
    channel_pk: int,
    listed: Iterable[tuple[str, int]],
    *,
    now: datetime,
) -> None:
    """Record (story, sources) pairs as listed to the channel at `now`; the caller holds the
    write transaction (the digest's, with the notice that lists them)."""
    db.conn.executemany(
        "INSERT INTO listed_stories (channel_pk, story_id, sources, listed_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(channel_pk, story_id) DO UPDATE SET sources = excluded.sources,"
        " listed_at = excluded.listed_at",
        [(channel_pk, story_id, sources, iso(now)) for story_id, sources in listed],
    )
