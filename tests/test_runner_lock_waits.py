"""The service's minute job (`Service.sync_jobs_job`) beside another process's write lock.

It waited for the catch-ups of the channels it saw resumed, which wait for the lock: while a
long lock lasted, the job did not end and its later runs were skipped. Its own writes (a new
digest channel's baseline, the planning of another process's stories) waited with the
connection's whole busy timeout on the event loop. The job now ends without the catch-ups,
which are still done once the lock is free, and its writes wait only briefly, each left to a
later minute's job. A pass's planning (`Service.on_poll_pass`) likewise waited on the loop; it
is now tried again, the loop free, until the lock is gone. Real SQLite file; the lock is held by a second connection, as another
process would."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _held_lock import FAILSAFE_SECONDS, HeldLock
from _loop_ticks import LoopTicks
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.stories import add_channel, add_story

from bot.app import PassReport
from bot.config import ChannelConfig
from bot.pipeline.poll import PollReport
from bot.runner.changes import resumed_caught_up
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import digest_runs

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)


@asynccontextmanager
async def started(tmp_path: Path, *channels: ChannelConfig) -> AsyncIterator[Service]:
    """A running service whose outbox loop is stopped (the tests read the queued rows)."""
    service, _chat = slack_service(tmp_path, Clock(T0), *channels)
    # Longer than the lock's failsafe: a job waiting it out on the loop stalls it until then.
    service.db.execute(f"PRAGMA busy_timeout = {int(FAILSAFE_SECONDS * 2000)}")
    await service.start()
    service.outbox.halted = True
    service.outbox.kick()
    assert service.outbox_task is not None
    await service.outbox_task
    try:
        yield service
    finally:
        await stop(service)


def story_posts(service: Service) -> list[str]:
    rows = service.db.execute("SELECT story_id FROM deliveries WHERE kind = 'story'")
    return [r[0] for r in rows]


async def test_the_minutes_job_ends_without_waiting_for_a_catch_up_the_lock_holds(
    tmp_path: Path,
) -> None:
    channel = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)
    async with started(tmp_path, channel) as service:
        [row] = service.instant_channels()
        channel_store.update_channel(service.db, row.id, paused_reason="paused in chat")
        service.sync_jobs()  # a minute's job saw it paused
        add_story(service.db, "held", ["A", "B"], now=T0 - timedelta(minutes=5))
        # Resumed by another process (`newsdigest channels resume`), which then writes on.
        channel_store.update_channel(service.db, row.id, paused_reason=None)
        job_done = threading.Event()
        lock = HeldLock(service.core.config.database, job_done.is_set)
        job = asyncio.create_task(service.sync_jobs_job())
        job.add_done_callback(lambda _task: job_done.set())
        await job
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
        # The job ended while the lock was still held, its catch-up still waiting.
        assert lock.released_when_told
        # The catch-up was not lost: done once the lock was let go.
        await resumed_caught_up(service, row.id)
        assert story_posts(service) == ["held"]


async def test_the_minutes_job_under_a_lock_leaves_the_loop_free_its_write_left_for_later(
    tmp_path: Path,
) -> None:
    async with started(tmp_path) as service:
        # A digest channel another process added: the job records its first run as a baseline.
        added = add_channel(service.db, "C9", mode="digest")
        async with LoopTicks() as ticks:
            target = ticks.count + 25
            lock = HeldLock(service.core.config.database, lambda: ticks.count >= target)
            await service.sync_jobs_job()
            await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
        # The loop ticked on while the job met the lock: let go for that, not by the failsafe.
        assert lock.released_when_told
        assert digest_runs.last_digest_run(service.db, added.id) is None  # met the lock
        await service.sync_jobs_job()  # the next minute's
        assert digest_runs.last_digest_run(service.db, added.id) == T0


async def test_a_poll_pass_planned_under_a_lock_leaves_the_loop_free_and_is_planned_after(
    tmp_path: Path,
) -> None:
    """The service's own pass ended while another process holds the lock: its stories are
    planned (an instant post) once the lock is free, the loop running on meanwhile."""
    channel = ChannelConfig(platform="slack", id="C1", mode="instant", min_sources=1)
    async with started(tmp_path, channel) as service:
        add_story(service.db, "fresh", ["A", "B"], now=T0 - timedelta(minutes=5))
        report = PassReport(poll=PollReport(), touched_stories={"fresh"})
        async with LoopTicks() as ticks:
            target = ticks.count + 25
            lock = HeldLock(service.core.config.database, lambda: ticks.count >= target)
            await service.on_poll_pass(report)
            await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
        assert lock.released_when_told
        assert story_posts(service) == ["fresh"]


async def test_a_digest_job_under_a_lock_leaves_the_loop_free_and_queues_its_digest_after(
    tmp_path: Path,
) -> None:
    """A digest met another process's lock: it waited on the loop, and past the wait the slot's
    digest was lost. It is now queued once the lock is free, once."""
    channel = ChannelConfig(platform="slack", id="C1", mode="digest", schedule="0 10 * * *")
    async with started(tmp_path, channel) as service:
        [row] = channel_store.list_channels(service.db, "slack")
        add_story(service.db, "morning", ["A", "B"], now=T0 - timedelta(hours=1))
        slot = T0 + timedelta(days=1)
        async with LoopTicks() as ticks:
            target = ticks.count + 25
            lock = HeldLock(service.core.config.database, lambda: ticks.count >= target)
            await service.run_digest(row.id, scheduled_for=slot)
            await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
        assert lock.released_when_told
        assert story_posts(service) == ["morning"]
        assert digest_runs.last_digest_run(service.db, row.id) == slot
        await service.run_digest(row.id, scheduled_for=slot)  # that slot's again: skipped
        assert story_posts(service) == ["morning"]


async def test_a_job_sync_outside_the_minutes_job_leaves_a_write_the_lock_holds_for_later(
    tmp_path: Path,
) -> None:
    """A platform registered late syncs the jobs on the loop, outside the minute's job: its
    write waited the connection's whole wait there. It now waits briefly, left to the next."""
    async with started(tmp_path) as service:
        added = add_channel(service.db, "C9", mode="digest")
        synced = threading.Event()
        lock = HeldLock(service.core.config.database, synced.is_set)
        service.register_adapter(FakeChatAdapter("discord"))  # syncs the jobs: running
        synced.set()
        await asyncio.to_thread(lock.released.wait, FAILSAFE_SECONDS * 2)
        assert lock.released_when_told
        assert digest_runs.last_digest_run(service.db, added.id) is None  # met the lock
        service.sync_jobs()
        assert digest_runs.last_digest_run(service.db, added.id) == T0
