"""Choosing what one channel gets: stories that match its topics, have enough independent sources,
were not posted to it before, and are not muted there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from bot.models import Article
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow, TopicRow
from bot.store.stories import StoryRow
from bot.topics.query import StoryDoc, TopicQuery

DEFAULT_WINDOW = timedelta(hours=48)
DEFAULT_LIMIT = 10


@dataclass(slots=True)
class Candidate:
    story: StoryRow
    members: list[Article]
    topics: list[str]


def delivered_story_ids(db: sqlite_utils.Database, channel_pk: int) -> set[str]:
    return {
        row[0]
        for row in db.execute(
            "SELECT story_id FROM deliveries WHERE channel_pk = ? AND kind = 'story'", [channel_pk]
        )
    }


def matching_topics(topics: list[TopicRow], members: list[Article]) -> list[str]:
    doc = StoryDoc.from_articles(members)
    return [t.slug for t in topics if TopicQuery.parse(t.query).matches(doc)]


def select_stories(
    db: sqlite_utils.Database,
    channel: ChannelRow,
    *,
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
    limit: int = DEFAULT_LIMIT,
    include_delivered: bool = False,
) -> list[Candidate]:
    """Stories for this channel, biggest first. A channel that follows no topic gets every story
    that clears its minimum number of independent sources."""
    topics = channel_store.channel_topics(db, channel.id)
    stories = story_store.recent_stories(db, since=now - window, min_sources=channel.min_sources)
    skip = channel_store.muted_story_ids(db, channel.id)
    if not include_delivered:
        skip |= delivered_story_ids(db, channel.id)
    stories = [s for s in stories if s.id not in skip]
    members = article_store.articles_for_stories(db, [s.id for s in stories])
    chosen: list[Candidate] = []
    for story in stories:
        matched = matching_topics(topics, members[story.id]) if topics else []
        if topics and not matched:
            continue
        chosen.append(Candidate(story=story, members=members[story.id], topics=matched))
        if len(chosen) >= limit:
            break
    return chosen
