"""The SQLite store on a real database file: migrations, dedupe, config sync, merges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from bot.config import parse_config
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store.database import MIGRATIONS, applied_migrations, migrate, open_database
from bot.store.sync import sync_config

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return open_database(tmp_path / "nd.db")


def test_migrations_are_recorded_and_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    db = open_database(path)
    assert applied_migrations(db) == [v for v, _, _ in MIGRATIONS]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    again = open_database(path)
    assert migrate(again) == []  # nothing left to apply
    assert {"feeds", "articles", "stories", "deliveries", "channels", "topics"} <= set(
        again.table_names()
    )


def test_an_old_database_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(path)
    feed_store.add_feed(db, "https://a.example/rss")
    # Pretend the file was written by a version that only knew migration 1.
    db.execute("DELETE FROM schema_migrations WHERE version > 1")
    db.close()
    upgraded = open_database(path)
    assert applied_migrations(upgraded) == [v for v, _, _ in MIGRATIONS]
    assert [f.url for f in feed_store.list_feeds(upgraded)] == ["https://a.example/rss"]


def test_slugs_written_before_folded_keys_are_folded_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = open_database(path)
    story_store.create_story(db, "s1", "всё-банке", "Всё о банке", datetime(2026, 1, 5, tzinfo=UTC))
    story_store.create_story(db, "s2", "old-name", "Old", datetime(2026, 1, 5, tzinfo=UTC))
    story_store.merge(db, "s2", "s1")  # "old-name" is now also an alias of s1
    # Pretend the file was written before migration 5: no folded keys, no index on them.
    for table in ("stories", "story_aliases"):
        db.execute(f"DROP INDEX {table}_slug_key")
        db.execute(f"ALTER TABLE {table} DROP COLUMN slug_key")
    db.execute("DELETE FROM schema_migrations WHERE version >= 5")
    db.close()
    upgraded = open_database(path)
    assert story_store.slug_taken(upgraded, "все-банке")  # folds onto "всё-банке"
    assert story_store.slug_taken(upgraded, "Old-Name")
    assert not story_store.slug_taken(upgraded, "все-банки")
    plan = upgraded.execute(
        "EXPLAIN QUERY PLAN SELECT 1 FROM stories WHERE slug_key = 'все-банке'"
    ).fetchall()
    assert "stories_slug_key" in str(plan)  # one index lookup, whatever the number of stories


def _row(feed_id: int, guid: str | None, title: str, url: str | None) -> dict[str, object]:
    return {
        "feed_id": feed_id,
        "source": "Outlet",
        "guid": guid,
        "url": url,
        "canonical_url": url,
        "title": title,
        "text": "body",
        "published": NOW,
        "seen_at": NOW,
    }


def test_dedupe_by_guid_url_and_title(db: sqlite_utils.Database) -> None:
    feed = feed_store.add_feed(db, "https://a.example/rss")
    first = article_store.insert_new(db, [_row(feed.id, "g1", "Rates held", "https://a.example/1")])
    assert len(first) == 1
    # The same GUID again is no new article; its corrected title replaces the stored one.
    assert (
        article_store.insert_new(
            db, [_row(feed.id, "g1", "Rates held again", "https://a.example/x")]
        )
        == []
    )
    assert [a.title for a in article_store.unclustered(db)] == ["Rates held again"]
    assert (
        article_store.insert_new(db, [_row(feed.id, "g2", "Other title", "https://a.example/1")])
        == []
    )
    assert (
        article_store.insert_new(
            db, [_row(feed.id, "g3", "RATES  HELD  AGAIN", "https://a.example/3")]
        )
        == []
    )
    fresh = article_store.insert_new(
        db, [_row(feed.id, "g4", "Something new", "https://a.example/4")]
    )
    assert [a.title for a in fresh] == ["Something new"]
    assert article_store.count(db) == 2


def test_config_sync_keeps_chat_edits_until_the_file_changes(db: sqlite_utils.Database) -> None:
    raw = {
        "feeds": [{"url": "https://a.example/rss"}],
        "topics": [{"slug": "chips", "query": "chip"}],
        "channels": [{"platform": "slack", "id": "C1", "topics": ["chips"], "min_sources": 2}],
    }
    sync_config(db, parse_config(raw))
    channel = channel_store.get_channel(db, "slack", "C1")
    assert channel is not None and channel.min_sources == 2
    channel_store.update_channel(db, channel.id, min_sources=4)  # changed in chat
    feed_store.add_feed(db, "https://chat.example/rss", origin="chat")

    sync_config(db, parse_config(raw))  # restart, same file
    assert channel_store.get_channel(db, "slack", "C1").min_sources == 4  # type: ignore[union-attr]

    raw["channels"][0]["min_sources"] = 3  # the admin edits the file
    raw["feeds"] = []
    sync_config(db, parse_config(raw))
    assert channel_store.get_channel(db, "slack", "C1").min_sources == 3  # type: ignore[union-attr]
    # The config's feed is gone; the one added in chat stays.
    assert [f.url for f in feed_store.list_feeds(db)] == ["https://chat.example/rss"]
    assert [t.slug for t in channel_store.channel_topics(db, channel.id)] == ["chips"]


def test_merge_keeps_the_old_slug_resolving(db: sqlite_utils.Database) -> None:
    feed = feed_store.add_feed(db, "https://a.example/rss")
    a1, a2 = (
        article_store.insert_new(
            db, [_row(feed.id, f"g{i}", f"title {i}", f"https://a.example/{i}")]
        )[0]
        for i in (1, 2)
    )
    story_store.create_story(db, "s1", "moon-landing", "Moon landing", NOW)
    story_store.create_story(db, "s2", "lunar-lander", "Lunar lander", NOW - timedelta(hours=1))
    article_store.set_story(db, a1.id, "s1")
    article_store.set_story(db, a2.id, "s2")
    story_store.merge(db, "s2", "s1")
    assert story_store.resolve_id(db, "s2") == "s1"
    assert story_store.aliases(db) == {"s1": ["lunar-lander"]}
    assert story_store.slug_taken(db, "lunar-lander")
    assert {a.id for a in article_store.story_articles(db, "s1")} == {a1.id, a2.id}
    # The survivor keeps the earliest first-seen time of the two.
    assert story_store.get_story(db, "s1").first_seen == NOW - timedelta(hours=1)  # type: ignore[union-attr]


def test_feed_scheduling_state(db: sqlite_utils.Database) -> None:
    feed = feed_store.add_feed(db, "https://a.example/rss")
    assert [f.id for f in feed_store.due_feeds(db, NOW)] == [feed.id]  # never polled: due
    feed_store.update_feed(db, feed.id, next_poll_at=NOW + timedelta(minutes=5))
    assert feed_store.due_feeds(db, NOW) == []
    feed_store.update_feed(db, feed.id, disabled_reason="HTTP 410 Gone", next_poll_at=NOW)
    assert feed_store.due_feeds(db, NOW) == []
    enabled = feed_store.enable_feed(db, feed.id)
    assert enabled is not None and enabled.disabled_reason is None
    assert feed_store.due_feeds(db, NOW)[0].id == feed.id


def test_a_moved_config_feed_keeps_its_state_across_restarts(db: sqlite_utils.Database) -> None:
    raw = {"feeds": [{"url": "https://old.example/rss"}]}
    sync_config(db, parse_config(raw))
    feed = feed_store.get_feed(db, "https://old.example/rss")
    assert feed is not None
    # A poll followed a 301 and stored validators for the new address.
    feed_store.update_feed(db, feed.id, url="https://new.example/rss", etag='"abc"')
    report = sync_config(db, parse_config(raw))  # restart with the same file
    assert (report.feeds_added, report.feeds_removed) == (0, 0)
    (kept,) = feed_store.list_feeds(db)
    assert (kept.id, kept.url, kept.etag) == (feed.id, "https://new.example/rss", '"abc"')
    sync_config(db, parse_config({}))  # the admin removes it from the file
    assert feed_store.list_feeds(db) == []


def test_a_channel_removed_from_the_config_is_paused_not_deleted(db: sqlite_utils.Database) -> None:
    sync_config(db, parse_config({"channels": [{"platform": "slack", "id": "C1"}]}))
    report = sync_config(db, parse_config({}))
    assert report.channels_paused == 1
    channel = channel_store.get_channel(db, "slack", "C1")
    assert channel is not None and channel.paused_reason and "config" in channel.paused_reason
    assert sync_config(db, parse_config({})).channels_paused == 0  # once


def test_recurring_titles_and_homepage_links_are_not_duplicates(db: sqlite_utils.Database) -> None:
    feed = feed_store.add_feed(db, "https://a.example/rss")
    briefing = _row(feed.id, "b1", "Morning briefing", "https://a.example/b/1")
    next_week = dict(_row(feed.id, "b2", "Morning briefing", "https://a.example/b/2"))
    next_week["published"] = NOW + timedelta(days=7)
    assert len(article_store.insert_new(db, [briefing, next_week])) == 2
    # Items that all link to the site's home page are told apart by their GUIDs.
    home = [_row(feed.id, f"h{i}", f"Status update {i}", "https://a.example/") for i in range(3)]
    assert len(article_store.insert_new(db, home)) == 3


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("UPDATE stories SET merged_into = 'a' WHERE merged_into = 'b'", "stories_merged_into"),
        ("SELECT id FROM stories WHERE merged_into = 'b'", "stories_merged_into"),
        ("SELECT slug FROM story_aliases WHERE story_id = 'a'", "story_aliases_story"),
    ],
)
def test_merges_and_alias_lookups_use_an_index(tmp_path: Path, query: str, index: str) -> None:
    # Without one, each merge and each slug settle scans every story or alias ever stored.
    path = tmp_path / "old.db"
    db = open_database(path)
    # Also on an upgraded file: pretend it was written before migration 8.
    db.execute("DROP INDEX stories_merged_into")
    db.execute("DROP INDEX story_aliases_story")
    db.execute("DELETE FROM schema_migrations WHERE version >= 8")
    db.close()
    upgraded = open_database(path)
    plan = str(upgraded.execute(f"EXPLAIN QUERY PLAN {query}").fetchall())
    assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan, plan
