"""When digest jobs run: the catch-up window's edge cases, schedule changes made in chat reaching
the scheduler at once, and a slot that falls while the service is starting. Controlled clocks;
the scheduler runs but no test waits for it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import stop
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.commands.base import CommandContext
from bot.config import ChannelConfig, Config
from bot.runner import feed_alerts
from bot.runner.jobs import QuietShutdownCancel
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import digest_runs
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC


def make_service(
    tmp_path: Path,
    clock: Callable[[], datetime],
    *,
    settings: RunnerSettings | None = None,
) -> tuple[Service, FakeChatAdapter]:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *", min_sources=1)],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = settings or RunnerSettings(health_port=None, post_pace=0)
    service = Service(config, core=core, settings=settings, clock=clock, env={})
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    return service, chat


async def test_catch_up_window_zero_starts_and_sends_nothing_late(tmp_path: Path) -> None:
    clock = Clock(T0 - timedelta(days=1))
    service, _chat = make_service(tmp_path, clock)
    await service.start()  # the baseline run, a day ago
    await stop(service)
    settings = RunnerSettings.from_env(
        {"NEWSDIGEST_CATCHUP_WINDOW": "0", "NEWSDIGEST_HEALTH_PORT": "off"}
    )
    assert settings.catch_up_window == timedelta(0)
    # Back at 09:05, five minutes after today's slot: no catch-up is wanted, and starting must
    # not fail on APScheduler's "misfire_grace_time must be a positive integer".
    clock.now = T0 + timedelta(minutes=5)
    service, _chat = make_service(tmp_path, clock, settings=settings)
    await service.start()
    job = service.scheduler.get_job("digest:1")
    last = digest_runs.last_digest_run(service.db, 1)
    await stop(service)
    assert job is not None and job.misfire_grace_time == 1
    assert last == T0 - timedelta(days=1)


async def test_catch_up_window_zero_still_sends_the_digest_on_time(tmp_path: Path) -> None:
    clock = Clock(T0 - timedelta(hours=1))
    settings = RunnerSettings(health_port=None, post_pace=0, catch_up_window=timedelta(0))
    service, chat = make_service(tmp_path, clock, settings=settings)
    await service.start()
    add_story(service.db, "s1", ["A"], now=T0 - timedelta(minutes=30))
    clock.now = T0 + timedelta(milliseconds=300)  # the job runs a moment after its slot
    await service.run_digest(1)
    await service.outbox.drain()
    last = digest_runs.last_digest_run(service.db, 1)
    await stop(service)
    assert last == T0
    assert [m.story_id for m in chat.cards()] == ["s1"]


async def test_digest_jobs_are_scheduled_before_the_start_up_catch_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """APScheduler 3 computes a job's first run when the scheduler starts. Started after a slow
    catch-up, a slot falling during the catch-up was lost for the day: too late for catch-up's
    `now`, too early for the scheduler. So by the time catch-up runs, the digest job must already
    have its next run (computed before the catch-up began)."""
    clock = Clock(T0 - timedelta(hours=1))
    service, _chat = make_service(tmp_path, clock)
    seen: list[tuple[bool, datetime | None]] = []
    real = feed_alerts.alert_disabled_feeds

    def during_catch_up(db: object, *, now: datetime) -> int:
        job = service.scheduler.get_job("digest:1")
        seen.append((service.scheduler.running, getattr(job, "next_run_time", None)))
        return real(db, now=now)  # type: ignore[arg-type]

    monkeypatch.setattr(feed_alerts, "alert_disabled_feeds", during_catch_up)
    await service.start()
    await stop(service)
    ((running, next_run),) = seen
    assert running and next_run is not None


CTX = CommandContext(platform="slack", channel_id="C1", user_id="U1")


async def test_old_job_firing_after_a_schedule_change_does_not_post(tmp_path: Path) -> None:
    clock = Clock(T0 - timedelta(days=1))
    service, chat = make_service(tmp_path, clock)
    await service.start()
    add_story(service.db, "s1", ["A"], now=T0 - timedelta(hours=1))
    # At 08:59:30 the digest moves to 17:00 behind the scheduler's back (no chat hook ran).
    clock.now = T0 - timedelta(seconds=30)
    channel_store.update_channel(service.db, 1, schedule="0 17 * * *")
    before = digest_runs.last_digest_run(service.db, 1)
    # The 09:00 job, made for the old schedule, fires before the next periodic sync.
    clock.now = T0
    await service.run_digest(1, schedule=("0 9 * * *", "UTC"))
    stale_job_run = digest_runs.last_digest_run(service.db, 1)
    # Even without knowing its schedule, a run with no slot of the new schedule due is skipped
    # (it used to fall back to "now" and post a digest nobody scheduled).
    await service.run_digest(1)
    unknown_job_run = digest_runs.last_digest_run(service.db, 1)
    job = service.scheduler.get_job("digest:1")
    await service.outbox.drain()
    await stop(service)
    assert stale_job_run == before and unknown_job_run == before
    assert chat.cards() == []
    # The stale run resynced the jobs: the job now stands for the new schedule.
    assert job is not None and job.kwargs["schedule"] == ("0 17 * * *", "UTC")


async def test_schedule_changed_in_chat_replaces_the_job_at_once(tmp_path: Path) -> None:
    clock = Clock(T0 - timedelta(minutes=30))
    service, _chat = make_service(tmp_path, clock)
    await service.start()
    # The scheduler itself runs on real time; the triggers are checked at the test's instants.
    old = service.scheduler.get_job("digest:1")
    assert old is not None and old.trigger.get_next_fire_time(None, clock.now) == T0
    reply = await service.commands.dispatch("watchlist", "schedule daily 17:00", CTX)
    job = service.scheduler.get_job("digest:1")
    moved = await service.commands.dispatch("watchlist", "mode instant", CTX)
    gone = service.scheduler.get_job("digest:1")
    await stop(service)
    assert reply.text.startswith("Saved.") and moved.text.startswith("Saved.")
    assert job is not None
    assert job.trigger.get_next_fire_time(None, clock.now) == T0.replace(hour=17)
    assert job.kwargs["schedule"] == ("0 17 * * *", "UTC")
    assert gone is None  # an instant channel has no digest job


async def test_stopping_does_not_log_the_cancelled_poll_job_as_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    service, _chat = make_service(tmp_path, Clock(T0))
    # Stopped straight after start: the poll job (due at start) has been submitted as a task
    # that has not run yet, and the scheduler's shutdown cancels it.
    await service.start()
    with caplog.at_level(logging.DEBUG):
        await stop(service)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


def test_a_job_failing_for_real_is_still_logged() -> None:
    def record(exc: BaseException) -> logging.LogRecord:
        return logging.LogRecord(
            "apscheduler.executors.default",
            logging.ERROR,
            __file__,
            1,
            "Error running job %s",
            ("poll",),
            (type(exc), exc, None),
        )

    quiet = QuietShutdownCancel()
    assert quiet.filter(record(ValueError("boom")))
    assert not quiet.filter(record(asyncio.CancelledError()))
