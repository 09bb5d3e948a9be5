"""A /watchlist change whose catch-up (a resume's, an instant channel's wider setting) meets
another process's write lock after the setting was saved: it answered "may be only partly
done", and a retried command found nothing to change, so the stories were never queued. The
catch-up is now tried again while the lock is held, briefly in the command and then in a task
of its own until the lock is free, and the reply says it follows. Real SQLite file; the lock is
held by a second connection, as another process would."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.stories import add_story

from bot.commands.base import CommandContext
from bot.config import ChannelConfig
from bot.runner import changes
from bot.runner.changes import resumed_caught_up
from bot.runner.service import Service
from bot.store import channels as channel_store

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
CTX = CommandContext(platform="slack", channel_id="C1", user_id="U1", is_admin=True)
BUSY_NOTE = "The database is busy just now (another newsdigest command is writing to it): "


class Lock:
    """The write lock, taken by a second connection just before the service's follow-up to the
    command (the setting saved by then), and held until `release`."""

    def __init__(self, service: Service) -> None:
        self.path = service.core.config.database
        self.conn: sqlite3.Connection | None = None
        real = service.commands.on_channel_change
        assert real is not None

        async def taken_first(*args: Any) -> None:
            self.conn = sqlite3.connect(self.path, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
            await real(*args)

        service.commands.on_channel_change = taken_first

    def release(self) -> None:
        assert self.conn is not None
        self.conn.execute("COMMIT")
        self.conn.close()


@contextmanager
def lock_for(service: Service, seconds: float) -> Iterator[None]:
    """The write lock taken just before the service's follow-up, let go `seconds` later by a
    thread of its own: a poll's or a prune's short batch."""
    path = service.core.config.database
    real = service.commands.on_channel_change
    assert real is not None
    threads: list[threading.Thread] = []

    def hold(conn: sqlite3.Connection) -> None:
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    async def taken_first(*args: Any) -> None:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("BEGIN IMMEDIATE")
        threads.append(threading.Thread(target=hold, args=(conn,), daemon=True))
        threads[-1].start()
        await real(*args)

    service.commands.on_channel_change = taken_first
    try:
        yield
    finally:
        for thread in threads:
            thread.join()


async def outbox_stopped(service: Service) -> None:
    """The outbox's loop ended: its drains write with the connection's whole wait, on the event
    loop (not the command's brief ones), so under a lock held by this test's own thread they
    would stand the loop still until the wait ran out. The tests read the queued rows."""
    service.outbox.halted = True
    service.outbox.kick()
    assert service.outbox_task is not None
    await service.outbox_task


def story_posts(service: Service) -> list[str]:
    rows = service.db.execute("SELECT story_id FROM deliveries WHERE kind = 'story'")
    return [r[0] for r in rows]


async def paused_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Service:
    """A running service whose instant channel another process paused (the service has not
    seen it yet), a story qualifying meanwhile."""
    monkeypatch.setattr(changes, "CATCH_UP_WAIT_SECONDS", 0.3)
    channel = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)
    service, _chat = slack_service(tmp_path, Clock(T0), channel)
    await service.start()
    await outbox_stopped(service)
    [row] = service.instant_channels()
    channel_store.update_channel(service.db, row.id, paused_reason="paused in chat")
    add_story(service.db, "held", ["A", "B"], now=T0 - timedelta(minutes=5))
    return service


async def test_a_resume_whose_catch_up_meets_a_long_lock_says_so_and_queues_it_once_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = await paused_elsewhere(tmp_path, monkeypatch)
    try:
        lock = Lock(service)
        reply = await service.commands.dispatch("watchlist", "resume", CTX)
        assert reply.text.startswith(f"Saved. {BUSY_NOTE}"), reply.text
        assert "what the pause held back will be queued as soon as it is free." in reply.text
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None and row.paused_reason is None
        assert story_posts(service) == []  # the lock is still held
        lock.release()
        await resumed_caught_up(service, row.id)
        assert story_posts(service) == ["held"]
    finally:
        await stop(service)


async def test_a_resume_whose_catch_up_meets_a_short_lock_rides_it_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = await paused_elsewhere(tmp_path, monkeypatch)
    monkeypatch.setattr(changes, "CATCH_UP_WAIT_SECONDS", 5.0)
    try:
        with lock_for(service, 0.5):
            reply = await service.commands.dispatch("watchlist", "resume", CTX)
        assert reply.text.startswith("Saved."), reply.text
        assert BUSY_NOTE not in reply.text
        assert story_posts(service) == ["held"]
    finally:
        await stop(service)


async def test_switching_to_instant_mode_under_a_long_lock_queues_the_stories_once_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "CATCH_UP_WAIT_SECONDS", 0.3)
    channel = ChannelConfig(platform="slack", id="C1", min_sources=1)
    service, _chat = slack_service(tmp_path, Clock(T0), channel)
    await service.start()
    await outbox_stopped(service)
    try:
        add_story(service.db, "ready", ["A", "B"], now=T0 - timedelta(minutes=5))
        lock = Lock(service)
        reply = await service.commands.dispatch("watchlist", "mode instant", CTX)
        assert reply.text.startswith(f"Saved. {BUSY_NOTE}"), reply.text
        assert "the stories it now lets through will be queued" in reply.text
        lock.release()
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None and row.mode == "instant"
        await resumed_caught_up(service, row.id)
        assert story_posts(service) == ["ready"]
        # Asked again, nothing changes: what it was for is done.
        again = await service.commands.dispatch("watchlist", "mode instant", CTX)
        assert again.text.startswith("Saved."), again.text
        assert story_posts(service) == ["ready"]
    finally:
        await stop(service)


async def test_a_catch_up_still_waiting_at_a_stop_is_done_by_the_next_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = await paused_elsewhere(tmp_path, monkeypatch)
    lock = Lock(service)
    try:
        reply = await service.commands.dispatch("watchlist", "resume", CTX)
        assert BUSY_NOTE in reply.text, reply.text
    finally:
        await stop(service)  # the lock still held: the stop ends the catch-up's tries
    lock.release()
    channel = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)
    again, _chat = slack_service(tmp_path, Clock(T0), channel)
    await again.start()
    try:
        assert story_posts(again) == ["held"]
    finally:
        await stop(again)
