"""Tombstones (bot.store.tombstones) of a feed that stops sending its body: a feed answering 304
Not Modified still serves the entries they stand for, so they must not expire, but only those its
last full answer served: the tombstones of entries it dropped expire; and an entry dated before
the retention cutoff is not ingested as new, for a feed back after more than a year."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from bot.app import NewsDigest
from bot.config import Config, PollingConfig, StorageConfig
from bot.feedserver import FeedServer, Reply
from bot.store import feeds as feed_store
from bot.store import retention, tombstones
from bot.store.database import open_database

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=200)
KEEP = timedelta(days=180)
WINDOW = timedelta(hours=48)

MakeCore = Callable[[int], NewsDigest]  # the config's storage.retention_days -> a core

OLD = ("old-1", "Harbour bridge reopens after repairs", "https://news.example/bridge")
NEW = ("new-1", "Council approves tram extension", "https://news.example/tram")


def _rss(*items: tuple[str, str, str], dated: dict[str, datetime] | None = None) -> bytes:
    dated = dated or {}
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        + (f"<pubDate>{format_datetime(dated[guid])}</pubDate>" if guid in dated else "")
        + f"<description>{title}, in full.</description></item>"
        for guid, title, link in items
    )
    return f'<rss version="2.0"><channel><title>Desk</title>{body}</channel></rss>'.encode()


@pytest.fixture
def make_core(tmp_path: Path) -> Iterator[MakeCore]:
    made: list[NewsDigest] = []

    def make(retention_days: int) -> NewsDigest:
        config = Config(
            database=str(tmp_path / "nd.db"),
            polling=PollingConfig(allow_private_networks=True, timeout=5.0),
            storage=StorageConfig(retention_days=retention_days),
        )
        core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
        made.append(core)
        return core

    yield make
    for core in made:
        core.close()


def _last_seen(core: NewsDigest) -> list[str]:
    return [r[0] for r in core.db.execute("SELECT last_seen FROM pruned_entries")]


async def test_a_feed_answering_304_for_over_a_year_keeps_its_tombstones(
    server: FeedServer, make_core: MakeCore
) -> None:
    core = make_core(180)
    server.route("/desk", Reply(body=_rss(OLD), etag='"v1"'))
    feed_store.add_feed(core.db, server.url("/desk"))
    assert len((await core.poll(feeds=feed_store.list_feeds(core.db), now=T0)).poll.new_articles)
    retention.prune(core.db, now=LATER, older_than=KEEP, window=WINDOW)
    assert tombstones.count(core.db) == 1

    # A day without a full answer: the poll asks without its ETag, and the entry served matches
    # its tombstone, refreshing it.
    refreshed_at = LATER + timedelta(days=300)
    report = await core.poll(feeds=feed_store.list_feeds(core.db), now=refreshed_at)
    assert [r.status for r in report.poll.feeds] == ["unchanged"]
    assert _last_seen(core) == [refreshed_at.isoformat()]
    # A 304 within the day writes nothing.
    later = await core.poll(
        feeds=feed_store.list_feeds(core.db), now=refreshed_at + timedelta(hours=2)
    )
    assert [r.status for r in later.poll.feeds] == ["not_modified"]
    assert _last_seen(core) == [refreshed_at.isoformat()]

    # Over a year after the prune, the feed changes and still serves the old (undated) item.
    back = LATER + timedelta(days=400)
    counts = retention.prune(core.db, now=back, older_than=KEEP, window=WINDOW)
    assert counts.tombstones_expired == 0
    server.route("/desk", Reply(body=_rss(OLD, NEW), etag='"v2"'))
    again = await core.poll(feeds=feed_store.list_feeds(core.db), now=back)
    assert [a.title for a in again.poll.new_articles] == [NEW[1]]


async def test_a_304_refreshes_only_that_feeds_tombstones(
    server: FeedServer, make_core: MakeCore
) -> None:
    core = make_core(180)
    server.route("/desk", Reply(body=_rss(OLD), etag='"v1"'))
    server.route("/other", Reply(body=_rss(NEW)))
    feed_store.add_feed(core.db, server.url("/desk"))
    feed_store.add_feed(core.db, server.url("/other"))
    await core.poll(feeds=feed_store.list_feeds(core.db), now=T0)
    retention.prune(core.db, now=LATER, older_than=KEEP, window=WINDOW)
    assert tombstones.count(core.db) == 2

    desk = feed_store.get_feed(core.db, server.url("/desk"))
    assert desk is not None
    await core.poll(feeds=[desk], now=LATER + timedelta(days=30))
    assert sorted(_last_seen(core)) == [LATER.isoformat(), (LATER + timedelta(days=30)).isoformat()]


async def test_a_304_does_not_refresh_the_tombstones_of_entries_the_feed_dropped(
    server: FeedServer, make_core: MakeCore
) -> None:
    core = make_core(180)
    server.route("/desk", Reply(body=_rss(OLD, NEW), etag='"v1"'))
    feed_store.add_feed(core.db, server.url("/desk"))
    await core.poll(feeds=feed_store.list_feeds(core.db), now=T0)
    retention.prune(core.db, now=LATER, older_than=KEEP, window=WINDOW)
    assert tombstones.count(core.db) == 2
    # The feed drops OLD for good; NEW it still serves, matching its tombstone.
    server.route("/desk", Reply(body=_rss(NEW), etag='"v2"'))
    full = LATER + timedelta(days=10)
    await core.poll(feeds=feed_store.list_feeds(core.db), now=full)
    # 304s since: only NEW's tombstone stands for an entry still served.
    for hours in (20, 23):
        report = await core.poll(
            feeds=feed_store.list_feeds(core.db), now=full + timedelta(hours=hours)
        )
        assert [r.status for r in report.poll.feeds] == ["not_modified"]
    rows = dict(core.db.execute("SELECT title_hash, last_seen FROM pruned_entries").fetchall())
    assert sorted(rows.values()) == [LATER.isoformat(), full.isoformat()]
    # So OLD's expires a year after the prune, however long the feed answers 304.
    expired = tombstones.expire(
        core.db, now=LATER + tombstones.TOMBSTONE_LIFETIME + timedelta(days=1), limit=10
    )
    assert expired == 1


async def test_an_entry_dated_before_the_retention_cutoff_is_not_new(
    server: FeedServer, make_core: MakeCore
) -> None:
    core = make_core(180)
    stale = ("stale-1", "Ferry timetable changes", "https://news.example/ferry")
    undated = ("undated-1", "Library extends opening hours", "https://news.example/library")
    dated = {stale[0]: T0 - timedelta(days=181), NEW[0]: T0 - timedelta(days=1)}
    server.route("/desk", Reply(body=_rss(stale, NEW, undated, dated=dated)))
    feed_store.add_feed(core.db, server.url("/desk"))

    report = await core.poll(feeds=feed_store.list_feeds(core.db), now=T0)

    assert sorted(a.title for a in report.poll.new_articles) == sorted([undated[1], NEW[1]])
    assert report.poll.feeds[0].entries == 3


async def test_with_retention_off_old_entries_are_still_ingested(
    server: FeedServer, make_core: MakeCore
) -> None:
    core = make_core(0)
    stale = ("stale-1", "Ferry timetable changes", "https://news.example/ferry")
    server.route("/desk", Reply(body=_rss(stale, dated={stale[0]: T0 - timedelta(days=2000)})))
    feed_store.add_feed(core.db, server.url("/desk"))

    report = await core.poll(feeds=feed_store.list_feeds(core.db), now=T0)

    assert [a.title for a in report.poll.new_articles] == [stale[1]]


async def test_a_placeholder_date_is_no_date_and_does_not_silence_a_feed(
    server: FeedServer, make_core: MakeCore
) -> None:
    # A CMS that lost its items' dates writes the Unix epoch: those entries are undated, not
    # older than retention, so the feed is not silently emptied.
    core = make_core(180)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    server.route("/desk", Reply(body=_rss(NEW, OLD, dated={NEW[0]: epoch, OLD[0]: epoch})))
    feed_store.add_feed(core.db, server.url("/desk"))

    report = await core.poll(feeds=feed_store.list_feeds(core.db), now=T0)

    assert sorted(a.title for a in report.poll.new_articles) == sorted([NEW[1], OLD[1]])
    assert {a.published for a in report.poll.new_articles} == {None}
