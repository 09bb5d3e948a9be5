"""Migration 42: the indexes that keep reads and deletes from growing with the database's history.

A foreign key's child side needs an index of its own: deleting a story (retention) looks up each
child row pointing at it, and without one SQLite reads the whole child table once per story
(`listed_stories` and `counted_stories` are keyed by channel first: 590 ms to delete a prune
batch's 200 stories on a six-month database, 33 ms with the index). `articles.feed_id` had only a
partial index (articles with a GUID), which no lookup by feed alone may use: removing a feed, and
the disabled-feed notice's look at the feed's recent articles, read every article.
`subscriptions.topic_slug` was the last child key without one. `deliveries_unfinished` serves
`/healthz`'s counts of the posts waiting or in flight, so it reads those few rows, not every post
ever sent.
"""

from __future__ import annotations

import sqlite_utils

INDEXES = (
    "CREATE INDEX IF NOT EXISTS listed_stories_story ON listed_stories(story_id)",
    "CREATE INDEX IF NOT EXISTS counted_stories_story ON counted_stories(story_id)",
    "CREATE INDEX IF NOT EXISTS articles_feed_seen ON articles(feed_id, seen_at)",
    "CREATE INDEX IF NOT EXISTS subscriptions_topic ON subscriptions(topic_slug)",
    "CREATE INDEX IF NOT EXISTS deliveries_unfinished ON deliveries(state, kind)"
    " WHERE state IN ('pending', 'sending')",
)


def m042_history_indexes(db: sqlite_utils.Database) -> None:
    for sql in INDEXES:
        db.execute(sql)


# Migration 43: `/healthz`'s count of the posts and card edits that failed lately
# (`delivery_counts.failed_since`), read from the failed rows of that time alone. A failed row's
# `updated_at` is when it failed (`mark_failed`, `expire_stale`).
FAILED_INDEX = (
    "CREATE INDEX IF NOT EXISTS deliveries_failed ON deliveries(updated_at, kind)"
    " WHERE state = 'failed'"
)


def m043_failed_index(db: sqlite_utils.Database) -> None:
    db.execute(FAILED_INDEX)
