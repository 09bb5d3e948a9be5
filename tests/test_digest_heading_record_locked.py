"""A digest heading that lands while another process takes the write lock is posted once: its
record waits in memory for the next look, where the next drain headed the same cards again."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


class LockAfterHeading(FakeChatAdapter):
    """A chat whose first digest heading lands as another process takes the lock for 1 s."""

    def __init__(self, path: Path) -> None:
        super().__init__("slack", searchable=False)
        self.path = path
        self.headings: list[int] = []
        self.lock: sqlite3.Connection | None = None
        self.released = threading.Event()

    async def begin_digest(self, channel, count, at):  # type: ignore[no-untyped-def]
        self.headings.append(count)
        if self.lock is None:
            self.lock = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.lock.execute("BEGIN IMMEDIATE")
            threading.Timer(1.0, self.release).start()
        return f"H{len(self.headings)}"

    def end_digest(self, channel) -> None:  # type: ignore[no-untyped-def]
        """Nothing to close: the fake keeps no digest state."""

    def release(self) -> None:
        assert self.lock is not None
        self.lock.execute("COMMIT")
        self.released.set()


async def test_a_heading_whose_record_met_the_lock_is_not_posted_again(tmp_path: Path) -> None:
    chat = LockAfterHeading(tmp_path / "nd.db")
    db = open_database(tmp_path / "nd.db")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    outbox.register(chat)
    channel = add_channel(db, "C1", mode="digest")
    for story in ("s1", "s2"):
        add_story(db, story, ["A"], now=T0)
        store.enqueue_story(db, story, channel.id, now=T0)
    with contextlib.suppress(sqlite3.OperationalError):  # the drain may stop at the lock
        await outbox.drain()
    assert await asyncio.to_thread(chat.released.wait, 10)
    await outbox.drain()
    assert len(chat.cards()) == 2
    assert chat.headings == [2]
