"""A send that failed after the message may have landed is checked, not blindly resent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.adapter import TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def world(chat: FakeChatAdapter):  # type: ignore[no-untyped-def]
    db = open_database(":memory:")
    clock = Clock()
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A", "B"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    return db, clock, outbox


async def test_timeout_after_the_post_landed_is_not_resent() -> None:
    chat = FakeChatAdapter("slack")
    db, clock, outbox = world(chat)
    chat.failures_after = [TransientDeliveryError("read timeout", maybe_sent=True)]
    await outbox.drain()
    (row,) = store.in_state(db, "sending")
    assert row.next_attempt_at is not None and row.next_attempt_at > T0
    await outbox.drain()  # the check waits for its backoff
    assert store.in_state(db, "sending")
    clock.now = T0 + timedelta(hours=2)
    report = await outbox.drain()
    assert report.reconciled == 1
    assert len(chat.cards()) == 1
    assert store.counts(db)["sent"] == 1


async def test_timeout_before_anything_landed_is_resent_after_the_check() -> None:
    chat = FakeChatAdapter("slack")
    db, clock, outbox = world(chat)
    chat.failures = [TransientDeliveryError("read timeout", maybe_sent=True)]
    await outbox.drain()
    assert not chat.cards()
    clock.now = T0 + timedelta(hours=2)
    await outbox.drain()
    assert len(chat.cards()) == 1 and store.counts(db)["sent"] == 1


async def test_unexpected_exception_after_posting_is_not_resent() -> None:
    chat = FakeChatAdapter("slack")
    db, clock, outbox = world(chat)
    chat.failures_after = [RuntimeError("connection reset by peer")]
    await outbox.drain()
    clock.now = T0 + timedelta(hours=2)
    await outbox.drain()
    assert len(chat.cards()) == 1 and store.counts(db)["sent"] == 1
