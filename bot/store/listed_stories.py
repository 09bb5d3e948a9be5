"""The `listed_stories` table: the stories a channel's digests listed after their cards
(`bot.runner.overflow`), each with the independent sources it had when last listed.

A story listed once is not listed again by the next digest unless it has gained sources since:
on a busy week the same backlog was listed digest after digest. An instant channel's notice of
the stories beyond its limit ("...and 20 more") records them here too, and a later instant pass
gives none of them a card unless it has grown since (`not_grown`): each start's catch-up took
the next 50 of them, posting what the notice had said was left out. That notice only counts them,
though: a digest (the channel back in digest mode) lists them, as if never listed
(`listed_sources`), first as stories only counted (`bot.store.counted_stories`), and their
counts settle no digest's count. A listing is no delivery (the
outbox's `deliveries` are): a listed story may still get its one card (in instant mode, once
it grows). Rows go with their
channel and with their story (retention deletes old stories), by foreign key.

A listing counts unless its notice failed (`alert_id`, migration 34): a failed notice (stale
after a channel's long pause, out of attempts, refused) never reached the channel, whose next
digest lists the story again, first, as a story it only counted (`bot.store.counted_stories`
reads the failed listings as waiting for a line). One still pending (held for quiet hours, or an outage) will go
out: counting it keeps a digest meanwhile from listing the same stories a second time. A row whose notice is gone has NULL: sent,
then deleted by retention (`forget_notices`), or listed before migration 34 by a notice not
found then. A story counts as listed, too, if a story merged into it was (`stories.merged_into`,
which always names the surviving story): otherwise the merge's survivor would list the absorbed
story's news as new.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
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


# The key of an instant pass's notice of the stories beyond its limit (`bot.runner.digests`): it
# counts them, with no line each, so its rows here are no listing to a digest (`listed_sources`,
# `bot.store.counted_stories`), only to later instant passes (`not_grown`).
INSTANT_COUNT_KEY = "instant-more:"
# A row's notice (`a`) is an instant pass's count. A row whose notice retention deleted (NULL) is
# read as a listing: by then the story is older than any digest looks back.
_INSTANT_COUNT = f"a.key LIKE '{INSTANT_COUNT_KEY}%'"


def listed_sources(
    db: sqlite_utils.Database,
    channel_pk: int,
    story_ids: Sequence[str],
    *,
    counts: bool = False,
) -> dict[str, int]:
    """Of `story_ids`, those listed to the channel before: the sources each had then. `counts`:
    an instant pass's notice counting a story stands as its listing (for instant passes; a
    digest lists such a story, as none of its lines ever showed it)."""
    if not story_ids:
        return {}
    instant = "" if counts else f" AND NOT (l.alert_id IS NOT NULL AND {_INSTANT_COUNT})"
    rows = db.execute(
        "WITH wanted(id) AS (SELECT value FROM json_each(?)),"
        # Each story wanted, and the stories merged into it.
        " members(root, id) AS (SELECT id, id FROM wanted"
        " UNION ALL SELECT s.merged_into, s.id FROM stories s"
        " WHERE s.merged_into IN (SELECT id FROM wanted))"
        " SELECT m.root, MAX(l.sources) FROM members m"
        " JOIN listed_stories l ON l.channel_pk = ? AND l.story_id = m.id"
        " LEFT JOIN alerts a ON a.id = l.alert_id"
        " WHERE (l.alert_id IS NULL OR a.state != 'failed')"
        f"{instant} GROUP BY m.root",
        [json.dumps(list(story_ids)), channel_pk],
    ).fetchall()
    return {story_id: sources for story_id, sources in rows}


def pending_lines(db: sqlite_utils.Database, channel_pk: int) -> set[str]:
    """The stories a digest's notice (its list or its backlog's message) gives a line to the
    channel in a notice not sent yet: held for quiet hours with the digest's cards, or waiting out
    a rate limit or an outage. A later digest gives them no card meanwhile: held with it and sent
    together, the notice would list "without a card in this digest" the stories carded above it.
    Sent, the listing is an ordinary one, and a later digest may card the story. An instant
    pass's notice only counts its stories, with no line: not these. A listed story merged since
    into another brings that one (as `listed_sources` does): carded, the survivor told the
    listed story's news above the line saying it had no card."""
    rows = db.execute(
        "SELECT l.story_id, s.merged_into FROM listed_stories l"
        " JOIN alerts a ON a.id = l.alert_id LEFT JOIN stories s ON s.id = l.story_id"
        f" WHERE l.channel_pk = ? AND a.state IN ('pending', 'sending') AND NOT {_INSTANT_COUNT}",
        [channel_pk],
    ).fetchall()
    return {story_id for row in rows for story_id in row if story_id is not None}


def not_grown(db: sqlite_utils.Database, channel_pk: int, sources: Mapping[str, int]) -> set[str]:
    """Of the stories `sources` gives with their sources now, those listed to the channel (by a
    digest's list) or counted by an instant pass's notice, unless it failed, with at least as
    many: an instant pass gives them no card until they grow, as a digest does not list them
    again. A story a digest only counted is not among them: nothing showed it (its card is its
    first telling)."""
    before = listed_sources(db, channel_pk, list(sources), counts=True)
    return {story_id for story_id, count in sources.items() if count <= before.get(story_id, -1)}


def record_listed(
    db: sqlite_utils.Database,
    channel_pk: int,
    listed: Iterable[tuple[str, int]],
    *,
    alert_id: int,
    now: datetime,
) -> None:
    """Record (story, sources) pairs as listed to the channel at `now` by the notice `alert_id`,
    which they count as once it is sent; the caller holds the write transaction (the digest's,
    with the notice). A story listed before is overwritten: it is listed again only with more
    sources than it had, so the earlier listing no longer decides anything."""
    db.conn.executemany(
        "INSERT INTO listed_stories (channel_pk, story_id, sources, listed_at, alert_id)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(channel_pk, story_id) DO UPDATE SET sources = excluded.sources,"
        " listed_at = excluded.listed_at, alert_id = excluded.alert_id",
        [(channel_pk, story_id, sources, iso(now), alert_id) for story_id, sources in listed],
    )


def listed_since(db: sqlite_utils.Database, channel_pk: int, *, since: datetime) -> int:
    """How many stories the channel's digests listed at or after `since` (a `/digest` just
    queued: its list and its backlog's message)."""
    row = db.execute(
        "SELECT COUNT(*) FROM listed_stories WHERE channel_pk = ? AND listed_at >= ?",
        [channel_pk, iso(since)],
    ).fetchone()
    return int(row[0])


def forget_notices(db: sqlite_utils.Database, alert_ids: Sequence[int]) -> None:
    """Before retention deletes the notices `alert_ids` (all finished): the listings of a sent
    one keep counting, with no notice (NULL); a failed one's listed nothing, and go, their
    stories still waiting for a line from when they were listed (`bot.store.counted_stories`).
    Done here, not by foreign key, because a deleted notice's id may be given to a new one."""
    ids = json.dumps(list(alert_ids))
    db.execute(
        "INSERT INTO counted_stories (channel_pk, story_id, counted_at)"
        " SELECT channel_pk, story_id, listed_at FROM listed_stories WHERE alert_id IN"
        " (SELECT id FROM alerts WHERE state = 'failed' AND id IN (SELECT value FROM json_each(?)))"
        " ON CONFLICT(channel_pk, story_id) DO NOTHING",
        [ids],
    )
    db.execute(
        "DELETE FROM listed_stories WHERE alert_id IN (SELECT id FROM alerts"
        " WHERE state != 'sent' AND id IN (SELECT value FROM json_each(?)))",
        [ids],
    )
    db.execute(
        "UPDATE listed_stories SET alert_id = NULL"
        " WHERE alert_id IN (SELECT value FROM json_each(?))",
        [ids],
    )


def add_alert_ids(db: sqlite_utils.Database) -> None:
    """Migration 34's body: each listing names the notice that listed it. A row from before is
    matched to its digest's notice, queued in the same transaction at the same moment (the
    latest, as the row was overwritten by the latest); one whose notice retention deleted keeps
    NULL and counts, as every listing did before."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(listed_stories)")}
    if "alert_id" not in columns:
        db.execute("ALTER TABLE listed_stories ADD COLUMN alert_id INTEGER")
    db.execute(
        "UPDATE listed_stories SET alert_id = (SELECT MAX(a.id) FROM alerts a"
        " WHERE a.channel_pk = listed_stories.channel_pk AND a.created_at = listed_stories.listed_at"
        " AND a.key LIKE 'digest-more:%') WHERE alert_id IS NULL"
    )
