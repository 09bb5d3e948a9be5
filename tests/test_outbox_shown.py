"""A post records what the channel was shown (the card sent), not the story as it is when the
send is settled, so growth while a post was in flight or waiting to be checked still gets its
thread update."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.cards import StoryCard
from bot.delivery import outbox as outbox_module
from bot.delivery.adapter import PostedMessage, TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import update_planner
from bot.store import deliveries as store
from bot.store import delivery_counts
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def world(tmp_path: Path, chat: FakeChatAdapter) -> tuple[Any, Clock, Outbox, ChannelRow]:
    db = open_database(tmp_path / "nd.db")
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0)
    return db, clock, outbox, channel


async def test_growth_while_a_post_waits_to_be_checked_is_announced(tmp_path: Path) -> None:
    chat = FakeChatAdapter("slack")
    db, clock, outbox, channel = world(tmp_path, chat)
    # The card (one source: A) lands, but the response times out.
    chat.failures_after = [TransientDeliveryError("read timeout", maybe_sent=True)]
    await outbox.drain()
    # B joins while the row waits to be checked; the planner has nothing to reply to yet.
    clock.now = T0 + timedelta(minutes=1)
    grow_story(db, "s1", ["B"], now=clock.now)
    assert update_planner.enqueue_updates(db, ["s1"], now=clock.now, interval=HOUR) == 0
    clock.now = T0 + 2 * HOUR
    await outbox.drain()  # the check finds the card
    post = store.story_post(db, "s1", channel.id)
    assert post is not None and post.state == "sent"
    assert (post.source_count, post.outlets) == (1, ["A"])
    # No poll touches s1 again, yet its update comes once the update interval is over.
    clock.now = T0 + 3 * HOUR
    await outbox.drain()
    [update] = chat.updates()
    assert update.new_outlets == ["B"] and update.source_count == 2
    assert [m.source_count for m in chat.cards()] == [1]


class GrowsWhilePosting(FakeChatAdapter):
    """B's article arrives (and a poll pass plans updates) while chat.postMessage is in flight."""

    def __init__(self, db: Any, clock: Clock) -> None:
        super().__init__("slack")
        self.db = db
        self.clock = clock

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        grow_story(self.db, "s1", ["B"], now=self.clock())
        update_planner.enqueue_updates(self.db, ["s1"], now=self.clock(), interval=HOUR)
        return await super().post_card(channel, card, nonce=nonce)


async def test_growth_while_a_post_is_in_flight_is_announced(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    clock = Clock(T0)
    chat = GrowsWhilePosting(db, clock)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0)
    await outbox.drain()
    post = store.story_post(db, "s1", channel.id)
    assert post is not None and (post.source_count, post.outlets) == (1, ["A"])
    assert not chat.updates()  # the update interval applies
    clock.now = T0 + HOUR
    await outbox.drain()
    [update] = chat.updates()
    assert update.new_outlets == ["B"]


async def test_an_update_whose_post_is_unsettled_waits_instead_of_being_dropped(
    tmp_path: Path,
) -> None:
    chat = FakeChatAdapter("slack")
    db, clock, outbox, channel = world(tmp_path, chat)
    chat.failures_after = [TransientDeliveryError("read timeout", maybe_sent=True)]
    await outbox.drain()
    (held,) = store.in_state(db, "sending")
    assert held.next_attempt_at is not None
    # An update already queued for the story (one moved here by a merge, say) while the post
    # waits to be checked.
    grow_story(db, "s1", ["B"], now=T0)
    assert store.enqueue_update(db, "s1", channel.id, now=T0, not_before=None)
    # Another channel's post got through: the route is open again, the post's check still waits.
    outbox.outages.up("slack")
    await outbox.drain()
    (waiting,) = [r for r in store.in_state(db, "pending") if r.kind == "update"]
    assert waiting.next_attempt_at is not None and waiting.next_attempt_at >= held.next_attempt_at
    assert not chat.updates()
    # The check finds the card (showing A only): the waiting update tells the channel about B.
    clock.now = waiting.next_attempt_at
    await outbox.drain()
    [update] = chat.updates()
    assert update.new_outlets == ["B"]
    assert delivery_counts.counts(db) == {"pending": 0, "sending": 0, "sent": 2, "failed": 0}


async def test_a_failed_update_plan_does_not_stop_the_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = FakeChatAdapter("slack")
    db, _clock, outbox, channel = world(tmp_path, chat)
    add_story(db, "s2", ["A"], now=T0)
    store.enqueue_story(db, "s2", channel.id, now=T0)

    def locked(*args: Any, **kwargs: Any) -> int:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(outbox_module.update_planner, "enqueue_updates", locked)
    report = await outbox.drain()
    assert report.sent == 2 and [m.story_id for m in chat.cards()] == ["s1", "s2"]
