"""A page's own outlet is never kept out by another feed's copy of its link. An aggregator (or a
hostile feed) that lists an outlet's article first has its copy stored; the outlet's own entry,
polled later, is stored too, under its own title and name. Copies after the outlet's own, and a
second feed of the same outlet, are still repeats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils

from bot.ingest.normalize import canonical_url
from bot.store import articles as article_store
from bot.store.feeds import FeedRow, add_feed

T0 = datetime(2030, 3, 1, 8, 0, tzinfo=UTC)
PAGE = "https://www.tidewater-post.example/world/2030/03/01/ferry-accord-signed/"


def _entry(feed: FeedRow, source: str, guid: str, title: str, minutes: int) -> dict[str, object]:
    when = T0 + timedelta(minutes=minutes)
    return {
        "feed_id": feed.id,
        "source": source,
        "guid": guid,
        "url": PAGE,
        "canonical_url": canonical_url(PAGE),
        "title": title,
        "text": "The two ferry operators signed the accord on Saturday after nine weeks of talks.",
        "author": None,
        "published": when,
        "seen_at": when,
    }


def _stored(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    return [
        (row["source"], row["title"])
        for row in db.query("SELECT source, title FROM articles ORDER BY seen_at")
    ]


def test_an_outlets_article_listed_first_by_another_feed_is_still_stored(
    db: sqlite_utils.Database,
) -> None:
    other = add_feed(db, "https://lists.example.org/rss")
    outlet = add_feed(db, "https://feeds.tidewater-post.example/world.xml")
    claim = _entry(other, "Harbour Lists", "hl-1", "Ferry accord collapses", 0)
    assert len(article_store.insert_new(db, [claim])) == 1
    own = _entry(outlet, "Tidewater Post", "tp-88", "Ferry operators sign accord", 5)
    new = article_store.insert_new(db, [own])
    assert [(a.source, a.title) for a in new] == [("Tidewater Post", "Ferry operators sign accord")]
    assert _stored(db) == [
        ("Harbour Lists", "Ferry accord collapses"),
        ("Tidewater Post", "Ferry operators sign accord"),
    ]
    # Served again on the next poll, it is known, not new.
    assert article_store.insert_new(db, [own]) == []


def test_a_feed_that_takes_the_outlets_name_and_title_does_not_keep_it_out(
    db: sqlite_utils.Database,
) -> None:
    other = add_feed(db, "https://lists.example.org/rss")
    outlet = add_feed(db, "https://feeds.tidewater-post.example/world.xml")
    title = "Ferry operators sign accord"
    assert article_store.insert_new(db, [_entry(other, "Tidewater Post", "x-1", title, 0)])
    assert article_store.insert_new(db, [_entry(outlet, "Tidewater Post", "tp-88", title, 5)])
    assert len(_stored(db)) == 2


def test_copies_after_the_outlets_own_are_repeats(db: sqlite_utils.Database) -> None:
    outlet = add_feed(db, "https://feeds.tidewater-post.example/world.xml")
    same_outlet = add_feed(db, "https://www.tidewater-post.example/top-stories/rss")
    aggregator = add_feed(db, "https://lists.example.org/rss")
    title = "Ferry operators sign accord"
    assert article_store.insert_new(db, [_entry(outlet, "Tidewater Post", "tp-88", title, 0)])
    later = [
        _entry(same_outlet, "Tidewater Post", "top-3", title, 5),  # the outlet's other feed
        _entry(aggregator, "Harbour Lists", "hl-1", "Accord signed", 10),
    ]
    assert article_store.insert_new(db, later) == []
    assert _stored(db) == [("Tidewater Post", title)]


def test_two_feeds_that_do_not_publish_the_page_are_one_article(
    db: sqlite_utils.Database,
) -> None:
    first = add_feed(db, "https://lists.example.org/rss")
    second = add_feed(db, "https://digest.example.net/feed")
    assert article_store.insert_new(db, [_entry(first, "Harbour Lists", "hl-1", "Accord", 0)])
    assert article_store.insert_new(db, [_entry(second, "Net Digest", "nd-1", "Accord!", 5)]) == []
