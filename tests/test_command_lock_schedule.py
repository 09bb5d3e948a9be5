"""`/watchlist schedule` while another process takes the write lock between the command's saving
of the setting and the running service's follow-up. The follow-up (recording when the schedule
changed, the digest job replaced) was left to the next job sync, a minute on: a slot of the new
schedule in that minute was missed, and a restart before it lost the record, so the start's
catch-up took a slot that passed before the schedule was set. The change is now recorded with
the setting, in its transaction, and the job replaced at once, lock or not; a channel made by
another process with no digest run gets its first at the next job sync that is not locked out.
Real SQLite file; the lock is held by a second connection, as another process would."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fakes.clock import Clock
from fakes.runner import start_slack_service, stop
from fakes.stories import add_channel

from bot.commands.base import CommandContext
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import digest_runs
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 7, 0, tzinfo=UTC)
CTX = CommandContext(platform="slack", channel_id="C1", user_id="U1", is_admin=True)


def lock_taken_at_first_call(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, database: str
) -> threading.Event:
    """Another process takes the write lock, for 0.8 s, just before `module.name`'s first call
    (the command's setting saved by then); the event is set once it is released."""
    released = threading.Event()
    real = getattr(module, name)
    taken: list[bool] = []

    def hold(conn: sqlite3.Connection) -> None:
        time.sleep(0.8)
        conn.execute("COMMIT")
        conn.close()
        released.set()

    def taken_first(*args: Any, **kwargs: Any) -> Any:
        if not taken:
            taken.append(True)
            conn = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
            conn.execute("BEGIN IMMEDIATE")
            threading.Thread(target=hold, args=(conn,), daemon=True).start()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, taken_first)
    return released


def lock_taken_before_follow_up(service: Service) -> sqlite3.Connection:
    """Another process takes the write lock just before the service's follow-up to the next
    command (the setting saved by then), and holds it until the returned connection commits."""
    conn = sqlite3.connect(service.core.config.database, isolation_level=None)
    real = service.commands.on_channel_change
    assert real is not None

    async def taken_first(*args: Any) -> None:
        conn.execute("BEGIN IMMEDIATE")
        await real(*args)

    service.commands.on_channel_change = taken_first
    return conn


async def test_a_schedule_change_under_the_lock_replaces_the_job_at_once(
    tmp_path: Path,
) -> None:
    """The new schedule's slot in the minute before the next job sync: the job of the old
    schedule stayed (and skips, stale), and the new one came only with that sync, after it."""
    clock = Clock(T0)
    service, _chat = await start_slack_service(tmp_path, clock)
    try:
        first = await service.commands.dispatch("watchlist", "schedule daily 09:00", CTX)
        assert first.text.startswith("Saved."), first.text
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None
        job = f"digest:{row.id}"
        assert "hour='9'" in str(service.scheduler.get_job(job).trigger)

        lock = lock_taken_before_follow_up(service)
        clock.now = T0.replace(minute=10)
        reply = await service.commands.dispatch("watchlist", "schedule daily 07:11", CTX)
        assert reply.text.startswith("Saved."), reply.text
        # Still under the lock: the job fires at 07:11, not after the next job sync.
        trigger = str(service.scheduler.get_job(job).trigger)
        assert "hour='7'" in trigger and "minute='11'" in trigger, trigger
        lock.execute("COMMIT")
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None and row.schedule == "11 7 * * *"
        assert row.schedule_changed_at == clock.now  # recorded with the setting

        # The next job sync records nothing again (the change's time stays the command's).
        clock.now = T0.replace(minute=11)
        await service.sync_jobs_job()
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None and row.schedule_changed_at == T0.replace(minute=10)
    finally:
        await stop(service)


async def test_a_schedule_change_under_the_lock_survives_a_restart(tmp_path: Path) -> None:
    """A restart before the next job sync lost the change's record, so the start's catch-up
    sent a digest for a slot of the new schedule that passed before it was set."""
    clock = Clock(T0)
    service, _chat = await start_slack_service(tmp_path, clock)
    try:
        first = await service.commands.dispatch("watchlist", "schedule daily 09:00", CTX)
        assert first.text.startswith("Saved."), first.text
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None
        assert digest_runs.last_digest_run(service.db, row.id) == T0  # the baseline

        lock = lock_taken_before_follow_up(service)
        clock.now = T0.replace(minute=10)
        reply = await service.commands.dispatch("watchlist", "schedule daily 07:05", CTX)
        assert reply.text.startswith("Saved."), reply.text
        lock.execute("COMMIT")
    finally:
        await stop(service)

    clock.now = T0.replace(minute=11)
    again, _chat = await start_slack_service(tmp_path, clock)
    try:
        row = channel_store.get_channel(again.db, "slack", "C1")
        assert row is not None and row.schedule_changed_at == T0.replace(minute=10)
        # 07:05 was no slot of the schedule in force then: nothing caught up.
        assert digest_runs.last_digest_run(again.db, row.id) == T0
    finally:
        await stop(again)


async def test_a_channel_made_elsewhere_has_its_first_digest_run_left_to_the_next_job_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A channel another process made with no digest run (`newsdigest poll` syncing a config file
    that declares it) gets its first from the job sync, which leaves it to the next when the lock
    is held. (One signed up in chat has it with its row: tests/test_first_digest_run.py.)"""
    clock = Clock(T0)
    service, _chat = await start_slack_service(tmp_path, clock)
    try:
        elsewhere = open_database(service.core.config.database)
        row = add_channel(elsewhere, "C1", schedule="0 9 * * *")
        elsewhere.close()
        assert digest_runs.last_digest_run(service.db, row.id) is None
        released = lock_taken_at_first_call(
            monkeypatch, digest_runs, "record_digest_run", service.core.config.database
        )
        await service.sync_jobs_job()
        await asyncio.to_thread(released.wait, 5)
        assert digest_runs.last_digest_run(service.db, row.id) is None  # the lock was held
        clock.now = T0.replace(minute=1)
        await service.sync_jobs_job()
        assert digest_runs.last_digest_run(service.db, row.id) == clock.now
    finally:
        await stop(service)
