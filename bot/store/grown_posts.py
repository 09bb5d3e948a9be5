"""Posts that may be due an update: stories that grew after a channel was shown them.

The update planner (`bot.runner.digests`) asks after every poll which sent posts' stories now
have more independent sources, or an outlet the channel was not shown; at start, `catch_up` asks
which posted stories changed after their post while the bot was down, and a resumed channel which
of its posted stories changed while it was paused. Both read the outbox's
sent rows (`deliveries`) beside the stories; an edit of a card (`card_refreshes`) is not one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

import sqlite_utils

from bot.store.channels import MUTED
from bot.store.database import iso


def grown_posts(db: sqlite_utils.Database, story_ids: Iterable[str]) -> list[tuple[str, int]]:
    """(story, channel) pairs where the story now has more independent sources than the channel
    was last shown, or an outlet it was not shown (the caller decides whether that outlet adds
    anything, see `bot.delivery.updates`); no update is already waiting, and the channel has not
    muted the story."""
    ids = list(story_ids)
    if not ids:
        return []
    # The ids go as one JSON array: a poll pass over a big backlog touches more stories than
    # SQLite takes parameters in one statement.
    rows = db.execute(
        """
        SELECT d.story_id, d.channel_pk FROM deliveries d
        JOIN stories s ON s.id = d.story_id
        WHERE d.kind = 'story' AND d.state = 'sent'
          AND d.story_id IN (SELECT value FROM json_each(?))
          AND (s.source_count > (
              SELECT l.source_count FROM deliveries l
              WHERE l.story_id = d.story_id AND l.channel_pk = d.channel_pk AND l.state = 'sent'
                AND l.kind != 'refresh'
              ORDER BY l.sent_at DESC, l.id DESC LIMIT 1)
            OR EXISTS (
              SELECT 1 FROM articles a WHERE a.story_id = d.story_id AND a.source NOT IN (
                  SELECT value FROM json_each(COALESCE((
                      SELECT l.outlets FROM deliveries l
                      WHERE l.story_id = d.story_id AND l.channel_pk = d.channel_pk
                        AND l.state = 'sent' AND l.kind != 'refresh'
                      ORDER BY l.sent_at DESC, l.id DESC LIMIT 1), '[]')))))
          AND NOT EXISTS (
              SELECT 1 FROM deliveries u
              WHERE u.story_id = d.story_id AND u.channel_pk = d.channel_pk
                AND u.kind = 'update' AND u.state IN ('pending', 'sending'))
          AND NOT {MUTED}
        ORDER BY d.id
        """.replace("{MUTED}", MUTED),
        [json.dumps(ids)],
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def posted_stories_changed_since(
    db: sqlite_utils.Database, since: datetime, *, channel_pk: int | None = None
) -> list[str]:
    """Stories posted to some channel (with `channel_pk`, to that one) that changed at or after
    `since` and after their post: the candidates for updates the planner did not queue, because
    a crash kept it from running or the channel was paused when they grew."""
    only_channel = "" if channel_pk is None else " AND d.channel_pk = ?"
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT d.story_id FROM deliveries d JOIN stories s ON s.id = d.story_id"
            " WHERE d.kind = 'story' AND d.state = 'sent' AND s.last_updated >= ?"
            f" AND s.last_updated > d.sent_at{only_channel} ORDER BY d.story_id",
            [iso(since)] if channel_pk is None else [iso(since), channel_pk],
        )
    ]
