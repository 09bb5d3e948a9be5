"""Failures a retry will not fix end in `failed` after a few attempts, quietly."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story

from bot.cards import StoryCard
from bot.delivery.adapter import DeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


def broken_card_source(story_id: str, channel: ChannelRow) -> StoryCard | None:
    raise ValueError("summary template is broken")


async def drain_many(outbox: Outbox, clock: Clock, times: int) -> None:
    for _ in range(times):
        await outbox.drain()
        clock.now += timedelta(hours=2)


async def test_card_build_failure_ends_in_failed(caplog: pytest.LogCaptureFixture) -> None:
    db = open_database(":memory:")
    clock = Clock(T0)
    outbox = Outbox(db, broken_card_source, settings=OutboxSettings(pace=0), clock=clock)
    outbox.register(FakeChatAdapter("slack"))
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    with caplog.at_level(logging.WARNING):
        await drain_many(outbox, clock, 5)
    (row,) = store.in_state(db, "failed")
    assert row.attempts == 3 and "summary template is broken" in (row.last_error or "")
    assert sum(1 for r in caplog.records if r.exc_info) == 1  # one traceback, not one per try


async def test_refused_payload_fails_after_a_few_attempts() -> None:
    from fakes.stories import make_card_source

    db = open_database(":memory:")
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    chat.failures = [DeliveryError("Slack chat.postMessage: invalid_blocks")] * 8
    await drain_many(outbox, clock, 5)
    assert chat.calls == 3
    (row,) = store.in_state(db, "failed")
    assert row.last_error == "Slack chat.postMessage: invalid_blocks"
