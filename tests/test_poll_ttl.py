"""RSS <ttl> and sy:updatePeriod/sy:updateFrequency: the publisher's asked-for interval is a
capped lower bound on the next poll, and after a 304 the stored one still holds (the document is
unchanged), so a feed that asks to be polled every two hours is not fetched every interval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.ingest.parser import parse_feed
from bot.pipeline.poll import MAX_TTL, poll_feeds
from bot.store import feeds as feed_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
T0 = datetime(2030, 1, 1, tzinfo=UTC)
RSS = b"""<rss version="2.0"><channel><title>Desk</title><ttl>120</ttl>
<item><guid>1</guid><title>A story</title><link>https://d.example/1</link></item>
</channel></rss>"""


async def test_ttl_is_honoured_after_a_304(server: FeedServer, db: sqlite_utils.Database) -> None:
    server.route("/f", Reply(body=RSS, etag='"v1"'))
    feed = feed_store.add_feed(db, server.url("/f"), interval=900)
    await poll_feeds(db, POLLING, now=T0)
    first = feed_store.get_feed(db, feed.id)
    assert first.next_poll_at is not None and first.next_poll_at >= T0 + timedelta(minutes=120)

    t1 = first.next_poll_at
    report = await poll_feeds(db, POLLING, now=t1)
    assert report.feeds[0].status == "not_modified"
    second = feed_store.get_feed(db, feed.id)
    assert second.ttl_minutes == 120
    assert second.next_poll_at is not None and second.next_poll_at >= t1 + timedelta(minutes=120)


async def test_a_failed_poll_does_not_wait_out_the_stored_ttl(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    # The ttl describes a document we have; a failure backs off by its own rules instead.
    server.script("/f", Reply(body=RSS), Reply(status=500))
    feed = feed_store.add_feed(db, server.url("/f"), interval=900)
    await poll_feeds(db, POLLING, now=T0)
    t1 = T0 + timedelta(hours=3)
    await poll_feeds(db, POLLING, now=t1)
    failed = feed_store.get_feed(db, feed.id)
    assert failed.consecutive_failures == 1
    assert failed.next_poll_at is not None and failed.next_poll_at < t1 + timedelta(minutes=120)


FEEDS = Path(__file__).parent / "fixtures" / "feeds"


@pytest.mark.parametrize(
    ("name", "parser", "asked"),
    [
        # daily, 4 times: every 6 h (RSS 1.0, read by fastfeedparser).
        ("rss10_syndication.rdf", "fastfeedparser", timedelta(hours=6)),
        # weekly, 14 times: every 12 h (an Atom feed only feedparser reads).
        ("atom_no_namespace_syndication.xml", "feedparser", timedelta(hours=12)),
    ],
)
async def test_sy_update_period_sets_the_next_poll(
    server: FeedServer, db: sqlite_utils.Database, name: str, parser: str, asked: timedelta
) -> None:
    body = (FEEDS / name).read_bytes()
    assert parse_feed(body).parser == parser  # both parsing paths carry the period
    server.route("/f", Reply(body=body, etag='"v1"'))
    feed = feed_store.add_feed(db, server.url("/f"), interval=900)
    await poll_feeds(db, POLLING, now=T0)
    first = feed_store.get_feed(db, feed.id)
    assert first.next_poll_at is not None
    assert T0 + asked <= first.next_poll_at < T0 + asked + timedelta(minutes=5)

    # A 304 has no document to read it from: the period stored from the last one still holds.
    t1 = first.next_poll_at
    report = await poll_feeds(db, POLLING, now=t1)
    assert report.feeds[0].status == "not_modified"
    second = feed_store.get_feed(db, feed.id)
    assert second.next_poll_at is not None and second.next_poll_at >= t1 + asked


def sy_rss(period: str, frequency: str = "", ttl: str = "") -> bytes:
    extra = f"<sy:updateFrequency>{frequency}</sy:updateFrequency>" if frequency else ""
    extra += f"<ttl>{ttl}</ttl>" if ttl else ""
    return f"""<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel><title>Desk</title><sy:updatePeriod>{period}</sy:updatePeriod>{extra}
<item><guid>1</guid><title>A story</title><link>https://d.example/1</link></item>
</channel></rss>""".encode()


@pytest.mark.parametrize(
    ("body", "wait"),
    [
        # A yearly period is capped like a huge <ttl>: never longer than a day between polls.
        (sy_rss("yearly"), MAX_TTL),
        # Only a lower bound: a publisher updating hourly does not make us poll more often
        # than the feed's own two-hour interval.
        (sy_rss("hourly", "1"), timedelta(hours=2)),
        # With <ttl> too, the longer of the two rules.
        (sy_rss("hourly", "2", ttl="180"), timedelta(hours=3)),
        (sy_rss("daily", "3", ttl="60"), timedelta(hours=8)),
        # A period we do not know says nothing.
        (sy_rss("fortnightly"), timedelta(hours=2)),
    ],
    ids=["capped", "lower-bound", "ttl-longer", "sy-longer", "unknown-period"],
)
async def test_sy_update_period_is_a_capped_lower_bound(
    server: FeedServer, db: sqlite_utils.Database, body: bytes, wait: timedelta
) -> None:
    server.route("/f", Reply(body=body))
    feed = feed_store.add_feed(db, server.url("/f"), interval=7200)
    await poll_feeds(db, POLLING, now=T0)
    polled = feed_store.get_feed(db, feed.id)
    assert polled.next_poll_at is not None
    assert T0 + wait <= polled.next_poll_at < T0 + wait + timedelta(minutes=5)


async def test_wordpress_default_hourly_period_does_not_slow_polling(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    # WordPress writes hourly/1 into every RSS 2.0 feed, whatever the site's pace: honoured, it
    # would poll every such feed hourly instead of every 15 minutes and delay instant posts.
    body = (FEEDS / "wordpress_default_syndication.xml").read_bytes()
    parsed = parse_feed(body)
    assert (parsed.update_minutes, parsed.asked_minutes) == (60, None)
    server.route("/f", Reply(body=body, etag='"v1"'))
    feed = feed_store.add_feed(db, server.url("/f"), interval=900)
    await poll_feeds(db, POLLING, now=T0)
    polled = feed_store.get_feed(db, feed.id)
    assert polled.ttl_minutes is None
    assert polled.next_poll_at is not None
    assert polled.next_poll_at < T0 + timedelta(minutes=20)

    # Nor after a 304, from what was stored.
    t1 = polled.next_poll_at
    assert (await poll_feeds(db, POLLING, now=t1)).feeds[0].status == "not_modified"
    again = feed_store.get_feed(db, feed.id)
    assert again.next_poll_at is not None and again.next_poll_at < t1 + timedelta(minutes=20)


@pytest.mark.parametrize(
    ("body", "asked"),
    [
        (sy_rss("daily", "24"), None),  # exactly an hour: ignored
        (sy_rss("daily", "23"), 62),  # longer: honoured
        (sy_rss("hourly", "4"), None),
        # <ttl> is a deliberate setting: honoured however short, sy: or not.
        (sy_rss("hourly", "1", ttl="30"), 30),
        (sy_rss("weekly", "1", ttl="30"), 7 * 24 * 60),
    ],
)
def test_a_sy_interval_of_an_hour_or_less_is_ignored(body: bytes, asked: int | None) -> None:
    assert parse_feed(body).asked_minutes == asked


def test_a_ttl_quoted_in_an_item_is_not_the_channels() -> None:
    # An item about feed formats may quote the markup: only the channel's own <ttl> counts.
    body = b"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>How feeds say when to come back</title><link>https://d.example/1</link>
<description><![CDATA[Publishers write <ttl>1440</ttl> in the channel.]]></description></item>
</channel></rss>"""
    assert parse_feed(body).ttl_minutes is None
    channel_ttl = body.replace(b"<title>Desk</title>", b"<title>Desk</title><ttl>45</ttl>")
    assert parse_feed(channel_ttl).ttl_minutes == 45
