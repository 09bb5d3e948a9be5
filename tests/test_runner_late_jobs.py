"""The fixed jobs run late rather than not at all: after a suspend of hours, the daily prune
runs once when the host wakes (a 30 s grace skipped it for a day, so a host suspended over it
every day never pruned), and the minute's sync runs though its coalesced run is 45 s late. A run
that is missed is one line in the log, not APScheduler's and ours."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent

from bot.app import NewsDigest
from bot.config import Config, StorageConfig
from bot.runner.jobs import make_scheduler
from bot.runner.retention import PRUNE_JOB
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database, utcnow


def _service(tmp_path: Path) -> Service:
    config = Config(database=str(tmp_path / "nd.db"), storage=StorageConfig(retention_days=30))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    return Service(config, core=core, settings=settings, env={})


async def _late_run(service: Service, job_id: str, late: timedelta) -> int:
    """The job's run set `late` in the past, as a host waking from a suspend finds it: the
    event the scheduler then gives (executed or missed)."""
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def listener(event: JobExecutionEvent) -> None:
        if event.job_id == job_id and not done.done():
            done.set_result(event.code)

    service.scheduler.add_listener(listener, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)
    try:
        service.scheduler.modify_job(job_id, next_run_time=utcnow() - late)
        return await asyncio.wait_for(done, timeout=10)
    finally:
        service.scheduler.remove_listener(listener)


@pytest.mark.parametrize(
    ("job_id", "late"),
    [(PRUNE_JOB, timedelta(hours=3)), ("sync-jobs", timedelta(seconds=45))],
)
async def test_a_fixed_job_woken_late_runs_once(
    tmp_path: Path, job_id: str, late: timedelta
) -> None:
    service = _service(tmp_path)
    await service.start()
    try:
        assert await _late_run(service, job_id, late) == EVENT_JOB_EXECUTED
        # Coalesced: one run, and the next is an interval on, not another catch-up run.
        job = service.scheduler.get_job(job_id)
        assert job is not None and job.next_run_time > utcnow()
    finally:
        await service.stop()
        service.core.close()


async def test_a_missed_run_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    scheduler = make_scheduler()
    missed = asyncio.Event()
    scheduler.add_listener(lambda event: missed.set(), EVENT_JOB_MISSED)

    async def digest() -> None:
        raise AssertionError("a run past its grace must not run")

    caplog.set_level(logging.WARNING)
    scheduler.start()
    try:
        scheduler.add_job(
            digest,
            "interval",
            hours=1,
            id="digest:7",
            misfire_grace_time=60,
            next_run_time=utcnow() - timedelta(minutes=10),
        )
        await asyncio.wait_for(missed.wait(), timeout=5)
        await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
    lines = [r for r in caplog.records if "miss" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert lines[0].name == "bot.runner.jobs"
    assert lines[0].getMessage().startswith("job digest:7 missed its run at ")
    # Ten minutes late, and the seconds the scheduler took to handle it under load (it waits up
    # to 5 s above): whole seconds, so an exact 0:10:00 would fail once it took over half of one.
    assert re.search(r"\(0:10:0\d late\)", lines[0].getMessage()), lines[0].getMessage()
