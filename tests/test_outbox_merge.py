"""Merges while posts are queued: a channel gets the merged story once, and mutes follow it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import delivery_counts
from bot.store import stories as story_store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    db = open_database(":memory:")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "A", ["X", "Y"], now=T0)
    add_story(db, "B", ["Z", "W"], now=T0)
    return db, outbox, chat, channel


async def test_merge_of_two_queued_stories_posts_once(world) -> None:  # type: ignore[no-untyped-def]
    db, outbox, chat, channel = world
    assert digests.enqueue_digest(db, channel, now=T0) == 2
    story_store.merge(db, "A", "B")
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["B"]
    assert delivery_counts.counts(db)["pending"] == 0


async def test_merge_after_absorbed_was_sent_keeps_that_post(world) -> None:  # type: ignore[no-untyped-def]
    db, outbox, chat, channel = world
    store.enqueue_story(db, "A", channel.id, now=T0)
    await outbox.drain()
    store.enqueue_story(db, "B", channel.id, now=T0)  # queued, not yet posted
    story_store.merge(db, "A", "B")
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["A"]
    post = store.story_post(db, "B", channel.id)
    assert post is not None and post.state == "sent" and post.message_ref == chat.cards()[0].ref


async def test_outbox_skips_row_for_absorbed_story_the_channel_has(world) -> None:  # type: ignore[no-untyped-def]
    db, outbox, chat, channel = world
    store.enqueue_story(db, "B", channel.id, now=T0)
    await outbox.drain()
    # Merged with a row for the absorbed story still queued (e.g. written by an older version).
    db.execute("UPDATE stories SET merged_into = 'B' WHERE id = 'A'")
    store.enqueue_story(db, "A", channel.id, now=T0)
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["B"]
    (failed,) = store.in_state(db, "failed")
    assert failed.story_id == "A" and "merged into B" in (failed.last_error or "")


def test_merge_moves_mutes_to_the_survivor(world) -> None:  # type: ignore[no-untyped-def]
    db, _outbox, _chat, channel = world
    channel_store.mute_story(db, channel.id, "A")
    story_store.merge(db, "A", "B")
    assert "B" in channel_store.muted_story_ids(db, channel.id)
