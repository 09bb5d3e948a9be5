"""The service's daily prune job: scheduled unless retention is off, run by the real scheduler on
the loop, and a prune that raises is logged and reported while the bot keeps running."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from fakes.runner import stop
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.config import Config, StorageConfig
from bot.runner.retention import PRUNE_JOB
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import retention, service_state
from bot.store.database import iso, open_database, utcnow

T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=200)


def _service(tmp_path: Path, retention_days: int = 180) -> Service:
    config = Config(
        database=str(tmp_path / "nd.db"), storage=StorageConfig(retention_days=retention_days)
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    return Service(config, core=core, settings=settings, clock=lambda: NOW, env={})


async def _run_prune_job(service: Service) -> JobExecutionEvent:
    """Run the registered prune job now, as the scheduler would after a day."""
    done: asyncio.Future[JobExecutionEvent] = asyncio.get_running_loop().create_future()

    def listener(event: JobExecutionEvent) -> None:
        if event.job_id == PRUNE_JOB and not done.done():
            done.set_result(event)

    service.scheduler.add_listener(listener, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    try:
        service.scheduler.modify_job(PRUNE_JOB, next_run_time=utcnow())
        service.scheduler.wakeup()
        return await asyncio.wait_for(done, timeout=5)
    finally:
        service.scheduler.remove_listener(listener)


def _stories(service: Service) -> set[str]:
    return {r[0] for r in service.db.execute("SELECT id FROM stories")}


async def test_a_failing_prune_is_logged_and_the_bot_keeps_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    service = _service(tmp_path)
    add_story(service.db, "old", ["A", "B"], now=T0)
    add_story(service.db, "fresh", ["A"], now=NOW - timedelta(days=1))

    def broken(*args: object, **kwargs: object) -> Iterator[object]:
        raise sqlite3.OperationalError("disk I/O error")
        yield  # a generator, like the real one

    monkeypatch.setattr(retention, "prune_batches", broken)
    await service.start()
    try:
        with caplog.at_level(logging.ERROR):
            event = await _run_prune_job(service)
        assert event.exception is None  # handled in the job, not escaped to the scheduler
        assert service.state == "running" and service.scheduler.running
        assert service.scheduler.get_job(PRUNE_JOB) is not None  # tomorrow's run stays
        assert "pruning failed" in caplog.text
        health = service.health()["retention"]
        assert "disk I/O error" in health["last_error"] and health["last_prune"] is None
        assert _stories(service) == {"old", "fresh"}

        # The next run, with the database well again, prunes and says so.
        monkeypatch.undo()
        await _run_prune_job(service)
        assert _stories(service) == {"fresh"}
        health = service.health()["retention"]
        assert health["last_error"] is None and health["last_prune"] == iso(NOW)
        assert health["last_pruned"]["stories"] == 1
    finally:
        await stop(service)


async def test_no_prune_job_when_retention_is_off(tmp_path: Path) -> None:
    service = _service(tmp_path, retention_days=0)
    add_story(service.db, "old", ["A"], now=T0)
    await service.start()
    try:
        assert service.scheduler.get_job(PRUNE_JOB) is None
        assert service.health()["retention"]["days"] is None
    finally:
        await stop(service)


async def test_the_first_prune_waits_a_while_after_start(tmp_path: Path) -> None:
    service = _service(tmp_path)
    await service.start()
    try:
        job = service.scheduler.get_job(PRUNE_JOB)
        assert job is not None
        delay = job.next_run_time - utcnow()
        assert timedelta(minutes=5) < delay <= timedelta(minutes=10)
    finally:
        await stop(service)


async def test_the_last_prune_is_still_shown_after_a_restart(tmp_path: Path) -> None:
    service = _service(tmp_path)
    add_story(service.db, "old", ["A", "B"], now=T0)
    await service.start()
    try:
        await _run_prune_job(service)
    finally:
        await stop(service)

    restarted = _service(tmp_path)
    health = restarted.health()["retention"]
    restarted.core.close()
    assert health["last_prune"] == iso(NOW)
    assert health["last_pruned"]["stories"] == 1 and health["last_error"] is None


async def test_a_prune_by_hand_shows_in_the_running_bots_health(tmp_path: Path) -> None:
    service = _service(tmp_path)
    add_story(service.db, "old", ["A", "B"], now=T0)
    await service.start()
    try:
        assert service.health()["retention"]["last_prune"] is None
        # `newsdigest prune` in another process: its own connection, its own record.
        other = open_database(tmp_path / "nd.db")
        later = NOW + timedelta(hours=1)
        counts = retention.prune(
            other, now=later, older_than=timedelta(days=180), window=timedelta(hours=48)
        )
        service_state.record_prune(other, counts.as_dict(), now=later)
        other.conn.close()

        health = service.health()["retention"]
        assert health["last_prune"] == iso(later)
        assert health["last_pruned"]["stories"] == 1
    finally:
        await stop(service)
