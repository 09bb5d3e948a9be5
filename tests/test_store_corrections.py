"""An entry corrected in place (same feed and GUID, new title or text) updates the stored article
and drops its story's cached summary, so the card is rebuilt; it is not a new article. An entry
served again unchanged (even re-serialised) leaves the cache alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

from bot.config import PollingConfig
from bot.feedserver import FeedServer, Reply
from bot.models import Summary
from bot.pipeline.poll import poll_feeds
from bot.store import articles as article_store
from bot.store import feeds as feed_store
from bot.store import stories as story_store
from bot.store import summaries as summary_store

POLLING = PollingConfig(allow_private_networks=True, timeout=5.0)
T0 = datetime(2030, 1, 1, tzinfo=UTC)


def _rss(title: str, text: str) -> bytes:
    return f"""<rss version="2.0"><channel><title>Desk</title>
<item><guid>1</guid><title>{title}</title><description>{text}</description>
<link>https://d.example/1</link></item></channel></rss>""".encode()


def _titles(db: sqlite_utils.Database) -> list[str]:
    return [r["title"] for r in db.execute_returning_dicts("SELECT title FROM articles")]


async def _poll_and_summarise(db: sqlite_utils.Database, at: datetime) -> list[str]:
    """Poll, and file any new article under a story with a cached summary."""
    report = await poll_feeds(db, POLLING, now=at)
    for article in report.new_articles:
        story_store.create_story(db, "s1", "minister", article.title, at)
        article_store.set_story(db, article.id, "s1")
        summary_store.store_summary(db, "s1", Summary(article.title, [], []), 1)
    return [a.title for a in report.new_articles]


async def test_a_corrected_entry_updates_the_article_and_its_card(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.script(
        "/f",
        Reply(body=_rss("Minister resigns", "The minister resigned today.")),
        Reply(body=_rss("Minister does not resign", "The minister did not resign today.")),
    )
    feed_store.add_feed(db, server.url("/f"))
    assert await _poll_and_summarise(db, T0) == ["Minister resigns"]
    assert summary_store.cached_summary(db, "s1", 1) is not None

    assert await _poll_and_summarise(db, T0 + timedelta(hours=1)) == []  # not announced again
    assert _titles(db) == ["Minister does not resign"]
    members = article_store.story_articles(db, "s1")
    assert members[0].text == "The minister did not resign today."
    assert summary_store.cached_summary(db, "s1", 1) is None  # the card is rebuilt


async def test_an_unchanged_entry_keeps_the_cached_summary(
    server: FeedServer, db: sqlite_utils.Database
) -> None:
    server.script(
        "/f",
        Reply(body=_rss("Minister resigns", "The minister resigned today.")),
        # Served again with different whitespace, and then with its text dropped.
        Reply(body=_rss("Minister  resigns", "The minister\n resigned today.")),
        Reply(body=_rss("Minister resigns", "")),
    )
    feed_store.add_feed(db, server.url("/f"))
    await _poll_and_summarise(db, T0)
    for hours in (1, 2):
        assert await _poll_and_summarise(db, T0 + timedelta(hours=hours)) == []
        assert summary_store.cached_summary(db, "s1", 1) is not None
    assert _titles(db) == ["Minister resigns"]
    assert article_store.story_articles(db, "s1")[0].text == "The minister resigned today."


def test_upgrading_drops_summaries_cached_with_outlets_named_by_feed(tmp_path: Path) -> None:
    # Written before the summariser keyed outlets by site, a cached card could credit a bullet
    # to two section feeds of one paper; it would stand until the story grew. The upgrade drops
    # every cached summary, so each card is written anew the next time it is needed.
    from bot.store.database import open_database

    path = tmp_path / "old.db"
    db = open_database(path)
    when = datetime(2026, 1, 5, tzinfo=UTC)
    story_store.create_story(db, "s1", "omega-dam", "Dam breach", when)
    summary_store.store_summary(db, "s1", Summary("Dam breach", [], []), 2)
    db.execute("DELETE FROM schema_migrations WHERE version >= 13")
    db.close()
    upgraded = open_database(path)
    assert summary_store.cached_summary(upgraded, "s1", 2) is None
    # Written again, it is kept as before.
    summary_store.store_summary(upgraded, "s1", Summary("Dam breach", [], []), 2)
    assert summary_store.cached_summary(upgraded, "s1", 2) is not None
