"""The outbox: effectively-once posting, retries, pausing, updates and notices (in-memory fakes,
fixed clocks, no sleeping)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.delivery.adapter import PermanentDeliveryError, TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.render.literal import unmarked
from bot.runner import digests, feed_alerts, update_planner
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import delivery_counts
from bot.store.database import open_database
from bot.store.grown_posts import grown_posts

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    db = open_database(":memory:")
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    return db, clock, outbox, chat, channel


async def test_digest_posts_each_story_once(world) -> None:  # type: ignore[no-untyped-def]
    db, _clock, outbox, chat, channel = world
    for i in range(3):
        add_story(db, f"s{i}", ["A", "B"], now=T0)
    assert digests.enqueue_digest(db, channel, now=T0) == 3
    report = await outbox.drain()
    assert report.sent == 3
    assert sorted(m.story_id for m in chat.cards()) == ["s0", "s1", "s2"]
    # A second digest (scheduled or /digest) finds nothing new.
    assert digests.enqueue_digest(db, channel, now=T0 + timedelta(hours=1)) == 0
    await outbox.drain()
    assert len(chat.cards()) == 3
    assert delivery_counts.counts(db)["sent"] == 3


async def test_transient_errors_retry_with_backoff(world) -> None:  # type: ignore[no-untyped-def]
    db, clock, outbox, chat, channel = world
    add_story(db, "s1", ["A"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    chat.failures = [TransientDeliveryError("rate limited", retry_after=12)]
    report = await outbox.drain()
    assert report.retried == 1 and not chat.cards()
    row = store.in_state(db, "pending")[0]
    assert row.next_attempt_at == T0 + timedelta(seconds=12)
    await outbox.drain()  # not due yet
    assert not chat.cards()
    clock.now = T0 + timedelta(seconds=13)
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["s1"]


async def test_gives_up_after_max_attempts(world) -> None:  # type: ignore[no-untyped-def]
    db, clock, outbox, chat, channel = world
    outbox.settings.max_attempts = 2
    add_story(db, "s1", ["A"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    chat.failures = [RuntimeError("boom"), RuntimeError("boom")]
    await outbox.drain()
    clock.now += timedelta(hours=2)
    report = await outbox.drain()
    assert report.failed == 1
    assert store.in_state(db, "failed")[0].last_error == "RuntimeError: boom"


async def test_permanent_error_pauses_channel_and_keeps_rows(world) -> None:  # type: ignore[no-untyped-def]
    db, _clock, outbox, chat, channel = world
    add_story(db, "s1", ["A"], now=T0)
    add_story(db, "s2", ["A"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    chat.failures = [PermanentDeliveryError("channel_not_found")]
    report = await outbox.drain()
    assert report.paused == ["slack:C1"]
    paused = channel_store.get_channel_by_pk(db, channel.id)
    assert paused is not None and "channel_not_found" in (paused.paused_reason or "")
    assert delivery_counts.counts(db)["pending"] == 2
    await outbox.drain()
    assert not chat.cards()
    channel_store.update_channel(db, channel.id, paused_reason=None)  # /watchlist resume
    await outbox.drain()
    assert len(chat.cards()) == 2


async def test_crash_leftover_reconciled_by_history(world) -> None:  # type: ignore[no-untyped-def]
    db, _clock, outbox, chat, channel = world
    add_story(db, "s1", ["A"], now=T0)
    add_story(db, "s2", ["A"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    rows = store.in_state(db, "pending")
    # s1: the post landed, then the process died before recording it. s2: died before posting.
    landed = store.claim(db, rows[0].id, T0)
    assert landed is not None
    card = make_card_source(db, T0)(landed.story_id, channel)
    assert card is not None
    await chat.post_card(channel, card, nonce=landed.nonce)
    store.claim(db, rows[1].id, T0)
    report = await outbox.drain()
    assert report.reconciled == 2
    assert sorted(m.story_id for m in chat.cards()) == ["s1", "s2"]
    assert delivery_counts.counts(db)["sent"] == 2


async def test_discord_style_resend_with_same_nonce(world) -> None:  # type: ignore[no-untyped-def]
    db, _clock, outbox, _chat, _channel = world
    discord = FakeChatAdapter("discord", searchable=False, dedupe_nonce=True)
    outbox.register(discord)
    d_channel = add_channel(db, "D1", platform="discord")
    add_story(db, "s1", ["A"], now=T0)
    digests.enqueue_digest(db, d_channel, now=T0)
    row = store.claim(db, store.in_state(db, "pending")[0].id, T0)
    assert row is not None
    card = make_card_source(db, T0)("s1", d_channel)
    assert card is not None
    await discord.post_card(d_channel, card, nonce=row.nonce)
    await outbox.drain()
    assert len(discord.cards()) == 1
    assert store.get(db, row.id).state == "sent"  # type: ignore[union-attr]


async def test_grown_story_gets_one_update_per_interval(world) -> None:  # type: ignore[no-untyped-def]
    db, clock, outbox, chat, channel = world
    add_story(db, "s1", ["A", "B"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    await outbox.drain()
    interval = timedelta(hours=1)
    later = T0 + timedelta(minutes=10)
    grow_story(db, "s1", ["C"], now=later)
    assert update_planner.enqueue_updates(db, {"s1"}, now=later, interval=interval) == 1
    # More growth before the update goes out: still one waiting update.
    grow_story(db, "s1", ["D"], now=later)
    assert update_planner.enqueue_updates(db, {"s1"}, now=later, interval=interval) == 0
    clock.now = later
    await outbox.drain()
    assert not chat.updates()  # held until an hour after the first post
    # The card need not wait: a silent edit shows the count at once.
    assert chat.edits == [(chat.cards()[0].ref, 4)]
    clock.now = T0 + interval
    await outbox.drain()
    (update,) = chat.updates()
    assert update.thread_ref == chat.cards()[0].ref
    assert update.new_outlets == ["C", "D"] and update.source_count == 4
    assert chat.edits == [(chat.cards()[0].ref, 4)] * 2
    # No growth since: no update.
    assert update_planner.enqueue_updates(db, {"s1"}, now=clock.now, interval=interval) == 0


async def test_a_poll_pass_touching_more_stories_than_sql_parameters_plans_updates(world) -> None:  # type: ignore[no-untyped-def]
    db, _clock, outbox, _chat, channel = world
    add_story(db, "s1", ["A", "B"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    await outbox.drain()
    grow_story(db, "s1", ["C"], now=T0 + timedelta(minutes=10))
    # More stories than one SQL statement takes parameters: 999 in older SQLite builds, 32,766
    # in current ones, 250,000 in Debian's (the most any build here allows).
    touched = [f"other-{i}" for i in range(250_001)] + ["s1"]
    assert grown_posts(db, touched) == [("s1", channel.id)]


async def test_quiet_hours_hold_posts_until_they_end(world) -> None:  # type: ignore[no-untyped-def]
    db, clock, outbox, chat, _ = world
    night = add_channel(db, "C2", timezone="Europe/Berlin", quiet_hours="22:00-07:00")
    add_story(db, "s1", ["A"], now=T0)
    at = datetime(2024, 5, 6, 21, 30, tzinfo=UTC)  # 23:30 in Berlin
    clock.now = at
    digests.enqueue_digest(db, night, now=at)
    await outbox.drain()
    assert not chat.cards()
    (row,) = store.in_state(db, "pending")
    assert row.next_attempt_at == datetime(2024, 5, 7, 5, 0, tzinfo=UTC)
    clock.now = datetime(2024, 5, 7, 5, 0, tzinfo=UTC)
    await outbox.drain()
    assert len(chat.cards()) == 1


async def test_disabled_feed_alerts_dependent_channels_once(world) -> None:  # type: ignore[no-untyped-def]
    db, _clock, outbox, chat, channel = world
    other = add_channel(db, "C9")
    db.execute(
        "INSERT INTO feeds (url, name, created_at) VALUES ('https://x.test/rss', 'X', '2024')"
    )
    add_story(db, "s1", ["X"], now=T0)
    db.execute("UPDATE articles SET feed_id = 1")
    digests.enqueue_digest(db, channel, now=T0)
    await outbox.drain()
    db.execute(
        "UPDATE feeds SET disabled_reason = 'HTTP 404', disabled_at = ?, consecutive_failures = 10",
        ["2024-05-06T09:00:00+00:00"],
    )
    assert feed_alerts.alert_disabled_feeds(db, now=T0) == 1
    assert feed_alerts.alert_disabled_feeds(db, now=T0) == 0
    await outbox.drain()
    (alert,) = chat.texts()
    assert alert.channel_id == "C1" and other.channel_id != alert.channel_id
    shown = unmarked(alert.text)
    assert "HTTP 404" in shown and "feeds enable 1\n" in shown
