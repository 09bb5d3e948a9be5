"""The notice of a feed's disabling goes to the channels that relied on it lately: those queued a
story with one of its articles from the 30 days up to its last (`RELIED_ON`), else those following
a topic matching one of its latest stories. Both are read from the feed's recent articles
(`articles_feed_seen`): on a six-month database the old reads of every post joined to every
article took 0.8-1.5 s, and every filed article 170-330 ms, at start-up and on each disabling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils
from _plans import plan_lines, table_scans
from fakes.stories import add_channel

from bot.runner import feed_alerts
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import iso, transaction

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=100)


def _article(
    db: sqlite_utils.Database, feed_id: int, story_id: str, title: str, at: datetime
) -> None:
    with transaction(db):
        if story_store.get_story(db, story_id) is None:
            story_store.create_story(db, story_id, f"story-{story_id}", title, at)
        row = {"feed_id": feed_id, "source": "Tidewater Post", "guid": story_id, "title": title}
        for article in article_store.insert_new(db, [{**row, "seen_at": at}]):
            article_store.set_story(db, article.id, story_id)


def _disabled_feed(db: sqlite_utils.Database) -> int:
    feed = feed_store.add_feed(db, "https://tidewater.example.org/rss")
    _article(db, feed.id, "ferry", "Ferry crews strike over rota changes", LONG_AGO)
    _article(db, feed.id, "lighthouse", "Lighthouse keeper cottage opens to visitors", NOW)
    db.execute(
        "UPDATE feeds SET disabled_reason = 'gone (HTTP 410)', disabled_at = ? WHERE id = ?",
        [iso(NOW), feed.id],
    )
    return feed.id


def _alerted(db: sqlite_utils.Database) -> list[str]:
    rows = db.execute(
        "SELECT c.channel_id FROM alerts a JOIN channels c ON c.id = a.channel_pk ORDER BY 1"
    )
    return [r[0] for r in rows]


def test_channels_posted_its_recent_stories_are_told(db: sqlite_utils.Database) -> None:
    feed_id = _disabled_feed(db)
    then, lately = add_channel(db, "C-then"), add_channel(db, "C-lately")
    delivery_store.enqueue_story(db, "ferry", then.id, now=LONG_AGO)
    delivery_store.enqueue_story(db, "lighthouse", lately.id, now=NOW)

    assert feed_alerts.alert_disabled_feeds(db, now=NOW) == 1
    assert _alerted(db) == ["C-lately"]
    plan = plan_lines(db, lambda: feed_alerts._relying_channels(db, feed_id), "FROM articles a")
    assert plan[0].startswith("SEARCH a USING INDEX articles_feed_seen (feed_id=? AND seen_at>?)")
    assert not table_scans(plan)


def test_else_channels_whose_topics_match_its_recent_stories(db: sqlite_utils.Database) -> None:
    feed_id = _disabled_feed(db)
    for channel_id, query in (("C-ferries", "ferry"), ("C-lighthouses", "lighthouse")):
        channel = add_channel(db, channel_id)
        channel_store.upsert_topic(db, query, query)
        channel_store.follow(db, channel.id, query, now=NOW)

    assert feed_alerts.alert_disabled_feeds(db, now=NOW) == 1
    assert _alerted(db) == ["C-lighthouses"]
    latest = "story_id IS NOT NULL GROUP BY story_id"  # the feed's latest stories
    plan = plan_lines(db, lambda: feed_alerts._relying_channels(db, feed_id), latest)
    assert plan[0] == "SEARCH articles USING INDEX articles_feed_seen (feed_id=? AND seen_at>?)"
