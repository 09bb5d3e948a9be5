"""A card too big for one Slack message: once its first message landed the card is delivered,
whatever happens to the overflow in its thread; an overflow message that must wait out a 429
waits in the background, never in the outbox's drain. Real outbox and Slack adapter, fake Web
API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fakes.chat import FakeChatAdapter
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story
from test_slack_blocks import make_card

from bot.adapters.slack.adapter import MAX_OVERFLOW_WAIT, OVERFLOW_TRIES, ChannelPacer, SlackAdapter
from bot.adapters.slack.blocks import card_messages
from bot.adapters.slack.fitted import card_edit_message
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.cards import StoryCard
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.models import Bullet
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
RATE_LIMITED = {"status": 429, "body": {"ok": False, "error": "ratelimited"}}
# A drain that waited out an overflow's Retry-After would not return in this time.
PROMPT = 5.0


def big_card(story_id: str, bullets: int) -> StoryCard:
    return make_card(
        story_id=story_id,
        tldr=[Bullet(f"Point {i} " + "w" * 480, ["Outlet 0"]) for i in range(bullets)],
    )


class World:
    def __init__(self, fake: FakeSlackAPI, *, bullets: int = 25) -> None:
        self.fake = fake
        self.now = T0
        self.sleeps: list[float] = []
        self.card = big_card("s1", bullets)
        self.db = open_database(":memory:")
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=fake.api_url))
        self.adapter = SlackAdapter(client, pacer=ChannelPacer(0), sleep=self.sleep)
        self.outbox = Outbox(
            self.db, self.card_for, settings=OutboxSettings(pace=0), clock=lambda: self.now
        )
        self.outbox.register(self.adapter)
        self.channel = add_channel(self.db, "C1")
        add_story(self.db, "s1", ["A", "B"], now=T0)
        store.enqueue_story(self.db, "s1", self.channel.id, now=T0)

    def card_for(self, story_id: str, channel: ChannelRow) -> StoryCard:
        return self.card

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    async def drain_for_a_day(self) -> None:
        """Drains spread over a day: every retry or check the outbox scheduled comes due; then
        the overflow left to the background is let finish, as at shutdown."""
        for hours in (0, 1, 2, 4, 8, 24):
            self.now = T0 + timedelta(hours=hours)
            await asyncio.wait_for(self.outbox.drain(), PROMPT)
        await self.adapter.finish_overflow(PROMPT)
        assert not self.adapter.overflow.tasks

    def top_level(self) -> list[dict[str, Any]]:
        return [m for m in self.fake.messages["C1"] if "thread_ts" not in m]

    def replies(self) -> list[dict[str, Any]]:
        return [m for m in self.fake.messages["C1"] if "thread_ts" in m]

    def row(self) -> store.DeliveryRow:
        row = store.story_post(self.db, "s1", self.channel.id)
        assert row is not None
        return row


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackAPI]:
    server = await FakeSlackAPI().start()
    yield server
    await server.stop()


def assert_posted_once(world: World, replies: int) -> None:
    """One top-level card carrying the first message's content; `replies` overflow messages."""
    first, *overflow = card_messages(world.card)
    [card] = world.top_level()
    posts = [c for c in world.fake.calls_to("chat.postMessage") if "thread_ts" not in c]
    assert all(c["text"] == first.text and c["blocks"] == first.blocks for c in posts)
    # An edit of the card since (the story counted again) makes it whole in one message.
    edits = [c["blocks"] for c in world.fake.calls_to("chat.update")]
    assert card["blocks"] == (card_edit_message(world.card).blocks if edits else first.blocks)
    assert card["metadata"]["event_payload"]["story_id"] == "s1"
    got = world.replies()
    assert [m["blocks"] for m in got] == [m.blocks for m in overflow[:replies]]
    assert all(m["thread_ts"] == card["ts"] for m in got)
    row = world.row()
    assert row.state == "sent" and row.message_ref == card["ts"] and row.thread_ref == card["ts"]


async def test_rate_limited_overflow_is_retried_in_the_thread_not_the_whole_card(
    fake: FakeSlackAPI,
) -> None:
    world = World(fake)
    assert len(card_messages(world.card)) == 2
    fake.script_usual("chat.postMessage")  # the first message goes through
    # The client does not wait: the adapter sees the 429 and waits its short Retry-After
    # through the injected sleep.
    fake.script("chat.postMessage", headers={"Retry-After": "2"}, **RATE_LIMITED)
    await world.drain_for_a_day()
    assert_posted_once(world, replies=1)
    assert world.sleeps == [2.0]
    assert len(fake.calls_to("chat.postMessage")) == 3


async def test_overflow_with_a_long_retry_after_waits_capped_rather_than_losing_the_part(
    fake: FakeSlackAPI,
) -> None:
    world = World(fake)
    fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", headers={"Retry-After": "120"}, **RATE_LIMITED)
    await world.drain_for_a_day()
    # The card is posted, its rest is no outbox row: a card missing its second half is worse
    # than a wait in the background, so the wait is capped, not skipped.
    assert_posted_once(world, replies=1)
    assert world.sleeps == [MAX_OVERFLOW_WAIT]
    assert len(fake.calls_to("chat.postMessage")) == 3


async def test_an_overflow_waiting_out_a_429_holds_no_drain(fake: FakeSlackAPI) -> None:
    world = World(fake)
    gate = asyncio.Event()

    async def slow_sleep(seconds: float) -> None:  # the Retry-After, over when the test says
        world.sleeps.append(seconds)
        await gate.wait()

    world.adapter.overflow._sleep = slow_sleep
    discord = FakeChatAdapter("discord")
    world.outbox.register(discord)
    fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", headers={"Retry-After": "30"}, **RATE_LIMITED)
    # The drain returns with the card posted, its second part waiting in the background.
    report = await asyncio.wait_for(world.outbox.drain(), PROMPT)
    assert report.sent == 1 and world.sleeps == [30.0]
    assert world.row().state == "sent" and world.replies() == []
    # A Discord post queued meanwhile goes out at once: no drain waits behind the overflow.
    d1 = add_channel(world.db, "D1", platform="discord", mode="instant")
    add_story(world.db, "d1", ["A", "B"], now=world.now)
    store.enqueue_story(world.db, "d1", d1.id, now=world.now)
    await asyncio.wait_for(world.outbox.drain(), PROMPT)
    assert [m.channel_id for m in discord.messages] == ["D1"]
    assert store.story_post(world.db, "d1", d1.id).state == "sent"  # type: ignore[union-attr]
    # The Retry-After over, the part goes into the card's thread, once.
    gate.set()
    await world.adapter.finish_overflow(PROMPT)
    assert_posted_once(world, replies=1)
    assert len(fake.calls_to("chat.postMessage")) == 3


async def test_overflow_still_waiting_at_shutdown_is_given_up_with_an_error(
    fake: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    world = World(fake, bullets=60)
    assert len(card_messages(world.card)) == 3

    async def endless_sleep(seconds: float) -> None:
        world.sleeps.append(seconds)
        await asyncio.Event().wait()

    world.adapter.overflow._sleep = endless_sleep
    fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", headers={"Retry-After": "30"}, **RATE_LIMITED)
    await asyncio.wait_for(world.outbox.drain(), PROMPT)
    with caplog.at_level(logging.ERROR):
        await asyncio.wait_for(world.adapter.finish_overflow(0.05), PROMPT)
    assert not world.adapter.overflow.tasks
    assert_posted_once(world, replies=0)
    # Never silently: both parts left are named.
    [error] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "part(s) 2, 3 of 3" in error.getMessage() and "shutdown" in error.getMessage()
    # Nor posted later by anything: the card stays sent, the parts are not tried again.
    await world.drain_for_a_day()
    assert len(fake.calls_to("chat.postMessage")) == 2


async def test_overflow_rate_limited_on_every_try_is_given_up_not_reposted(
    fake: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    world = World(fake)
    fake.script_usual("chat.postMessage")
    for _ in range(OVERFLOW_TRIES):
        fake.script("chat.postMessage", headers={"Retry-After": "0"}, **RATE_LIMITED)
    with caplog.at_level(logging.ERROR):
        await world.drain_for_a_day()
    assert_posted_once(world, replies=0)
    assert world.sleeps == [0.0] * (OVERFLOW_TRIES - 1)
    assert "part 2 of 2" in caplog.text and "given up" in caplog.text


@pytest.mark.parametrize("error", ["invalid_blocks", "msg_too_long"])
async def test_refused_overflow_is_not_retried_and_the_card_not_reposted(
    fake: FakeSlackAPI, error: str
) -> None:
    world = World(fake)
    fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", body={"ok": False, "error": error})
    await world.drain_for_a_day()
    assert_posted_once(world, replies=0)
    assert len(fake.calls_to("chat.postMessage")) == 2 and world.sleeps == []


async def test_overflow_that_may_have_posted_is_logged_and_the_card_is_sent_at_once(
    fake: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    world = World(fake)
    fake.script_usual("chat.postMessage")
    # Slack: "some aspect of the operation may have succeeded"; a retry could post it twice.
    fake.script("chat.postMessage", status=500, body={"ok": False, "error": "internal_error"})
    with caplog.at_level(logging.ERROR):
        report = await world.outbox.drain()
    assert report.sent == 1 and report.retried == 0
    assert "part 2 of 2" in caplog.text and "internal_error" in caplog.text
    await world.drain_for_a_day()
    assert_posted_once(world, replies=0)
    assert len(fake.calls_to("chat.postMessage")) == 2


async def test_channel_refusing_overflow_stops_the_rest_and_keeps_the_card(
    fake: FakeSlackAPI,
) -> None:
    world = World(fake, bullets=60)
    assert len(card_messages(world.card)) == 3
    fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    await world.drain_for_a_day()
    assert_posted_once(world, replies=0)
    assert len(fake.calls_to("chat.postMessage")) == 2  # part 3 not tried


async def test_later_overflow_failure_keeps_the_parts_that_landed(fake: FakeSlackAPI) -> None:
    world = World(fake, bullets=60)
    fake.script_usual("chat.postMessage")
    fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", body={"ok": False, "error": "invalid_blocks"})
    await world.drain_for_a_day()
    assert_posted_once(world, replies=1)


async def test_overflow_grace_cut_short_by_the_runner_still_logs_and_leaves_no_task(
    fake: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    world = World(fake)

    async def endless_sleep(seconds: float) -> None:
        await asyncio.Event().wait()

    world.adapter.overflow._sleep = endless_sleep
    fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", headers={"Retry-After": "30"}, **RATE_LIMITED)
    await asyncio.wait_for(world.outbox.drain(), PROMPT)
    # The runner's stop gives the platform less time than the adapter's grace.
    with caplog.at_level(logging.ERROR), pytest.raises(TimeoutError):
        await asyncio.wait_for(world.adapter.finish_overflow(60), 0.05)
    assert not world.adapter.overflow.tasks
    assert "part(s) 2 of 2" in caplog.text
