"""Hostile feed content and bugs on our side while polling: an entry's absurd date is no date; an
unexpected error in parsing (or storing nothing at all) is recorded on the feed (error, backoff)
rather than leaving it to be re-fetched on every tick; one entry that can't be stored is skipped
and retried on the next poll without counting against a healthy feed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.fetcher import parse_retry_after
from bot.ingest.normalize import parse_date
from bot.ingest.parser import parse_feed
from bot.pipeline import poll
from bot.pipeline.poll import poll_feeds
from bot.store import duplicates
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
# No Atom namespace: fastfeedparser gives up and feedparser's fallback hands us the raw string.
FAR_FUTURE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed><title>Workshop Diary</title>
  <entry><title>Good story</title><link href="https://w.example.com/ok"/><id>ok</id>
    <updated>2024-07-01T07:00:00Z</updated></entry>
  <entry><title>Bad date</title><link href="https://w.example.com/c"/><id>c</id>
    <updated>Fri, 31 Dec 9999 23:59:59 -0500</updated></entry>
</feed>"""
RSS = b"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>Good story</title><link>https://d.example/1</link></item>
<item><guid>2</guid><title>Poison story</title><link>https://d.example/2</link></item>
<item><guid>3</guid><title>Another good story</title><link>https://d.example/3</link></item>
</channel></rss>"""


def _titles(db: sqlite_utils.Database) -> list[str]:
    return sorted(r["title"] for r in db.execute_returning_dicts("SELECT title FROM articles"))


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-05:00",
        "0001-01-01T00:00:00+05:00",
        "Fri, 31 Dec 9999 23:59:59 -0500",
    ],
)
def test_a_date_that_cannot_be_shifted_to_utc_is_no_date(value: str) -> None:
    assert parse_date(value) is None


def test_retry_after_past_year_9999_is_ignored() -> None:
    now = datetime(2024, 3, 1, 9, tzinfo=UTC)
    assert parse_retry_after("Fri, 31 Dec 9999 23:59:59 -0500", now) is None


def test_feedparser_fallback_survives_a_far_future_date() -> None:
    feed = parse_feed(FAR_FUTURE, url="https://w.example.com/feed")
    assert [(e.title, e.published) for e in feed.entries] == [
        ("Good story", datetime(2024, 7, 1, 7, tzinfo=UTC)),
        ("Bad date", None),
    ]


async def test_far_future_date_does_not_lose_the_feed(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/feed.xml", Reply(body=FAR_FUTURE, content_type="application/xml"))
    feed_store.add_feed(db, server.url("/feed.xml"))

    report = await poll_feeds(db, POLLING)

    assert [r.status for r in report.feeds] == ["new"]
    assert _titles(db) == ["Bad date", "Good story"]


async def test_a_parser_crash_is_recorded_but_not_counted(
    server: FeedServer, db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(poll, "parse_feed", crash)
    server.route("/rss", Reply(body=RSS, content_type="application/rss+xml"))
    feed_store.add_feed(db, server.url("/rss"))

    report = await poll_feeds(db, POLLING)

    assert [r.status for r in report.feeds] == ["failed"]
    (feed,) = feed_store.list_feeds(db)
    assert feed.last_error and "RuntimeError: parser bug" in feed.last_error
    # Our bug, not the feed's failure (tests/test_poll_internal_errors.py).
    assert feed.consecutive_failures == 0
    assert feed.next_poll_at is not None and feed.last_polled_at is not None
    assert feed.next_poll_at > feed.last_polled_at


def _poison_titles(monkeypatch: pytest.MonkeyPatch, prefix: str) -> None:
    real_title_key = duplicates.title_key

    def title_key(title: str) -> str:
        if title.startswith(prefix):
            raise RuntimeError("store bug")
        return real_title_key(title)

    monkeypatch.setattr(duplicates, "title_key", title_key)


async def test_one_entry_crashing_the_store_keeps_the_others_and_is_retried(
    server: FeedServer, db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison_titles(monkeypatch, "Poison")
    server.route("/rss", Reply(body=RSS, content_type="application/rss+xml", etag='"v1"'))
    feed_store.add_feed(db, server.url("/rss"))

    report = await poll_feeds(db, POLLING)

    # The feed is healthy: one entry hit a bug of ours. Not the feed's failure (no backoff, no
    # count towards disabling it), but the poll says what it left out.
    (result,) = report.feeds
    assert result.status == "new" and result.new_articles == 2
    assert result.error and "skipped 1 entry" in result.error
    assert report.failed == [] and report.warned == [result]
    assert _titles(db) == ["Another good story", "Good story"]
    (feed,) = feed_store.list_feeds(db)
    assert feed.last_error is None and feed.consecutive_failures == 0
    # The validator is not taken while an entry is missing: the next poll downloads the feed
    # again instead of a 304, so the skipped entry is stored once the cause has passed.
    assert feed.etag is None

    monkeypatch.undo()
    await poll_feeds(db, POLLING, feeds=feed_store.list_feeds(db))

    assert server.requests_to("/rss")[-1].header("If-None-Match") is None
    assert _titles(db) == ["Another good story", "Good story", "Poison story"]
    (feed,) = feed_store.list_feeds(db)
    assert feed.etag == '"v1"'


async def test_a_store_that_can_keep_no_entry_is_a_failed_poll(
    server: FeedServer, db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison_titles(monkeypatch, "")
    server.route("/rss", Reply(body=RSS, content_type="application/rss+xml"))
    feed_store.add_feed(db, server.url("/rss"))

    report = await poll_feeds(db, POLLING)

    (result,) = report.feeds
    assert result.status == "failed" and result.new_articles == 0
    (feed,) = feed_store.list_feeds(db)
    assert feed.last_error and "RuntimeError: store bug" in feed.last_error
    assert feed.next_poll_at is not None and feed.last_polled_at is not None
    assert feed.next_poll_at > feed.last_polled_at


async def test_a_crash_anywhere_in_a_poll_is_recorded(
    server: FeedServer, db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("summary bug")

    monkeypatch.setattr(poll, "summarise", crash)  # the name the poll calls
    server.route("/rss", Reply(body=RSS, content_type="application/rss+xml"))
    feed_store.add_feed(db, server.url("/rss"))

    report = await poll_feeds(db, POLLING)

    assert [r.status for r in report.feeds] == ["failed"]
    (feed,) = feed_store.list_feeds(db)
    assert feed.last_error and "summary bug" in feed.last_error
    assert feed.next_poll_at is not None
