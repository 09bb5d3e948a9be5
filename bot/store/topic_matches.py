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
as it was, time included. A story counts as kept, too, if a story merged into it was
(`stories.merged_into`, which always names the surviving story), as `listed_stories` reads
listings. Rows go with their story (retention).

A match is kept only once the channel got the story (migration 39): each row names what gives it,
the story's card (`delivery_id`) or the digest's or instant pass's notice that lists or counts it
(`alert_id`), written in the transaction that queues it, and counts by that row's state, so no
crash can part the two: once that card or notice is sent. Until then another digest must not
give the channel the story as matching (the notice may yet fail: stale after a long pause, out
of attempts), nor `topics test` say it is kept. A card still queued counts its own match for
its own checks (`kept_for`'s `queued`: `bot.delivery.prepare`, the topics on the card,
`bot.runner.cards`): it was queued as matching. A card or notice given up (failed:
dead-lettered, stale, muted, refused; or deleted: no longer wanted, a merge's pending loser)
gave nothing, and its match never counts; a held one (a retry, a rate limit, quiet hours, a
paused channel) keeps it waiting. A channel removed from the config is paused, not deleted:
what it got stays kept for when it comes back, and what waited for it goes stale. A story
given twice (listed, then carded) has a row for each. A row naming neither was given: its
notice sent and since deleted by retention (`forget_notices`), or kept before migration 39 with
neither found (`bot.store.topic_match_givers`: how the upgrade credited each old match).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

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


class Match(NamedTuple):
    """A story the channel is given by a topic whose query is `query`, and what gives it: the
    story's card (`delivery_id`, an outbox row) or the notice listing or counting it
    (`alert_id`)."""

    story_id: str
    topic_slug: str
    query: str
    delivery_id: int | None = None
    alert_id: int | None = None


def remember(
    db: sqlite_utils.Database, channel_pk: int, matches: Iterable[Match], *, now: datetime
) -> None:
    """Keep the matches the bot acted on for the channel at `now`, each waiting on its card or
    notice; the caller holds the write transaction that queues them (the digest's or instant
    pass's). One kept before by the same card or notice stays as it was. A match whose
    subscription, query or story changed since it was read (an /unfollow while the digest was
    chosen) is not kept."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO topic_matches"
        " (channel_pk, story_id, topic_slug, query, matched_at, delivery_id, alert_id)"
        " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM subscriptions"
        " WHERE channel_pk = ?1 AND topic_slug = ?3)"
        " AND EXISTS (SELECT 1 FROM topics WHERE slug = ?3 AND query = ?4)"
        " AND EXISTS (SELECT 1 FROM stories WHERE id = ?2)",
        [
            (channel_pk, m.story_id, m.topic_slug, m.query, iso(now), m.delivery_id, m.alert_id)
            for m in matches
        ],
    )


# Whether the kept match `k` was given: its card or notice sent, or neither named (given long
# ago). The outbox row must be the channel's: with foreign keys off, a deleted row's id may be
# given to another. `{card}`: the card states that count.
_GIVEN = (
    "(k.delivery_id IS NULL AND k.alert_id IS NULL"
    " OR EXISTS (SELECT 1 FROM deliveries d WHERE d.id = k.delivery_id"
    " AND d.channel_pk = k.channel_pk AND d.state IN ({card}))"
    " OR EXISTS (SELECT 1 FROM alerts a WHERE a.id = k.alert_id"
    " AND a.channel_pk = k.channel_pk AND a.state = 'sent'))"
)
# The kept matches that still count: the topic's query is the one matched by, the channel
# follows the topic since before the match (a subscription deleted without the foreign key's
# cascade, a connection with foreign keys off, and followed again must not bring them back), and
# the story reached the channel.
_COUNTS = (
    " JOIN topics t ON t.slug = k.topic_slug AND t.query = k.query"
    " JOIN subscriptions sub ON sub.channel_pk = k.channel_pk AND sub.topic_slug = k.topic_slug"
    " AND sub.created_at <= k.matched_at AND {given}"
)
_SENT = _GIVEN.format(card="'sent'")
# A card on its way counts for itself: it was queued as matching (`kept_for`'s `queued`).
_QUEUED = _GIVEN.format(card="'pending', 'sending', 'sent'")


def kept(
    db: sqlite_utils.Database, channel_pk: int, story_ids: Sequence[str], *, queued: bool = False
) -> dict[str, set[str]]:
    """Of the (live) `story_ids`, those the channel keeps matched, a story merged into one
    included: the topic slugs each keeps. With `queued`, a card still queued counts as given
    (the card's own checks, `kept_for`). Only the stories asked about are read, through the
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
        " CROSS JOIN topic_matches k ON k.channel_pk = ?1 AND k.story_id = m.id"
        + _COUNTS.format(given=_QUEUED if queued else _SENT),
        [channel_pk, json.dumps(list(story_ids))],
    ):
        found[story_id].add(slug)
    return dict(found)


def kept_for(
    db: sqlite_utils.Database, channel_pk: int, story_id: str, *, queued: bool = False
) -> set[str]:
    """The topic slugs the channel keeps the (live) story matched by, a story merged into it
    included. `queued`: for the story's card, which counts its own match while it is queued (a
    story queued as matching still matches when it is sent, and its card names the topic)."""
    return kept(db, channel_pk, [story_id], queued=queued).get(story_id, set())


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
        # What `_COUNTS` asks (given: `_SENT`), joined the other way round.
        " CROSS JOIN subscriptions sub ON sub.topic_slug = t.slug"
        " CROSS JOIN topic_matches k ON k.channel_pk = sub.channel_pk"
        " AND k.topic_slug = sub.topic_slug AND k.query = t.query"
        f" AND sub.created_at <= k.matched_at AND {_SENT}"
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


def forget_notices(db: sqlite_utils.Database, alert_ids: Sequence[int]) -> None:
    """Before retention deletes the notices `alert_ids` (all finished): the matches a sent one
    gave stay given, with no notice (NULL); a failed one's gave nothing, and go. Done here, not
    only by the foreign key's cascade, which would take a sent one's too. A match already kept
    without a notice keeps that row alone."""
    ids = json.dumps(list(alert_ids))
    db.execute(
        "UPDATE OR IGNORE topic_matches SET alert_id = NULL WHERE alert_id IN (SELECT id FROM"
        " alerts WHERE state = 'sent' AND id IN (SELECT value FROM json_each(?)))",
        [ids],
    )
    db.execute(
        "DELETE FROM topic_matches WHERE alert_id IN (SELECT value FROM json_each(?))", [ids]
    )
