"""Every kind of outbox row ages out the same way: a story post, a thread update or a notice
queued longer than `stale_after` is given up (failed, never resent), wherever it waits, so no row
waits out a platform's trouble forever and none holds back the rows that come after it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.adapter import PostedMessage, TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner.feed_alerts import alert_disabled_feeds
from bot.store import alerts as alert_store
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import feeds as feed_store
from bot.store import stale
from bot.store.channels import ChannelRow

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
STALE_AFTER = OutboxSettings().stale_after


class FailingLookups(FakeChatAdapter):
    error: Exception | None = None

    async def find_posted(self, channel: ChannelRow, **kwargs: Any) -> PostedMessage | None:
        if self.error is None:
            return await super().find_posted(channel, **kwargs)
        self.lookups.append((kwargs["kind"], kwargs["nonce"], kwargs.get("parent")))
        raise self.error


def posted_story(
    db: sqlite_utils.Database, chat: FakeChatAdapter
) -> tuple[Clock, Outbox, ChannelRow]:
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0)
    return clock, outbox, channel


def updates(db: sqlite_utils.Database) -> list[store.DeliveryRow]:
    return [r for s in store.STATES for r in store.in_state(db, s) if r.kind == "update"]


async def test_an_update_whose_lookup_keeps_failing_ends_and_frees_the_thread(
    db: sqlite_utils.Database,
) -> None:
    """The update timed out (it may have landed) and every "did it land?" lookup then gets a
    503: it waits without using attempts, but not past `stale_after`, and then a later update of
    the story can be queued again."""
    chat = FailingLookups("slack")
    clock, outbox, channel = posted_story(db, chat)
    await outbox.drain()
    add_story(db, "s1", ["A", "B", "C"], now=T0)
    clock.now = T0 + timedelta(hours=2)
    assert store.enqueue_update(db, "s1", channel.id, now=clock.now, not_before=None)
    chat.failures_after = [TransientDeliveryError("read timeout", maybe_sent=True)]
    chat.error = TransientDeliveryError("Slack conversations.replies: HTTP 503")
    await outbox.drain()
    states = []
    for _ in range(24 * 4):  # four days, a drain every hour
        clock.now += timedelta(hours=1)
        await outbox.drain()
        states.append((clock.now, updates(db)[0].state))
    (update,) = updates(db)
    assert update.state == "failed" and (update.last_error or "").startswith("stale")
    ended = next(t for t, s in states if s == "failed")
    assert ended <= T0 + timedelta(hours=2) + STALE_AFTER + timedelta(hours=2)
    assert len(chat.updates()) == 1  # never resent: the one that landed is all there is
    chat.error = None
    assert store.enqueue_update(db, "s1", channel.id, now=clock.now, not_before=None)


async def test_rows_of_every_kind_expire_while_their_channel_is_paused(
    db: sqlite_utils.Database,
) -> None:
    chat = FakeChatAdapter("slack")
    clock, outbox, channel = posted_story(db, chat)
    await outbox.drain()
    add_story(db, "s1", ["A", "B"], now=T0)
    add_story(db, "s2", ["A"], now=T0)
    store.enqueue_story(db, "s2", channel.id, now=T0)
    assert store.enqueue_update(db, "s1", channel.id, now=T0, not_before=None)
    alert_store.enqueue_alert(db, channel.id, "feed:1", "a feed was disabled", now=T0)
    channel_store.update_channel(db, channel.id, paused_reason="archived")
    clock.now = T0 + STALE_AFTER - timedelta(minutes=1)
    report = await outbox.drain()
    assert report.failed == 0
    clock.now = T0 + STALE_AFTER + timedelta(minutes=1)
    report = await outbox.drain()
    assert report.failed == 3
    channel_store.update_channel(db, channel.id, paused_reason=None)
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["s1"] and not chat.updates()
    assert not chat.texts()
    assert db.execute("SELECT state, last_error FROM alerts").fetchall() == [("failed", "stale")]
    assert {(r.state, r.last_error) for r in updates(db)} == {("failed", "stale")}


def test_the_row_check_and_the_bulk_expiry_are_one_rule(db: sqlite_utils.Database) -> None:
    channel = add_channel(db, "C1")
    now = T0 + STALE_AFTER
    for story_id, queued in (("old", T0 - timedelta(seconds=1)), ("edge", T0)):
        add_story(db, story_id, ["A"], now=T0)
        store.enqueue_story(db, story_id, channel.id, now=queued)
        store.enqueue_update(db, story_id, channel.id, now=queued, not_before=None)
    rows = store.in_state(db, "pending")
    judged = {r.id for r in rows if stale.is_stale(r, now=now, stale_after=STALE_AFTER)}
    assert stale.expire_stale(db, now=now, stale_after=STALE_AFTER) == len(judged) == 2
    assert {r.id for r in store.in_state(db, "failed")} == judged


def disabled_feed_notice(db: sqlite_utils.Database, clock: Clock, channel: ChannelRow) -> int:
    """The feed behind the channel's posted story is disabled while the channel is paused; the
    notice is queued (as every pass does) and the channel stays paused past `stale_after`."""
    feed = feed_store.add_feed(db, "https://acme.test/feed")
    db.execute("UPDATE articles SET feed_id = ? WHERE story_id = 's1'", [feed.id])
    feed_store.update_feed(db, feed.id, disabled_reason="gone (410)", disabled_at=T0)
    channel_store.update_channel(db, channel.id, paused_reason="slack refused to post")
    assert alert_disabled_feeds(db, now=T0) == 1
    clock.now = T0 + STALE_AFTER + timedelta(hours=1)
    return feed.id


async def test_a_feed_disabled_notice_waits_out_a_long_pause_while_the_feed_stays_disabled(
    db: sqlite_utils.Database,
) -> None:
    """Reviewer's reproduction: failed as stale, it was never queued again (one notice per
    disabling), so the channel was never told of a feed that stays disabled."""
    chat = FakeChatAdapter("slack")
    clock, outbox, channel = posted_story(db, chat)
    await outbox.drain()
    disabled_feed_notice(db, clock, channel)
    report = await outbox.drain()
    assert report.failed == 0 and not chat.texts()
    channel_store.update_channel(db, channel.id, paused_reason=None)  # /watchlist resume
    alert_disabled_feeds(db, now=clock.now)
    await outbox.drain()
    assert len(chat.texts()) == 1
    assert db.execute("SELECT state FROM alerts").fetchall() == [("sent",)]


async def test_a_feed_disabled_notice_goes_stale_once_the_feed_is_enabled_again(
    db: sqlite_utils.Database,
) -> None:
    chat = FakeChatAdapter("slack")
    clock, outbox, channel = posted_story(db, chat)
    await outbox.drain()
    feed_id = disabled_feed_notice(db, clock, channel)
    feed_store.enable_feed(db, feed_id)
    report = await outbox.drain()
    assert report.failed == 1
    assert db.execute("SELECT state, last_error FROM alerts").fetchall() == [("failed", "stale")]
