"""Stories to merge and rename for the tests of what `/story <old-slug>` says, on a real SQLite
file, and the line a reply adds under the card."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.commands.base import Reply
from bot.config import Config
from bot.store import articles as article_store
from bot.store import stories as story_store
from bot.store.database import open_database
from tests.fakes.clock import Clock

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
RENAMED = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
FIRST = datetime(2026, 11, 28, 9, 30, tzinfo=UTC)
SECOND = datetime(2026, 11, 30, 6, 15, tzinfo=UTC)


def add_story(db: sqlite_utils.Database, story_id: str, slug: str) -> None:
    """A story of one article, from an outlet of its own (a merge adds up their sources)."""
    story_store.create_story(db, story_id, slug, f"{slug.replace('-', ' ')} reported", FIRST)
    story_store.update_counts(
        db, story_id, article_count=1, outlet_count=1, source_count=1, last_updated=NOW
    )
    url = f"https://{story_id}.example/report"
    title = f"{slug.replace('-', ' ')} as {story_id} reports"
    row = {
        "source": f"{story_id} post",
        "guid": url,
        "url": url,
        "canonical_url": url,
        "title": title,
    }
    for article in article_store.insert_new(db, [{**row, "seen_at": FIRST}]):
        article_store.set_story(db, article.id, story_id)


def news_at(path: Path) -> NewsDigest:
    return NewsDigest(Config(database=str(path)), db=open_database(path))


async def note_for(core: NewsDigest, typed: str, *, now: datetime = NOW) -> tuple[str, Reply]:
    reply = await Commands(core, clock=Clock(now)).dispatch("story", typed, SLACK)
    return reply.see_also, reply
