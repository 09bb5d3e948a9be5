"""The `counted_stories` table: the stories a channel's digest only counted ("…and 3 more"),
with no line of their own in its list (`bot.runner.overflow`: at most `MAX_LISTED` lines).

Counting a story showed nothing of it, and the next digest's lines went to newer stories: on a
busy week a story could match digest after digest and never be seen. A story counted here is
listed ahead of the newer ones by the channel's next digest (its `/digest` too) while it still
matches there, without a card; its row goes once a notice lists it. Rows go with their channel
and with their story (retention deletes old stories), by foreign key. A story counts as counted
if a story merged into it was (`stories.merged_into`, which always names the survivor).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlite_utils

from bot.store.database import iso


def create_counted_stories(db: sqlite_utils.Database) -> None:
    """Migration 37's body."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS counted_stories ("
        " channel_pk INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
        " story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
        " counted_at TEXT NOT NULL,"
        " PRIMARY KEY (channel_pk, story_id))"
    )


def counted_before(
    db: sqlite_utils.Database, channel_pk: int, story_ids: Sequence[str]
) -> set[str]:
    """Of `story_ids`, those an earlier digest of the channel counted without listing."""
    if not story_ids:
        return set()
    rows = db.execute(
        "WITH wanted(id) AS (SELECT value FROM json_each(?)),"
        " members(root, id) AS (SELECT id, id FROM wanted"
        " UNION ALL SELECT s.merged_into, s.id FROM stories s"
        " WHERE s.merged_into IN (SELECT id FROM wanted))"
        " SELECT DISTINCT m.root FROM members m"
        " JOIN counted_stories c ON c.channel_pk = ? AND c.story_id = m.id",
        [json.dumps(list(story_ids)), channel_pk],
    ).fetchall()
    return {row[0] for row in rows}


def record_counted(
    db: sqlite_utils.Database,
    channel_pk: int,
    *,
    counted: Iterable[str],
    listed: Iterable[str],
    now: datetime,
) -> None:
    """A digest's list: the stories it `counted` only, and those it `listed` (no longer waiting
    for a line, nor the stories merged into them); the caller holds the write transaction."""
    db.conn.executemany(
        "INSERT INTO counted_stories (channel_pk, story_id, counted_at) VALUES (?, ?, ?)"
        " ON CONFLICT(channel_pk, story_id) DO NOTHING",
        [(channel_pk, story_id, iso(now)) for story_id in counted],
    )
    db.execute(
        "WITH gone(id) AS (SELECT value FROM json_each(?))"
        " DELETE FROM counted_stories WHERE channel_pk = ? AND story_id IN ("
        " SELECT id FROM gone UNION SELECT id FROM stories WHERE merged_into IN gone)",
        [json.dumps(list(listed)), channel_pk],
    )
