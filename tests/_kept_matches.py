"""A channel following `electric` given stories by a digest, for the kept-match tests
(`bot.store.topic_matches`): Monday's digest gives the ferry its card and lists the one-outlet
budget story after it; overnight a second outlet joins the budget story without the word. Real
SQLite files, the real digest planner (`bot.runner.digests`) and outbox, a fake chat platform."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.pipeline.digest import matching_topics
from bot.runner import digests
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import iso, open_database, transaction

MONDAY = datetime(2027, 3, 8, 9, 0, tzinfo=UTC)
TUESDAY = MONDAY + timedelta(days=1)

LEAD = (
    "Harbor Daily",
    "Council approves the budget",
    "The budget doubles funding for electric buses, officials said on Monday.",
)
OTHERWISE = (
    "Metro Wire",
    "Budget passes after a long debate",
    "Councillors passed the budget late on Monday after a six-hour debate over spending.",
)
FERRY = (
    "Coast Courier",
    "Electric ferry enters service",
    "The harbour's first electric ferry carried its first passengers on Monday.",
)


def report(
    db: sqlite_utils.Database, story_id: str, article: tuple[str, str, str], at: datetime
) -> None:
    """One outlet's report joining the story `story_id` (opened by it if new), counts updated."""
    source, title, text = article
    with transaction(db):
        if story_store.get_story(db, story_id) is None:
            story_store.create_story(db, story_id, story_id, title, at)
        row = {"source": source, "guid": f"{story_id}-{title}", "title": title, "text": text}
        for stored in article_store.insert_new(db, [{**row, "seen_at": at, "published": at}]):
            article_store.set_story(db, stored.id, story_id)
        recount(db, story_id, at)


def recount(db: sqlite_utils.Database, story_id: str, at: datetime) -> None:
    members = article_store.story_articles(db, story_id)
    sources = len({a.source for a in members})
    db.execute(
        "UPDATE stories SET article_count = ?, outlet_count = ?, source_count = ?,"
        " last_updated = ? WHERE id = ?",
        [len(members), sources, sources, iso(at), story_id],
    )


def queued(db: sqlite_utils.Database, channel: ChannelRow) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT story_id FROM deliveries WHERE channel_pk = ? AND kind = 'story' ORDER BY id",
            [channel.id],
        )
    ]


def matches_as_it_is(db: sqlite_utils.Database, channel: ChannelRow, story_id: str) -> bool:
    topics = channel_store.channel_topics(db, channel.id)
    return bool(matching_topics(topics, article_store.story_articles(db, story_id)))


async def drain(
    db: sqlite_utils.Database,
    now: datetime,
    chat: FakeChatAdapter | None = None,
    settings: OutboxSettings | None = None,
) -> FakeChatAdapter:
    """One outbox drain at `now` to a fake Slack (or `chat`): what is due goes out."""
    chat = chat or FakeChatAdapter("slack")
    settings = settings or OutboxSettings(pace=0)
    outbox = Outbox(db, make_card_source(db, now), settings=settings, clock=lambda: now)
    outbox.register(chat)
    await outbox.drain()
    return chat


def notice_state(db: sqlite_utils.Database) -> str:
    (state,) = [r[0] for r in db.execute("SELECT state FROM alerts")]
    return str(state)


def listed_on_monday(
    tmp_path: Path, *, sent: bool = True
) -> tuple[sqlite_utils.Database, ChannelRow]:
    """A digest channel of one card following `electric`: Monday's digest gives the ferry its
    card and lists the one-outlet budget story after it, and (if `sent`) both reach the channel;
    overnight a second outlet joins the budget story without the word."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", min_sources=1)
    channel_store.upsert_topic(db, "buses", "electric", origin="chat")
    # Followed before the digest by the test's clock, not the machine's.
    channel_store.follow(db, channel.id, "buses", now=MONDAY - timedelta(days=1))
    report(db, "budget", LEAD, MONDAY - timedelta(hours=3))
    report(db, "ferry", FERRY, MONDAY - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=MONDAY, default_size=1) == 1
    assert queued(db, channel) == ["ferry"]
    (notice,) = [r[0] for r in db.execute("SELECT text FROM alerts")]
    assert "Council approves the budget" in notice
    if sent:
        chat = asyncio.run(drain(db, MONDAY))
        assert [m.story_id for m in chat.cards()] == ["ferry"]
        assert notice_state(db) == "sent"
    report(db, "budget", OTHERWISE, MONDAY + timedelta(hours=3))
    assert not matches_as_it_is(db, channel, "budget")
    return db, channel
