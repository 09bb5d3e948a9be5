"""An update whose reply was put off after its thread was started (a bucket's 429 on the reply)
goes straight into that thread when retried: starting it again cost a request Discord refuses
(400, "A thread has already been created for this message", 160004) just after a rate limit.

Real SQLite file and outbox, the Discord adapters (bot and webhook routes) against the fake
Discord REST API on 127.0.0.1; assertions read the requests the fake recorded."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import CHANNEL, HOOK_POST
from fakes.stories import add_story, grow_story
from test_digest_notices_after_cards import TUESDAY, DiscordDigest
from test_discord_first_reply_thread import _requests
from test_discord_garbled_posts import ROUTES
from test_outbox_deferred_order import bucket_429

from bot.runner import update_planner
from bot.store import channels as channel_store
from bot.store import deliveries as store

# A post in a thread (a channel of its own, the card's id) by the bot.
THREAD_POST = rf"/channels/(?!{CHANNEL}/)\d+/messages"


@ROUTES
async def test_a_reply_put_off_after_its_thread_started_goes_straight_into_it(
    tmp_path: Path,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    route: str,
) -> None:
    world = DiscordDigest(tmp_path, discord_api, discord_client, session, route)
    world.now = TUESDAY
    world.channel = channel_store.update_channel(world.db, world.channel.id, mode="instant")
    add_story(world.db, "s1", ["A", "B"], now=TUESDAY)
    store.enqueue_story(world.db, "s1", world.channel.id, now=TUESDAY)
    await world.outbox.drain()
    grow_story(world.db, "s1", ["C"], now=TUESDAY)
    assert update_planner.enqueue_updates(world.db, {"s1"}, now=TUESDAY, interval=timedelta(0))
    body, headers = bucket_429("30")
    reply = HOOK_POST if route == "webhook" else THREAD_POST
    discord_api.fail_next("POST", reply, 429, body, headers=headers)
    start = len(discord_api.requests)

    await world.outbox.drain()
    assert _requests(discord_api, start) == [("POST", "thread", 201), ("POST", "reply", 429)]

    start = len(discord_api.requests)
    world.real_time_passed()
    world.now = TUESDAY + timedelta(seconds=30)
    await world.outbox.drain()
    assert _requests(discord_api, start) == [("POST", "reply", 200)]
    [update] = [r for r in store.in_state(world.db, "sent") if r.kind == "update"]
    assert update.story_id == "s1"
    world.db.close()
