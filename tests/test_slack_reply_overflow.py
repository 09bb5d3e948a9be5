"""A command's public reply of several messages (a card too big for one): it waits out one short
Retry-After in all, its overflow included, never the 30 s a try a card's overflow may wait, and
tells the person when part of it could not be posted. Real responder and Slack adapter, fake Web
API; the waits are recorded, not slept."""

from __future__ import annotations

import pytest
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from test_slack_overflow import RATE_LIMITED, big_card

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.blocks import card_messages
from bot.adapters.slack.responder import PART_MISSING, Responder
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.commands.base import Reply


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def responder(slack_api: FakeSlackAPI, sleeps: list[float]) -> Responder:
    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    adapter = SlackAdapter(client, pacer=ChannelPacer(0), sleep=sleep)
    return Responder(client, adapter, sleep=sleep)


def card_reply() -> Reply:
    reply = Reply(text="", cards=[big_card("s1", 25)], ephemeral=False)
    assert len(card_messages(reply.cards[0])) == 2
    return reply


def in_thread(slack_api: FakeSlackAPI) -> list[dict[str, object]]:
    return [m for m in slack_api.messages["C1"] if "thread_ts" in m]


async def test_a_reply_overflow_on_a_long_retry_after_is_not_waited_and_the_person_told(
    slack_api: FakeSlackAPI, responder: Responder, sleeps: list[float]
) -> None:
    slack_api.script_usual("chat.postMessage")
    slack_api.script("chat.postMessage", headers={"Retry-After": "30"}, **RATE_LIMITED)
    url = slack_api.response_url("r")
    await responder.deliver(card_reply(), channel_id="C1", user_id="U1", response_url=url)
    assert sleeps == []
    assert len(slack_api.calls_to("chat.postMessage")) == 2 and in_thread(slack_api) == []
    [note] = slack_api.calls_to("response_url:r")
    assert note["text"] == PART_MISSING.format(missing=1)
    assert note["response_type"] == "ephemeral"
    # Nothing left behind to post it later.
    assert not responder.adapter.overflow.tasks


async def test_a_reply_overflow_waits_out_a_short_retry_after_once(
    slack_api: FakeSlackAPI, responder: Responder, sleeps: list[float]
) -> None:
    slack_api.script_usual("chat.postMessage")
    slack_api.script("chat.postMessage", headers={"Retry-After": "2"}, **RATE_LIMITED)
    url = slack_api.response_url("r")
    await responder.deliver(card_reply(), channel_id="C1", user_id="U1", response_url=url)
    assert sleeps == [2.0]
    assert len(in_thread(slack_api)) == 1
    assert slack_api.calls_to("response_url:r") == []


async def test_a_reply_waits_once_in_all_its_first_message_and_overflow_together(
    slack_api: FakeSlackAPI, responder: Responder, sleeps: list[float]
) -> None:
    # The first message waits 3 s; the overflow's own short 429 then is not waited again.
    slack_api.script("chat.postMessage", headers={"Retry-After": "3"}, **RATE_LIMITED)
    slack_api.script_usual("chat.postMessage")
    slack_api.script("chat.postMessage", headers={"Retry-After": "1"}, **RATE_LIMITED)
    await responder.deliver(card_reply(), channel_id="C1", user_id="U1", response_url=None)
    assert sleeps == [3.0]
    assert in_thread(slack_api) == []
    [note] = slack_api.calls_to("chat.postEphemeral")
    assert note["text"] == PART_MISSING.format(missing=1)
