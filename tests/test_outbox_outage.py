"""A platform that cannot be reached or fails (connection refused, 5xx, rate limits) for hours
drops nothing: the row waits using no attempt, is posted once when the platform is back, /healthz
shows the route as a problem meanwhile, and only the stale rule (`stale_after`) ends a wait."""

from __future__ import annotations

import itertools
import logging
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.runner import slack_service
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.config import ChannelConfig
from bot.delivery.adapter import TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.channels import ChannelRow

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CONNECT_ERROR = "Slack chat.postMessage: ClientConnectorError: Cannot connect"


def slack(api_url: str) -> SlackAdapter:
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=api_url))
    return SlackAdapter(client, pacer=ChannelPacer(0))


def dead_url() -> str:
    """A loopback port nothing listens on: every connection is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/"


def one_story(db: sqlite_utils.Database, clock: Clock) -> tuple[Outbox, int]:
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A", "B"], now=T0 - timedelta(minutes=5))  # polled, then the digest
    assert digests.enqueue_digest(db, channel, now=T0) == 1
    return outbox, channel.id


async def wait_out(outbox: Outbox, clock: Clock, hours: float) -> list[store.DeliveryRow]:
    """Drain each time the row comes due, for `hours` of simulated time; the row at each step."""
    seen = []
    while clock.now < T0 + timedelta(hours=hours):
        await outbox.drain()
        row = store.get(outbox.db, 1)
        assert row is not None
        seen.append(row)
        if row.state in ("sent", "failed"):
            break
        assert row.next_attempt_at is not None
        clock.now = max(clock.now, row.next_attempt_at) + timedelta(seconds=1)
    return seen


async def test_hours_of_connection_refused_drop_no_story(db: sqlite_utils.Database) -> None:
    clock = Clock(T0)
    outbox, channel_pk = one_story(db, clock)
    outbox.register(slack(dead_url()))
    seen = await wait_out(outbox, clock, hours=6)
    assert {r.state for r in seen} == {"pending"} and {r.attempts for r in seen} == {0}
    assert CONNECT_ERROR in (seen[-1].last_error or "")
    # The waits grow, but never past max_backoff (an hour, with its jitter).
    gaps = waits_between(seen)
    assert gaps[-1] > gaps[0] and max(gaps) <= 1.2 * OutboxSettings().max_backoff + 2
    api = await FakeSlackAPI().start()
    try:
        outbox.register(slack(api.api_url))
        clock.now += timedelta(hours=1)
        await outbox.drain()
        assert len(api.messages["C1"]) == 1
        assert store.story_post(db, "s1", channel_pk).state == "sent"  # type: ignore[union-attr]
    finally:
        await api.stop()


def waits_between(rows: list[store.DeliveryRow]) -> list[float]:
    """Seconds between the row's successive tries."""
    times = [r.next_attempt_at for r in rows if r.next_attempt_at is not None]
    return [(b - a).total_seconds() for a, b in itertools.pairwise(times)]


async def test_hours_of_503_are_checked_and_posted_once(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    """A 503 may have posted, so each is followed by a history lookup before any resend; the
    lookups fail too while Slack is down, and none of it uses the row up."""
    for method in ("chat.postMessage", "conversations.history"):
        for _ in range(40):
            body = {"ok": False, "error": "service_unavailable_html"}
            slack_api.script(method, status=503, body=body)
    clock = Clock(T0)
    outbox, _channel_pk = one_story(db, clock)
    outbox.register(slack(slack_api.api_url))
    seen = await wait_out(outbox, clock, hours=6)
    assert seen[-1].state == "sending" and {r.attempts for r in seen} == {0}
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # never resent unchecked
    slack_api._scripted.clear()  # Slack is back
    clock.now += timedelta(hours=1)
    await outbox.drain()
    assert len(slack_api.messages["C1"]) == 1
    assert store.get(db, 1).state == "sent"  # type: ignore[union-attr]


async def test_a_503_after_the_post_landed_does_not_post_twice(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    slack_api.script(
        "chat.postMessage", status=503, body={"ok": False, "error": "internal_error"}, landed=True
    )
    slack_api.script(
        "conversations.history", status=503, body={"ok": False, "error": "service_unavailable"}
    )
    clock = Clock(T0)
    outbox, _channel_pk = one_story(db, clock)
    outbox.register(slack(slack_api.api_url))
    seen = await wait_out(outbox, clock, hours=2)
    assert seen[-1].state == "sent" and seen[-1].attempts == 0
    assert len(slack_api.messages["C1"]) == 1
    assert len(slack_api.calls_to("conversations.history")) == 2


async def test_a_leftover_rate_limit_waits_its_retry_after_using_no_attempt(
    db: sqlite_utils.Database,
) -> None:
    clock = Clock(T0)
    outbox, _channel_pk = one_story(db, clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    chat.failures = [TransientDeliveryError("rate limited", retry_after=600)] * 5
    for _ in range(5):
        await outbox.drain()
        row = store.get(db, 1)
        assert row is not None and row.attempts == 0
        assert row.next_attempt_at is not None
        assert row.next_attempt_at >= clock.now + timedelta(seconds=600)
        clock.now = row.next_attempt_at
    await outbox.drain()
    assert [m.story_id for m in chat.cards()] == ["s1"]


async def outage_past_the_window(
    db: sqlite_utils.Database,
) -> tuple[Clock, Outbox, FakeChatAdapter, ChannelRow, list[store.DeliveryRow]]:
    """One story's card, its platform unreachable for 60 hours: the row at each step."""
    clock = Clock(T0)
    outbox, channel_pk = one_story(db, clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    chat.failures = [TransientDeliveryError(CONNECT_ERROR)] * 1000
    seen = await wait_out(outbox, clock, hours=60)
    channel = channel_store.get_channel_by_pk(db, channel_pk)
    assert channel is not None
    return clock, outbox, chat, channel, seen


async def test_an_outage_past_the_story_window_ends_stale_and_is_not_queued_again(
    db: sqlite_utils.Database,
) -> None:
    clock, _, chat, channel, seen = await outage_past_the_window(db)
    assert seen[-1].state == "failed" and seen[-1].last_error == "stale"
    assert clock.now >= T0 + OutboxSettings().stale_after
    assert max(r.attempts for r in seen) == 0
    # Old news by now: the next digest does not queue it again (see delivered_story_ids).
    assert digests.enqueue_digest(db, channel, now=clock.now) == 0
    assert not chat.cards()


async def test_a_story_given_up_as_stale_that_grows_again_is_posted_once(
    db: sqlite_utils.Database,
) -> None:
    # Its card never went out: a story still moving after the outage is news to the channel,
    # not lost to it for good.
    clock, outbox, chat, channel, seen = await outage_past_the_window(db)
    assert seen[-1].last_error == "stale"
    chat.failures = []
    grow_story(db, "s1", ["C"], now=clock.now)
    assert digests.enqueue_digest(db, channel, now=clock.now + timedelta(minutes=1)) == 1
    [row] = [r for r in store.in_state(db, "pending") if r.kind == "story"]
    assert row.story_id == "s1" and row.attempts == 0
    clock.now += timedelta(minutes=2)
    await outbox.drain()
    assert [c.story_id for c in chat.cards()] == ["s1"]
    # Sent now, it is the channel's card of the story: never queued a second time.
    assert digests.enqueue_digest(db, channel, now=clock.now + timedelta(hours=1)) == 0


async def test_one_row_the_platform_keeps_failing_backs_off_on_its_own(
    db: sqlite_utils.Database,
) -> None:
    """The route recovers between the row's tries (other posts go out), the row fails again:
    its own wait grows, so it is neither retried every half minute nor holding the route up."""
    clock = Clock(T0)
    outbox, channel_pk = one_story(db, clock)
    chat = FakeChatAdapter("slack")
    outbox.register(chat)
    tries = []
    for _ in range(6):
        chat.failures = [TransientDeliveryError("Slack chat.postMessage: internal_error")]
        await outbox.drain()
        row = store.get(db, 1)
        assert row is not None and row.state == "pending" and row.attempts == 0
        tries.append(clock.now)
        outbox.outages.up("slack")  # another channel's post went through meanwhile
        assert row.next_attempt_at is not None
        clock.now = row.next_attempt_at + timedelta(seconds=1)
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(tries)]
    assert gaps == sorted(gaps) and gaps[-1] > 8 * gaps[0]
    await outbox.drain()
    assert store.story_post(db, "s1", channel_pk).state == "sent"  # type: ignore[union-attr]


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[tuple[Service, FakeChatAdapter, Clock]]:
    clock = Clock(T0)
    service, chat = slack_service(
        tmp_path, clock, ChannelConfig(platform="slack", id="C1", min_sources=1)
    )
    service.core.sync_config()
    service.state = "running"
    service.scheduler.start(paused=True)
    try:
        yield service, chat, clock
    finally:
        service.scheduler.shutdown(wait=False)
        service.core.close()


async def test_an_outage_shows_in_healthz_until_a_post_goes_through(
    service: tuple[Service, FakeChatAdapter, Clock], caplog: pytest.LogCaptureFixture
) -> None:
    svc, chat, clock = service
    chat.failures = [TransientDeliveryError(CONNECT_ERROR)] * 5
    channel = channel_store.find_channel(svc.db, "slack:C1")
    assert channel is not None
    add_story(svc.db, "s1", ["A", "B"], now=T0)
    await svc.run_digest(channel.id, scheduled_for=T0)
    statuses = []
    with caplog.at_level(logging.WARNING):
        for _ in range(6):
            await svc.outbox.drain()
            health = svc.health()
            statuses.append(health["status"])
            row = store.get(svc.db, 1)
            assert row is not None
            if row.state == "sent":
                break
            assert row.next_attempt_at is not None
            clock.now = row.next_attempt_at + timedelta(seconds=1)
            if statuses[-1] == "degraded":
                assert health["problems"] == [
                    f"slack unreachable or failing ({health['delivery_outages']['slack']['failures']}"
                    f" failures in a row): {CONNECT_ERROR}"
                ]
                assert health["delivery_outages"]["slack"]["unreachable"] is True
    # One blip is no outage; a run of them is, and a post going through ends it.
    assert statuses == ["ok", "ok", "degraded", "degraded", "degraded", "ok"]
    assert svc.health()["delivery_outages"] == {} and len(chat.cards()) == 1
    assert store.get(svc.db, 1).attempts == 1  # type: ignore[union-attr]
    assert any(
        r.levelno == logging.ERROR and "slack unreachable" in r.message for r in caplog.records
    )
