"""Looking in the channel before a resend (conversations.history for a card, conversations.replies
for a thread update) can get an answer that is not JSON too. Such a check says nothing about the
row: it waits and looks again without using an attempt, and once Slack answers properly the row
is settled: found, or posted exactly once. Nothing is given up meanwhile.

Real outbox and Slack adapter against the fake Web API (see test_slack_garbled_posts)."""

from __future__ import annotations

import pytest
from fakes.slack_api import HTML_PAGE, TRUNCATED_JSON, FakeSlackAPI
from test_slack_garbled_posts import MANY, World, assert_one_card

CHECKS = pytest.mark.parametrize(
    "check", [HTML_PAGE, TRUNCATED_JSON], ids=["check-html", "check-truncated"]
)
LANDED = pytest.mark.parametrize("landed", [True, False], ids=["landed", "lost"])


@CHECKS
@LANDED
async def test_a_card_is_settled_once_the_channel_can_be_read_again(
    slack_api: FakeSlackAPI, check: str, landed: bool
) -> None:
    world = World(slack_api)
    slack_api.script_raw("chat.postMessage", HTML_PAGE, landed=landed)
    for _ in range(MANY):
        slack_api.script_raw("conversations.history", check)
    await world.drain_hours(MANY + 6)
    assert_one_card(world)
    assert len(slack_api.calls_to("conversations.history")) > MANY
    assert len(slack_api.calls_to("chat.postMessage")) == (1 if landed else 2)


@CHECKS
@LANDED
async def test_a_thread_update_is_delivered_once_the_thread_can_be_read_again(
    slack_api: FakeSlackAPI, check: str, landed: bool
) -> None:
    world = World(slack_api)
    await world.drain_hours(0)
    await world.grow()
    slack_api.script_raw("chat.postMessage", TRUNCATED_JSON, landed=landed)
    for _ in range(MANY):
        slack_api.script_raw("conversations.replies", check)
    await world.drain_hours(MANY + 6)
    assert_one_card(world)
    [update] = world.updates()
    assert update["thread_ts"] == world.cards()[0]["ts"]
    [row] = world.rows("update")
    assert row.state == "sent" and row.thread_ref == world.cards()[0]["ts"]
    assert len(slack_api.calls_to("conversations.replies")) > MANY
