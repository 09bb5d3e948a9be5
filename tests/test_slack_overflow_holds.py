"""A card's overflow part refused for Slack's rate limit holds the outbox's posts as a row's 429
does: the queued rows wait out its Retry-After using no try, in every Slack channel, while the
part itself is posted once, in order, in the card's thread. Real outbox, Slack adapter and
SQLite file; the fake Web API's recorded calls tell what was tried."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils
from fakes.slack_api import FakeSlackAPI
from fakes.slack_outbox import PROMPT, RATE_LIMITED, T0, WAIT, SlackOutbox
from fakes.stories import add_channel, make_card_source
from test_slack_blocks import make_card

from bot.adapters.slack.adapter import OVERFLOW_TRIES
from bot.adapters.slack.blocks import card_messages
from bot.cards import StoryCard
from bot.models import Bullet
from bot.store import deliveries as store
from bot.store import due_rows
from bot.store.channels import ChannelRow


class World(SlackOutbox):
    """Slack's outbox with one card too big for a message ("big"), whose overflow part waits
    out its Retry-After (`WAIT`) until the test says (`release`)."""

    def __init__(self, db: sqlite_utils.Database, fake: FakeSlackAPI) -> None:
        # The overflow's waits, each over when the test says (`release`).
        self.waits: list[float] = []
        self._gates: list[asyncio.Event] = []
        self.small_cards = make_card_source(db, T0)
        self.big = make_card(
            story_id="big",
            tldr=[Bullet(f"Point {i} " + "w" * 480, ["Outlet 0"]) for i in range(25)],
        )
        assert len(card_messages(self.big)) == 2
        super().__init__(db, fake, self.card_for, sleep=self.overflow_sleep)

    def card_for(self, story_id: str, channel: ChannelRow) -> StoryCard | None:
        return self.big if story_id == "big" else self.small_cards(story_id, channel)

    async def overflow_sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        gate = asyncio.Event()
        self._gates.append(gate)
        await gate.wait()

    async def release(self) -> None:
        """The overflow's current wait is over; let its task post (or meet the next 429)."""
        gates = len(self._gates)
        self._gates[-1].set()

        async def settled() -> None:  # the part posted (task done) or waiting again
            while self.adapter.overflow.tasks and len(self._gates) == gates:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(settled(), PROMPT)

    def top_level(self, channel: str) -> list[str]:
        return [
            m["metadata"]["event_payload"]["story_id"]
            for m in self.fake.messages[channel]
            if "thread_ts" not in m
        ]

    def replies(self, channel: str) -> list[dict[str, Any]]:
        return [m for m in self.fake.messages[channel] if "thread_ts" in m]


def assert_held_until(world: World, row_ids: list[int], until: datetime) -> None:
    """Pending until the hold ends, having used nothing: no attempt, no wait of their own."""
    for row_id in row_ids:
        row = world.row(row_id)
        assert row.state == "pending"
        assert row.next_attempt_at == until
        assert row.attempts == 0 and row.waits == 0


async def big_card_limited(
    db: sqlite_utils.Database, fake: FakeSlackAPI, *, refusals: int = 1
) -> tuple[World, ChannelRow]:
    """The big card drained for instant channel C1: its first message lands and its overflow
    part meets `refusals` 429s in a row."""
    world = World(db, fake)
    c1 = add_channel(db, "C1", mode="instant")
    world.queue(c1, "big")
    fake.script_usual("chat.postMessage")
    for _ in range(refusals):
        fake.script("chat.postMessage", headers={"Retry-After": str(WAIT)}, **RATE_LIMITED)
    await world.drain()
    return world, c1


async def test_an_overflow_parts_429_holds_the_queued_posts_of_every_slack_channel(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = World(db, slack_api)
    c1 = add_channel(db, "C1", mode="instant")
    c2 = add_channel(db, "C2", mode="instant")
    [big] = world.queue(c1, "big")
    [after] = world.queue(c1, "s2")
    slack_api.script_usual("chat.postMessage")  # the card's first message lands
    slack_api.script("chat.postMessage", headers={"Retry-After": str(WAIT)}, **RATE_LIMITED)

    await world.drain()

    # The card is posted; its second part waits in the background, and the card queued behind
    # it was not sent into the limit: it waits for the Retry-After, using no try.
    assert world.row(big).state == "sent"
    assert world.top_level("C1") == ["big"]
    assert len(slack_api.calls_to("chat.postMessage")) == 2
    assert world.waits == [WAIT]
    until = T0 + timedelta(seconds=WAIT)
    assert_held_until(world, [after], until)
    assert [(r, c) for r, c, _ in world.outbox.rate_limits.active(world.now)] == [("slack", "post")]
    # The outbox's loop wakes for it when the Retry-After ends.
    assert due_rows.next_attempt_time(db, after=T0) == until

    # Another Slack channel's card queued inside the Retry-After waits too: Slack's 429 does
    # not say which limit it was.
    world.now = T0 + timedelta(seconds=1)
    [elsewhere] = world.queue(c2, "s3")
    await world.drain()
    assert len(slack_api.calls_to("chat.postMessage")) == 2
    assert_held_until(world, [elsewhere], until)

    # The Retry-After over, the part goes into the card's thread, once.
    world.now = until
    await world.release()
    [part] = world.replies("C1")
    first = slack_api.messages["C1"][0]
    assert part["thread_ts"] == first["ts"]
    assert part["blocks"] == card_messages(world.big)[1].blocks

    await world.drain()
    assert world.top_level("C1") == ["big", "s2"] and world.top_level("C2") == ["s3"]
    assert [world.row(r).attempts for r in (after, elsewhere)] == [1, 1]
    assert [world.row(r).state for r in (after, elsewhere)] == ["sent", "sent"]
    assert store.in_state(db, "failed") == []
    await world.adapter.finish_overflow(PROMPT)
    assert len(slack_api.calls_to("chat.postMessage")) == 5  # nothing was sent twice


async def test_an_overflow_part_limited_again_in_the_background_extends_the_hold(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world, c1 = await big_card_limited(db, slack_api)
    assert world.waits == [WAIT]

    # At its retry, in the background task, the part is refused again, for longer: the posts
    # queued since wait for that Retry-After too.
    world.now = T0 + timedelta(seconds=WAIT)
    slack_api.script("chat.postMessage", headers={"Retry-After": "40"}, **RATE_LIMITED)
    await world.release()
    assert world.waits == [WAIT, 40]
    [queued] = world.queue(c1, "s2")
    await world.drain()
    later = world.now + timedelta(seconds=40)
    assert_held_until(world, [queued], later)
    assert world.top_level("C1") == ["big"] and world.replies("C1") == []

    world.now = later
    await world.release()
    assert len(world.replies("C1")) == 1
    await world.drain()
    assert world.top_level("C1") == ["big", "s2"]
    await world.adapter.finish_overflow(PROMPT)
    assert len(slack_api.calls_to("chat.postMessage")) == 5


async def test_an_overflow_part_given_up_on_a_429_still_holds_the_queued_posts(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world, c1 = await big_card_limited(db, slack_api, refusals=OVERFLOW_TRIES)
    for tried in range(1, OVERFLOW_TRIES):
        world.now = T0 + timedelta(seconds=WAIT * tried)
        await world.release()
    # Its last try refused, the part is given up (an ERROR, `test_slack_overflow`); the limit
    # stands all the same, and the card queued now waits it out.
    assert not world.adapter.overflow.tasks and world.replies("C1") == []
    [queued] = world.queue(c1, "s2")
    await world.drain()
    assert_held_until(world, [queued], world.now + timedelta(seconds=WAIT))
    assert len(slack_api.calls_to("chat.postMessage")) == 1 + OVERFLOW_TRIES
