"""The `counted_stories` table: the stories a channel's digest only counted ("…and 3 more"),
with no line of their own in its list (`bot.runner.overflow`: at most `MAX_LISTED` lines).

Counting a story showed nothing of it, and the next digest's lines went to newer stories: on a
busy week a story could match digest after digest and never be seen. A story counted here is
listed ahead of the newer ones by the channel's next digests (its `/digest` too), the longest
waiting first, while it still matches there, without a card and not muted; it is in their pool
(`waiting`) even when it has not been updated within their window (then for a line only, never
a card), for up to `bot.pipeline.digest.MAX_LOOKBACK` (8 days) after it was first counted,
after which its row goes (`forget_settled`), so a weekly channel's next digest still lists it.
A story that waited that long without a line is not dropped silently: the digest that drops it
counts it in its notice (`expiring`, `bot.runner.backlog`).
A row is settled once a later notice lists the story (or the story it was merged into), as
`listed_stories` counts a listing: a pending notice settles it (it will go out), a failed one does
not (the story is listed first again), and the row goes once that notice is sent. Rows go with their
channel and with their story (retention deletes old stories), by foreign key. A story counts as
counted if a story merged into it was (`stories.merged_into`, which always names the survivor).

An instant pass's notice of the stories beyond its limit ("...and 20 more") counts them here too,
and its listing rows (`listed_stories.INSTANT_COUNT_KEY`, kept so an instant pass gives them no
card unless they grow) settle no count: back in digest mode, the channel's next digest lists
them first, and a story a digest counted before the switch still waits for its line, where the
instant notice's count had settled it for good. Instant mode itself gives a story a digest only
counted its card, if it qualifies: a count showed nothing of it.

A story a failed notice listed (stale after a long pause, out of attempts) waits the same way,
from when it was listed (`_WAITS`), whether that notice was the list or the backlog's message, and
whether or not a digest counted it before: it never reached the channel, and a story listed
fresh is in no later digest's window on its own (a weekly channel's next digest starts after it),
so it would otherwise be lost without a word. Its listing row is its waiting row: a later notice
listing it replaces it; it goes once it has waited `MAX_LOOKBACK` (`forget_settled`), and
becomes a row here if retention deletes its notice first (`listed_stories.forget_notices`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlite_utils

from bot.store.database import iso
from bot.store.listed_stories import INSTANT_COUNT_KEY


def create_counted_stories(db: sqlite_utils.Database) -> None:
    """Migration 37's body."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS counted_stories ("
        " channel_pk INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
        " story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
        " counted_at TEXT NOT NULL,"
        " PRIMARY KEY (channel_pk, story_id))"
    )


# The counted row `c` is settled by a listing of its story, or of the story it was merged into,
# made after it was counted by a notice in the state `{ok}` allows (`listed_stories`'s rule: a
# listing whose notice is gone, NULL, was sent).
# An instant pass's notice counts the stories beyond its limit (`listed_stories.INSTANT_COUNT_KEY`)
# without a line: it settles nothing.
_SETTLED = (
    "EXISTS (SELECT 1 FROM listed_stories l LEFT JOIN alerts a ON a.id = l.alert_id"
    " WHERE l.channel_pk = c.channel_pk AND l.listed_at >= c.counted_at"
    " AND l.story_id IN (c.story_id, (SELECT merged_into FROM stories WHERE id = c.story_id))"
    " AND (l.alert_id IS NULL OR ({ok}"
    f" AND a.key NOT LIKE '{INSTANT_COUNT_KEY}%')))"
)
_LISTED = _SETTLED.format(ok="a.state != 'failed'")
_SENT = _SETTLED.format(ok="a.state = 'sent'")
# The rows that wait for a line (`c` in the queries below): the stories a digest only counted,
# and those a failed notice listed, waiting from when it listed them.
_WAITS = (
    "waits(channel_pk, story_id, counted_at) AS ("
    "SELECT channel_pk, story_id, counted_at FROM counted_stories"
    " UNION ALL SELECT l.channel_pk, l.story_id, l.listed_at FROM listed_stories l"
    " JOIN alerts fa ON fa.id = l.alert_id AND fa.state = 'failed')"
)


def counted_before(
    db: sqlite_utils.Database,
    channel_pk: int,
    story_ids: Sequence[str],
    *,
    expired_before: datetime,
) -> list[str]:
    """Of `story_ids`, those an earlier digest of the channel counted without listing (nor has a
    notice listed them since, unless it failed), the longest waiting first (`waiting`). Rows
    counted before `expired_before` are left out, as `forget_settled` drops them: read before or
    after it, the answer is the same, so a preview (which writes nothing) shows the digest's."""
    if not story_ids:
        return []
    rows = db.execute(
        "WITH wanted(id) AS (SELECT value FROM json_each(?)),"
        " members(root, id) AS (SELECT id, id FROM wanted"
        " UNION ALL SELECT s.merged_into, s.id FROM stories s"
        " WHERE s.merged_into IN (SELECT id FROM wanted)),"
        # `_WAITS`' rows of these stories, each looked up by its key rather than all read.
        " c(root, channel_pk, story_id, counted_at) AS ("
        "SELECT m.root, w.channel_pk, w.story_id, w.counted_at FROM members m"
        " JOIN counted_stories w ON w.channel_pk = ? AND w.story_id = m.id"
        " AND w.counted_at >= ?"
        " UNION ALL SELECT m.root, l.channel_pk, l.story_id, l.listed_at FROM members m"
        " JOIN listed_stories l ON l.channel_pk = ? AND l.story_id = m.id"
        " AND l.listed_at >= ?"
        " JOIN alerts fa ON fa.id = l.alert_id AND fa.state = 'failed')"
        f" SELECT c.root FROM c WHERE NOT {_LISTED}"
        " GROUP BY c.root ORDER BY MIN(c.counted_at), c.root",
        [
            json.dumps(list(story_ids)),
            channel_pk,
            iso(expired_before),
            channel_pk,
            iso(expired_before),
        ],
    ).fetchall()
    return [row[0] for row in rows]


def waiting(db: sqlite_utils.Database, channel_pk: int, *, since: datetime) -> list[str]:
    """The stories (the survivors of merges) the channel's digests counted since `since` and no
    notice has listed since: its next digest's pool has them, however long ago they changed.
    The longest waiting (first counted) come first: listed in rank order, the newest would take
    the lines digest after digest in a busy channel, and the oldest expire unseen."""
    rows = db.execute(
        f"WITH {_WAITS} SELECT COALESCE(s.merged_into, s.id) AS root FROM waits c"
        " JOIN stories s ON s.id = c.story_id"
        f" WHERE c.channel_pk = ? AND c.counted_at >= ? AND NOT {_LISTED}"
        " GROUP BY root ORDER BY MIN(c.counted_at), root",
        [channel_pk, iso(since)],
    ).fetchall()
    return [row[0] for row in rows]


def expiring(db: sqlite_utils.Database, channel_pk: int, *, expired_before: datetime) -> list[str]:
    """The stories (the survivors of merges) the channel's digests counted before
    `expired_before` and no notice has listed since (unless it failed): `forget_settled` drops
    their rows, so they will never get a line. A story counted again since (a later row of a
    story merged into it) is still waiting, and not among them."""
    rows = db.execute(
        f"WITH {_WAITS} SELECT COALESCE(s.merged_into, s.id) AS root FROM waits c"
        " JOIN stories s ON s.id = c.story_id"
        f" WHERE c.channel_pk = ? AND NOT {_LISTED}"
        " GROUP BY root HAVING MAX(c.counted_at) < ? ORDER BY MIN(c.counted_at), root",
        [channel_pk, iso(expired_before)],
    ).fetchall()
    return [row[0] for row in rows]


def record_counted(
    db: sqlite_utils.Database, channel_pk: int, counted: Iterable[str], *, now: datetime
) -> None:
    """The stories a digest's notice `counted` only; the caller holds the write transaction. A
    story counted before keeps its first count's time, which bounds how long it waits."""
    db.conn.executemany(
        "INSERT INTO counted_stories (channel_pk, story_id, counted_at) VALUES (?, ?, ?)"
        " ON CONFLICT(channel_pk, story_id) DO NOTHING",
        [(channel_pk, story_id, iso(now)) for story_id in counted],
    )


def forget_settled(db: sqlite_utils.Database, channel_pk: int, *, expired_before: datetime) -> None:
    """Drop the channel's rows whose story a sent notice has listed since, and those counted
    before `expired_before` (waited their longest), as well as the listings of failed notices
    made before it, which wait no longer either (a failed listing counts as none: nothing else
    reads it); the caller holds the write transaction."""
    db.execute(
        "DELETE FROM counted_stories AS c"
        f" WHERE c.channel_pk = ? AND (c.counted_at < ? OR {_SENT})",
        [channel_pk, iso(expired_before)],
    )
    db.execute(
        "DELETE FROM listed_stories WHERE channel_pk = ? AND listed_at < ?"
        " AND alert_id IN (SELECT id FROM alerts WHERE state = 'failed')",
        [channel_pk, iso(expired_before)],
    )
