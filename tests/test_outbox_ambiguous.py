"""A send that failed after the message may have landed is checked, not blindly resent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.delivery.adapter import PostedMessage, TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests, update_planner
from bot.store import deliveries as store
from bot.store import delivery_counts
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


def world(chat: FakeChatAdapter):  # type: ignore[no-untyped-def]
    db = open_database(":memory:")
    clock = Clock(T0)
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
    assert delivery_counts.counts(db)["sent"] == 1


async def test_timeout_before_anything_landed_is_resent_after_the_check() -> None:
    chat = FakeChatAdapter("slack")
    db, clock, outbox = world(chat)
    chat.failures = [TransientDeliveryError("read timeout", maybe_sent=True)]
    await outbox.drain()
    assert not chat.cards()
    clock.now = T0 + timedelta(hours=2)
    await outbox.drain()
    assert len(chat.cards()) == 1 and delivery_counts.counts(db)["sent"] == 1


async def test_unexpected_exception_after_posting_is_not_resent() -> None:
    chat = FakeChatAdapter("slack")
    db, clock, outbox = world(chat)
    chat.failures_after = [RuntimeError("connection reset by peer")]
    await outbox.drain()
    clock.now = T0 + timedelta(hours=2)
    await outbox.drain()
    assert len(chat.cards()) == 1 and delivery_counts.counts(db)["sent"] == 1


async def test_interrupted_update_is_reconciled_in_the_thread() -> None:
    chat = FakeChatAdapter("slack")
    db, _clock, outbox = world(chat)
    await outbox.drain()
    (card,) = chat.cards()
    grow_story(db, "s1", ["C"], now=T0)
    assert update_planner.enqueue_updates(db, {"s1"}, now=T0, interval=timedelta(0)) == 1
    # The update landed, then the process died before recording it.
    row = store.claim(db, store.in_state(db, "pending")[0].id, T0)
    assert row is not None
    built = make_card_source(db, T0)("s1", store_channel(db))
    assert built is not None
    await chat.post_update(
        store_channel(db),
        PostedMessage(card.ref, card.ref),
        built,
        new_outlets=["C"],
        nonce=row.nonce,
    )
    report = await outbox.drain()
    assert report.reconciled == 1 and len(chat.updates()) == 1
    assert chat.lookups[-1] == ("update", row.nonce, PostedMessage(card.ref, card.ref))
    assert store.get(db, row.id).state == "sent"  # type: ignore[union-attr]


async def test_lost_update_is_resent() -> None:
    chat = FakeChatAdapter("slack")
    db, _clock, outbox = world(chat)
    await outbox.drain()
    grow_story(db, "s1", ["C"], now=T0)
    update_planner.enqueue_updates(db, {"s1"}, now=T0, interval=timedelta(0))
    claimed = store.claim(db, store.in_state(db, "pending")[0].id, T0)  # died before posting
    assert claimed is not None
    await outbox.drain()
    # Looked for in the thread, not found, and resent under the nonce it was claimed with.
    assert [lookup[:2] for lookup in chat.lookups] == [("update", claimed.nonce)]
    (update,) = chat.updates()
    assert update.nonce == claimed.nonce
    row = store.get(db, claimed.id)
    assert row is not None and row.state == "sent" and row.message_ref == update.ref


async def test_a_leftover_that_used_its_last_attempt_is_given_up_not_resent() -> None:
    """A send that died after its last allowed attempt, and is not found posted, is given up:
    resending would make one attempt more than the setting allows."""
    chat = FakeChatAdapter("slack")
    db, clock, outbox = world(chat)
    max_attempts = outbox.settings.max_attempts
    pending = store.in_state(db, "pending")[0]
    db.execute("UPDATE deliveries SET attempts = ? WHERE id = ?", [max_attempts - 1, pending.id])
    claimed = store.claim(db, pending.id, T0)  # the last attempt, and the process died
    assert claimed is not None and claimed.attempts == max_attempts
    report = await outbox.drain()
    assert report.reconciled == 1
    assert chat.lookups and chat.lookups[-1][1] == claimed.nonce
    assert not chat.cards()
    row = store.get(db, claimed.id)
    assert row is not None and row.state == "failed"
    clock.now = T0 + timedelta(days=1)
    await outbox.drain()
    assert not chat.cards()


async def test_a_leftover_claimed_without_its_card_found_posted_records_todays_card() -> None:
    """A row claimed by a version that stored no card with the claim, then found posted: what
    the channel was shown is unknown, and today's card (outlets A, B, C) is recorded."""
    chat = FakeChatAdapter("slack")
    db, _clock, outbox = world(chat)
    grow_story(db, "s1", ["C"], now=T0)
    row = store.claim(db, store.in_state(db, "pending")[0].id, T0)
    assert row is not None
    db.execute("UPDATE deliveries SET source_count = 0, outlets = NULL WHERE id = ?", [row.id])
    built = make_card_source(db, T0)("s1", store_channel(db))
    assert built is not None
    posted = await chat.post_card(store_channel(db), built, nonce=row.nonce)
    report = await outbox.drain()
    assert report.reconciled == 1 and len(chat.cards()) == 1
    sent = store.get(db, row.id)
    assert sent is not None and sent.state == "sent" and sent.message_ref == posted.message_ref
    assert (sent.source_count, sorted(sent.outlets)) == (3, ["A", "B", "C"])


def store_channel(db):  # type: ignore[no-untyped-def]
    from bot.store import channels as channel_store

    return channel_store.list_channels(db)[0]
