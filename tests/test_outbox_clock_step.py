"""The outbox's waits after the wall clock stepped back (`bot.runner.clock_waits`): a 429's
Retry-After of a minute, met just before the clock went back an hour, holds Slack's posts for
that minute, not an hour and a minute; a post held for its channel's quiet hours still waits for
their end, a time of day. Real outbox and Slack adapter against the fake Web API; the clocks are
fakes moved by hand, and the watch is wired as the service wires it."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import sqlite_utils
from fakes.slack_api import FakeSlackAPI
from fakes.slack_outbox import T0
from fakes.stories import add_channel, add_story
from test_slack_rate_limits import World, instant

from bot.delivery.rate_limits import POST
from bot.runner.clock_waits import pull_waits_back, undo_waits
from bot.runner.clock_watch import ClockWatch
from bot.runner.jobs import FIXED_JOBS, make_scheduler
from bot.runner.polling import Poller
from bot.store import alerts as alert_store
from bot.store import card_refreshes
from bot.store import deliveries as store
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
