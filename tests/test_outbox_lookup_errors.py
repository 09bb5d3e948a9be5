"""A `sending` row whose "did it land?" lookup keeps failing is neither resent blindly nor
checked again on every drain: it ends paused, waiting out an outage, or failed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.adapter import (
    PermanentDeliveryError,
    PlatformDeliveryError,
    PostedMessage,
    TransientDeliveryError,
)
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


class FailingLookups(FakeChatAdapter):
    def __init__(self, error: Exception) -> None:
        super().__init__("slack")
        self.error: Exception | None = error

    async def find_posted(self, channel: ChannelRow, **kwargs: Any) -> PostedMessage | None:
        if self.error is None:
            return await super().find_posted(channel, **kwargs)
        self.lookups.append((kwargs["kind"], kwargs["nonce"], kwargs.get("parent")))
        raise self.error


def world(tmp_path: Path, chat: FakeChatAdapter) -> tuple[Any, Clock, Outbox, ChannelRow]:
    """One story post that timed out after landing, so it waits `sending` to be checked."""
    db = open_database(tmp_path / "nd.db")
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0)
    chat.failures_after = [TransientDeliveryError("read timeout", maybe_sent=True)]
    return db, clock, outbox, channel


async def test_a_channel_refusing_the_lookup_is_paused_and_the_row_kept(tmp_path: Path) -> None:
    chat = FailingLookups(PermanentDeliveryError("channel_not_found"))
    db, clock, outbox, channel = world(tmp_path, chat)
    await outbox.drain()
    clock.now = T0 + timedelta(hours=2)
    report = await outbox.drain()
    assert report.paused == [channel.key]
    assert channel_store.get_channel_by_pk(db, channel.id).paused_reason
    (row,) = store.in_state(db, "sending")
    for minutes in (1, 2, 3):  # each poll pass kicks a drain
        clock.now = T0 + timedelta(hours=2, minutes=minutes)
        await outbox.drain()
    assert len(chat.lookups) == 1
    # Fixed and resumed: the row is checked again, finds its card and is not resent.
    chat.error = None
    channel_store.update_channel(db, channel.id, paused_reason=None)
    await outbox.drain()
    assert len(chat.lookups) == 2
    assert store.get(db, row.id).state == "sent" and len(chat.cards()) == 1


async def test_a_platform_refusing_the_lookup_is_marked_down(tmp_path: Path) -> None:
    chat = FailingLookups(PlatformDeliveryError("token_revoked", retry_after=600))
    db, clock, outbox, _channel = world(tmp_path, chat)
    await outbox.drain()
    clock.now = T0 + timedelta(hours=2)
    await outbox.drain()
    assert "slack" in outbox.outages
    (row,) = store.in_state(db, "sending")
    # The platform, not the row, is at fault: neither the timeout nor the lookup used an attempt.
    assert row.attempts == 0
    clock.now = T0 + timedelta(hours=2, minutes=5)
    await outbox.drain()
    assert len(chat.lookups) == 1
    chat.error = None
    clock.now = T0 + timedelta(hours=2, minutes=11)
    await outbox.drain()
    assert store.get(db, row.id).state == "sent" and len(chat.cards()) == 1


async def test_a_lookup_that_keeps_failing_backs_off_then_gives_up(tmp_path: Path) -> None:
    chat = FailingLookups(RuntimeError("conversations.history: internal_error"))
    db, clock, outbox, _channel = world(tmp_path, chat)
    await outbox.drain()
    (row,) = store.in_state(db, "sending")
    checks = 0
    for _ in range(50):
        row = store.get(db, row.id)
        if row.state != "sending":
            break
        assert row.next_attempt_at is not None
        clock.now = row.next_attempt_at - timedelta(seconds=1)
        await outbox.drain()  # not due yet: no lookup
        assert len(chat.lookups) == checks
        clock.now = row.next_attempt_at + timedelta(seconds=1)
        await outbox.drain()
        checks += 1
        assert len(chat.lookups) == checks
    row = store.get(db, row.id)
    assert row.state == "failed" and "internal_error" in (row.last_error or "")
    # The timeout used no attempt (the platform's fault), each failed check one.
    assert checks == OutboxSettings().max_attempts
    assert len(chat.cards()) == 1
