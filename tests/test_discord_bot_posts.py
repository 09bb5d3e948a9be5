"""The bot's cards, thread starts and thread replies are requests of our own
(`bot.adapters.discord.rest`), not discord.py's: discord.py tried a 500, 502 or 504 five times over
some 25 s inside the one call, holding the outbox's drain (every channel's), and slept a 429 out
inside it. Now the first 5xx reaches the outbox, which looks in the channel and sends again with
the same nonce; a 429 is waited out by the outbox, as its Retry-After asks. The JSON sent is the
JSON discord.py sent.

Real outbox and Discord adapter against the fake Discord REST API on 127.0.0.1; every assertion
counts or reads what the fake recorded, or the outbox's rows. None times anything."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST
from fakes.stories import channel_row
from test_discord_delivery import CHANNEL, card
from test_discord_garbled_posts import T0, World

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.embeds import card_embeds
from bot.delivery.adapter import (
    DeferredDeliveryError,
    PostedMessage,
    TransientDeliveryError,
)

SERVER_ERROR = {"message": "Internal Server Error", "code": 0}
THREADS = r"/channels/\d+/messages/\d+/threads"
HISTORY = rf"/channels/{CHANNEL}/messages"
# More than discord.py's five tries: a hidden retry would meet another 5xx, not a success.
MANY = 9
NO_MENTIONS = {"parse": []}


def statuses(fake: FakeDiscord, path: str) -> list[int]:
    return [c.status for c in fake.calls("POST", path)]


def nonces(fake: FakeDiscord, path: str) -> list[str]:
    return [c.body["nonce"] for c in fake.calls("POST", path)]


# --- a 5xx reaches the outbox at its first answer -------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_a_5xx_on_a_post_is_raised_at_once_as_maybe_sent(
    discord_api: FakeDiscord, discord_client: discord.Client, status: int
) -> None:
    discord_api.fail_next("POST", BOT_POST, status, SERVER_ERROR, times=MANY)
    with pytest.raises(TransientDeliveryError) as raised:
        await DiscordBotAdapter(discord_client).post_card(channel_row(CHANNEL), card(), nonce="p1")
    assert raised.value.maybe_sent and not raised.value.rate_limited
    assert statuses(discord_api, BOT_POST) == [status]  # no retry hidden inside the call


@pytest.mark.parametrize("landed", [False, True], ids=["lost", "landed"])
async def test_a_post_answered_5xx_is_looked_for_then_sent_once_with_its_nonce(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, landed: bool
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    discord_api.fail_next("POST", BOT_POST, 500, SERVER_ERROR, times=MANY, landed=landed)
    await world.outbox.drain()
    assert statuses(discord_api, BOT_POST) == [500]  # the attempt: one request
    [row] = world.rows("story")
    assert row.state == "sending" and row.attempts == 0  # to be looked for, no attempt used

    discord_api.heal()
    await world.drain_hours(2)
    assert discord_api.calls("GET", HISTORY)  # looked in the channel before any resend
    [card_message] = world.cards()
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == card_message["id"]
    # Sent again only if it had not landed, and then once, with the first try's nonce.
    assert statuses(discord_api, BOT_POST) == ([500] if landed else [500, 200])
    assert set(nonces(discord_api, BOT_POST)) == {row.nonce}


async def test_a_thread_reply_answered_5xx_reaches_the_outbox_and_goes_out_once(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    await world.outbox.drain()
    [card_message] = world.cards()
    reply = rf"/channels/{card_message['id']}/messages"
    await world.grow()
    discord_api.fail_next("POST", reply, 502, SERVER_ERROR, times=MANY)
    await world.outbox.drain()
    assert statuses(discord_api, THREADS) == [201]
    assert statuses(discord_api, reply) == [502]
    [update] = world.rows("update")
    assert update.state == "sending"

    discord_api.heal()
    await world.drain_hours(2)
    assert statuses(discord_api, reply) == [502, 200]
    assert set(nonces(discord_api, reply)) == {update.nonce}
    assert len(world.updates()) == 1
    assert world.rows("update")[0].state == "sent"


async def test_a_thread_start_answered_5xx_reaches_the_outbox_and_the_thread_is_reused(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    await world.outbox.drain()
    await world.grow()
    # The thread was started, but the answer lost: the next try is told it exists (160004).
    discord_api.fail_next("POST", THREADS, 500, SERVER_ERROR, landed=True)
    await world.outbox.drain()
    assert statuses(discord_api, THREADS) == [500]
    assert world.updates() == []

    await world.drain_hours(2)
    # Whether the next try starts the thread first or replies first, no second thread.
    assert statuses(discord_api, THREADS)[0] == 500
    assert set(statuses(discord_api, THREADS)[1:]) <= {400}
    [update] = world.updates()
    [card_message] = world.cards()
    assert update["channel_id"] == card_message["id"]  # in the story's thread
    assert world.rows("update")[0].state == "sent"


@pytest.mark.parametrize("request_path", ["thread", "reply"])
async def test_a_hung_thread_start_or_reply_gives_up_after_the_send_timeout(
    discord_api: FakeDiscord, discord_client: discord.Client, request_path: str
) -> None:
    bot = DiscordBotAdapter(discord_client, send_timeout=0.2)
    posted = await bot.post_card(channel_row(CHANNEL), card(3), nonce="h1")
    path = THREADS if request_path == "thread" else rf"/channels/{posted.message_ref}/messages"
    discord_api.hang_next("POST", path, 30.0)
    first = PostedMessage(posted.message_ref, replied=False)
    with pytest.raises(TransientDeliveryError) as raised:
        await bot.post_update(channel_row(CHANNEL), first, card(4), new_outlets=[], nonce="h2")
    assert raised.value.maybe_sent  # looked for before it is sent again
    assert "no answer from Discord within 0.2 s" in str(raised.value)


# --- a 429 is the outbox's to wait out ------------------------------------------------------------


async def test_a_429_on_a_post_sets_the_rows_next_attempt_to_its_retry_after(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    body = {"message": "You are being rate limited.", "retry_after": 6.5, "global": False}
    headers = {"Via": "1.1 google", "Retry-After": "7", "X-RateLimit-Remaining": "0"}
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers)
    await world.outbox.drain()
    [row] = world.rows("story")
    assert row.state == "pending" and row.attempts == 0
    assert row.next_attempt_at == T0 + timedelta(seconds=7)
    assert statuses(discord_api, BOT_POST) == [429]  # not slept out and sent again in the call

    world.now = T0 + timedelta(seconds=6)
    await world.outbox.drain()
    assert statuses(discord_api, BOT_POST) == [429]  # not before its Retry-After
    world.now = T0 + timedelta(seconds=7)
    # The bot's bucket keeps the event loop's time, not the test's: as once 7 s really passed.
    assert world.adapter.bot is not None
    world.adapter.bot.rest._refills.clear()
    await world.outbox.drain()
    assert statuses(discord_api, BOT_POST) == [429, 200]
    assert len(set(nonces(discord_api, BOT_POST))) == 1
    assert not discord_api.calls("GET", HISTORY)  # a 429 took nothing: nothing to look for
    assert world.rows("story")[0].state == "sent"


async def test_a_429_on_a_thread_reply_is_raised_with_its_wait(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    bot = DiscordBotAdapter(discord_client)
    posted = await bot.post_card(channel_row(CHANNEL), card(3), nonce="p2")
    reply = rf"/channels/{posted.message_ref}/messages"
    discord_api.rate_limit_next("POST", reply, retry_after=0.05)
    with pytest.raises(DeferredDeliveryError) as raised:  # the thread's bucket: the row waits
        await bot.post_update(
            channel_row(CHANNEL),
            PostedMessage(posted.message_ref),
            card(4),
            new_outlets=[],
            nonce="u2",
        )
    assert raised.value.retry_after == 1.0
    assert statuses(discord_api, reply) == [429]


# --- the JSON is discord.py's ---------------------------------------------------------------------


async def test_the_bot_sends_the_json_discord_py_sent(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    bot = DiscordBotAdapter(discord_client)
    story = card(3, topics=["harbor"], follow_topics=["coast"])
    posted = await bot.post_card(channel_row(CHANNEL), story, nonce="j1")
    first = PostedMessage(posted.message_ref, replied=False)
    await bot.post_update(
        channel_row(CHANNEL), first, card(4), new_outlets=["Outlet 3"], nonce="j2"
    )
    [post, reply] = discord_api.calls("POST", r"/channels/\d+/messages")
    buttons = [
        {"type": 2, "style": 1, "label": "Full breakdown", "custom_id": "nd:full:lighthouse-grant"},
        {
            "type": 2,
            "style": 2,
            "label": "Follow coast",
            "custom_id": "nd:follow:coast:a1b2c3d4e5f6",
        },
        {"type": 2, "style": 2, "label": "Mute story", "custom_id": "nd:mute:a1b2c3d4e5f6"},
    ]
    assert post.body == {
        "embeds": [e.to_dict() for e in card_embeds(story)],
        "components": [
            {"type": 1, "components": [{**b, "disabled": False} for b in buttons]},
        ],
        "content": None,
        "nonce": "j1",
        "enforce_nonce": True,
        "tts": False,
        "allowed_mentions": NO_MENTIONS,
    }
    [thread] = discord_api.calls("POST", THREADS)
    assert thread.body == {
        "name": "Coastal towns win lighthouse grant",
        "auto_archive_duration": 1440,
        "rate_limit_per_user": None,
    }
    assert reply.path == f"/channels/{posted.message_ref}/messages"
    assert {k: v for k, v in reply.body.items() if k != "embeds"} == {
        "components": [],
        "content": None,
        "nonce": "j2",
        "enforce_nonce": True,
        "tts": False,
        "allowed_mentions": NO_MENTIONS,
    }
    assert [e["title"] for e in reply.body["embeds"]] == [
        "Update: Coastal towns win lighthouse grant"
    ]
