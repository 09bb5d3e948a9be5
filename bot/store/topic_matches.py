"""The `topic_matches` table: the stories a channel's topics picked when the bot acted on them for
it (a digest's cards and the stories listed after them, an instant post, the stories an instant
pass counted beyond its limit), each under the topic and the query it matched by.

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

A kept match counts while the channel follows the topic and the topic's query is the one it was
matched by: unfollowing (or the topic's removal, or the channel's) deletes it by foreign key, and
a changed query makes it count no more (`forget_other_queries` deletes it). A story counts as
kept, too, if a story merged into it was (`stories.merged_into`, which always names the
surviving story), as `listed_stories` reads listings. Rows go with their story (retention).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
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


def kept(db: sqlite_utils.Database, channel_pk: int) -> dict[str, set[str]]:
    """The channel's kept matches that still count, by live story (a merged story's under the
    story it is part of now): the topic slugs each keeps."""
    found: dict[str, set[str]] = defaultdict(set)
    for story_id, slug in db.execute(
        "SELECT COALESCE(s.merged_into, s.id), k.topic_slug FROM topic_matches k"
        " JOIN stories s ON s.id = k.story_id"
        " JOIN topics t ON t.slug = k.topic_slug AND t.query = k.query"
        " WHERE k.channel_pk = ?",
        [channel_pk],
    ):
        found[story_id].add(slug)
    return dict(found)


def kept_for(db: sqlite_utils.Database, channel_pk: int, story_id: str) -> set[str]:
    """The topic slugs the channel keeps the (live) story matched by, a story merged into it
    included."""
    rows = db.execute(
        "SELECT DISTINCT k.topic_slug FROM topic_matches k"
        " JOIN stories s ON s.id = k.story_id"
        " JOIN topics t ON t.slug = k.topic_slug AND t.query = k.query"
        " WHERE k.channel_pk = ? AND (s.id = ? OR s.merged_into = ?)",
        [channel_pk, story_id, story_id],
    )
    return {r[0] for r in rows}


@dataclass(frozen=True, slots=True)
class KeptMatch:
    channel_pk: int
    channel: str  # its name, else platform:id
    topic_slug: str
    matched_at: datetime | None


def kept_by_query(db: sqlite_utils.Database, query: str) -> dict[str, list[KeptMatch]]:
    """Every channel's kept matches by a topic whose query is `query` (as stored), by live
    story: for `topics test`, to say which stories a channel keeps from earlier."""
    found: dict[str, list[KeptMatch]] = defaultdict(list)
    for story_id, pk, name, platform, channel_id, slug, at in db.execute(
        "SELECT COALESCE(s.merged_into, s.id), c.id, c.name, c.platform, c.channel_id,"
        " k.topic_slug, MIN(k.matched_at) FROM topic_matches k"
        " JOIN stories s ON s.id = k.story_id"
        " JOIN topics t ON t.slug = k.topic_slug AND t.query = k.query"
        " JOIN channels c ON c.id = k.channel_pk"
        " WHERE k.query = ? GROUP BY 1, 2, 6 ORDER BY 1, c.id, k.topic_slug",
        [query],
    ):
        found[story_id].append(
            KeptMatch(pk, name or f"{platform}:{channel_id}", slug, parse_iso(at))
        )
    return dict(found)


def forget_other_queries(db: sqlite_utils.Database, topic_slug: str, query: str) -> None:
    """The topic's query is now `query`: matches kept by another no longer count, and go."""
    db.execute("DELETE FROM topic_matches WHERE topic_slug = ? AND query != ?", [topic_slug, query])
