"""`/watchlist schedule` while another process takes the write lock between the command's saving
of the setting and the running service's follow-up (recording when the schedule changed, the
digest job replaced): the follow-up said the change "may be only partly done", and a retried
identical command found nothing changed, so the change was never recorded. The follow-up is
now left to the next job sync (each minute), which compares every channel's schedule with the
last it saw, and the reply says the setting was saved. Real SQLite file; the lock is held by a
connection of its own in a thread, as another process would."""

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

from bot.commands.base import CommandContext
from bot.store import channels as channel_store
from bot.store import digest_runs

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


async def test_a_schedule_change_whose_follow_up_meets_the_lock_is_saved_and_synced_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(T0)
    service, _chat = await start_slack_service(tmp_path, clock)
    try:
        first = await service.commands.dispatch("watchlist", "schedule daily 09:00", CTX)
        assert first.text.startswith("Saved."), first.text
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None
        job = f"digest:{row.id}"
        before = str(service.scheduler.get_job(job).trigger)

        database = service.core.config.database
        released = lock_taken_at_first_call(
            monkeypatch, channel_store, "record_schedule_change", database
        )
        clock.now = T0.replace(minute=10)
        reply = await service.commands.dispatch("watchlist", "schedule daily 18:00", CTX)
        assert reply.text.startswith("Saved."), reply.text
        await asyncio.to_thread(released.wait, 5)
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None and row.schedule == "0 18 * * *"
        assert row.schedule_changed_at is None  # not recorded: the lock was held
        assert str(service.scheduler.get_job(job).trigger) == before

        # The next job sync records the change and replaces the job.
        clock.now = T0.replace(minute=11)
        await service.sync_jobs_job()
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None and row.schedule_changed_at == clock.now
        assert "hour='18'" in str(service.scheduler.get_job(job).trigger)
    finally:
        await stop(service)


async def test_a_new_channels_first_digest_run_left_to_the_next_job_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(T0)
    service, _chat = await start_slack_service(tmp_path, clock)
    try:
        released = lock_taken_at_first_call(
            monkeypatch, digest_runs, "record_digest_run", service.core.config.database
        )
        reply = await service.commands.dispatch("watchlist", "schedule daily 09:00", CTX)
        assert reply.text.startswith("Saved."), reply.text
        await asyncio.to_thread(released.wait, 5)
        row = channel_store.get_channel(service.db, "slack", "C1")
        assert row is not None
        assert digest_runs.last_digest_run(service.db, row.id) is None  # the lock was held
        clock.now = T0.replace(minute=1)
        await service.sync_jobs_job()
        assert digest_runs.last_digest_run(service.db, row.id) == clock.now
    finally:
        await stop(service)
