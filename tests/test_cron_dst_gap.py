"""A digest whose local time the clocks skip (a spring-forward gap) fires once, at the first
instant after the gap, as Vixie cron and systemd run it (a schedule with a wildcard hour or
minute follows the clock instead, as Vixie cron's do): on the scheduler's trigger, in the
catch-up's arithmetic and in a running service. Fixed instants; nothing sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import stop
from fakes.stories import add_story

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.schedule import cron_trigger, fire_times, missed_digest
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day_before", "fires"),
    [
        # Clocks go from 00:00 straight to 01:00 local: midnight never happens that day.
        ("America/Santiago", utc(2024, 9, 7, 12), utc(2024, 9, 8, 4)),  # 01:00 -03
        ("Africa/Cairo", utc(2024, 4, 25, 12), utc(2024, 4, 25, 22)),  # 01:00 EEST
        ("Asia/Beirut", utc(2024, 3, 30, 12), utc(2024, 3, 30, 22)),  # 01:00 EEST
        ("America/Havana", utc(2024, 3, 9, 12), utc(2024, 3, 10, 5)),  # 01:00 CDT
    ],
)
def test_midnight_in_a_gap_fires_when_the_gap_ends(
    zone: str, day_before: datetime, fires: datetime
) -> None:
    trigger = cron_trigger("0 0 * * *", zone)
    # What the scheduler's job asks; APScheduler 3 alone skipped to the next day's midnight.
    assert trigger.get_next_fire_time(None, day_before) == fires
    assert fire_times(trigger, day_before, day_before + timedelta(days=1)) == [fires]


def test_every_time_in_one_gap_fires_once_at_its_end() -> None:
    # 02:00, 02:20 and 02:40 do not exist in Berlin on 2024-03-31, and 03:00 is the gap's end.
    trigger = cron_trigger("*/20 * * * *", "Europe/Berlin")
    times = fire_times(trigger, utc(2024, 3, 31, 0, 30), utc(2024, 3, 31, 1, 30))
    assert times == [utc(2024, 3, 31, 0, 40), utc(2024, 3, 31, 1), utc(2024, 3, 31, 1, 20)]
    # The scheduler's own chain agrees: after the gap's fire, the next is 03:20 CEST.
    assert trigger.get_next_fire_time(utc(2024, 3, 31, 1), utc(2024, 3, 31, 1)) == utc(
        2024, 3, 31, 1, 20
    )


@pytest.mark.parametrize(
    ("cron", "fires"),
    [
        # 02:15 never happens: after 01:15 CET the next fire is 03:15, not 03:00 and 03:15.
        ("15 * * * *", [utc(2024, 3, 31, 0, 15), utc(2024, 3, 31, 1, 15)]),
        # Every other hour, 02:00 skipped: after 00:00 CET the next is 04:00 CEST.
        ("0 */2 * * *", [utc(2024, 3, 30, 23), utc(2024, 3, 31, 2)]),
    ],
)
def test_a_schedule_with_a_wildcard_hour_or_minute_follows_the_clock(
    cron: str, fires: list[datetime]
) -> None:
    # As Vixie cron runs such jobs: only a job at a fixed time is run when its time is skipped.
    trigger = cron_trigger(cron, "Europe/Berlin")
    before = fires[0] - timedelta(minutes=1)  # fire_times counts from after its start
    assert fire_times(trigger, before, fires[1] + timedelta(minutes=1)) == fires
    # The scheduler's own chain agrees.
    assert trigger.get_next_fire_time(fires[0], fires[0]) == fires[1]


def test_a_time_in_a_gap_fires_at_its_end_not_an_hour_later() -> None:
    trigger = cron_trigger("30 2 * * *", "Europe/Berlin")
    assert fire_times(trigger, utc(2024, 3, 30, 12), utc(2024, 3, 31, 12)) == [utc(2024, 3, 31, 1)]


def test_catch_up_finds_the_digest_due_in_a_gap() -> None:
    trigger = cron_trigger("0 0 * * *", "America/Santiago")
    missed = missed_digest(
        trigger, last_run=utc(2024, 9, 7, 4), now=utc(2024, 9, 8, 6), window=timedelta(hours=6)
    )
    assert missed == utc(2024, 9, 8, 4)


async def test_weekly_digest_on_a_gap_sunday_is_sent_and_loses_no_story(tmp_path: Path) -> None:
    # Santiago's clocks skip Sunday 2024-09-08 00:00-01:00. A weekly Sunday-midnight digest that
    # skipped that week would next run on 09-15, whose 8-day lookback no longer reaches 09-04.
    cron, zone = "0 0 * * sun", "America/Santiago"
    clock = Clock(utc(2024, 9, 1, 4))  # Sunday 00:00 -04, the last digest before the change
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[
            ChannelConfig(platform="slack", id="C1", schedule=cron, timezone=zone, min_sources=1)
        ],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    service = Service(
        config,
        core=core,
        settings=RunnerSettings(health_port=None, post_pace=0),
        clock=clock,
        env={},
    )
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    await service.start()  # records 09-01 as the channel's last digest
    add_story(service.db, "wednesday", ["A", "B"], now=utc(2024, 9, 4, 15))
    job = service.scheduler.get_job("digest:1")
    assert job is not None
    fires = job.trigger.get_next_fire_time(None, clock.now + timedelta(seconds=1))
    clock.now = fires + timedelta(milliseconds=300)
    await service.run_digest(1, schedule=(cron, zone))
    await service.outbox.drain()
    await stop(service)
    assert fires == utc(2024, 9, 8, 4)  # 01:00 -03, the first instant of that Sunday
    assert [m.story_id for m in chat.cards()] == ["wednesday"]
