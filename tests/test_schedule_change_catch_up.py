"""A digest slot counts as missed only if it passed while the schedule it belongs to was in force:
a restart after a schedule change does not send the digest of a slot the new schedule had before
it was set, just as the running service does not. Real database files, controlled clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.stories import add_story

from bot.commands.base import CommandContext
from bot.config import ChannelConfig
from bot.runner.schedule import cron_trigger, missed_digest
from bot.runner.service import Service
from bot.store import digest_runs
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)  # a Monday, 09:00 UTC
CTX = CommandContext(platform="slack", channel_id="C1", user_id="U1")


def make_service(
    tmp_path: Path, clock: Clock, *, schedule: str = "0 9 * * *"
) -> tuple[Service, FakeChatAdapter]:
    channel = ChannelConfig(platform="slack", id="C1", schedule=schedule, min_sources=1)
    return slack_service(tmp_path, clock, channel)


async def todays_digest(tmp_path: Path, clock: Clock) -> tuple[Service, FakeChatAdapter]:
    """A service that sent today's 09:00 digest (story "a")."""
    clock.now = T0 - timedelta(hours=1)
    service, chat = make_service(tmp_path, clock)
    await service.start()
    add_story(service.db, "a", ["A"], now=T0 - timedelta(minutes=10))
    clock.now = T0 + timedelta(milliseconds=300)
    await service.run_digest(1, schedule=("0 9 * * *", "UTC"))
    await service.outbox.drain()
    return service, chat


async def test_restart_after_a_chat_schedule_change_sends_no_off_schedule_digest(
    tmp_path: Path,
) -> None:
    clock = Clock(T0)
    service, chat = await todays_digest(tmp_path, clock)
    clock.now = T0 + timedelta(hours=1)  # 10:00: the digest moves to 09:30, already past today
    reply = await service.commands.dispatch("watchlist", "schedule daily 09:30", CTX)
    assert reply.text.startswith("Saved.")
    add_story(service.db, "b", ["A"], now=clock.now)
    clock.now = T0 + timedelta(hours=1, minutes=5)  # 10:05: a deploy restarts the bot
    await stop(service)
    service, chat = make_service(tmp_path, clock)
    await service.start()
    await service.outbox.drain()
    last = digest_runs.last_digest_run(service.db, 1)
    posted_after_restart = [m.story_id for m in chat.cards()]
    # The new schedule's first slot, tomorrow 09:30, sends "b" as usual.
    clock.now = T0 + timedelta(days=1, minutes=30, milliseconds=300)
    await service.run_digest(1, schedule=("30 9 * * *", "UTC"))
    await service.outbox.drain()
    posted_tomorrow = [m.story_id for m in chat.cards()]
    await stop(service)
    assert posted_after_restart == []
    assert last == T0
    assert posted_tomorrow == ["b"]


async def test_restart_with_a_changed_config_schedule_sends_no_off_schedule_digest(
    tmp_path: Path,
) -> None:
    clock = Clock(T0)
    service, _chat = await todays_digest(tmp_path, clock)
    await stop(service)
    add_story(open_database(tmp_path / "nd.db"), "b", ["A"], now=T0 + timedelta(minutes=50))
    # 10:05: started again with the config file's schedule moved to 09:30.
    clock.now = T0 + timedelta(hours=1, minutes=5)
    service, chat = make_service(tmp_path, clock, schedule="30 9 * * *")
    await service.start()
    await service.outbox.drain()
    last = digest_runs.last_digest_run(service.db, 1)
    await stop(service)
    assert [m.story_id for m in chat.cards()] == []
    assert last == T0


async def test_a_slot_missed_after_the_change_is_still_caught_up(tmp_path: Path) -> None:
    clock = Clock(T0)
    service, _chat = await todays_digest(tmp_path, clock)
    clock.now = T0 + timedelta(hours=1)  # 10:00: the digest moves to 10:30
    await service.commands.dispatch("watchlist", "schedule daily 10:30", CTX)
    add_story(service.db, "b", ["A"], now=clock.now)
    clock.now = T0 + timedelta(hours=1, minutes=10)
    await stop(service)  # down from 10:10 to 10:45, over the new 10:30 slot
    clock.now = T0 + timedelta(hours=1, minutes=45)
    service, chat = make_service(tmp_path, clock)
    await service.start()
    await service.outbox.drain()
    last = digest_runs.last_digest_run(service.db, 1)
    await stop(service)
    assert [m.story_id for m in chat.cards()] == ["b"]
    assert last == T0 + timedelta(hours=1, minutes=30)


def test_missed_digest_ignores_slots_before_the_schedule_was_set() -> None:
    trigger = cron_trigger("30 9 * * *", "UTC")
    now, window = T0 + timedelta(hours=1, minutes=5), timedelta(hours=6)
    slot = T0 + timedelta(minutes=30)
    assert missed_digest(trigger, last_run=T0, now=now, window=window) == slot
    changed = T0 + timedelta(hours=1)
    assert missed_digest(trigger, last_run=T0, now=now, window=window, since=changed) is None
