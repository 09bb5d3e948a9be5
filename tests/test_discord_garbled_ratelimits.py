"""An ordinary Discord 429 (JSON with retry_after, a Via header) on a bot post is a rate limit,
not a hang: it was cut off by the bot's send timeout while discord.py slept it out, so the row sat
"sending", the bot's route was taken for down, and the channel was searched before the resend.
The bot's posts are now requests of its own (`bot.adapters.discord.rest`): any 429 comes back at
once as a rate limit with its wait, for the outbox to wait out.

Timings are scaled down: the send timeout and the client's max_ratelimit_timeout both stand for
SEND_TIMEOUT (30 s, also discord.py's smallest max_ratelimit_timeout)."""

from __future__ import annotations

from collections.abc import AsyncIterator
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
from bot.adapters.discord.webhook import DiscordWebhookAdapter, webhook_session
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
CHANNEL = 111111111111111111
POST = rf"/channels/{CHANNEL}/messages"
TIMEOUT = 0.5  # stands for SEND_TIMEOUT


@pytest.fixture
async def session() -> AsyncIterator[Any]:
    async with webhook_session() as session:
        yield session


@pytest.mark.parametrize(
    "retry_after", [TIMEOUT, 2 * TIMEOUT], ids=["slept-out", "longer-than-allowed"]
)
async def test_a_429_is_waited_out_not_taken_for_a_hang(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, retry_after: float
) -> None:
    # As DiscordBot builds it, scaled (discord.py will not take less than 30 s at construction).
    discord_client.http.max_ratelimit_timeout = TIMEOUT
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
    discord_api.rate_limit_next("POST", POST, retry_after=retry_after)
    await outbox.drain()
    assert store.in_state(db, "sending") == []
    now[0] += timedelta(seconds=5)
    await outbox.drain()
    [row] = store.in_state(db, "sent")
    assert row.attempts <= 2
    assert len(discord_api.channel_messages(CHANNEL)) == 1
    assert discord_api.calls("GET", POST) == []  # nothing was taken for maybe sent


async def test_the_bot_client_hands_long_rate_limits_back(discord_api: FakeDiscord) -> None:
    client = DiscordBot()
    try:
        assert client.http.max_ratelimit_timeout == SEND_TIMEOUT
    finally:
        await client.close()
