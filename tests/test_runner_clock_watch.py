"""The wall clock stepped back under a running service (`bot.runner.clock_watch`): polling and
the other fixed jobs go on as if it had not, whether or not the clock is put right; the feeds'
stored next polls come back within what their interval and backoff allow; digest jobs keep to
the wall clock; a forward step is left to the scheduler. The scheduler reads a shifted clock
(APScheduler's `datetime.now`, monkeypatched); the monotonic clock is the real one, or a fake."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from fakes.chat import FakeChatAdapter
from fakes.clock import Clocks
from fakes.runner import stop

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner import clock_watch
from bot.runner.clock_polls import poll_allowance, pull_polls_back
from bot.runner.clock_watch import ClockWatch
from bot.runner.jobs import FIXED_JOBS, make_scheduler
from bot.runner.schedule import cron_trigger
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import feeds as feed_store
from bot.store.database import iso, open_database, parse_iso

T0 = datetime(2026, 12, 1, 0, 56, tzinfo=UTC)


class ShiftedDatetime(datetime):
    """`datetime` whose now() is the real one plus `offset`: the system clock as set."""

    offset = timedelta(0)

    @classmethod
    def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
        return datetime.now(tz) + cls.offset  # type: ignore[arg-type]


def shifted_wall() -> datetime:
    return ShiftedDatetime.now(UTC)


@pytest.fixture
def shifted(monkeypatch: pytest.MonkeyPatch) -> type[ShiftedDatetime]:
    """APScheduler's clock, shifted at will: the scheduler and its executor read it."""
    monkeypatch.setattr(ShiftedDatetime, "offset", timedelta(0))
    monkeypatch.setattr("apscheduler.schedulers.base.datetime", ShiftedDatetime)
    monkeypatch.setattr("apscheduler.executors.base.datetime", ShiftedDatetime)
    return ShiftedDatetime


async def _until(condition: Callable[[], bool], timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_polling_goes_on_through_a_clock_set_back_and_put_right(
    tmp_path: Path,
    shifted: type[ShiftedDatetime],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *")],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0, poll_tick=0.2)
    service = Service(config, core=core, settings=settings, env={})
    service.register_adapter(FakeChatAdapter("slack"))
    service.clock_watch.wall = shifted_wall
    service.clock_watch.every = 0.05
    ticks: list[float] = []
    real_tick = service.poller.tick

    async def tick() -> int:
        ticks.append(asyncio.get_running_loop().time())
        return await real_tick()

    monkeypatch.setattr(service.poller, "tick", tick)
    caplog.set_level(logging.WARNING)
    await service.start()
    # Three ticks take 0.6 s; a stalled scheduler sleeps out the 120 s step. A hang guard far
    # from both, so a busy machine's slow ticks pass.
    patience = 20
    try:
        await _until(lambda: len(ticks) >= 2, timeout=patience)
        # Two minutes back: the scheduler, asleep until the next tick's wall time, would find
        # it two minutes away, and sleep them out even once the clock is put right.
        shifted.offset = timedelta(seconds=-120)
        seen = len(ticks)
        await _until(lambda: len(ticks) >= seen + 3, timeout=patience)
        shifted.offset = timedelta(0)
        seen = len(ticks)
        await _until(lambda: len(ticks) >= seen + 3, timeout=patience)
    finally:
        await stop(service)
    stepped = [r for r in caplog.records if r.getMessage().startswith("the system clock went")]
    assert len(stepped) == 1, [r.getMessage() for r in stepped]  # the step back, once
    assert stepped[0].levelno == logging.WARNING
    assert "went back 120 s" in stepped[0].getMessage()
    assert "poll" in stepped[0].getMessage()


async def _noop() -> None:
    return None


def _scheduler(now: datetime) -> AsyncIOScheduler:
    """The fixed jobs and a 09:00 digest job, as the service has them, next runs from `now`."""
    scheduler = make_scheduler()
    scheduler.start(paused=True)  # nothing runs: the test reads next run times
    for job_id, seconds in (("poll", 5), ("outbox", 30), ("sync-jobs", 60), ("prune", 86400)):
        scheduler.add_job(
            _noop, "interval", seconds=seconds, id=job_id, next_run_time=now + timedelta(seconds=3)
        )
    scheduler.add_job(
        _noop,
        trigger=cron_trigger("0 9 * * *", "UTC"),
        id="digest:1",
        next_run_time=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )
    return scheduler


async def test_a_backward_step_brings_the_fixed_jobs_back_and_leaves_digests(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(tmp_path / "nd.db")
    clocks = Clocks(T0)
    scheduler = _scheduler(clocks.now)
    watch = ClockWatch(scheduler, db, jobs=FIXED_JOBS, wall=clocks.wall, monotonic=clocks.monotonic)
    try:
        watch.check()
        clocks.run(1, wall_step=-300)  # set back five minutes
        caplog.set_level(logging.WARNING)
        assert watch.check() == timedelta(seconds=300)
        for job_id in FIXED_JOBS:
            # Due 2 s from now without the step: so again, not in 5 minutes and 2 s.
            next_run = scheduler.get_job(job_id).next_run_time
            assert next_run == clocks.now + timedelta(seconds=2), job_id
        # The digest keeps its wall-clock slot: 09:00 is 09:00 on the clock as set.
        assert scheduler.get_job("digest:1").next_run_time == datetime(
            2026, 12, 1, 9, 0, tzinfo=UTC
        )
        clocks.run(5)
        assert watch.check() is None  # the step is over: seen once, logged once
        # The watch's own records: opening the database may have logged its migrations before,
        # when an earlier test left the bot's loggers at INFO.
        watched = [r.getMessage()[:32] for r in caplog.records if r.name == clock_watch.__name__]
        assert watched == ["the system clock went back 300 s"]
    finally:
        scheduler.shutdown(wait=False)
        db.close()


async def test_a_forward_step_or_a_small_one_changes_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = open_database(tmp_path / "nd.db")
    clocks = Clocks(T0)
    scheduler = _scheduler(clocks.now)
    before = {job.id: job.next_run_time for job in scheduler.get_jobs()}
    watch = ClockWatch(scheduler, db, jobs=FIXED_JOBS, wall=clocks.wall, monotonic=clocks.monotonic)
    caplog.set_level(logging.WARNING)
    try:
        watch.check()
        clocks.run(5, wall_step=3 * 3600)  # a suspend, or the clock put forward
        assert watch.check() is None
        clocks.run(5, wall_step=-8)  # under the threshold: an NTP step of seconds
        assert watch.check() is None
        clocks.run(5)
        assert watch.check() is None
        assert {job.id: job.next_run_time for job in scheduler.get_jobs()} == before
        assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    finally:
        scheduler.shutdown(wait=False)
        db.close()


def test_next_polls_set_on_the_old_clock_come_back_within_their_allowance(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "nd.db")
    now, step = T0, timedelta(seconds=120)

    def feed(name: str, due: timedelta, interval: int = 60, **state: object) -> int:
        row = feed_store.add_feed(db, f"https://example.org/{name}.xml", interval=interval)
        db.table("feeds").update(row.id, {"next_poll_at": iso(now + due), **state})
        return row.id

    # Polled just before the step: a minute's interval now lies three minutes ahead.
    stale = feed("stale", timedelta(seconds=170))
    # Polled since the step: within its interval, left alone.
    fresh = feed("fresh", timedelta(seconds=55))
    # A day's interval, polled an hour before the step: still within a day, left alone.
    daily = feed("daily", timedelta(hours=23), interval=86400)
    # Failing three times in a row: its backoff may reach 4 minutes.
    failing = feed("failing", timedelta(seconds=230), consecutive_failures=3, last_error="HTTP 500")
    # A server's Retry-After of three days: within the week one may ask, so left as stored (a
    # feed is only brought back once further ahead than any wait it could have been given).
    asked = feed("asked", timedelta(days=3), consecutive_failures=1, last_error="HTTP 429 Too Many")
    # An hour's interval, stored from a clock a day ahead: back to within its allowance.
    far = feed("far", timedelta(days=1), interval=3600)
    # A disabled feed keeps what it has.
    disabled = feed("disabled", timedelta(days=9), disabled_reason="feed is gone")
    try:
        assert pull_polls_back(db, now=now, step=step) == 2
        due = {
            feed_id: parse_iso(at) - now
            for feed_id, at in db.execute("SELECT id, next_poll_at FROM feeds")
        }
        assert due[stale] == timedelta(seconds=50)
        assert due[fresh] == timedelta(seconds=55)
        assert due[daily] == timedelta(hours=23)
        assert due[failing] == timedelta(seconds=230)
        assert due[asked] == timedelta(days=3)  # within a Retry-After's week: left
        assert due[far] == poll_allowance(3600, 0, None, None)
        assert due[disabled] == timedelta(days=9)
    finally:
        db.close()
