"""A /watchlist change whose catch-up (a resume's, an instant channel's wider setting) meets
another process's write lock after the setting was saved: it answered "may be only partly
done", and a retried command found nothing to change, so the stories were never queued. The
catch-up is now tried again while the lock is held, briefly in the command and then in a task
of its own until the lock is free, and the reply says it follows. Real SQLite file; the lock is
held by a second connection, as another process would. A lock met after the resume's instant
posts were queued runs only the steps left again, never those posts' queueing: a second one
queued the stories its "...and N more" notice had said were left out."""

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
from bot.runner import changes, digests
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


def notices(service: Service) -> list[str]:
    return [r[0] for r in service.db.execute("SELECT text FROM alerts")]


class LockAfterInstant:
    """The write lock taken by a second connection (a poll's batch) in the moment between a
    resume's instant enqueue, committed, and the thread-update planner's write; let go when
    `release` is called, or `seconds` later by a thread of its own."""

    def __init__(
        self, service: Service, monkeypatch: pytest.MonkeyPatch, seconds: float | None
    ) -> None:
        self.path = service.core.config.database
        self.seconds = seconds
        self.conn: sqlite3.Connection | None = None
        self.planned = 0
        self.thread: threading.Thread | None = None
        real = changes.update_planner.enqueue_missed_updates

        def planner(db: Any, **kw: Any) -> int:
            self.planned += 1
            if self.planned == 1:
                self.conn = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False
                )
                self.conn.execute("BEGIN IMMEDIATE")
                if self.seconds is not None:
                    self.thread = threading.Thread(target=self.hold, daemon=True)
                    self.thread.start()
            # The planner has something to write (a post that grew during the pause), each time
            # it is called: its own rows may all be written by then (the notice's stories are
            # no longer queued again), and a planner with nothing to write never meets the lock.
            db.execute("UPDATE stories SET headline = headline WHERE id = 's0'")
            result: int = real(db, **kw)
            return result

        monkeypatch.setattr(changes.update_planner, "enqueue_missed_updates", planner)

    def hold(self) -> None:
        assert self.seconds is not None
        time.sleep(self.seconds)
        self.release()

    def release(self) -> None:
        assert self.conn is not None
        self.conn.execute("COMMIT")
        self.conn.close()


async def paused_with_more_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Service:
    """A running instant channel paused in chat, 20 stories more than instant mode's limit
    qualifying meanwhile."""
    channel = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)
    service, _chat = slack_service(tmp_path, Clock(T0), channel)
    await service.start()
    await outbox_stopped(service)
    [row] = service.instant_channels()
    channel_store.update_channel(service.db, row.id, paused_reason="paused in chat")
    for i in range(digests.INSTANT_LIMIT + 20):
        add_story(service.db, f"s{i}", ["A", "B"], now=T0 - timedelta(minutes=5))
    return service


def assert_limit_and_one_notice(service: Service) -> None:
    assert len(story_posts(service)) == digests.INSTANT_LIMIT
    [notice] = notices(service)
    assert notice.startswith("...and 20 more stories reached"), notice


async def test_a_lock_met_after_the_resumes_instant_posts_were_queued_does_not_queue_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, the whole catch-up ran again once the lock was free: 50 cards, then the 20 the
    # notice had said were left out.
    monkeypatch.setattr(changes, "CATCH_UP_WAIT_SECONDS", 5.0)
    service = await paused_with_more_than_the_limit(tmp_path, monkeypatch)
    try:
        lock = LockAfterInstant(service, monkeypatch, seconds=0.5)
        reply = await service.commands.dispatch("watchlist", "resume", CTX)
        assert reply.text.startswith("Saved."), reply.text
        assert BUSY_NOTE not in reply.text
        assert lock.thread is not None
        lock.thread.join()
        assert lock.planned >= 2  # the planner, and only it, tried again
        assert_limit_and_one_notice(service)
    finally:
        await stop(service)


async def test_a_resumes_planning_left_to_a_task_does_not_queue_its_instant_posts_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(changes, "CATCH_UP_WAIT_SECONDS", 0.3)
    service = await paused_with_more_than_the_limit(tmp_path, monkeypatch)
    try:
        lock = LockAfterInstant(service, monkeypatch, seconds=None)
        reply = await service.commands.dispatch("watchlist", "resume", CTX)
        assert reply.text.startswith(f"Saved. {BUSY_NOTE}"), reply.text
        lock.release()
        await resumed_caught_up(service)
        assert lock.planned >= 2  # met the lock, then planned again once it was free
        assert_limit_and_one_notice(service)
    finally:
        await stop(service)


@pytest.mark.parametrize(
    ("configured", "command"),
    [
        ({"min_sources": 1}, "mode instant"),
        ({"mode": "instant", "min_sources": 3}, "min-sources 2"),
    ],
)
async def test_a_wider_instant_setting_under_a_long_lock_queues_the_limit_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: dict[str, Any], command: str
) -> None:
    monkeypatch.setattr(changes, "CATCH_UP_WAIT_SECONDS", 0.3)
    channel = ChannelConfig(platform="slack", id="C1", **configured)
    service, _chat = slack_service(tmp_path, Clock(T0), channel)
    await service.start()
    await outbox_stopped(service)
    try:
        for i in range(digests.INSTANT_LIMIT + 20):
            add_story(service.db, f"s{i}", ["A", "B"], now=T0 - timedelta(minutes=5))
        lock = Lock(service)
        reply = await service.commands.dispatch("watchlist", command, CTX)
        assert reply.text.startswith(f"Saved. {BUSY_NOTE}"), reply.text
        lock.release()
        await resumed_caught_up(service)
        assert_limit_and_one_notice(service)
    finally:
        await stop(service)
