"""Slack answering a post with a body that is not JSON (a proxy's HTML page served as 200, an
answer cut off mid-way) says nothing about whether the post landed. The bot must look in the
channel before resending, and such answers must not use up the row's attempts: each story ends
up in the channel exactly once, and nothing is dropped once Slack answers properly again.

Real outbox and Slack adapter (slack-sdk over HTTP) against the fake Web API; every assertion is
on what the fake recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlite_utils
from fakes.slack_api import BOT_TOKEN, HTML_PAGE, TRUNCATED_JSON, FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story, make_card_source
from test_slack_overflow import World as OverflowWorld

from bot.adapters.slack.adapter import UPDATE_EVENT_TYPE, ChannelPacer, SlackAdapter
from bot.adapters.slack.blocks import card_messages
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import update_planner
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
BODIES = pytest.mark.parametrize("body", [HTML_PAGE, TRUNCATED_JSON], ids=["html", "truncated"])
# More garbled answers in a row than any attempt limit allows: they must cost no attempts.
MANY = OutboxSettings().max_attempts + 1


class World:
    """One Slack channel, one story; drains as the hours pass."""

    def __init__(self, fake: FakeSlackAPI) -> None:
        self.fake = fake
        self.now = T0
        self.db: sqlite_utils.Database = open_database(":memory:")
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=fake.api_url))
        self.adapter = SlackAdapter(client, pacer=ChannelPacer(0), sleep=self._no_sleep)
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, T0),
            settings=OutboxSettings(pace=0),
            clock=lambda: self.now,
        )
        self.outbox.register(self.adapter)
        self.channel = add_channel(self.db, "C1")
        add_story(self.db, "s1", ["A", "B"], now=T0)
        store.enqueue_story(self.db, "s1", self.channel.id, now=T0)

    async def _no_sleep(self, seconds: float) -> None:
        return None

    async def drain_hours(self, hours: int) -> None:
        """A drain every hour: every check or retry the outbox scheduled comes due (backoffs
        top out at an hour), well inside the two days after which a row is stale."""
        for _ in range(hours):
            await self.outbox.drain()
            self.now += timedelta(hours=1)
        await self.outbox.drain()

    async def grow(self) -> None:
        """The posted story gains an outlet: one thread update is queued."""
        grow_story(self.db, "s1", ["C"], now=self.now)
        assert (
            update_planner.enqueue_updates(self.db, {"s1"}, now=self.now, interval=timedelta(0))
            == 1
        )

    def cards(self) -> list[dict[str, Any]]:
        return [m for m in self.fake.messages["C1"] if "thread_ts" not in m]

    def updates(self) -> list[dict[str, Any]]:
        return [
            m
            for m in self.fake.messages["C1"]
            if (m.get("metadata") or {}).get("event_type") == UPDATE_EVENT_TYPE
        ]

    def rows(self, kind: str) -> list[store.DeliveryRow]:
        return [
            row
            for state in ("pending", "sending", "sent", "failed")
            for row in store.in_state(self.db, state)
            if row.kind == kind
        ]


def assert_one_card(world: World) -> None:
    [card] = world.cards()
    assert card["metadata"]["event_payload"]["story_id"] == "s1"
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == card["ts"]


@BODIES
async def test_a_card_that_landed_under_a_garbled_answer_is_not_posted_again(
    slack_api: FakeSlackAPI, body: str
) -> None:
    world = World(slack_api)
    slack_api.script_raw("chat.postMessage", body, landed=True)
    await world.drain_hours(3)
    assert_one_card(world)
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert slack_api.calls_to("conversations.history")  # looked before deciding
    # Slack's edge, not the row, was at fault.
    assert world.rows("story")[0].attempts == 0


@BODIES
async def test_garbled_answers_without_the_post_cost_no_attempts_and_it_goes_out_once(
    slack_api: FakeSlackAPI, body: str
) -> None:
    world = World(slack_api)
    for _ in range(MANY):
        slack_api.script_raw("chat.postMessage", body)
    await world.drain_hours(MANY + 6)
    assert_one_card(world)
    # Each resend came after a look in the channel that found nothing.
    assert len(slack_api.calls_to("conversations.history")) >= MANY


async def test_a_card_whose_overflow_got_a_garbled_answer_is_not_posted_again(
    slack_api: FakeSlackAPI,
) -> None:
    world = OverflowWorld(slack_api)
    assert len(card_messages(world.card)) == 2
    slack_api.script_usual("chat.postMessage")
    slack_api.script_raw("chat.postMessage", TRUNCATED_JSON, landed=True)
    await world.drain_for_a_day()
    [card] = world.top_level()
    [reply] = world.replies()
    assert reply["thread_ts"] == card["ts"]
    row = world.row()
    assert row.state == "sent" and row.message_ref == card["ts"] and row.attempts == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 2


@BODIES
async def test_an_update_that_landed_under_a_garbled_answer_is_not_posted_again(
    slack_api: FakeSlackAPI, body: str
) -> None:
    world = World(slack_api)
    await world.drain_hours(0)
    await world.grow()
    slack_api.script_raw("chat.postMessage", body, landed=True)
    await world.drain_hours(3)
    assert_one_card(world)
    [update] = world.updates()
    assert update["thread_ts"] == world.cards()[0]["ts"]
    [row] = world.rows("update")
    assert row.state == "sent" and row.attempts == 0
    assert slack_api.calls_to("conversations.replies")


@BODIES
async def test_garbled_answers_to_an_update_cost_no_attempts_and_it_goes_out_once(
    slack_api: FakeSlackAPI, body: str
) -> None:
    world = World(slack_api)
    await world.drain_hours(0)
    await world.grow()
    for _ in range(MANY):
        slack_api.script_raw("chat.postMessage", body)
    await world.drain_hours(MANY + 6)
    assert_one_card(world)
    [update] = world.updates()
    assert update["thread_ts"] == world.cards()[0]["ts"]
    [row] = world.rows("update")
    assert row.state == "sent"


async def test_a_garbled_answer_to_editing_the_original_card_does_not_resend_the_update(
    slack_api: FakeSlackAPI,
) -> None:
    world = World(slack_api)
    await world.drain_hours(0)
    await world.grow()
    # The reply landed; only the edit of the card's source count got the garbled answer.
    slack_api.script_raw("chat.update", TRUNCATED_JSON, landed=True)
    await world.drain_hours(0)
    [_update] = world.updates()
    [row] = world.rows("update")
    assert row.state == "sent" and row.attempts == 1
    assert len(slack_api.calls_to("chat.postMessage")) == 2
    assert not slack_api.calls_to("conversations.replies")  # nothing left in doubt


async def test_a_card_answered_ok_without_its_ts_is_not_posted_again(
    slack_api: FakeSlackAPI,
) -> None:
    # A proxy or a cut answer that still reads {"ok": true}: the post landed, but its ts is not
    # there to record; taken for a refused payload, it was posted again.
    world = World(slack_api)
    slack_api.script_raw("chat.postMessage", '{"ok": true}', landed=True)
    await world.drain_hours(3)
    assert_one_card(world)
    assert len(slack_api.calls_to("chat.postMessage")) == 1


async def test_a_proxys_4xx_page_fails_the_row_in_its_own_attempts(slack_api: FakeSlackAPI) -> None:
    # A 403 page from a proxy in front of Slack: refused before Slack read it. Nothing landed,
    # so nothing to look for; the row's attempts count and it is given up in time, rather than
    # held "maybe sent" for two days with every Slack channel backing off behind it.
    world = World(slack_api)
    for _ in range(MANY):
        slack_api.script_raw("chat.postMessage", HTML_PAGE, status=403)
    await world.drain_hours(MANY + 6)
    [row] = world.rows("story")
    assert row.state == "failed" and row.attempts == OutboxSettings().max_refused_attempts
    assert world.cards() == []
    assert not slack_api.calls_to("conversations.history")
