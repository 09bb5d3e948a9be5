"""A notice the platform keeps failing (a 5xx on that one post while other channels' posts go
through) neither holds its route back on every retry nor is retried forever: it backs off on its
own and is given up once stale, like every outbox row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.adapter import TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import alerts as alert_store
from bot.store import deliveries as store

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
HTTP_500 = "Slack chat.postMessage: HTTP 500"


class ChokesOnNotices(FakeChatAdapter):
    """Posts cards, fails every plain text post with a 5xx."""

    notice_tries = 0

    async def post_text(self, channel, text, **_):  # type: ignore[no-untyped-def]
        self.notice_tries += 1
        raise TransientDeliveryError(HTTP_500)


def alert_row(db: sqlite_utils.Database) -> tuple[str, int, str | None]:
    return db.execute("SELECT state, attempts, next_attempt_at FROM alerts").fetchone()


async def test_a_notice_always_failing_holds_no_route_back_and_ends_stale(
    db: sqlite_utils.Database,
) -> None:
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = ChokesOnNotices("slack")
    outbox.register(chat)
    noticed = add_channel(db, "C1")
    other = add_channel(db, "C2")
    alert_store.enqueue_alert(db, noticed.id, "feed:1", "a feed was disabled", now=T0)
    for hour in range(60):
        clock.now = T0 + timedelta(hours=hour)
        # Another channel's news keeps coming and must go out in the drain it is queued for.
        add_story(db, f"s{hour}", ["A"], now=clock.now)
        store.enqueue_story(db, f"s{hour}", other.id, now=clock.now)
        report = await outbox.drain()
        assert report.sent == 1
        assert not outbox.outages.blocked("slack", clock.now)
        assert outbox.outages.reported() == {}
    state, _attempts, _next = alert_row(db)
    assert state == "failed"
    assert db.execute("SELECT last_error FROM alerts").fetchone()[0] == "stale"
    # It backed off on its own (up to hourly), not retried on every drain nor forever.
    assert 5 < chat.notice_tries < 49
    assert len(chat.cards("C2")) == 60 and not chat.texts()


async def test_a_failed_notice_waits_its_own_backoff_then_goes_out(
    db: sqlite_utils.Database,
) -> None:
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    alert_store.enqueue_alert(db, channel.id, "feed:1", "a feed was disabled", now=T0)
    chat.failures = [TransientDeliveryError(HTTP_500)]
    await outbox.drain()
    state, _attempts, next_at = alert_row(db)
    assert state == "pending" and next_at is not None
    assert "slack" not in outbox.outages
    await outbox.drain()
    assert not chat.texts()  # not yet: it waits its backoff
    clock.now = T0 + timedelta(minutes=1)
    await outbox.drain()
    assert [m.text for m in chat.texts()] == ["a feed was disabled"]


def test_a_notice_transient_failure_gives_its_attempt_back(db: sqlite_utils.Database) -> None:
    # The reviewer's reproduction at the store: 'sending' takes an attempt, the platform's
    # failure ('pending' again) gives it back.
    channel = add_channel(db, "C1")
    alert_store.enqueue_alert(db, channel.id, "feed:1", "a feed was disabled", now=T0)
    alert_id = db.execute("SELECT id FROM alerts").fetchone()[0]
    for _ in range(8):
        alert_store.set_alert_state(db, alert_id, "sending", now=T0)
        alert_store.set_alert_state(db, alert_id, "pending", now=T0, error="503")
    assert alert_row(db)[1] == 0


class FailsThenBreaks(FakeChatAdapter):
    """Fails plain text posts with a 5xx `transient` times, then with an unrecognised error."""

    transient = 8

    async def post_text(self, channel, text, **_):  # type: ignore[no-untyped-def]
        if self.transient:
            self.transient -= 1
            raise TransientDeliveryError(HTTP_500)
        raise RuntimeError("unexpected")


async def test_transient_failures_leave_a_notice_its_attempts_and_grow_its_backoff(
    db: sqlite_utils.Database,
) -> None:
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = FailsThenBreaks("slack")
    outbox.register(chat)
    channel = add_channel(db, "C1")
    alert_store.enqueue_alert(db, channel.id, "feed:1", "a feed was disabled", now=T0)
    waits = []
    while chat.transient:
        await outbox.drain()
        state, attempts, next_at = alert_row(db)
        assert (state, attempts) == ("pending", 0)
        retry_at = datetime.fromisoformat(next_at)
        waits.append(retry_at - clock.now)
        clock.now = retry_at
    # The wait grows with the failures although no attempt counts them (from half a minute to
    # a quarter of an hour or so after eight; jitter is +-20%).
    assert waits[-1] > 6 * waits[0]
    # One unrecognised error after eight platform failures uses one attempt, not the last one.
    await outbox.drain()
    assert alert_row(db)[:2] == ("pending", 1)
