"""A story post waiting overnight (quiet hours) is not dropped because the story grew: a channel
with min-sources 1 follows `electric`; a one-outlet story matched by its lead is queued at 23:00;
a second outlet joins at 02:00 and words it otherwise, so the story as it is now no longer
matches. The channel did not change, so the card still goes out in the morning. Unfollowing the
topic still drops it (tests/test_queued_posts_follow_topics.py). Real outbox, SQLite and the fake
chat adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.pipeline.digest import delivered_story_ids, matching_topics
from bot.runner import digests
from bot.store import articles as article_store
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.database import iso, open_database, transaction

EVENING = datetime(2027, 5, 3, 23, 0, tzinfo=UTC)  # inside the channel's quiet hours
NIGHT = datetime(2027, 5, 4, 2, 0, tzinfo=UTC)
MORNING = datetime(2027, 5, 4, 7, 1, tzinfo=UTC)


def report(db: sqlite_utils.Database, source: str, title: str, text: str, at: datetime) -> None:
    with transaction(db):
        if story_store.get_story(db, "budget") is None:
            story_store.create_story(db, "budget", "council-budget", "Council budget", at)
        row = {"source": source, "guid": title, "title": title, "text": text, "seen_at": at}
        for article in article_store.insert_new(db, [row]):
            article_store.set_story(db, article.id, "budget")
        members = article_store.story_articles(db, "budget")
        sources = len({a.source for a in members})
        db.execute(
            "UPDATE stories SET article_count = ?, outlet_count = ?, source_count = ?,"
            " last_updated = ? WHERE id = ?",
            [len(members), sources, sources, iso(at), "budget"],
        )


async def _overnight(
    unfollow: bool, *, queued_before_upgrade: bool = False
) -> tuple[list[str], set[str]]:
    db = open_database(":memory:")
    channel = add_channel(db, "C1", quiet_hours="22:00-07:00", min_sources=1)
    channel_store.upsert_topic(db, "buses", "electric", title=None, origin="chat")
    # Followed before the digest by the test's clock, not the machine's: a kept match counts
    # only if made since the channel followed the topic.
    channel_store.follow(db, channel.id, "buses", now=EVENING - timedelta(hours=3))
    # One outlet, two reports: the follow-up's lead is the one that says "electric".
    early = EVENING - timedelta(hours=2)
    report(db, "Harbor Daily", "Council budget vote tonight", "Councillors meet at six.", early)
    report(
        db,
        "Harbor Daily",
        "Council approves the budget",
        "The budget doubles funding for electric buses, officials said.",
        EVENING - timedelta(hours=1),
    )
    assert digests.enqueue_digest(db, channel, now=EVENING, scheduled_for=EVENING) == 1
    report(
        db,
        "Metro Wire",
        "Budget passes after long debate",
        "Councillors passed the budget late on Tuesday after a six-hour debate.",
        NIGHT,
    )
    topics = channel_store.channel_topics(db, channel.id)
    assert not matching_topics(topics, article_store.story_articles(db, "budget"))
    if queued_before_upgrade:
        # Queued before matches were kept (migration 35): judged by the story as queued.
        db.execute("DELETE FROM topic_matches")
    if unfollow:
        channel_store.unfollow(db, channel.id, "buses")
        channel_store.upsert_topic(db, "trams", "trams", title=None, origin="chat")
        channel_store.follow(db, channel.id, "trams")

    chat = FakeChatAdapter("slack")
    outbox = Outbox(
        db, make_card_source(db, MORNING), settings=OutboxSettings(pace=0), clock=lambda: MORNING
    )
    outbox.register(chat)
    await outbox.drain()
    return [m.story_id for m in chat.cards()], delivered_story_ids(db, channel.id)


async def test_a_queued_story_that_grew_overnight_still_goes_out() -> None:
    posted, delivered = await _overnight(unfollow=False)
    assert posted == ["budget"]
    assert delivered == {"budget"}


async def test_a_row_queued_before_matches_were_kept_still_goes_out() -> None:
    posted, _delivered = await _overnight(unfollow=False, queued_before_upgrade=True)
    assert posted == ["budget"]


async def test_a_queued_story_of_an_unfollowed_topic_is_still_dropped() -> None:
    posted, delivered = await _overnight(unfollow=True)
    assert posted == []
    assert delivered == set()
