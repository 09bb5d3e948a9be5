""" "Mute story" stops thread updates too, including mutes pressed on a card older than a merge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests, update_planner
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(hours=2)


def world():  # type: ignore[no-untyped-def]
    db = open_database(":memory:")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A", "B"], now=T0)
    return db, outbox, chat, channel


async def test_muted_story_gets_no_update() -> None:
    db, outbox, chat, channel = world()
    digests.enqueue_digest(db, channel, now=T0)
    await outbox.drain()
    channel_store.mute_story(db, channel.id, "s1")
    grow_story(db, "s1", ["C"], now=LATER)
    assert update_planner.enqueue_updates(db, {"s1"}, now=LATER, interval=timedelta(0)) == 0
    await outbox.drain()
    assert not chat.updates()


async def test_update_queued_before_the_mute_is_dropped() -> None:
    db, outbox, chat, channel = world()
    digests.enqueue_digest(db, channel, now=T0)
    await outbox.drain()
    grow_story(db, "s1", ["C"], now=LATER)
    assert update_planner.enqueue_updates(db, {"s1"}, now=T0, interval=timedelta(0)) == 1
    channel_store.mute_story(db, channel.id, "s1")
    await outbox.drain()
    assert not chat.updates()
    assert [r.last_error for r in store.in_state(db, "failed")] == ["story muted"]


async def test_mute_of_an_absorbed_story_mutes_the_survivor() -> None:
    db, outbox, _chat, channel = world()
    digests.enqueue_digest(db, channel, now=T0)
    await outbox.drain()
    add_story(db, "old", ["D"], now=T0)
    db.execute("UPDATE stories SET merged_into = 's1' WHERE id = 'old'")
    channel_store.mute_story(db, channel.id, "old")  # the button on the absorbed story's card
    grow_story(db, "s1", ["C"], now=LATER)
    assert update_planner.enqueue_updates(db, {"s1"}, now=LATER, interval=timedelta(0)) == 0
