"""What a channel's drain (`bot.delivery.channel_drain`) does when the database gets in its way.

- An outcome it kept for another process's write lock (`send.settle`) is written shortly after
  the lock is free, not at the loop's next idle wake (30 s in the service), the post `sending`
  meanwhile.
- A database error that is not the write lock (a missing column after a half-done migration)
  is no reason to drain the channel again within a quarter second, for ever, a traceback each
  time: it is logged once per run of failures and the channel is tried at the loop's next wake.

Real outbox, SQLite file and run loop; another process's lock is a second connection
(tests/_held_lock.py)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from _held_lock import HeldLock
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, make_card_source, queue_story

from bot.cards import StoryCard
from bot.delivery.adapter import PostedMessage
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database, utcnow


class LockedWhilePosting(FakeChatAdapter):
    """Another process takes the write lock while the card is posted, and lets it go once the
    outbox has kept the outcome for later."""

    def __init__(self, path: Path, outbox: Outbox) -> None:
        super().__init__("slack")
        self.path = path
        self.outbox = outbox
        self.held: HeldLock | None = None

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        posted = await super().post_card(channel, card, nonce=nonce)
        if self.held is None:
            self.held = HeldLock(self.path, until=lambda: bool(self.outbox.unsettled))
        return posted


async def test_an_outcome_kept_for_the_lock_is_written_soon_after_not_at_idle(
    tmp_path: Path,
) -> None:
    path = tmp_path / "nd.db"
    db = open_database(path)
    t0 = utcnow()
    outbox = Outbox(db, make_card_source(db, t0), settings=OutboxSettings(pace=0))
    chat = LockedWhilePosting(path, outbox)
    outbox.register(chat)
    row_id = queue_story(db, add_channel(db, "C1", mode="instant"), "s1", now=t0)

    async def recorded() -> None:
        while (row := store.get(db, row_id)) is None or row.state != "sent":
            await asyncio.sleep(0.05)  # polls the row; the loop's own wait is 600 s

    stop = asyncio.Event()
    task = asyncio.create_task(outbox.run(stop, idle=600))
    try:
        await asyncio.wait_for(recorded(), 10)
    finally:
        stop.set()
        await task
    assert chat.held is not None and chat.held.released_when_told
    assert [m.story_id for m in chat.cards("C1")] == ["s1"]
    assert not outbox.unsettled and not outbox.in_flight


async def test_a_database_error_that_is_not_the_lock_is_not_retried_shortly_nor_logged_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(tmp_path / "nd.db")
    t0 = utcnow()
    outbox = Outbox(db, make_card_source(db, t0), settings=OutboxSettings(pace=0))
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1", mode="instant")
    queue_story(db, channel, "s1", now=t0)
    claim = store.claim

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("no such column: headline")

    monkeypatch.setattr(store, "claim", broken)

    def tracebacks() -> int:
        return sum(
            1 for r in caplog.records if r.levelno >= logging.ERROR and "channel" in r.getMessage()
        )

    for _ in range(3):
        await asyncio.wait_for(outbox.drain(), 10)
        # Not taken for the write lock: nothing asks for a drain again shortly.
        assert not outbox.met_lock
    assert tracebacks() == 1
    assert chat.cards("C1") == []

    # Drained well once, the channel's next failure is a new run of them: said again.
    monkeypatch.setattr(store, "claim", claim)
    await asyncio.wait_for(outbox.drain(), 10)
    assert [m.story_id for m in chat.cards("C1")] == ["s1"]
    queue_story(db, channel, "s2", now=t0)
    monkeypatch.setattr(store, "claim", broken)
    await asyncio.wait_for(outbox.drain(), 10)
    assert tracebacks() == 2
