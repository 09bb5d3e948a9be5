"""Ephemeral replies and Slack's limit of five uses per response_url: a long reply must not lose
its later parts to refused POSTs, and a refused POST is logged."""

from __future__ import annotations

import logging

import pytest
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from test_slack_blocks import make_card

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.replies import reply_messages, text_body
from bot.adapters.slack.responder import SLOW_DOWN, Responder
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.commands.base import Reply

# Slack's documented limit: a response_url takes 5 messages within 30 minutes.
RESPONSE_URL_USES = 5


@pytest.fixture
def responder(slack_api: FakeSlackAPI) -> Responder:
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    return Responder(client, SlackAdapter(client, pacer=ChannelPacer(0)))


def big_breakdown() -> Reply:
    # Long angles for 70 outlets: many more messages than a response_url takes.
    card = make_card(70)
    for angle in card.angles:
        angle.line, angle.quote = "L" * 300, "Q" * 300
    for source in card.sources:
        source.title = "A long headline " * 8
    return Reply(text=card.headline, ephemeral=True, cards=[card], full=True)


async def test_long_ephemeral_reply_caps_response_url_and_sends_the_rest(
    slack_api: FakeSlackAPI, responder: Responder
) -> None:
    reply = big_breakdown()
    expected = [m.text for m in reply_messages(reply)]
    assert len(expected) > RESPONSE_URL_USES
    url = slack_api.response_url("full")
    await responder.deliver(reply, channel_id="C1", user_id="U1", response_url=url)
    by_url = slack_api.calls_to("response_url:full")
    ephemeral = slack_api.calls_to("chat.postEphemeral")
    assert len(by_url) < RESPONSE_URL_USES  # the last use stays free for a note
    assert [b["text"] for b in by_url + ephemeral] == expected
    assert {(b["channel"], b["user"]) for b in ephemeral} == {("C1", "U1")}


async def test_when_the_rest_cannot_be_sent_the_last_use_says_so(
    slack_api: FakeSlackAPI, responder: Responder
) -> None:
    # A private channel the bot is not in: chat.postEphemeral is refused.
    for _ in range(20):
        slack_api.script("chat.postEphemeral", body={"ok": False, "error": "channel_not_found"})
    reply = big_breakdown()
    total = len(reply_messages(reply))
    url = slack_api.response_url("full")
    await responder.deliver(reply, channel_id="C1", user_id="U1", response_url=url)
    by_url = slack_api.calls_to("response_url:full")
    assert len(by_url) == RESPONSE_URL_USES
    missing = total - (RESPONSE_URL_USES - 1)
    assert by_url[-1]["text"].startswith(f"{missing} more part(s) of this reply")


async def test_uses_are_counted_across_calls(slack_api: FakeSlackAPI, responder: Responder) -> None:
    url = slack_api.response_url("r")
    for i in range(RESPONSE_URL_USES + 2):
        await responder.respond(url, text_body(f"answer {i}"), "C1", "U1")
    assert len(slack_api.calls_to("response_url:r")) == RESPONSE_URL_USES
    assert [b["text"] for b in slack_api.calls_to("chat.postEphemeral")] == ["answer 5", "answer 6"]


async def test_a_refused_response_url_is_logged_and_falls_back(
    slack_api: FakeSlackAPI, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    slack_api.response_url_errors["old"] = (404, "expired_url")
    with caplog.at_level(logging.WARNING, logger="bot.adapters.slack.responder"):
        await responder.respond(slack_api.response_url("old"), text_body("hi"), "C1", "U1")
    assert "404 expired_url" in caplog.text
    assert [b["text"] for b in slack_api.calls_to("chat.postEphemeral")] == ["hi"]


async def test_a_reply_the_connection_dropped_after_is_not_sent_again(
    slack_api: FakeSlackAPI, responder: Responder, caplog: pytest.LogCaptureFixture
) -> None:
    # Slack took the message, then the connection dropped before its answer: resending it (as
    # slack-sdk's default connection-error retry does) would show the reply twice.
    slack_api.response_url_drops.add("drop")
    body = {"response_type": "in_channel", "text": "Posting 3 stories to this channel."}
    with caplog.at_level(logging.WARNING):
        await responder.respond(slack_api.response_url("drop"), body, "C1", "U1")
    assert len(slack_api.calls_to("response_url:drop")) == 1
    assert slack_api.calls_to("chat.postEphemeral") == []
    assert "a reply to U1 may not have been shown" in caplog.text


# --- rate limits: a short Retry-After is waited out once, a longer one gives the reply up ------

RATE_LIMITED = {"status": 429, "body": {"ok": False, "error": "ratelimited"}}


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def patient(slack_api: FakeSlackAPI, sleeps: list[float]) -> Responder:
    """A responder whose waits are recorded, not slept."""

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    return Responder(client, SlackAdapter(client, pacer=ChannelPacer(0)), sleep=sleep)


async def test_a_public_reply_waits_out_a_short_retry_after_once(
    slack_api: FakeSlackAPI, patient: Responder, sleeps: list[float]
) -> None:
    slack_api.script("chat.postMessage", headers={"Retry-After": "1"}, **RATE_LIMITED)
    reply = Reply(text="Posting 3 stories to this channel.", ephemeral=False)
    await patient.deliver(reply, channel_id="C1", user_id="U1", response_url=None)
    assert sleeps == [1.0]
    assert len(slack_api.calls_to("chat.postMessage")) == 2
    assert [m["text"] for m in slack_api.messages["C1"]] == ["Posting 3 stories to this channel."]


async def test_a_public_reply_given_up_on_a_long_retry_after_says_so(
    slack_api: FakeSlackAPI,
    patient: Responder,
    sleeps: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack_api.script("chat.postMessage", headers={"Retry-After": "30"}, **RATE_LIMITED)
    reply = Reply(text="Posting 3 stories to this channel.", ephemeral=False)
    url = slack_api.response_url("busy")
    with caplog.at_level(logging.WARNING):
        await patient.deliver(reply, channel_id="C1", user_id="U1", response_url=url)
    assert sleeps == [] and slack_api.messages["C1"] == []
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    [note] = slack_api.calls_to("response_url:busy")
    assert note["text"] == SLOW_DOWN and note["response_type"] == "ephemeral"
    assert "rate limited (Retry-After 30 s): not waited for, given up" in caplog.text


async def test_a_response_url_waits_out_a_short_retry_after_once(
    slack_api: FakeSlackAPI, patient: Responder, sleeps: list[float]
) -> None:
    slack_api.script_response_url("r", status=429, headers={"Retry-After": "2"})
    await patient.respond(slack_api.response_url("r"), text_body("hi"), "C1", "U1")
    assert sleeps == [2.0]
    assert [b["text"] for b in slack_api.calls_to("response_url:r")] == ["hi", "hi"]
    assert slack_api.calls_to("chat.postEphemeral") == []


async def test_a_response_url_on_a_long_retry_after_falls_back_without_waiting(
    slack_api: FakeSlackAPI,
    patient: Responder,
    sleeps: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    slack_api.script_response_url("r", status=429, headers={"Retry-After": "20"})
    with caplog.at_level(logging.WARNING):
        await patient.respond(slack_api.response_url("r"), text_body("hi"), "C1", "U1")
    assert sleeps == [] and len(slack_api.calls_to("response_url:r")) == 1
    # chat.postEphemeral has a limit of its own.
    assert [b["text"] for b in slack_api.calls_to("chat.postEphemeral")] == ["hi"]
    assert "not waited for, given up" in caplog.text


async def test_an_ephemeral_reply_waits_out_a_short_retry_after_once(
    slack_api: FakeSlackAPI, patient: Responder, sleeps: list[float]
) -> None:
    slack_api.script("chat.postEphemeral", headers={"Retry-After": "1"}, **RATE_LIMITED)
    await patient.respond(None, text_body("hi"), "C1", "U1")
    assert sleeps == [1.0]
    assert len(slack_api.calls_to("chat.postEphemeral")) == 2
