"""A notice put off for its channel's own rate limit (a Discord bucket's 429) holds the channel's
posts queued after it, as a card put off holds the cards after it: cards and notices queued
after it wait for it and go out after it, not before. Cards queued before it are not held.

Real outbox and Discord adapters (the bot, and a channel's webhook) against the fake Discord REST
API on 127.0.0.1 and a real SQLite file; assertions read the order the fake gave the messages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
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

from bot.store import alerts as alert_store
from bot.store import deliveries as store
from bot.store.database import open_database


@pytest.fixture
def file_world(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, tmp_path: Path
) -> Callable[[str], World]:
    """A world posting by `route` to an instant channel (through its webhook for "webhook"),
    on a real SQLite file, not the world's own database in memory."""

    def make(route: str) -> World:
        world = World(discord_api, discord_client, session, route)
        world.db = world.outbox.db = open_database(tmp_path / "newsdigest.db")
        world.outbox.card_source = make_card_source(world.db, T0)
        world.channel = add_channel(
            world.db,
            str(CHANNEL),
            platform="discord",
            mode="instant",
            webhook_url=WEBHOOK_URL if route == "webhook" else None,
        )
        return world

    return make


def post_path(route: str) -> str:
    """The path a route posts a message to."""
    return HOOK_POST if route == "webhook" else BOT_POST


def real_time_passed(world: World) -> None:
    """Both routes keep their buckets by the event loop's clock: as they stand once it passed."""
    assert world.adapter.bot is not None and world.adapter.webhooks is not None
    world.adapter.bot.rest._refills.clear()
    world.adapter.webhooks.rest._refills.clear()


def channel_order(fake: FakeDiscord) -> list[str]:
    """The channel's messages as Discord ordered them: a notice by its text, a card as "card"."""
    return [m["content"] or "card" for m in fake.channel_messages(CHANNEL)]


async def drain(world: World) -> None:
    # Far below the 60 s asked: a drain that sleeps it out fails rather than hangs.
    await asyncio.wait_for(world.outbox.drain(), 5.0)


@pytest.mark.parametrize("route", ["bot", "webhook"])
async def test_a_notice_put_off_by_a_buckets_429_is_not_overtaken_by_later_posts(
    discord_api: FakeDiscord, file_world: Callable[[str], World], route: str
) -> None:
    world = file_world(route)
    add_story(world.db, "s1", ["A", "B"], now=T0)
    store.enqueue_story(world.db, "s1", world.channel.id, now=T0)
    await drain(world)  # s1's card, queued before the notice
    path = post_path(route)

    alert_store.enqueue_alert(world.db, world.channel.id, "feed-off", "Feed A off", now=T0)
    world.now = T0 + timedelta(seconds=1)
    body, headers = bucket_429("60")
    discord_api.fail_next("POST", path, 429, body, headers=headers)
    await drain(world)  # the notice meets the channel's bucket: put off for 60 s
    assert channel_order(discord_api) == ["card"]
    # As after a restart: the buckets kept in memory are gone, the notice's wait is stored.
    real_time_passed(world)

    # Queued after it: a card and another notice.
    world.now = T0 + timedelta(seconds=2)
    add_story(world.db, "s2", ["X", "Y"], now=world.now)
    store.enqueue_story(world.db, "s2", world.channel.id, now=world.now)
    alert_store.enqueue_alert(world.db, world.channel.id, "feed-off-2", "Feed B off", now=world.now)
    for seconds in (3, 30):
        world.now = T0 + timedelta(seconds=seconds)
        await drain(world)
        assert channel_order(discord_api) == ["card"]  # neither overtakes the notice
    [s2] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert s2.state == "pending" and s2.attempts == 0

    world.now = T0 + timedelta(seconds=61)
    await drain(world)
    assert channel_order(discord_api) == ["card", "Feed A off", "card", "Feed B off"]
    states = world.db.execute("SELECT state FROM alerts ORDER BY id").fetchall()
    assert [s for (s,) in states] == ["sent", "sent"]


async def test_an_older_notice_is_not_held_behind_a_newer_one_put_off(
    discord_api: FakeDiscord, file_world: Callable[[str], World]
) -> None:
    world = file_world("bot")
    alert_store.enqueue_alert(world.db, world.channel.id, "feed-off", "Feed A off", now=T0)
    alert_store.enqueue_alert(world.db, world.channel.id, "feed-off-2", "Feed B off", now=T0)
    # The first fails on its own (a 503 that created nothing), the second meets a bucket's 429.
    discord_api.fail_next("POST", BOT_POST, 503, {"message": "Service Unavailable", "code": 0})
    body, headers = bucket_429("600")
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers)
    await drain(world)
    assert channel_order(discord_api) == []
    real_time_passed(world)

    world.now = T0 + timedelta(minutes=2)  # past the first one's own backoff
    await drain(world)
    assert channel_order(discord_api) == ["Feed A off"]  # not held behind the later one
    world.now = T0 + timedelta(minutes=11)
    await drain(world)
    assert channel_order(discord_api) == ["Feed A off", "Feed B off"]


@pytest.mark.parametrize("route", ["bot", "webhook"])
async def test_a_put_off_notice_failing_on_its_own_afterwards_no_longer_holds_the_cards(
    discord_api: FakeDiscord, file_world: Callable[[str], World], route: str
) -> None:
    world = file_world(route)
    path = post_path(route)
    alert_store.enqueue_alert(world.db, world.channel.id, "feed-off", "Feed A off", now=T0)
    body, headers = bucket_429("60")
    discord_api.fail_next("POST", path, 429, body, headers=headers)
    await drain(world)  # put off for the channel's bucket: it holds the cards queued after it
    real_time_passed(world)
    world.now = T0 + timedelta(seconds=2)
    add_story(world.db, "s2", ["X", "Y"], now=world.now)
    store.enqueue_story(world.db, "s2", world.channel.id, now=world.now)

    # Its put-off over, the notice goes first and fails on its own (a 503 that created
    # nothing): it waits on its own backoff now, and the card queued after it goes on.
    discord_api.fail_next("POST", path, 503, {"message": "Service Unavailable", "code": 0})
    world.now = T0 + timedelta(seconds=61)
    await drain(world)
    assert channel_order(discord_api) == ["card"]
    [s2] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert s2.state == "sent"
    [(state, holds)] = world.db.execute("SELECT state, holds_cards FROM alerts").fetchall()
    assert (state, holds) == ("pending", 0)

    world.now = T0 + timedelta(hours=1)  # past its own backoff
    await drain(world)
    assert channel_order(discord_api) == ["card", "Feed A off"]
