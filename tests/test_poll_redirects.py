"""Permanent redirects through a real poll: the feed moves to its new address in the one spelling
feeds are stored in, and a move onto an address another feed already has neither crashes nor
leaves that feed fetched twice a pass."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer
from bot.ingest.fetcher import FeedFetcher
from bot.pipeline.poll import poll_feeds
from bot.store import feeds as feed_store
from bot.store.feeds import FeedExistsError

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Tide Tables</title>
<item><title>Spring tides this week</title><guid>t1</guid><link>https://tides.example/1</link>
</item></channel></rss>"""
POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
T = datetime(2026, 2, 20, tzinfo=UTC)


async def test_fetcher_reports_the_new_address_in_stored_spelling(server: FeedServer) -> None:
    server.route("/new", RSS)
    server.redirect("/old", f"HTTP://127.0.0.1:{server.port}/new#latest", 301)
    async with FeedFetcher(allow_private_networks=True, timeout=5.0) as f:
        result = await f.fetch(server.url("/old"))
    assert result.ok and result.permanent_url == server.url("/new")


async def test_moved_feed_cannot_be_added_a_second_time(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/new", RSS)
    server.redirect("/old", f"http://127.0.0.1:{server.port}/new#top", 301)
    feed_store.add_feed(db, server.url("/old"))

    (result,) = (await poll_feeds(db, POLLING, now=T)).feeds

    assert result.status == "new"
    assert [f.url for f in feed_store.list_feeds(db)] == [server.url("/new")]
    with pytest.raises(FeedExistsError):
        feed_store.add_feed(db, server.url("/new"))


@pytest.mark.parametrize("target", ["/new", "/new#top"])
async def test_move_onto_an_existing_feed_disables_the_old_row(
    server: FeedServer, db: sqlite_utils.Database, target: str
) -> None:
    server.route("/new", RSS)
    server.redirect("/old", f"http://127.0.0.1:{server.port}{target}", 301)
    kept = feed_store.add_feed(db, server.url("/new"))
    moved = feed_store.add_feed(db, server.url("/old"))

    report = await poll_feeds(db, POLLING, now=T)

    by_id = {f.id: f for f in feed_store.list_feeds(db)}
    assert by_id[kept.id].url == server.url("/new") and by_id[kept.id].disabled_reason is None
    old = by_id[moved.id]
    assert old.url == server.url("/old")
    assert old.disabled_reason == (
        f"moved permanently to {server.url('/new')}, which is feed {kept.id}; remove this one"
    )
    assert {r.feed.id: r.status for r in report.feeds}[moved.id] == "disabled"

    # Later passes fetch the shared address once, through the feed that has it.
    server.clear_requests()
    await poll_feeds(db, POLLING, now=T + timedelta(days=1))
    assert [r.path for r in server.requests] == ["/new"]


async def test_move_onto_a_disabled_feed_keeps_polling_through_the_redirect(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/new", RSS)
    server.redirect("/old", f"http://127.0.0.1:{server.port}/new", 301)
    gone = feed_store.add_feed(db, server.url("/new"))
    feed_store.update_feed(db, gone.id, disabled_reason="HTTP 404 ten times")
    moved = feed_store.add_feed(db, server.url("/old"))

    (result,) = (await poll_feeds(db, POLLING, now=T)).feeds

    # Disabling this one too would leave nothing polling the address.
    assert (result.feed.id, result.status) == (moved.id, "new")
    by_id = {f.id: f for f in feed_store.list_feeds(db)}
    assert by_id[moved.id].url == server.url("/old") and by_id[moved.id].disabled_reason is None
    assert [f.id for f in feed_store.due_feeds(db, T + timedelta(days=1))] == [moved.id]


async def test_two_feeds_moving_to_one_new_address_in_one_pass(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.route("/new", RSS)
    server.redirect("/a", "/new", 301)
    server.redirect("/b", "/new#b", 308)
    first = feed_store.add_feed(db, server.url("/a"))
    second = feed_store.add_feed(db, server.url("/b"))

    report = await poll_feeds(db, POLLING, now=T)

    # Whichever poll finished first took the address; the other was disabled, naming it.
    feeds = feed_store.list_feeds(db)
    assert sorted(r.status for r in report.feeds) == ["disabled", "new"]
    (winner,) = [f for f in feeds if f.disabled_reason is None]
    (loser,) = [f for f in feeds if f.disabled_reason is not None]
    assert winner.url == server.url("/new") and {winner.id, loser.id} == {first.id, second.id}
    assert loser.url in (server.url("/a"), server.url("/b"))
    assert f"which is feed {winner.id}" in (loser.disabled_reason or "")
