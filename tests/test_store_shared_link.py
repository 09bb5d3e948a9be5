"""A canonical URL shared by distinct entries of one feed (a status page or changelog that links
every item to /incidents) is no proof they are one article; from another feed, or with the same
title or text, it still is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer
from bot.pipeline.poll import poll_feeds
from bot.store import articles as article_store
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
T0 = datetime(2030, 1, 1, tzinfo=UTC)
INDEX = "https://status.example.com/incidents"
STATUS = f"""<rss version="2.0"><channel><title>Ops</title>
<item><guid>inc-1</guid><title>Database outage in eu-west</title>
  <description>Primary DB failed over at 09:00.</description><link>{INDEX}</link></item>
<item><guid>inc-2</guid><title>Elevated API latency in us-east</title>
  <description>Latency rose after a deploy at 14:00.</description><link>{INDEX}</link></item>
</channel></rss>""".encode()


def _row(feed_id: int | None, source: str, guid: str, title: str, text: str) -> dict[str, object]:
    return {
        "feed_id": feed_id,
        "source": source,
        "guid": guid,
        "url": INDEX,
        "canonical_url": INDEX,
        "title": title,
        "text": text,
        "author": None,
        "published": T0,
        "seen_at": T0,
    }


async def test_distinct_entries_sharing_an_index_link_are_all_stored(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/f", STATUS)
    feed_store.add_feed(db, server.url("/f"))
    report = await poll_feeds(db, POLLING, now=T0)
    assert len(report.new_articles) == 2
    # And polled again, nothing is new.
    again = await poll_feeds(db, POLLING, now=T0 + timedelta(hours=1))
    assert again.new_articles == []


def test_a_shared_link_still_dedupes_with_evidence(db: sqlite_utils.Database) -> None:
    feed_store.add_feed(db, "https://status.example.com/feed.xml")
    feed_store.add_feed(db, "https://aggregator.example/feed.xml")
    first = _row(1, "Ops", "a", "Database outage in eu-west", "Primary DB failed over at 09:00.")
    assert len(article_store.insert_new(db, [first])) == 1
    same_title = _row(1, "Ops", "a-2", "Database Outage in EU-West", "Resolved.")
    same_text = _row(1, "Ops", "a-3", "Outage (updated)", "Primary DB failed over at 09:00.")
    other_feed = _row(2, "Aggregator", "x", "Ops: something else", "Another text entirely.")
    assert article_store.insert_new(db, [same_title, same_text, other_feed]) == []
    assert article_store.count(db) == 1
