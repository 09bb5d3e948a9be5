"""The Slack ChatAdapter against the fake Slack Web API: exact payloads, threading, error mapping,
rate limits and pacing."""

from __future__ import annotations

import aiohttp
import pytest
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import channel_row
from test_slack_blocks import make_card

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter, delivery_error
from bot.adapters.slack.blocks import card_messages
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.adapter import (
    AuthDeliveryError,
    DeliveryError,
    PermanentDeliveryError,
    PlatformDeliveryError,
    PostedMessage,
    RateLimitedDeliveryError,
    TransientDeliveryError,
)

CHANNEL = channel_row("C1", platform="slack")


@pytest.fixture
def adapter(slack_api: FakeSlackAPI) -> SlackAdapter:
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    return SlackAdapter(client, pacer=ChannelPacer(0))


async def test_post_card_payload(slack_api: FakeSlackAPI, adapter: SlackAdapter) -> None:
    card = make_card()
    posted = await adapter.post_card(CHANNEL, card, nonce="n-1")
    [message] = card_messages(card)
    assert slack_api.calls_to("chat.postMessage") == [
        {
            "channel": "C1",
            "text": message.text,
            "blocks": message.blocks,
            "unfurl_links": False,
            "unfurl_media": False,
            "metadata": {
                "event_type": "newsdigest_story",
                "event_payload": {"story_id": "s1", "nonce": "n-1"},
            },
        }
    ]
    [landed] = slack_api.messages["C1"]
    assert posted == PostedMessage(message_ref=landed["ts"], thread_ref=landed["ts"])


async def test_find_posted_by_metadata(slack_api: FakeSlackAPI, adapter: SlackAdapter) -> None:
    await adapter.post_text(CHANNEL, "hello")
    posted = await adapter.post_card(CHANNEL, make_card(), nonce="n-1")
    assert await adapter.find_posted(CHANNEL, story_id="s1", nonce="n-1") == posted
    assert await adapter.find_posted(CHANNEL, story_id="s1", nonce="other") is None
    [history] = slack_api.calls_to("conversations.history")[:1]
    assert history["channel"] == "C1" and history["include_all_metadata"] in ("1", True)


async def test_update_replies_in_thread_and_edits_count(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    posted = await adapter.post_card(CHANNEL, make_card(6), nonce="n-1")
    grown = make_card(8)
    result = await adapter.post_update(
        CHANNEL, posted, grown, new_outlets=["Outlet 6", "Outlet 7"], nonce="n-2"
    )
    assert result == posted
    reply = slack_api.calls_to("chat.postMessage")[1]
    assert reply["thread_ts"] == posted.message_ref
    assert (
        "Outlet 6, Outlet 7 joined. Now 8 sources tracking this story."
        in reply["blocks"][0]["text"]["text"]
    )
    assert reply["metadata"]["event_payload"] == {"story_id": "s1", "nonce": "n-2"}
    [update] = slack_api.calls_to("chat.update")
    assert update["ts"] == posted.message_ref and update["channel"] == "C1"
    assert update["blocks"] == card_messages(grown)[0].blocks
    assert "*8 sources tracking this story*" in update["blocks"][1]["elements"][0]["text"]
    # The story did not get a second top-level post.
    assert len(slack_api.messages["C1"]) == 2 and "thread_ts" in slack_api.messages["C1"][1]


async def test_find_posted_finds_an_update_in_its_thread(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    posted = await adapter.post_card(CHANNEL, make_card(6), nonce="n-1")
    lookup = {"story_id": "s1", "kind": "update", "parent": posted}
    assert await adapter.find_posted(CHANNEL, nonce="u-1", **lookup) is None  # type: ignore[arg-type]
    await adapter.post_update(CHANNEL, posted, make_card(8), new_outlets=["Outlet 7"], nonce="u-1")
    found = await adapter.find_posted(CHANNEL, nonce="u-1", **lookup)  # type: ignore[arg-type]
    assert found is not None and found.message_ref != posted.message_ref
    assert found.thread_ref == posted.message_ref
    assert await adapter.find_posted(CHANNEL, nonce="u-2", **lookup) is None  # type: ignore[arg-type]
    assert slack_api.calls_to("conversations.replies")[-1]["ts"] == posted.message_ref


async def test_update_is_delivered_even_if_the_edit_fails(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    posted = await adapter.post_card(CHANNEL, make_card(6), nonce="n-1")
    slack_api.script("chat.update", body={"ok": False, "error": "internal_error"})
    result = await adapter.post_update(
        CHANNEL, posted, make_card(8), new_outlets=["Outlet 7"], nonce="u-1"
    )
    assert len(slack_api.calls_to("chat.postMessage")) == 2
    # Not raised (the reply would be posted again), but said: the outbox makes the edit later.
    assert result == PostedMessage(posted.message_ref, posted.thread_ref, card_unedited=True)


async def test_update_survives_deleted_original(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    posted = PostedMessage(message_ref="1600000000.000001", thread_ref="1600000000.000001")
    await adapter.post_update(CHANNEL, posted, make_card(8), new_outlets=["Outlet 7"], nonce="n")
    assert slack_api.methods()[-1] == "chat.update"


async def test_a_429_is_raised_at_once_with_its_retry_after(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    # Not slept through by the client: the outbox holds the posts for the Retry-After.
    slack_api.script(
        "chat.postMessage",
        status=429,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "30"},
    )
    with pytest.raises(RateLimitedDeliveryError) as raised:
        await adapter.post_card(CHANNEL, make_card(), nonce="n-1")
    assert raised.value.retry_after == 30 and not raised.value.maybe_sent
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert slack_api.messages["C1"] == []


async def test_a_429_on_a_card_edit_is_raised_at_once(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    posted = await adapter.post_card(CHANNEL, make_card(6), nonce="n-1")
    slack_api.script(
        "chat.update",
        status=429,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "20"},
    )
    with pytest.raises(RateLimitedDeliveryError) as raised:
        await adapter.refresh_card(CHANNEL, posted, make_card(8))
    assert raised.value.retry_after == 20
    assert len(slack_api.calls_to("chat.update")) == 1


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        ("channel_not_found", PermanentDeliveryError),
        ("is_archived", PermanentDeliveryError),
        ("not_in_channel", PermanentDeliveryError),
        ("account_inactive", AuthDeliveryError),
        ("invalid_auth", AuthDeliveryError),
        ("not_authed", AuthDeliveryError),
        ("token_revoked", AuthDeliveryError),
        ("token_expired", AuthDeliveryError),
        ("missing_scope", PlatformDeliveryError),
        ("internal_error", TransientDeliveryError),
        ("invalid_blocks", DeliveryError),
    ],
)
async def test_error_mapping(
    slack_api: FakeSlackAPI, adapter: SlackAdapter, error: str, kind: type[DeliveryError]
) -> None:
    slack_api.script("chat.postMessage", body={"ok": False, "error": error})
    with pytest.raises(kind) as raised:
        await adapter.post_card(CHANNEL, make_card(), nonce="n")
    assert type(raised.value) is kind
    assert error in str(raised.value)


async def test_server_error_goes_to_the_outbox_unretried(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    """No blind resend in the client: the outbox retries with backoff (and reconciles first when a
    failure may have come after the message landed)."""
    slack_api.script(
        "chat.postMessage", status=503, body={"ok": False, "error": "service_unavailable"}
    )
    with pytest.raises(TransientDeliveryError):
        await adapter.post_card(CHANNEL, make_card(), nonce="n")
    assert len(slack_api.calls_to("chat.postMessage")) == 1


async def test_unreachable_api_is_transient() -> None:
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url="http://127.0.0.1:9/api/"))
    with pytest.raises(TransientDeliveryError) as raised:
        await SlackAdapter(client, pacer=ChannelPacer(0)).post_text(CHANNEL, "x")
    assert raised.value.maybe_sent is False  # never connected: safe to resend


@pytest.mark.parametrize(
    "exc",
    [TimeoutError("read timed out"), aiohttp.ServerDisconnectedError(), ConnectionResetError()],
)
def test_timeouts_and_dropped_connections_may_have_posted(exc: Exception) -> None:
    error = delivery_error(exc, "chat.postMessage")
    assert isinstance(error, TransientDeliveryError) and error.maybe_sent is True


async def test_internal_error_may_have_posted(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    slack_api.script("chat.postMessage", body={"ok": False, "error": "fatal_error"})
    with pytest.raises(TransientDeliveryError) as raised:
        await adapter.post_card(CHANNEL, make_card(), nonce="n")
    assert raised.value.maybe_sent is True


async def test_post_text_cannot_ping(slack_api: FakeSlackAPI, adapter: SlackAdapter) -> None:
    await adapter.post_text(CHANNEL, "Feed <!channel> disabled @here")
    [call] = slack_api.calls_to("chat.postMessage")
    assert call["text"] == "Feed &lt;!channel&gt; disabled @\u200bhere"
    assert call["unfurl_links"] is False


async def test_post_text_treats_feed_parts_as_untrusted(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    await adapter.post_text(CHANNEL, "The feed *Breaking* <https://evil.test|bank> was disabled")
    [call] = slack_api.calls_to("chat.postMessage")
    shown = call["blocks"][0]["text"]["text"]
    assert "<https" not in shown and "&lt;https://evil.test|bank&gt;" in shown
    assert "*Breaking*" not in shown and "*Breaking*" not in call["text"]


async def test_post_text_is_verbatim_so_slack_links_nothing_itself(
    slack_api: FakeSlackAPI, adapter: SlackAdapter
) -> None:
    await adapter.post_text(CHANNEL, "Feed Office #general news https://x.example disabled")
    [call] = slack_api.calls_to("chat.postMessage")
    (block,) = call["blocks"]
    assert block["text"]["type"] == "mrkdwn" and block["text"]["verbatim"] is True


async def test_pacer_spaces_posts_per_channel() -> None:
    now = [100.0]
    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    pacer = ChannelPacer(1.0, clock=lambda: now[0], sleep=sleep)

    async def call() -> None:
        now[0] += 0.25  # each API call takes a quarter second

    await pacer.run("C1", call)
    await pacer.run("C2", call)  # another channel is not held up
    await pacer.run("C1", call)
    await pacer.run("C1", call)
    assert sleeps == [0.75, 1.0]
