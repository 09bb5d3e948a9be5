"""Migration 39: each topic match kept before it (`bot.store.topic_matches`) is credited to the
card or notice that gave the channel its story, from what the old database still tells.

Before schema 39 a match was kept once, when the first card or notice of the story was queued
(`matched_at`, never updated after), and counted whether or not that reached the channel. What
gave the story is read back from the records that name it, not guessed from the moment alone:

- the story's card in the channel (`deliveries`, kind 'story'): a digest or instant card gives
  its story, and the kept match counted when a later card was chosen, so that card gave it as
  matching too; so does its merge's survivor's card queued at or after the match (a merge moves
  the loser's card onto the survivor);
- the notice a listing names (`listed_stories.alert_id`, migration 34; a listing's NULL: its
  notice sent and deleted by retention, so given); only the latest listing is known, as a new
  one overwrites it;
- the digest notice queued when a digest counted the story (`counted_stories.counted_at`).

A card or listing from before the match gave the story too: one given before migration 35 had no
match kept, and the next digest that picked it again kept it then.

Every giver found gets a row, as a story given twice (listed, then carded) has today, so the
match counts as soon as any of them reached the channel: a sent card wins over a notice given up.

The notice queued with the match (a digest's or an instant pass's, at `matched_at`) is credited
too unless the records rule it out: a card queued at that moment (a digest gives a story a card
or a line, never both); a digest notice whose listings name other stories and no count of this
one, where the counts are complete (counted_stories existed by then, and no later digest ran
late enough to expire a count). An instant pass's notice records nothing of what it counted, so
with no card at its moment it stays credited.

What remains unknowable, counted as every match was before (a row naming neither): a match
whose card and notice are both gone (a notice retention deleted, or none queued, with the
story's card dropped unsent). A match whose only candidate is a notice the records rule out
(its card dropped unsent: `min_sources` raised, a channel paused) gave nothing, and goes; so does
one whose subscription or story is gone (deleted without the cascade), which never counted.

Done in Python over indexed lookups (dicts keyed by exact values): an old database may hold years
of matches and notices, and a correlated subquery per row took minutes under the write lock.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import sqlite_utils

from bot.store.database import parse_iso

# How long a digest kept a counted story waiting (`bot.pipeline.digest.MAX_LOOKBACK` when this
# migration was written): a migration must read old data by the rules it was written under.
_COUNTED_FOR = timedelta(days=8)
_NOTICE_KEYS = ("digest-more:", "instant-more:")

# (delivery_id, alert_id): what gives a match; (None, None) was given, its notice long gone.
Giver = tuple[int | None, int | None]


def add_givers(db: sqlite_utils.Database) -> None:
    """Migration 39's body: each match names the card or notice that gives it, so it counts only
    once the channel got the story. SQLite cannot change a primary key, so the table is rebuilt
    (a story may now be kept by two rows: listed, then carded)."""
    if "delivery_id" in {row[1] for row in db.execute("PRAGMA table_info(topic_matches)")}:
        return
    db.execute(
        "CREATE TABLE topic_matches_new ("
        " channel_pk INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
        " story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,"
        " topic_slug TEXT NOT NULL,"
        " query TEXT NOT NULL,"
        " matched_at TEXT NOT NULL,"
        # What gives the match: the story's card, or the notice listing or counting it. Given
        # up and deleted (a pending card no longer wanted, a failed notice pruned), it gave
        # nothing, and the match goes with it.
        " delivery_id INTEGER REFERENCES deliveries(id) ON DELETE CASCADE,"
        " alert_id INTEGER REFERENCES alerts(id) ON DELETE CASCADE,"
        " FOREIGN KEY (channel_pk, topic_slug) REFERENCES subscriptions(channel_pk, topic_slug)"
        " ON DELETE CASCADE,"
        " CHECK (delivery_id IS NULL OR alert_id IS NULL))"
    )
    db.conn.executemany(
        "INSERT INTO topic_matches_new (channel_pk, story_id, topic_slug, query, matched_at,"
        " delivery_id, alert_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        _credited(db),
    )
    db.execute("DROP TABLE topic_matches")
    db.execute("ALTER TABLE topic_matches_new RENAME TO topic_matches")
    # One row per match and giver; a selection and a queued post read by (channel, story).
    db.execute(
        "CREATE UNIQUE INDEX topic_matches_key ON topic_matches(channel_pk, story_id,"
        " topic_slug, IFNULL(delivery_id, 0), IFNULL(alert_id, 0))"
    )
    db.execute("CREATE INDEX topic_matches_story ON topic_matches(story_id)")
    # `kept_by_query`, and the cascade from a subscription.
    db.execute("CREATE INDEX topic_matches_subscription ON topic_matches(channel_pk, topic_slug)")
    # The cascades from a card or notice deleted.
    db.execute("CREATE INDEX topic_matches_delivery ON topic_matches(delivery_id)")
    db.execute("CREATE INDEX topic_matches_alert ON topic_matches(alert_id)")


class _Records:
    """What the old database tells of each channel's cards, notices, listings and counts, keyed
    by exact values: read once, each table in one pass."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.cards: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
        for row_id, channel_pk, story_id, created_at in db.execute(
            "SELECT id, channel_pk, story_id, created_at FROM deliveries WHERE kind = 'story'"
        ):
            self.cards[(channel_pk, story_id)].append((created_at, row_id))
        # A notice's channel and key, by id; a digest's or instant pass's, by its moment.
        self.notices: dict[int, tuple[int, str]] = {}
        self.notice_at: dict[tuple[int, str], int] = {}
        for alert_id, channel_pk, key, created_at in db.execute(
            "SELECT id, channel_pk, key, created_at FROM alerts ORDER BY id"
        ):
            self.notices[alert_id] = (channel_pk, key)
            if key.startswith(_NOTICE_KEYS):
                self.notice_at[(channel_pk, created_at)] = alert_id  # the latest, as before
        self.listed: dict[tuple[int, str], tuple[int | None, str]] = {
            (channel_pk, story_id): (alert_id, listed_at)
            for channel_pk, story_id, alert_id, listed_at in db.execute(
                "SELECT channel_pk, story_id, alert_id, listed_at FROM listed_stories"
            )
        }
        self.counted: dict[tuple[int, str], str] = {
            (channel_pk, story_id): counted_at
            for channel_pk, story_id, counted_at in db.execute(
                "SELECT channel_pk, story_id, counted_at FROM counted_stories"
            )
        }
        self.last_digest: dict[int, datetime | None] = {
            channel_pk: parse_iso(ran_at)
            for channel_pk, ran_at in db.execute("SELECT channel_pk, ran_at FROM digest_runs")
        }
        row = db.execute("SELECT applied_at FROM schema_migrations WHERE version = 37").fetchone()
        self.counts_since = parse_iso(row[0]) if row else None

    def counts_complete(self, channel_pk: int, moment: str) -> bool:
        """Whether a story a digest counted at `moment` still has its `counted_stories` row:
        the table existed, and no digest ran late enough since to expire the count."""
        at = parse_iso(moment)
        if at is None or self.counts_since is None or self.counts_since > at:
            return False
        last = self.last_digest.get(channel_pk)
        return last is None or last <= at + _COUNTED_FOR

    def givers(self, channel_pk: int, stories: list[str], matched_at: str) -> set[Giver] | None:
        """What gave the channel the story (`stories[0]`), or its merge's survivor (`stories[1]`)
        since `matched_at`; None when the records rule out all there was."""
        found: set[Giver] = set()
        carded_then = False
        notice_may_have = False  # the notice at `matched_at` may have listed or counted it
        for n, story_id in enumerate(stories):
            # The story's own card or listing gave it whenever it was (one given before the
            # upgrade that began keeping matches was remembered by the next digest that picked
            # it); the survivor's own from before the merge gave another story.
            since = "" if n == 0 else matched_at
            for created_at, row_id in self.cards.get((channel_pk, story_id), []):
                if created_at >= since:
                    found.add((row_id, None))
                    carded_then = carded_then or created_at == matched_at
            if (channel_pk, story_id) in self.listed:
                alert_id, listed_at = self.listed[(channel_pk, story_id)]
                if listed_at >= since:
                    if alert_id is None:
                        found.add((None, None))
                    elif self.notices.get(alert_id, (None, ""))[0] == channel_pk:
                        found.add((None, alert_id))
                # Listed again since: the listing then was overwritten.
                notice_may_have = notice_may_have or listed_at > matched_at
            counted_at = self.counted.get((channel_pk, story_id))
            if counted_at is not None:
                counter = self.notice_at.get((channel_pk, counted_at))
                if counted_at >= since and counter is not None:
                    found.add((None, counter))
                # Counted before and still waiting: counted again then, maybe.
                notice_may_have = notice_may_have or counted_at < matched_at
        notice = self.notice_at.get((channel_pk, matched_at))
        if notice is not None and not carded_then:
            key = self.notices[notice][1]
            if (
                key.startswith("instant-more:")
                or notice_may_have
                or not self.counts_complete(channel_pk, matched_at)
            ):
                found.add((None, notice))
        if found:
            return found
        # Its card dropped unsent, and its digest's notice listed and counted other stories.
        return None if notice is not None else {(None, None)}


def _credited(db: sqlite_utils.Database) -> list[tuple[object, ...]]:
    """The new table's rows: each old match once per giver found."""
    records = _Records(db)
    rows: list[tuple[object, ...]] = []
    for channel_pk, story_id, slug, query, matched_at, merged_into in db.execute(
        "SELECT k.channel_pk, k.story_id, k.topic_slug, k.query, k.matched_at, s.merged_into"
        " FROM topic_matches k JOIN stories s ON s.id = k.story_id"
        " WHERE EXISTS (SELECT 1 FROM subscriptions sub"
        " WHERE sub.channel_pk = k.channel_pk AND sub.topic_slug = k.topic_slug)"
    ):
        # A merge may have moved the card onto the survivor, which `merged_into` names.
        stories = [story_id] if merged_into is None else [story_id, merged_into]
        givers = records.givers(channel_pk, stories, matched_at)
        for delivery_id, alert_id in sorted(givers or (), key=str):
            rows.append((channel_pk, story_id, slug, query, matched_at, delivery_id, alert_id))
    return rows
