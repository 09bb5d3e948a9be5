"""A row held on purpose (for quiet hours, or until an update's interval is over) is not dropped as
stale for the length of its hold: the stale rule counts from when it was meant to go out. It still
goes stale if it then cannot go out for `stale_after`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import stop
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import update_planner
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import deliveries as store
from bot.store import stale
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 21, 0, tzinfo=UTC)
WINDOW = timedelta(hours=6)


def states(db: sqlite_utils.Database) -> list[tuple[str, str, str | None]]:
    rows = db.execute("SELECT story_id, state, last_error FROM deliveries ORDER BY id")
    return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_digest_held_by_quiet_hours_longer_than_the_window_is_posted(
    tmp_path: Path,
) -> None:
    # A 22:00 digest in 22:00-07:00 quiet hours waits 9 h; the story window is 6 h.
    config = Config(
        database=str(tmp_path / "nd.db"),
        story_window_hours=6,
        channels=[
            ChannelConfig(
                platform="slack",
                id="C1",
                schedule="0 22 * * *",
                quiet_hours="22:00-07:00",
                min_sources=1,
            )
        ],
    )
    clock = Clock(T0)
    service = Service(
        config,
        core=NewsDigest(config, db=open_database(tmp_path / "nd.db")),
        settings=RunnerSettings(health_port=None, post_pace=0),
        clock=clock,
        env={},
    )
    chat = FakeChatAdapter("slack")
    service.register_adapter(chat)
    await service.start()
    add_story(service.db, "big-story", ["A", "B"], now=T0 + timedelta(minutes=30))
    clock.now = T0 + timedelta(hours=1, milliseconds=300)
    await service.run_digest(1, schedule=("0 22 * * *", "UTC"))
    clock.now = datetime(2027, 5, 4, 7, 0, 5, tzinfo=UTC)  # quiet hours over
    await service.outbox.drain()
    posted = [m.story_id for m in chat.cards()]
    rows = states(service.db)
    await stop(service)
    assert posted == ["big-story"]
    assert rows == [("big-story", "sent", None)]


def outbox_for(db: sqlite_utils.Database, clock: Clock, stale_after: timedelta) -> Outbox:
    settings = OutboxSettings(pace=0, stale_after=stale_after)
    return Outbox(db, make_card_source(db, T0), settings=settings, clock=clock)


async def test_an_update_deferred_past_the_window_by_its_interval_is_posted(
    db: sqlite_utils.Database,
) -> None:
    # NEWSDIGEST_UPDATE_INTERVAL may be up to 30 days; 72 h here against a 48 h window.
    interval = timedelta(hours=72)
    clock = Clock(T0)
    outbox = outbox_for(db, clock, timedelta(hours=48))
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0)
    await outbox.drain()
    clock.now = T0 + timedelta(hours=1)
    grow_story(db, "s1", ["B", "C"], now=clock.now)
    assert update_planner.enqueue_updates(db, ["s1"], now=clock.now, interval=interval) == 1
    await outbox.drain()  # the card's edit to the count goes at once, silently
    clock.now = T0 + interval - timedelta(minutes=1)
    await outbox.drain()
    assert chat.updates() == []  # not yet: the interval is not over
    clock.now = T0 + interval + timedelta(minutes=1)
    await outbox.drain()
    assert len(chat.updates()) == 1
    assert [s for _, s, _ in states(db)] == ["sent", "sent", "sent"]


async def test_a_row_the_drain_holds_for_quiet_hours_is_posted_when_they_end(
    db: sqlite_utils.Database,
) -> None:
    # Queued a second before quiet hours begin, met by the drain just after: held for 9 h.
    clock = Clock(T0 + timedelta(minutes=59, seconds=59))
    outbox = outbox_for(db, clock, WINDOW)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1", quiet_hours="22:00-07:00")
    add_story(db, "s1", ["A"], now=clock.now)
    store.enqueue_story(db, "s1", channel.id, now=clock.now)
    clock.now = T0 + timedelta(hours=1, seconds=1)
    await outbox.drain()
    assert chat.cards() == [] and states(db) == [("s1", "pending", None)]
    clock.now = datetime(2027, 5, 4, 7, 0, 1, tzinfo=UTC)
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["s1"]


async def test_a_held_row_still_goes_stale_if_it_cannot_go_out_after_its_hold(
    db: sqlite_utils.Database,
) -> None:
    clock = Clock(T0)
    outbox = outbox_for(db, clock, WINDOW)  # no adapter: the platform never comes up
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    hold_end = T0 + timedelta(hours=10)
    store.enqueue_story(db, "s1", channel.id, now=T0, not_before=hold_end)
    clock.now = hold_end + WINDOW - timedelta(minutes=1)
    await outbox.drain()
    assert states(db) == [("s1", "pending", None)]
    clock.now = hold_end + WINDOW + timedelta(minutes=1)
    await outbox.drain()
    assert states(db) == [("s1", "failed", "stale")]


def test_an_upgrade_counts_a_waiting_row_from_the_end_of_its_hold(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    add_story(db, "s2", ["A"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0, not_before=T0 + timedelta(hours=9))
    store.enqueue_story(db, "s2", channel.id, now=T0, not_before=T0 + timedelta(hours=9))
    # s2 has been tried: its wait is a retry's, not a hold, and it counts from its queuing.
    db.execute("UPDATE deliveries SET attempts = 1 WHERE story_id = 's2'")
    db.execute("UPDATE deliveries SET release_at = NULL")
    db.execute("DELETE FROM schema_migrations WHERE version >= 15")
    db.close()
    db = open_database(tmp_path / "nd.db")
    rows = {r.story_id: r for r in store.in_state(db, "pending")}
    assert rows["s1"].release_at == T0 + timedelta(hours=9)
    assert rows["s2"].release_at is None
    now = T0 + timedelta(hours=9) + WINDOW - timedelta(minutes=1)
    assert stale.expire_stale(db, now=now, stale_after=WINDOW) == 1
    assert [r.story_id for r in store.in_state(db, "pending")] == ["s1"]
