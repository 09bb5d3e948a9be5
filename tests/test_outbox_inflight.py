"""A send still in flight is never taken for a crash leftover and resent."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, make_card_source

from bot.cards import StoryCard
from bot.delivery import outbox as outbox_module
from bot.delivery.adapter import PostedMessage
from bot.delivery.outbox import DrainReport, Outbox, OutboxSettings
from bot.delivery.reconcile import reconcile
from bot.store import deliveries as store
from bot.store import delivery_counts
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


class SlowChat(FakeChatAdapter):
    """Posts to C2 hang until `release` is set (a slow chat.postMessage)."""

    def __init__(self) -> None:
        super().__init__("slack")
        self.release = asyncio.Event()

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        if channel.channel_id == "C2":
            await self.release.wait()
        return await super().post_card(channel, card, nonce=nonce)


def world(tmp_path: Path) -> tuple[Any, Outbox, SlowChat, int, int]:
    db = open_database(tmp_path / "nd.db")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    chat = SlowChat()
    outbox.register(chat)
    c1 = add_channel(db, "C1")
    c2 = add_channel(db, "C2")
    add_story(db, "s1", ["A"], now=T0)
    store.enqueue_story(db, "s1", c1.id, now=T0)
    store.enqueue_story(db, "s1", c2.id, now=T0)
    return db, outbox, chat, c1.id, c2.id


async def wait_for(predicate: Any) -> None:
    for _ in range(200):
        if predicate():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("timed out")


async def test_one_channel_failing_does_not_let_the_next_drain_resend_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, outbox, chat, _c1, _c2 = world(tmp_path)
    real = store.mark_sent
    calls = 0

    def locked_once(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:  # a CLI command held the write lock while C1's post was recorded
            raise sqlite3.OperationalError("database is locked")
        real(*args, **kwargs)

    monkeypatch.setattr(outbox_module.store, "mark_sent", locked_once)
    first = asyncio.create_task(outbox.drain())
    await wait_for(lambda: calls == 1)
    # `run()` drains again as soon as a drain ends; C2's post is still in flight.
    second = asyncio.create_task(outbox.drain())
    await asyncio.sleep(0.05)
    chat.release.set()
    # Before the fix the first drain raised while C2's send was still running.
    await asyncio.gather(first, second, return_exceptions=True)
    await outbox.drain()
    assert len(chat.cards("C2")) == 1
    assert len(chat.cards("C1")) == 1
    assert delivery_counts.counts(db)["sent"] == 2


async def test_reconcile_skips_a_row_this_process_is_sending(tmp_path: Path) -> None:
    db, outbox, chat, _c1, c2 = world(tmp_path)
    drain = asyncio.create_task(outbox.drain())
    await wait_for(lambda: any(r.channel_pk == c2 for r in store.in_state(db, "sending")))
    await reconcile(outbox, DrainReport(), c2)  # as if called by another drain of C2
    assert chat.lookups == []
    assert [r.channel_pk for r in store.in_state(db, "sending")] == [c2]
    chat.release.set()
    await drain
    await outbox.drain()
    assert len(chat.cards("C2")) == 1 and delivery_counts.counts(db)["sent"] == 2
