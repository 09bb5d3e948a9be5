"""`newsdigest run`'s start beside another process's write lock (a cron `newsdigest poll`, a
prune): the config's sync, the platforms' record, the terminal channel and the poller's start-up
writes each waited with the connection's busy timeout (30 s) on the event loop, the health
endpoint and the chat platforms already started on it standing still. They now wait with the
loop free, and are written once the lock is let go.

Real SQLite file; the lock is held by a second connection, as another process would, and let go
once the loop has ticked on (`_held_lock`): a loop frozen waiting for the lock never ticks, and
only the failsafe lets it go then."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from _held_lock import FAILSAFE_SECONDS, HeldLock
from _loop_ticks import LoopTicks
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import slack_service, stop

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import service_state
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)


async def test_a_start_beside_a_lock_leaves_the_loop_free_and_syncs_once_it_is_free(
    tmp_path: Path,
) -> None:
    channel = ChannelConfig(platform="slack", id="C1", mode="digest", schedule="0 9 * * *")
    service, _chat = slack_service(tmp_path, Clock(T0), channel)
    # Longer than the lock's failsafe: a write waiting it out on the loop stalls it until then.
    service.db.execute(f"PRAGMA busy_timeout = {int(FAILSAFE_SECONDS * 2000)}")
    try:
        async with LoopTicks() as ticks:
            target = ticks.count + 25
            lock = HeldLock(service.core.config.database, lambda: ticks.count >= target)
            await service.start()
            await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
        # Let go because the loop ticked on while start waited, not by the failsafe.
        assert lock.released_when_told
        assert service.state == "running"
        # The file's channel synced in once; the platforms recorded for the command line.
        [synced] = channel_store.list_channels(service.db, "slack")
        assert (synced.channel_id, synced.schedule) == ("C1", "0 9 * * *")
        assert channel_store.list_channels(service.db, "console") == []  # chat runs
        recorded = service_state.load(service.db, service_state.PLATFORMS)
        assert recorded is not None and "slack" in str(recorded)
    finally:
        await stop(service)


async def test_starts_writes_after_the_sync_beside_a_lock_leave_the_loop_free(
    tmp_path: Path,
) -> None:
    """The lock taken once the config is synced: the platforms' record, the terminal channel
    and the poller's start-up writes meet it."""
    service, _chat = slack_service(tmp_path, Clock(T0))
    service.db.execute(f"PRAGMA busy_timeout = {int(FAILSAFE_SECONDS * 2000)}")
    locks: list[HeldLock] = []
    sync = service.core.sync_config

    async with LoopTicks() as ticks:

        def synced_then_locked(**kwargs: object) -> object:
            report = sync(**kwargs)  # type: ignore[arg-type]
            target = ticks.count + 25
            locks.append(HeldLock(service.core.config.database, lambda: ticks.count >= target))
            return report

        service.core.sync_config = synced_then_locked  # type: ignore[method-assign]
        try:
            await service.start()
            [lock] = locks
            await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
            assert lock.released_when_told
            assert service.state == "running"
            recorded = service_state.load(service.db, service_state.PLATFORMS)
            assert recorded is not None and "slack" in str(recorded)
        finally:
            await stop(service)


class NoRoomForTheRecord:
    """The service's connection on a disk with no room for the platforms' record: its INSERT is
    refused, and so is the COMMIT of a transaction holding it (in WAL mode a transaction's data
    goes to the log at COMMIT, where a full disk surfaces, as `tests/test_runner_write_probe.py`
    notes). Everything else is written."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.doomed = False

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.conn, attr)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if "INTO service_state" in sql:
            self.doomed = self.conn.in_transaction
            raise _full()
        if sql == "COMMIT" and self.doomed:
            self.doomed = False
            raise _full()
        if sql == "ROLLBACK":
            self.doomed = False
        return self.conn.execute(sql, *args)


def _full() -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError("database or disk is full")
    exc.sqlite_errorname = "SQLITE_FULL"
    return exc


async def test_a_start_on_a_full_disk_goes_on_without_the_platforms_record(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The record costs only the command line's view: `run` starts (degraded as the disk is),
    and the record is tried again at the next look, not taken for stored."""
    channel = ChannelConfig(platform="slack", id="C1", mode="digest", schedule="0 9 * * *")
    service, _chat = slack_service(tmp_path, Clock(T0), channel)
    real = service.db.conn
    service.db.conn = NoRoomForTheRecord(real)  # type: ignore[assignment]
    try:
        with caplog.at_level(logging.WARNING, logger="bot.runner.platform_state"):
            await service.start()
        service.db.conn = real
        assert service.state == "running"
        assert "could not record the chat platforms' state" in caplog.text
        assert service_state.load(service.db, service_state.PLATFORMS) is None
        assert not real.in_transaction
        # Not taken for stored: the minute's look writes it once there is room.
        await service.sync_jobs_job()
        recorded = service_state.load(service.db, service_state.PLATFORMS)
        assert recorded is not None and "slack" in str(recorded)
    finally:
        service.db.conn = real
        await stop(service)


async def test_the_terminal_channel_beside_a_lock_leaves_the_loop_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No chat platform: the terminal channel is created once the lock, taken as soon as the
    platforms are recorded, is let go."""
    config = Config(database=str(tmp_path / "nd.db"))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    service = Service(config, core=core, settings=settings, clock=Clock(T0), env={})
    service.db.execute(f"PRAGMA busy_timeout = {int(FAILSAFE_SECONDS * 2000)}")
    locks: list[HeldLock] = []
    save = service_state.save
    async with LoopTicks() as ticks:

        def saved_then_locked(*args: Any, **kwargs: Any) -> None:
            save(*args, **kwargs)
            target = ticks.count + 25
            locks.append(HeldLock(config.database, lambda: ticks.count >= target))

        monkeypatch.setattr(service_state, "save", saved_then_locked)
        try:
            await service.start()
            [lock] = locks
            await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
            assert lock.released_when_told
            assert service.state == "running"
            [terminal] = channel_store.list_channels(service.db, "console")
            assert (terminal.channel_id, terminal.origin) == ("terminal", "runner")
        finally:
            await stop(service)


async def test_a_platform_starting_late_beside_a_lock_leaves_the_loop_free(
    tmp_path: Path,
) -> None:
    """Its record for the command line waits with the loop free: the platforms already running
    keep their heartbeats."""
    service, _chat = slack_service(tmp_path, Clock(T0))
    try:
        await service.start()
        service.db.execute(f"PRAGMA busy_timeout = {int(FAILSAFE_SECONDS * 2000)}")
        service.register_adapter(FakeChatAdapter("discord"))  # as a late start does
        async with LoopTicks() as ticks:
            target = ticks.count + 25
            lock = HeldLock(service.core.config.database, lambda: ticks.count >= target)
            await service._platform_started_late(SimpleNamespace(name="discord"))  # type: ignore[arg-type]
            await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
        assert lock.released_when_told
        recorded = service_state.load(service.db, service_state.PLATFORMS)
        assert recorded is not None and recorded["platforms"]["discord"]["running"]
    finally:
        await stop(service)
