"""The outbox's waits after the wall clock stepped back (`bot.runner.clock_waits`): a 429's
Retry-After of a minute, met just before the clock went back an hour, holds Slack's posts for
that minute, not an hour and a minute; a post held for its channel's quiet hours still waits for
their end, a time of day. Real outbox and Slack adapter against the fake Web API; the clocks are
fakes moved by hand, and the watch is wired as the service wires it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clocks
from fakes.slack_api import FakeSlackAPI
from fakes.slack_outbox import T0
from fakes.stories import add_channel, add_story, make_card_source
from test_slack_rate_limits import World, instant

from bot.delivery.adapter import TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.delivery.rate_limits import POST
from bot.runner.clock_waits import pull_waits_back, undo_waits
from bot.runner.clock_watch import ClockWatch
from bot.runner.jobs import FIXED_JOBS, make_scheduler
from bot.runner.polling import Poller
from bot.store import alerts as alert_store
from bot.store import card_refreshes
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import parse_iso

RETRY_AFTER = 60
STEP = 3600


async def _nothing(_report: Any) -> None:
    return None


async def test_a_429_just_before_an_hours_step_back_holds_the_posts_a_minute(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    mono = [1000.0]
    scheduler = make_scheduler()
    scheduler.start(paused=True)
    watch = ClockWatch(
        scheduler, db, jobs=FIXED_JOBS, wall=lambda: world.now, monotonic=lambda: mono[0]
    )
    # The poller's own holds are in memory as the rate limits are; no feed is polled here.
    poller = Poller(SimpleNamespace(db=db), _nothing, clock=lambda: world.now)  # type: ignore[arg-type]
    undo_waits(watch, world.outbox, poller)
    try:
        watch.check()
        # A channel in its quiet hours (09:00 UTC is inside 08:00-12:00): its post waits for noon.
        quiet = add_channel(db, "C9", mode="instant", quiet_hours="08:00-12:00")
        [held] = world.queue(quiet, "q1")
        noon = T0.replace(hour=12)
        store.hold(db, held, now=T0, until=noon)
        c1 = instant(db, "C1")
        ids = world.queue(c1, "s1", "s2")
        slack_api.limit("chat.postMessage", RETRY_AFTER)
        await world.drain()
        assert [r.next_attempt_at for r in world.rows(ids)] == [T0 + timedelta(seconds=60)] * 2
        poller.held[7] = T0 + timedelta(seconds=RETRY_AFTER)  # a feed's poll the disk refused

        # Five seconds on, the clock is set back an hour.
        mono[0] += 5
        world.now = T0 + timedelta(seconds=5 - STEP)
        assert watch.check() == timedelta(seconds=STEP)
        ends = world.now + timedelta(seconds=RETRY_AFTER - 5)  # what is left of the minute
        assert world.outbox.rate_limits.until("slack", POST, world.now) == ends
        assert [r.next_attempt_at for r in world.rows(ids)] == [ends] * 2
        assert world.row(held).next_attempt_at == noon  # quiet hours keep to the wall clock
        assert poller.held == {7: ends}

        # The minute over, the posts go out.
        slack_api.lift("chat.postMessage")
        mono[0] += RETRY_AFTER
        world.now = ends
        await world.drain()
        assert world.posted_stories("C1") == ["s1", "s2"]
        assert world.row(held).state == "pending"
    finally:
        scheduler.shutdown(wait=False)


def test_card_edits_and_notices_come_back_quiet_hours_holds_stay(db: sqlite_utils.Database) -> None:
    quiet = add_channel(db, "C9", mode="instant", quiet_hours="08:00-12:00")
    plain = add_channel(db, "C1", mode="instant")
    noon = T0.replace(hour=12)
    add_story(db, "e1", ["A", "B"], now=T0)
    # A card edit put off by its platform, a notice waiting out a retry, a notice held for the
    # channel's quiet hours: all stored on the clock before the step.
    card_refreshes.enqueue(db, "e1", plain.id, now=T0, not_before=T0 + timedelta(minutes=2))
    retried = alert_store.queue_alert(db, plain.id, "k1", "a notice", now=T0)
    held = alert_store.queue_alert(db, quiet.id, "k2", "a quiet notice", now=T0)
    assert retried is not None and held is not None
    alert_store.set_alert_state(
        db, retried, "pending", now=T0, next_attempt_at=T0 + timedelta(minutes=5)
    )
    alert_store.set_alert_state(db, held, "pending", now=T0, next_attempt_at=noon)
    now = T0 - timedelta(seconds=STEP)

    assert pull_waits_back(db, now, timedelta(seconds=STEP)) == 2
    [edit] = [r for r in store.in_state(db, "pending") if r.kind == card_refreshes.REFRESH]
    assert edit.next_attempt_at == now + timedelta(minutes=2)
    alerts = dict(db.execute("SELECT id, next_attempt_at FROM alerts").fetchall())
    assert parse_iso(alerts[retried]) == now + timedelta(minutes=5)
    assert parse_iso(alerts[held]) == noon


def _watch(db: sqlite_utils.Database, outbox: Outbox, wall: Any, mono: Callable[[], float]) -> Any:
    """The watch, wired to `outbox` as the service wires it; its scheduler runs nothing."""
    scheduler = make_scheduler()
    scheduler.start(paused=True)
    watch = ClockWatch(scheduler, db, jobs=FIXED_JOBS, wall=wall, monotonic=mono)
    poller = Poller(SimpleNamespace(db=db), _nothing, clock=wall)  # type: ignore[arg-type]
    undo_waits(watch, outbox, poller)
    return watch


async def test_a_429_met_on_the_new_clock_before_the_watch_looks_keeps_its_retry_after(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    mono = [1000.0]
    watch = _watch(db, world.outbox, lambda: world.now, lambda: mono[0])
    try:
        watch.check()
        # Before the step: a Discord post waiting out a retry, ten minutes from then.
        [before] = world.queue(instant(db, "D1", platform="discord"), "d1")
        store.release(db, before, now=T0, next_attempt_at=T0 + timedelta(minutes=10))
        ids = world.queue(instant(db, "C1"), "s1", "s2")

        # The clock goes back an hour, and before the watch's next look the outbox meets a 429:
        # its Retry-After is counted from the clock as it is now.
        mono[0] += 2
        world.now = T0 + timedelta(seconds=2 - STEP)
        slack_api.limit("chat.postMessage", RETRY_AFTER)
        await world.drain()
        ends = world.now + timedelta(seconds=RETRY_AFTER)
        assert [r.next_attempt_at for r in world.rows(ids)] == [ends] * 2
        mono[0] += 3
        world.now += timedelta(seconds=3)
        watch.check()
        # The wait from the old clock is brought back; the 429's, from the new one, is not.
        assert world.row(before).next_attempt_at == T0 + timedelta(minutes=10, seconds=-STEP)
        assert [r.next_attempt_at for r in world.rows(ids)] == [ends] * 2
        assert world.outbox.rate_limits.until("slack", POST, world.now) == ends
        world.now = ends - timedelta(seconds=1)
        await world.drain()
        assert world.posted_stories("C1") == []  # not sent into the limit before its end
    finally:
        watch.scheduler.shutdown(wait=False)


class _StalledNotices(FakeChatAdapter):
    """Discord, whose notice posts hang until `answer` is set, then time out."""

    def __init__(self) -> None:
        super().__init__("discord")
        self.sending = asyncio.Event()
        self.answer = asyncio.Event()

    async def post_text(self, channel: ChannelRow, text: str, **kwargs: Any) -> None:
        self.sending.set()
        await self.answer.wait()
        raise TransientDeliveryError("gateway timeout", retry_after=RETRY_AFTER)


async def test_a_notice_in_flight_at_the_step_does_not_keep_a_late_retry(
    db: sqlite_utils.Database,
) -> None:
    clocks = Clocks(T0)
    outbox = Outbox(
        db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clocks.wall
    )
    adapter = _StalledNotices()
    outbox.register(adapter)
    watch = _watch(db, outbox, clocks.wall, clocks.monotonic)
    channel = add_channel(db, "D1", platform="discord", mode="instant")
    notice = alert_store.queue_alert(db, channel.id, "k1", "a notice", now=T0)
    try:
        watch.check()
        drain = asyncio.create_task(outbox.drain())
        await asyncio.wait_for(adapter.sending.wait(), 5)
        # The drain read the clock before the step, and counts the retry from that reading.
        clocks.run(5, wall_step=-STEP)
        assert watch.check() == timedelta(seconds=STEP)
        adapter.answer.set()
        await asyncio.wait_for(drain, 5)
        clocks.run(5)
        assert watch.check() is None
        [at] = db.execute("SELECT next_attempt_at FROM alerts WHERE id = ?", [notice]).fetchone()
        # The minute counted from the drain's reading, as if the clock had not moved (ten
        # seconds of it have passed since), not an hour and a minute.
        assert parse_iso(at) == clocks.now + timedelta(seconds=RETRY_AFTER - 10)
    finally:
        watch.scheduler.shutdown(wait=False)


async def test_a_wait_other_code_wrote_on_the_new_clock_before_the_watch_looked_is_kept(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    mono = [1000.0]
    watch = _watch(db, world.outbox, lambda: world.now, lambda: mono[0])
    try:
        watch.check()
        old, new = world.queue(instant(db, "C1"), "s1", "s2")
        store.release(db, old, now=T0, next_attempt_at=T0 + timedelta(minutes=10))
        mono[0] += 2
        world.now = T0 + timedelta(seconds=2 - STEP)
        # A wait counted on the new clock by other code than the outbox (an update planned by a
        # poll pass), before the watch's look and before the outbox read the clock.
        planned = world.now + timedelta(minutes=10)
        store.release(db, new, now=world.now, next_attempt_at=planned)
        mono[0] += 3
        world.now += timedelta(seconds=3)
        assert watch.check() == timedelta(seconds=STEP)
        assert world.row(old).next_attempt_at == T0 + timedelta(minutes=10, seconds=-STEP)
        assert world.row(new).next_attempt_at == planned
    finally:
        watch.scheduler.shutdown(wait=False)
