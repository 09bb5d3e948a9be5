"""The fixed jobs that touch the database or the outbox run on the event loop's thread, through
the real AsyncIOScheduler (which would run a plain function in its thread pool)."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime
from pathlib import Path

from fakes.chat import FakeChatAdapter

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database, utcnow

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)


async def test_sync_and_outbox_jobs_run_on_the_loop_thread(tmp_path: Path) -> None:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *")],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    service = Service(config, core=core, settings=settings, clock=lambda: T0, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    await service.start()
    seen: dict[str, int] = {}
    both = asyncio.Event()
    sync_jobs, kick = service.sync_jobs, service.outbox.kick

    def record(name: str) -> None:
        seen[name] = threading.get_ident()
        if len(seen) == 2:
            both.set()

    def spy_sync() -> None:
        record("sync-jobs")
        sync_jobs()

    def spy_kick() -> None:
        record("outbox")
        kick()

    service.sync_jobs = spy_sync  # type: ignore[method-assign]
    service.outbox.kick = spy_kick  # type: ignore[method-assign]
    try:
        # Run the registered jobs now, as the scheduler would on their interval.
        for job_id in ("sync-jobs", "outbox"):
            service.scheduler.modify_job(job_id, next_run_time=utcnow())
        service.scheduler.wakeup()
        await asyncio.wait_for(both.wait(), timeout=5)
    finally:
        await service.stop()
        core.close()
    loop_thread = threading.get_ident()
    assert seen == {"sync-jobs": loop_thread, "outbox": loop_thread}
