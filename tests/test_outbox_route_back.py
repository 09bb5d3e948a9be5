"""A route whose connection comes back before its backoff ends (Slack's Socket Mode reconnected)
is tried at once, its channels' posts in the order they were queued; a failure then backs off as
before, until the next return. Posts held for quiet hours keep their time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.adapter import TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DOWN = TransientDeliveryError("Slack chat.postMessage: Cannot connect")


def world(db: sqlite_utils.Database) -> tuple[Outbox, FakeChatAdapter, Clock]:
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    return outbox, chat, clock


async def test_the_routes_posts_go_at_once_when_it_is_back(db: sqlite_utils.Database) -> None:
    outbox, chat, clock = world(db)
    channel = add_channel(db, "C1")
    for story_id in ("a", "b"):
        add_story(db, story_id, ["X", "Y"], now=T0)
        store.enqueue_story(db, story_id, channel.id, now=T0)
    # Down for a while: the backoff has grown past a few minutes.
    for _ in range(4):
        chat.failures = [DOWN] * 5
        await outbox.drain()
        clock.now = outbox.outages["slack"].retry_at
    clock.now += timedelta(seconds=1)
    chat.failures = [DOWN] * 5
    await outbox.drain()
    retry_at = outbox.outages["slack"].retry_at
    assert retry_at > clock.now + timedelta(minutes=3)
    assert not chat.cards()

    chat.failures = []
    outbox.retry_route("slack")
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["a", "b"]
    assert "slack" not in outbox.outages


async def test_once_per_return_and_a_new_failure_backs_off_again(
    db: sqlite_utils.Database,
) -> None:
    outbox, chat, clock = world(db)
    channel = add_channel(db, "C1")
    add_story(db, "a", ["X", "Y"], now=T0)
    store.enqueue_story(db, "a", channel.id, now=T0)
    chat.failures = [DOWN]
    await outbox.drain()
    outbox.retry_route("slack")
    chat.failures = [DOWN]
    await outbox.drain()  # tried at once, failed again
    assert chat.calls == 2
    outage = outbox.outages["slack"]
    assert outage.failures == 2 and outage.retry_at > clock.now
    for _ in range(3):  # no new return: the backoff holds, however often the loop drains
        await outbox.drain()
    assert chat.calls == 2


async def test_a_post_held_for_quiet_hours_keeps_its_time(db: sqlite_utils.Database) -> None:
    outbox, chat, clock = world(db)
    loud = add_channel(db, "C1")
    add_story(db, "a", ["X", "Y"], now=T0)
    store.enqueue_story(db, "a", loud.id, now=T0)
    chat.failures = [DOWN]
    await outbox.drain()
    quiet = add_channel(db, "C2")
    store.enqueue_story(db, "a", quiet.id, now=T0)
    (held,) = [r for r in store.in_state(db, "pending") if r.channel_pk == quiet.id]
    until = clock.now + timedelta(seconds=5)
    store.hold(db, held.id, now=clock.now, until=until)
    outbox.retry_route("slack")
    assert store.get(db, held.id).next_attempt_at == until  # type: ignore[union-attr]
    await outbox.drain()
    assert [m.channel_id for m in chat.cards()] == ["C1"]


async def test_no_outage_nothing_to_do(db: sqlite_utils.Database) -> None:
    outbox, chat, _clock = world(db)
    outbox.retry_route("slack")
    assert "slack" not in outbox.outages and chat.calls == 0
