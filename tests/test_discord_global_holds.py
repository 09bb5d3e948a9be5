"""Discord's global limit hit by one of our requests, asking a wait longer than discord.py would
sleep out (its `max_ratelimit_timeout`): discord.py's global lock stays open, as discord.py leaves
it when it raises instead of waiting, and the hold is ours: the bot's notices and reads of history
are refused at once as rate limited (a POST or LOOKUP hold, no outage, nothing maybe sent), not
left to sit on the lock until their time limit. A webhook channel's history is read by the bot,
so its lookup's rate limit is held on the bot's route, and checked there.

Real outbox and Discord adapters against the fake Discord REST API on 127.0.0.1."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST
from fakes.stories import add_story, channel_row
from test_discord_delivery import CHANNEL, card
from test_discord_garbled_posts import T0, World

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.delivery.adapter import RateLimitedDeliveryError
from bot.delivery.rate_limits import LOOKUP
from bot.store import deliveries as store

HISTORY = r"/channels/\d+/messages"
GLOBAL = {"message": "You are being rate limited.", "retry_after": 3600.0, "global": True}
GLOBAL_HEADERS = {
    "Via": "1.1 google",
    "Retry-After": "3600",
    "X-RateLimit-Global": "true",
    "X-RateLimit-Scope": "global",
}


async def test_a_long_global_429_refuses_notices_and_reads_at_once_without_the_lock(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    discord_client.http.max_ratelimit_timeout = 30.0
    bot = DiscordBotAdapter(discord_client, send_timeout=2.0)
    lock = discord_client.http._global_over
    discord_api.fail_next("POST", BOT_POST, 429, GLOBAL, headers=GLOBAL_HEADERS)
    with pytest.raises(RateLimitedDeliveryError):
        await bot.post_card(channel_row(CHANNEL), card(), nonce="g1")
    # discord.py raises rather than wait an hour: it never closes its lock for that long, and
    # a request of its own waits on the lock with no limit.
    assert lock.is_set()

    started = time.monotonic()
    with pytest.raises(RateLimitedDeliveryError) as notice:
        await bot.post_text(channel_row(CHANNEL), "a notice")
    with pytest.raises(RateLimitedDeliveryError) as read:
        await bot.find_posted(channel_row(CHANNEL), story_id="s1", nonce="n1")
    assert time.monotonic() - started < 1.0  # refused, not sat out
    for refused in (notice.value, read.value):
        assert 3590 < refused.retry_after <= 3600
        assert not refused.maybe_sent
    assert read.value.route == "discord"
    # Nothing went out after the 429: not the notice, not the read.
    assert [c.status for c in discord_api.calls("POST", BOT_POST)] == [429]
    assert not discord_api.calls("GET", HISTORY)


async def test_reconcile_under_a_long_global_limit_holds_lookups_no_outage(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    discord_client.http.max_ratelimit_timeout = 30.0
    world = World(discord_api, discord_client, session, "bot", send_timeout=0.5)
    discord_api.fail_next("POST", BOT_POST, 429, GLOBAL, headers=GLOBAL_HEADERS)
    await world.outbox.drain()  # s1's post meets the global limit
    # A row a crash left 'sending', looked for on the next drain.
    add_story(world.db, "s2", ["X", "Y"], now=T0)
    store.enqueue_story(world.db, "s2", world.channel.id, now=T0)
    [row] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert store.claim(world.db, row.id, T0) is not None
    world.now = T0 + timedelta(minutes=10)
    started = time.monotonic()
    await world.outbox.drain()
    assert time.monotonic() - started < 1.0
    [row] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert row.state == "sending"  # not resent unchecked
    assert not world.outbox.outages
    until = world.outbox.rate_limits.until("discord", LOOKUP, world.now)
    assert until is not None and until >= T0 + timedelta(seconds=3600)
    assert row.next_attempt_at == until
    assert not discord_api.calls("GET", HISTORY)


async def test_a_webhook_channels_rate_limited_lookup_is_held_on_the_bots_route(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    discord_client.http.max_ratelimit_timeout = 30.0
    world = World(discord_api, discord_client, session, "webhook", send_timeout=0.5)
    add_story(world.db, "s2", ["X", "Y"], now=T0)
    store.enqueue_story(world.db, "s2", world.channel.id, now=T0)
    [row] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert store.claim(world.db, row.id, T0) is not None
    body = {"message": "You are being rate limited.", "retry_after": 45.0, "global": False}
    headers = {"Via": "1.1 google", "Retry-After": "45"}
    discord_api.fail_next("GET", HISTORY, 429, body, headers=headers, times=5)
    world.now = T0 + timedelta(minutes=10)
    await world.outbox.drain()
    [row] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert row.state == "sending"  # not resent: no double post
    assert world.outbox.rate_limits.until("discord", LOOKUP, world.now) is not None
    assert world.outbox.rate_limits.until("discord-webhook", LOOKUP, world.now) is None


async def test_a_webhook_channels_check_waits_for_the_bots_lookup_hold(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "webhook")
    add_story(world.db, "s2", ["X", "Y"], now=T0)
    store.enqueue_story(world.db, "s2", world.channel.id, now=T0)
    [row] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert store.claim(world.db, row.id, T0) is not None
    # The bot's reads of history are rate limited (another channel's check met it).
    refused = RateLimitedDeliveryError("history: rate limited", retry_after=60)
    until = world.outbox.rate_limits.hold("discord", LOOKUP, refused, T0)
    await world.outbox.drain()
    [row] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert row.state == "sending" and row.next_attempt_at == until
    assert not discord_api.calls("GET", HISTORY)  # not asked: it would only refuse again
