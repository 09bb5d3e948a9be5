"""A notice put off for its channel's own rate limit (a Discord bucket's 429) holds the cards
queued after it (`bot.store.alerts.hold_cards`); when the channel then refuses the notice for
good (403 Missing Permissions, 404 Unknown Webhook), the channel is paused and the notice keeps
its hold (once dropped, the cards overtook it at the resume). Neither the notice nor the held
cards are lost: they wait for the resume, and go out then in the order they were queued, the
notice first. The operator reads one line saying
why the channel paused.

Real outbox and Discord adapters against the fake Discord REST API on 127.0.0.1 and a real
SQLite file; assertions read the order the fake gave the messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST, CHANNEL, HOOK_POST, WEBHOOK_URL
from fakes.stories import add_channel, add_story, make_card_source
from test_discord_garbled_posts import T0, World
from test_outbox_deferred_order import bucket_429

from bot.adapters.discord.webhook import webhook_session
from bot.commands.pause import resume_channel
from bot.store import alerts as alert_store
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.database import open_database


@pytest.fixture
async def session() -> AsyncIterator[Any]:
    async with webhook_session() as session:
        yield session


def channel_order(fake: FakeDiscord) -> list[str]:
    return [m["content"] or "card" for m in fake.channel_messages(CHANNEL)]


async def drain(world: World) -> None:
    await asyncio.wait_for(world.outbox.drain(), 5.0)


REFUSALS = {
    "bot": (403, {"message": "Missing Permissions", "code": 50013}),
    "webhook": (404, {"message": "Unknown Webhook", "code": 10015}),
}


@pytest.mark.parametrize("route", ["bot", "webhook"])
async def test_a_held_notice_the_channel_refuses_keeps_its_place_before_the_held_cards(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    tmp_path: Path,
    route: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = World(discord_api, discord_client, session, route)
    world.db = world.outbox.db = open_database(tmp_path / "newsdigest.db")
    world.outbox.card_source = make_card_source(world.db, T0)
    world.channel = add_channel(world.db, str(CHANNEL), platform="discord", mode="instant")
    if route == "webhook":
        world.channel = channel_store.update_channel(
            world.db, world.channel.id, webhook_url=WEBHOOK_URL
        )
    path = HOOK_POST if route == "webhook" else BOT_POST
    alert_store.enqueue_alert(world.db, world.channel.id, "feed-off", "Feed A off", now=T0)
    body, headers = bucket_429("60")
    discord_api.fail_next("POST", path, 429, body, headers=headers)
    await drain(world)  # put off for the channel's bucket: it holds the cards queued after it
    assert world.adapter.bot is not None
    world.adapter.bot.rest._refills.clear()
    if world.adapter.webhooks is not None:
        world.adapter.webhooks.rest._refills.clear()
    world.now = T0 + timedelta(seconds=2)
    for story in ("s2", "s3"):
        add_story(world.db, story, ["X", "Y"], now=world.now)
        store.enqueue_story(world.db, story, world.channel.id, now=world.now)

    # Its put-off over, the notice goes first and the channel refuses it for good.
    status, refusal = REFUSALS[route]
    discord_api.fail_next("POST", path, status, refusal)
    world.now = T0 + timedelta(seconds=61)
    with caplog.at_level(logging.INFO):
        await drain(world)
    assert channel_order(discord_api) == []  # no card slipped out ahead of the notice
    channel = channel_store.get_channel_by_pk(world.db, world.channel.id)
    assert channel is not None and channel.paused_reason
    [(state, holds)] = world.db.execute("SELECT state, holds_cards FROM alerts").fetchall()
    assert (state, holds) == ("pending", 1)
    assert [r.state for r in world.rows("story")] == ["pending", "pending"]
    said = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(said) == 1, [r.getMessage() for r in said]
    assert said[0].getMessage().startswith(f"pausing channel {channel.key}")

    # Fixed and resumed: the notice, then the cards, as they were queued; none lost.
    world.now = T0 + timedelta(minutes=5)
    resume_channel(world.db, channel, now=world.now)
    await drain(world)
    assert channel_order(discord_api) == ["Feed A off", "card", "card"]
    states = world.db.execute("SELECT state FROM alerts").fetchall()
    assert states == [("sent",)]
    assert [r.state for r in world.rows("story")] == ["sent", "sent"]
