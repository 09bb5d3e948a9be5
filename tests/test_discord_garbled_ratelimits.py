"""An ordinary Discord 429 (JSON with retry_after, a Via header) on a bot post is a rate limit,
not a hang: it was cut off by the bot's send timeout while discord.py slept it out, so the row sat
"sending", the bot's route was taken for down, and the channel was searched before the resend.
The bot's posts are now requests of its own (`bot.adapters.discord.rest`): any 429 comes back at
once as a rate limit with its wait (its Retry-After, else its JSON's), for the outbox to wait out.

The send timeout is scaled down (it stands for SEND_TIMEOUT, 30 s)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.bot import DiscordBot
from bot.adapters.discord.errors import SEND_TIMEOUT
from bot.adapters.discord.routes import DiscordAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
CHANNEL = 111111111111111111
POST = rf"/channels/{CHANNEL}/messages"
TIMEOUT = 0.5  # stands for SEND_TIMEOUT


LIMITED = {"message": "You are being rate limited.", "retry_after": 2.5, "global": False}


@pytest.mark.parametrize(
    ("headers", "wait"),
    [({"Via": "1.1 google", "Retry-After": "3"}, 3), ({"Via": "1.1 google"}, 3)],
    ids=["retry-after", "json-only"],
)
async def test_a_429_is_waited_out_as_it_asks_not_taken_for_a_hang(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    headers: dict[str, str],
    wait: int,
) -> None:
    # Without a Retry-After, the wait is its JSON's retry_after (2.5 s, held to the second):
    # not the outbox's backoff of 30 s and more.
    db = open_database(":memory:")
    now = [T0]
    bot = DiscordBotAdapter(discord_client, send_timeout=TIMEOUT)
    outbox = Outbox(
        db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: now[0]
    )
    outbox.register(DiscordAdapter(bot=bot, webhooks=DiscordWebhookAdapter(session, bot=bot)))
    channel = add_channel(db, str(CHANNEL), platform="discord")
    add_story(db, "s1", ["A", "B"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0)
    discord_api.fail_next("POST", POST, 429, LIMITED, headers=headers)
    await outbox.drain()
    assert store.in_state(db, "sending") == []
    [row] = store.in_state(db, "pending")
    assert row.next_attempt_at == T0 + timedelta(seconds=wait)
    assert row.attempts == 0 and row.waits == 0
    now[0] += timedelta(seconds=wait)
    bot.rest._refills.clear()  # the bucket keeps the event loop's time: as after the wait
    await outbox.drain()
    [row] = store.in_state(db, "sent")
    assert len(discord_api.channel_messages(CHANNEL)) == 1
    assert discord_api.calls("GET", POST) == []  # nothing was taken for maybe sent


async def test_the_bot_client_hands_long_rate_limits_back(discord_api: FakeDiscord) -> None:
    client = DiscordBot()
    try:
        assert client.http.max_ratelimit_timeout == SEND_TIMEOUT
    finally:
        await client.close()
