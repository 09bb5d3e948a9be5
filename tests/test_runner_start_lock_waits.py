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
from datetime import UTC, datetime
from pathlib import Path

from _held_lock import FAILSAFE_SECONDS, HeldLock
from _loop_ticks import LoopTicks
from fakes.clock import Clock
from fakes.runner import slack_service, stop

from bot.config import ChannelConfig
from bot.store import channels as channel_store
from bot.store import service_state

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
