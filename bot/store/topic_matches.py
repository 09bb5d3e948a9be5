"""The `topic_matches` table: the stories a channel's topics picked when the bot acted on them for
it (a digest's cards and the stories its notice lists or counts after them, an instant post,
the stories an instant pass counted beyond its limit), each under the topic and the query it
matched by.

A term counts for a story where the story says it prominently (`bot.topics.storydoc`): in a
headline, in two outlets' leads, or in the lead of its only outlet. A one-outlet story picked by
its lead stops matching when a second outlet joins without the term: the first outlet's lead is
now one outlet's aside, as it is for any story (the rule that makes passing mentions not
match). For a channel that was already given the story as matching, that read as the story
vanishing because it grew; so such a match is kept here, and the channel's selection, its queued
post's check and its card go on treating the story as matching that topic.

Only matches the bot acted on are kept, not every match a poll pass could have seen: kept at
every poll, a story's first report alone would decide every topic as its lead reads, which is the
rule session 17 reverted (bench/topic_match: precision vs the leads proxy 0.797 -> 0.744).

A kept match counts while the channel follows the topic (since before the match) and the
topic's query is the one it was matched by: unfollowing (or the topic's removal, or the
channel's) deletes it by foreign key, and a changed query makes it count no more
(`forget_other_queries` deletes it). The subscription's time is checked too, so a match left
behind by an unfollow that skipped the cascade (a connection with foreign keys off) does not
count again once the topic is followed again; `set_subscriptions` leaves a subscription it keeps
as it was, time included. A match is kept when its card or notice is queued, whether or not
that then reaches the channel. A story counts as kept, too, if a story merged into it was
(`stories.merged_into`, which always names the surviving story), as `listed_stories` reads
listings. Rows go with their story (retention).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from bot.store.database import iso, parse_iso


def create_topic_matches(db: sqlite_utils.Database) -> None:
    """Migration 35's body."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS topic_matches ("
        " channel_pk INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
        " story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
        " topic_slug TEXT NOT NULL,"
        " query TEXT NOT NULL,"
        " matched_at TEXT NOT NULL,"
        " PRIMARY KEY (channel_pk, story_id, topic_slug),"
        # Unfollowed (or the topic removed): forgotten with the subscription.
        " FOREIGN KEY (channel_pk, topic_slug) REFERENCES subscriptions(channel_pk, topic_slug)"
        " ON DELETE CASCADE)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS topic_matches_story ON topic_matches(story_id)")
    db.execute(
        "CREATE INDEX IF NOT EXISTS topic_matches_subscription"
        " ON topic_matches(channel_pk, topic_slug)"
    )


def remember(
    db: sqlite_utils.Database,
    channel_pk: int,
    matches: Iterable[tuple[str, str, str]],
    *,
    now: datetime,
) -> None:
    """Keep (story, topic slug, query) matches the bot acted on for the channel at `now`; the
    caller holds the write transaction (the digest's or instant pass's, with its rows). One kept
    before stays as it was (its first time). A match whose subscription, query or story changed
    since it was read (an /unfollow while the digest was chosen) is not kept."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO topic_matches"
        " (channel_pk, story_id, topic_slug, query, matched_at)"
        " SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM subscriptions"
        " WHERE channel_pk = ?1 AND topic_slug = ?3)"
        " AND EXISTS (SELECT 1 FROM topics WHERE slug = ?3 AND query = ?4)"
        " AND EXISTS (SELECT 1 FROM stories WHERE id = ?2)",
        [(channel_pk, story_id, slug, query, iso(now)) for story_id, slug, query in matches],
    )


# The kept matches that still count: the topic's query is the one matched by, and the channel
# follows the topic since before the match (a subscription deleted without the foreign key's
# cascade, a connection with foreign keys off, and followed again must not bring them back).
_COUNTS = (
    " JOIN topics t ON t.slug = k.topic_slug AND t.query = k.query"
    " JOIN subscriptions sub ON sub.channel_pk = k.channel_pk AND sub.topic_slug = k.topic_slug"
    " AND sub.created_at <= k.matched_at"
)


def kept(
    db: sqlite_utils.Database, channel_pk: int, story_ids: Sequence[str]
) -> dict[str, set[str]]:
    """Of the (live) `story_ids`, those the channel keeps matched, a story merged into one
    included: the topic slugs each keeps. Only the stories asked about are read, through the
    primary key: a channel's kept matches grow with every digest (`retention_days = 0` keeps
    them for good), and a selection looks at a window's stories."""
    if not story_ids:
        return {}
    found: dict[str, set[str]] = defaultdict(set)
    for story_id, slug in db.execute(
        "WITH wanted(id) AS (SELECT value FROM json_each(?2)),"
        # Each story wanted, and the stories merged into it.
        " members(root, id) AS (SELECT id, id FROM wanted"
        " UNION ALL SELECT s.merged_into, s.id FROM stories s"
        " WHERE s.merged_into IN (SELECT id FROM wanted))"
        # CROSS JOIN: members first, so topic_matches is searched by (channel_pk, story_id).
        " SELECT DISTINCT m.root, k.topic_slug FROM members m"
        " CROSS JOIN topic_matches k ON k.channel_pk = ?1 AND k.story_id = m.id" + _COUNTS,
        [channel_pk, json.dumps(list(story_ids))],
    ):
        found[story_id].add(slug)
    return dict(found)


def kept_for(db: sqlite_utils.Database, channel_pk: int, story_id: str) -> set[str]:
    """The topic slugs the channel keeps the (live) story matched by, a story merged into it
    included."""
    return kept(db, channel_pk, [story_id]).get(story_id, set())


@dataclass(frozen=True, slots=True)
class KeptMatch:
    channel_pk: int
    channel: str  # its name, else platform:id
    topic_slug: str
    matched_at: datetime | None


def kept_by_query(db: sqlite_utils.Database, query: str) -> dict[str, list[KeptMatch]]:
    """Every channel's kept matches by a topic whose query is `query` (as stored), by live
    story: for `topics test`, to say which stories a channel keeps from earlier. Read from the
    topics of that query through their subscriptions, so only their matches are looked at, by
    index, not every channel's for every topic."""
    found: dict[str, list[KeptMatch]] = defaultdict(list)
    for story_id, pk, name, platform, channel_id, slug, at in db.execute(
        "SELECT COALESCE(s.merged_into, s.id), c.id, c.name, c.platform, c.channel_id,"
        " k.topic_slug, MIN(k.matched_at) FROM topics t"
        # CROSS JOIN: the topic's followings first, then their matches by (channel, topic).
        # What `_COUNTS` asks, joined the other way round.
        " CROSS JOIN subscriptions sub ON sub.topic_slug = t.slug"
        " CROSS JOIN topic_matches k ON k.channel_pk = sub.channel_pk"
        " AND k.topic_slug = sub.topic_slug AND k.query = t.query"
        " AND sub.created_at <= k.matched_at"
        " JOIN stories s ON s.id = k.story_id"
        " JOIN channels c ON c.id = k.channel_pk"
        " WHERE t.query = ? GROUP BY 1, 2, 6 ORDER BY 1, c.id, k.topic_slug",
        [query],
    ):
        found[story_id].append(
            KeptMatch(pk, name or f"{platform}:{channel_id}", slug, parse_iso(at))
        )
    return dict(found)


def forget_other_queries(db: sqlite_utils.Database, topic_slug: str, query: str) -> None:
    """The topic's query is now `query`: matches kept by another no longer count, and go."""
    db.execute("DELETE FROM topic_matches WHERE topic_slug = ? AND query != ?", [topic_slug, query])
