"""Posts that may be due an update: stories that grew after a channel was shown them, and what
the planner paces them by (a thread's sent replies, what its card shows now).

The update planner (`bot.runner.update_planner`) asks after every poll which sent posts' stories now
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
from bot.store.database import iso, parse_iso
from bot.store.deliveries import DeliveryRow


def grown_posts(db: sqlite_utils.Database, story_ids: Iterable[str]) -> list[tuple[str, int]]:
    """(story, channel) pairs where the story now has more independent sources than the channel
    was last shown, or an outlet it was not shown (the caller decides whether that outlet adds
    anything, see `bot.delivery.updates`), and the channel has not muted the story. A pair whose
    update is already waiting is one too: the card may still need an edit while it waits."""
    ids = list(story_ids)
    if not ids:
        return []
    # The ids go as one JSON array: a poll pass over a big backlog touches more stories than
    # SQLite takes parameters in one statement. The posts are found by their stories: `+` keeps
    # SQLite from reaching them through `deliveries_state`, every sent post there ever was (this
    # runs after every poll and every post, on the event loop).
    rows = db.execute(
        """
        SELECT d.story_id, d.channel_pk FROM deliveries d
        JOIN stories s ON s.id = d.story_id
        WHERE d.kind = 'story' AND +d.state = 'sent'
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
    # From the stories changed since (`stories_last_updated`, a window's worth) to their posts,
    # in that order (CROSS JOIN), and not through `deliveries_state` (`+`): every post ever sent.
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT d.story_id FROM stories s CROSS JOIN deliveries d ON d.story_id = s.id"
            " WHERE s.last_updated >= ? AND d.kind = 'story' AND +d.state = 'sent'"
            f" AND s.last_updated > d.sent_at{only_channel} ORDER BY d.story_id",
            [iso(since)] if channel_pk is None else [iso(since), channel_pk],
        )
    ]


def sent_replies(
    db: sqlite_utils.Database, story_id: str, channel_pk: int
) -> list[tuple[datetime, datetime]]:
    """The story's thread replies the channel got, oldest first: (when first queued, when sent),
    what `bot.delivery.update_pacing` paces the next one by."""
    rows = db.execute(
        "SELECT created_at, sent_at FROM deliveries WHERE story_id = ? AND channel_pk = ?"
        " AND kind = 'update' AND state = 'sent' ORDER BY sent_at, id",
        [story_id, channel_pk],
    ).fetchall()
    found = []
    for queued, sent in rows:
        at = parse_iso(sent)
        if at is not None:
            found.append((parse_iso(queued) or at, at))
    return found


def waiting_update(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> DeliveryRow | None:
    """The story's update queued for the channel and not sent yet (its gap, quiet hours)."""
    found = db.execute_returning_dicts(
        "SELECT * FROM deliveries WHERE story_id = ? AND channel_pk = ? AND kind = 'update'"
        " AND state IN ('pending', 'sending') LIMIT 1",
        [story_id, channel_pk],
    )
    return DeliveryRow.from_row(found[0]) if found else None


def card_shows(db: sqlite_utils.Database, story_id: str, channel_pk: int) -> DeliveryRow | None:
    """The last thing sent that set the story's card in the channel: its post, a reply (which
    edits the card too) or an edit of its own (`card_refreshes`)."""
    found = db.execute_returning_dicts(
        "SELECT * FROM deliveries WHERE story_id = ? AND channel_pk = ? AND state = 'sent'"
        " ORDER BY sent_at DESC, id DESC LIMIT 1",
        [story_id, channel_pk],
    )
    return DeliveryRow.from_row(found[0]) if found else None
