"""A bot request Discord never answers must not hold the outbox: discord.py's session waits up to
five minutes, holding the channel's drain (every channel's, Slack's too, while the outbox drained
them under one lock: `test_outbox_hung_channel`). The bot's sends
give up after `SEND_TIMEOUT`, taken as "maybe sent": looked for before resending, no attempt used,
and the other channels' posts go out meanwhile.

Real outbox and Discord adapter against the fake REST API, which holds the answer back."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST, CHANNEL
from fakes.stories import add_channel, add_story
from test_discord_garbled_posts import T0, World, assert_no_errors

from bot.store import deliveries as store

OTHER = 444444444444444444
# Well past the adapter's timeout here, well inside discord.py's own five minutes.
HANG = 30.0
TIMEOUT = 0.2


@pytest.mark.parametrize("landed", [True, False], ids=["landed", "lost"])
async def test_a_hung_post_gives_up_in_time_and_the_card_goes_out_once(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
    landed: bool,
) -> None:
    caplog.set_level(logging.INFO)
    world = World(discord_api, discord_client, session, "bot", send_timeout=TIMEOUT)
    discord_api.hang_next("POST", BOT_POST, HANG, landed=landed)
    await asyncio.wait_for(world.drain_hours(3), HANG / 3)
    [card] = world.cards()
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == card["id"]
    assert row.attempts == (0 if landed else 1)
    assert discord_api.calls("GET", rf"/channels/{CHANNEL}/messages")  # looked before resending
    assert_no_errors(caplog)


async def test_another_channel_posts_while_a_bot_post_hangs(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot", send_timeout=TIMEOUT)
    other = add_channel(world.db, str(OTHER), platform="discord")
    add_story(world.db, "s2", ["A", "B"], now=T0)
    store.enqueue_story(world.db, "s2", other.id, now=T0)
    discord_api.hang_next("POST", BOT_POST, HANG)
    await asyncio.wait_for(world.outbox.drain(), HANG / 3)
    assert len(discord_api.channel_messages(OTHER)) == 1
    assert world.cards() == []
    [row] = [r for r in world.rows("story") if r.channel_pk == world.channel.id]
    assert row.state != "sent" and row.attempts == 0
