"""After a long outage a channel's posts go out in the order they were queued, together once the
route is back: the oldest row, which probed the route on each retry, does not wait its own backoff
on top, because every failure it had was the route being down, not its own."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.adapter import TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
BACK = T0 + timedelta(hours=3)


@pytest.mark.parametrize(
    "error",
    [
        TransientDeliveryError("Slack chat.postMessage: Cannot connect"),
        TransientDeliveryError("Slack chat.postMessage: ratelimited", retry_after=60),
    ],
    ids=["unreachable", "rate-limited"],
)
async def test_after_an_outage_the_oldest_post_goes_out_first_with_the_rest(
    db: sqlite_utils.Database, error: TransientDeliveryError
) -> None:
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    for story_id in ("a", "b", "c"):
        add_story(db, story_id, ["X", "Y"], now=T0)
        store.enqueue_story(db, story_id, channel.id, now=T0)
    posted: dict[str, datetime] = {}
    while clock.now < T0 + timedelta(hours=8) and len(posted) < 3:
        chat.failures = [error] * 10 if clock.now < BACK else []
        before = len(chat.messages)
        await outbox.drain()
        posted.update((m.story_id or "", clock.now) for m in chat.messages[before:])
        clock.now += timedelta(seconds=10)
    assert [m.story_id for m in chat.cards()] == ["a", "b", "c"]
    assert max(posted.values()) == min(posted.values())  # in one drain, once the route is back
    # Every failure was the route's: none counted as the row's own wait past the first.
    assert [store.story_post(db, s, channel.id).waits for s in "abc"] == [1, 0, 0]  # type: ignore[union-attr]


async def test_a_row_failing_while_its_route_recovers_in_between_still_backs_off(
    db: sqlite_utils.Database,
) -> None:
    """The other side of the rule: a row that fails each time the route is up counts its waits."""
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "a", ["X"], now=T0)
    store.enqueue_story(db, "a", channel.id, now=T0)
    for waits in range(1, 5):
        chat.failures = [TransientDeliveryError("Slack chat.postMessage: internal_error")]
        await outbox.drain()
        row = store.story_post(db, "a", channel.id)
        assert row is not None and row.waits == waits and row.next_attempt_at is not None
        outbox.outages.up("slack")  # another channel's post went through meanwhile
        if waits >= 2:
            assert row.next_attempt_at >= clock.now + timedelta(seconds=0.8 * 30 * 2 ** (waits - 1))
        clock.now = row.next_attempt_at + timedelta(seconds=1)
