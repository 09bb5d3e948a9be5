"""Stories and channels written straight into a database, without the clusterer, plus a simple
card source: enough to drive the outbox and the digest planner in tests and crash children; and a
channel's row without a database, for an adapter driven on its own."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from bot.cards import StoryCard
from bot.outlets import story_outlets
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import iso, transaction


def channel_row(
    channel_id: str | int, *, platform: str = "discord", webhook_url: str | None = None
) -> ChannelRow:
    """A channel's row as the store would give it (row 1, a daily digest at 09:00 UTC of stories
    from two sources), for calling an adapter without a database."""
    return ChannelRow(
        id=1,
        platform=platform,
        channel_id=str(channel_id),
        name="news",
        schedule="0 9 * * *",
        timezone="UTC",
        mode="digest",
        min_sources=2,
        quiet_hours=None,
        webhook_url=webhook_url,
        paused_reason=None,
    )


def add_channel(
    db: sqlite_utils.Database,
    channel_id: str,
    *,
    platform: str = "slack",
    schedule: str = "0 9 * * *",
    timezone: str = "UTC",
    mode: str = "digest",
    min_sources: int = 1,
    quiet_hours: str | None = None,
    webhook_url: str | None = None,
) -> ChannelRow:
    """A channel's row in the database, made or updated; `webhook_url`: a Discord channel posted
    to through it. Called again for a channel without `webhook_url`, it keeps the one set."""
    channel = channel_store.ensure_channel(db, platform, channel_id, name=channel_id)
    # Only when given: setting None would move a webhook channel to the bot's route.
    route = {"webhook_url": webhook_url} if webhook_url is not None else {}
    return channel_store.update_channel(
        db,
        channel.id,
        schedule=schedule,
        timezone=timezone,
        mode=mode,
        min_sources=min_sources,
        quiet_hours=quiet_hours,
        **route,
    )


def add_story(
    db: sqlite_utils.Database, story_id: str, outlets: list[str], *, now: datetime
) -> None:
    """A story covered by one article from each outlet (each counted as independent)."""
    with transaction(db):
        if story_store.get_story(db, story_id) is None:
            story_store.create_story(db, story_id, f"story-{story_id}", f"Story {story_id}", now)
        grow_story(db, story_id, outlets, now=now)


def queue_story(
    db: sqlite_utils.Database, channel: ChannelRow, story_id: str, *, now: datetime
) -> int:
    """A story of two outlets, A and B, added and its post queued for `channel`: the row's id."""
    add_story(db, story_id, ["A", "B"], now=now)
    delivery_store.enqueue_story(db, story_id, channel.id, now=now)
    row = delivery_store.story_post(db, story_id, channel.id)
    assert row is not None
    return row.id


def grow_story(
    db: sqlite_utils.Database, story_id: str, outlets: list[str], *, now: datetime
) -> None:
    with transaction(db):
        rows = [
            {"source": o, "guid": f"{story_id}-{o}", "title": f"{o} on {story_id}", "seen_at": now}
            for o in outlets
        ]
        for article in article_store.insert_new(db, rows):
            article_store.set_story(db, article.id, story_id)
        members = article_store.story_articles(db, story_id)
        sources = len({a.source for a in members})
        db.execute(
            "UPDATE stories SET article_count = ?, outlet_count = ?, source_count = ?,"
            " last_updated = ? WHERE id = ?",
            [len(members), sources, sources, iso(now), story_id],
        )


def make_card_source(db: sqlite_utils.Database, now: datetime):  # type: ignore[no-untyped-def]
    def card_for(story_id: str, channel: ChannelRow) -> StoryCard | None:
        story = story_store.get_story(db, story_id)
        if story is None:
            return None
        outlets = story_outlets(article_store.story_articles(db, story_id))
        return StoryCard(
            story_id=story.id,
            slug=story.slug,
            headline=story.headline,
            source_count=len(outlets),
            outlets=outlets,
            tldr=[],
            sources=[],
            angles=[],
            also_reporting=[],
            first_seen=story.first_seen,
            as_of=now,
        )

    return card_for
