"""A 429 of Discord's own (its JSON, a `Via`) refuses for the wait it asks, with no outage in
/healthz. A bucket's (not the global limit) puts off only the row that met it, using no attempt
and no wait of its own, while every other channel's posts and edits go on; the bot's own buckets
keep it, so the channel's next request in it is refused here, not sent into the limit. Discord's
global limit (the bot's, over every route) holds the bot's posts (or edits) until its wait, and a
wait discord.py would sleep out closes discord.py's global lock for it, which our requests wait
for too. A webhook channel's thread, started by the bot, is the bot's request.

Real outbox and Discord adapters against the fake Discord REST API on 127.0.0.1; assertions read
what the fake recorded, the outbox's rows, outages and holds."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST
from fakes.stories import add_channel, add_story, channel_row, grow_story
from test_discord_delivery import CHANNEL, card
from test_discord_garbled_posts import T0, World

from bot.adapters.discord import rest
from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.delivery.adapter import DeferredDeliveryError, RateLimitedDeliveryError
from bot.store import card_refreshes
from bot.store import deliveries as store

OTHER = 333333333333333333
OTHER_POST = rf"/channels/{OTHER}/messages"
ANY_POST = r"/channels/\d+/messages"
THREADS = r"/channels/\d+/messages/\d+/threads"
EDITS = r"/channels/\d+/messages/\d+"
LIMITED = {"message": "You are being rate limited.", "retry_after": 119.5, "global": False}


def limited(retry_after: str | None) -> dict[str, str]:
    """The headers of Discord's own 429 (a `Via`), with its Retry-After if any."""
    headers = {"Via": "1.1 google", "X-RateLimit-Scope": "user"}
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    return headers


def real_time_passed(world: World) -> None:
    """The outbox's clock is the test's, but the bot's buckets keep the event loop's: as they
    stand once the wait they were told has really passed."""
    assert world.adapter.bot is not None
    world.adapter.bot.rest._refills.clear()


def statuses(fake: FakeDiscord, method: str, path: str) -> list[int]:
    return [c.status for c in fake.calls(method, path)]


async def test_a_buckets_429_puts_off_its_row_only_and_is_no_outage(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    await world.outbox.drain()  # s1's card is posted in CHANNEL
    # The story grew: its card's edit is queued; another bot channel has a card to post, and
    # so does CHANNEL, whose post is sent after it.
    grow_story(world.db, "s1", ["C"], now=T0)
    card_refreshes.enqueue(world.db, "s1", world.channel.id, now=T0, not_before=None)
    other = add_channel(world.db, str(OTHER), platform="discord")
    add_story(world.db, "s2", ["X", "Y"], now=T0)
    store.enqueue_story(world.db, "s2", other.id, now=T0)
    add_story(world.db, "s3", ["P", "Q"], now=T0)
    store.enqueue_story(world.db, "s3", world.channel.id, now=T0)
    discord_api.fail_next("POST", OTHER_POST, 429, LIMITED, headers=limited("120"))

    await world.outbox.drain()
    [row] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert row.state == "pending" and row.next_attempt_at == T0 + timedelta(seconds=120)
    assert row.attempts == 0 and row.waits == 0
    assert statuses(discord_api, "PATCH", EDITS) == [200]  # the edit went on
    # Another channel's bucket is its own: its post went on too, nothing held on the route.
    [row] = [r for r in world.rows("story") if r.story_id == "s3"]
    assert row.state == "sent"
    assert world.outbox.rate_limits.active(world.now) == []
    assert not world.outbox.outages  # asked to slow down: no outage
    assert world.outbox.outages.reported() == {}

    world.now = T0 + timedelta(seconds=119)
    await world.outbox.drain()
    assert statuses(discord_api, "POST", OTHER_POST) == [429]  # not before its Retry-After
    real_time_passed(world)
    world.now = T0 + timedelta(seconds=120)
    await world.outbox.drain()
    assert statuses(discord_api, "POST", OTHER_POST) == [429, 200]
    assert not discord_api.calls("GET", OTHER_POST)  # refused, so nothing to look for


async def test_a_second_429_waits_its_retry_after_not_the_rows_own_backoff(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    body = {"message": "You are being rate limited.", "retry_after": 1.5, "global": False}
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=limited("2"), times=2)
    await world.outbox.drain()
    for _ in range(2):
        world.now += timedelta(seconds=2)
        real_time_passed(world)
        await world.outbox.drain()
        [row] = world.rows("story")
        if row.state == "sent":
            break
        # A route's rate limit, not the row's trouble: 2 s again, not a growing backoff.
        assert row.next_attempt_at == world.now + timedelta(seconds=2) and row.waits == 0
    assert statuses(discord_api, "POST", BOT_POST) == [429, 429, 200]
    assert not world.outbox.outages


async def test_a_429_is_kept_for_its_channels_bucket(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    bot = DiscordBotAdapter(discord_client)
    discord_api.fail_next("POST", BOT_POST, 429, LIMITED, headers=limited("600"), times=5)
    with pytest.raises(DeferredDeliveryError) as raised:
        await bot.post_card(channel_row(CHANNEL), card(), nonce="k1")
    assert raised.value.retry_after == 600.0
    # The channel's next post would be refused as well: refused here, nothing sent.
    with pytest.raises(DeferredDeliveryError) as raised:
        await bot.post_card(channel_row(CHANNEL), card(), nonce="k2")
    assert 590 < raised.value.retry_after <= 600
    assert statuses(discord_api, "POST", BOT_POST) == [429]
    # Another channel's bucket is its own.
    await bot.post_card(channel_row(OTHER), card(), nonce="k3")
    assert statuses(discord_api, "POST", OTHER_POST) == [200]


async def test_a_global_429_closes_discord_pys_global_lock_for_its_wait(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    bot = DiscordBotAdapter(discord_client)
    lock = discord_client.http._global_over
    body = {"message": "You are being rate limited.", "retry_after": 0.3, "global": True}
    headers = {"Via": "1.1 google", "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers)
    with pytest.raises(RateLimitedDeliveryError) as raised:
        await bot.post_card(channel_row(CHANNEL), card(), nonce="g1")
    assert raised.value.retry_after == 0.3
    # discord.py's own requests (notices, history) wait for it, as after its own global 429.
    assert not lock.is_set()
    # Ours too: another channel's post waits the lock out in the call, then goes.
    await bot.post_card(channel_row(OTHER), card(), nonce="g2")
    assert lock.is_set()
    assert statuses(discord_api, "POST", OTHER_POST) == [200]


async def test_a_post_waits_for_discord_pys_global_lock_and_is_refused_if_it_stays_closed(
    discord_api: FakeDiscord, discord_client: discord.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rest, "BUCKET_WAIT", 0.2)
    bot = DiscordBotAdapter(discord_client)
    lock = discord_client.http._global_over
    lock.clear()  # discord.py met the global limit, for a wait it keeps to itself
    try:
        with pytest.raises(RateLimitedDeliveryError):
            await bot.post_card(channel_row(CHANNEL), card(), nonce="w1")
        assert discord_api.calls("POST", BOT_POST) == []  # nothing sent into the limit
        asyncio.get_running_loop().call_later(0.1, lock.set)
        await bot.post_card(channel_row(CHANNEL), card(), nonce="w2")
        assert statuses(discord_api, "POST", BOT_POST) == [200]
    finally:
        lock.set()


@pytest.mark.parametrize("status", [429, 500])
async def test_a_webhook_channels_thread_start_fails_on_the_bots_route(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, status: int
) -> None:
    world = World(discord_api, discord_client, session, "webhook")
    await world.outbox.drain()  # the card, through the webhook
    await world.grow()
    if status == 429:
        discord_api.fail_next("POST", THREADS, 429, LIMITED, headers=limited("60"))
    else:
        discord_api.fail_next("POST", THREADS, 500, {"message": "Server Error", "code": 0})
    await world.outbox.drain()
    assert statuses(discord_api, "POST", THREADS) == [status]
    assert "discord-webhook" not in world.outbox.outages  # the webhooks are fine
    assert world.outbox.rate_limits.until("discord-webhook", "post", world.now) is None
    if status == 429:
        # The thread's bucket: the row waits, no route is held or down.
        assert world.outbox.rate_limits.active(world.now) == []
        assert not world.outbox.outages
        [row] = world.rows("update")
        assert row.next_attempt_at == world.now + timedelta(seconds=60)
    else:
        assert "discord" in world.outbox.outages


async def test_a_global_429_holds_every_bot_channels_posts_not_the_webhooks(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    discord_client.http.max_ratelimit_timeout = 30.0
    world = World(discord_api, discord_client, session, "bot")
    body = {"message": "You are being rate limited.", "retry_after": 90.0, "global": True}
    headers = {**limited("90"), "X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers)
    await world.outbox.drain()
    # The bot's limit over every channel: another channel's post waits without a request.
    other = add_channel(world.db, str(OTHER), platform="discord")
    add_story(world.db, "s2", ["X", "Y"], now=T0)
    store.enqueue_story(world.db, "s2", other.id, now=T0)
    world.now = T0 + timedelta(seconds=10)
    await world.outbox.drain()
    assert world.outbox.rate_limits.until("discord", "post", world.now) == T0 + timedelta(
        seconds=90
    )
    assert world.outbox.rate_limits.until("discord-webhook", "post", world.now) is None
    for row in world.rows("story"):
        assert row.state == "pending" and row.next_attempt_at == T0 + timedelta(seconds=90)
        assert row.attempts == 0
    assert statuses(discord_api, "POST", ANY_POST) == [429]
    assert not world.outbox.outages
