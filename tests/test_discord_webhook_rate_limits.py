"""A webhook's 429 reaches the outbox at once, as the bot's does: discord.py slept it out (its
whole `retry_after`, and a spent bucket's reset after a post) inside the call the outbox's drain
waited on, holding every channel. A bucket's 429 puts off that row and the later posts to the
same place; Discord's global limit holds the webhooks' route; a spent bucket refuses the
webhook's next post here, before it is sent.

Real outbox and Discord adapters (webhook channels, with and without the bot) against the fake
Discord REST API on 127.0.0.1; assertions read what the fake recorded and the outbox's rows."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST, HOOK_POST
from fakes.stories import add_story, grow_story
from test_discord_garbled_posts import T0, World
from test_outbox_deferred_order import bucket_429

from bot.adapters.discord.errors import BOT_ROUTE, WEBHOOK_ROUTE
from bot.delivery.rate_limits import EDIT, POST
from bot.store import card_refreshes
from bot.store import channels as channel_store
from bot.store import deliveries as store

HOOK_EDIT = rf"{HOOK_POST}/messages/\d+"
# Far below any wait asked here: a drain that sleeps one out fails the test instead of hanging.
DRAIN_LIMIT = 5.0


async def drain(world: World) -> None:
    await asyncio.wait_for(world.outbox.drain(), DRAIN_LIMIT)


def instant_world(
    fake: FakeDiscord, client: discord.Client, session: Any, *, bot: bool = True
) -> World:
    """A webhook channel posting each card as it comes (no digest heading before them), with
    s2's card queued after s1's."""
    world = World(fake, client, session, "webhook", bot=bot)
    world.channel = channel_store.update_channel(world.db, world.channel.id, mode="instant")
    add_story(world.db, "s2", ["X", "Y"], now=T0)
    store.enqueue_story(world.db, "s2", world.channel.id, now=T0)
    return world


def posted_order(world: World) -> list[str]:
    """The cards by the id Discord gave them: the order they appeared in."""
    sent = [r for r in world.rows("story") if r.message_ref]
    return [r.story_id for r in sorted(sent, key=lambda r: int(r.message_ref or 0))]


def real_time_passed(world: World) -> None:
    """The webhooks' buckets keep the event loop's clock: as they stand once the wait passed."""
    assert world.adapter.webhooks is not None
    world.adapter.webhooks.rest._refills.clear()


def states(world: World) -> dict[str, str]:
    return {r.story_id: r.state for r in world.rows("story")}


def statuses(fake: FakeDiscord, method: str, path: str) -> list[int]:
    return [c.status for c in fake.calls(method, path)]


@pytest.mark.parametrize("bot", [True, False], ids=["with-bot", "no-bot"])
async def test_a_webhook_buckets_429_puts_off_the_card_and_the_later_ones_not_sleeping(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, bot: bool
) -> None:
    world = instant_world(discord_api, discord_client, session, bot=bot)
    body, headers = bucket_429("120")
    discord_api.fail_next("POST", HOOK_POST, 429, body, headers=headers)

    await drain(world)
    [s1] = [r for r in world.rows("story") if r.story_id == "s1"]
    assert s1.state == "pending" and s1.next_attempt_at == T0 + timedelta(seconds=120)
    assert s1.attempts == 0 and s1.waits == 0
    assert states(world) == {"s1": "pending", "s2": "pending"}  # s2 does not overtake it
    assert statuses(discord_api, "POST", HOOK_POST) == [429]
    assert world.outbox.rate_limits.active(world.now) == []  # the bucket's, not the route's
    assert not world.outbox.outages

    world.now = T0 + timedelta(seconds=119)
    await drain(world)
    assert statuses(discord_api, "POST", HOOK_POST) == [429]
    real_time_passed(world)
    world.now = T0 + timedelta(seconds=120)
    await drain(world)
    assert states(world) == {"s1": "sent", "s2": "sent"}
    assert posted_order(world) == ["s1", "s2"]
    assert statuses(discord_api, "POST", HOOK_POST) == [429, 200, 200]
    # Refused, so nothing to look for.
    assert not discord_api.calls("GET", r"/channels/\d+/messages")


async def test_a_webhook_global_429_holds_the_webhooks_route_not_the_bots(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "webhook")
    body = {"message": "You are being rate limited.", "retry_after": 60.0, "global": True}
    headers = {"Via": "1.1 google", "Retry-After": "60", "X-RateLimit-Global": "true"}
    discord_api.fail_next("POST", HOOK_POST, 429, body, headers=headers)

    await drain(world)
    [row] = world.rows("story")
    assert row.state == "pending" and row.attempts == 0
    assert row.next_attempt_at == T0 + timedelta(seconds=60)
    assert world.outbox.rate_limits.until(WEBHOOK_ROUTE, POST, world.now) == row.next_attempt_at
    assert world.outbox.rate_limits.until(BOT_ROUTE, POST, world.now) is None
    assert not world.outbox.outages

    world.now = T0 + timedelta(seconds=60)
    real_time_passed(world)
    await drain(world)
    assert [r.state for r in world.rows("story")] == ["sent"]
    assert statuses(discord_api, "POST", HOOK_POST) == [429, 200]
    assert not discord_api.calls("POST", BOT_POST)


async def test_a_spent_webhook_bucket_puts_off_the_next_post_before_it_is_sent(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = instant_world(discord_api, discord_client, session)
    # The card goes out, and its answer says the webhook's bucket is spent for 30 s: discord.py
    # slept the 30 s inside that post's call.
    discord_api.spend_bucket_next("POST", HOOK_POST, reset_after=30)

    await drain(world)
    assert states(world) == {"s1": "sent", "s2": "pending"}
    [s2] = [r for r in world.rows("story") if r.story_id == "s2"]
    assert s2.next_attempt_at == T0 + timedelta(seconds=30) and s2.attempts == 0
    assert statuses(discord_api, "POST", HOOK_POST) == [200]  # not sent into the limit

    real_time_passed(world)
    world.now = T0 + timedelta(seconds=30)
    await drain(world)
    assert states(world) == {"s1": "sent", "s2": "sent"}


async def test_a_429_to_a_webhook_cards_edit_puts_off_the_edit_not_sleeping(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "webhook")
    await drain(world)  # s1's card
    grow_story(world.db, "s1", ["C"], now=T0)
    card_refreshes.enqueue(world.db, "s1", world.channel.id, now=T0, not_before=None)
    body, headers = bucket_429("90")
    discord_api.fail_next("PATCH", HOOK_EDIT, 429, body, headers=headers)

    await drain(world)
    [edit] = [r for r in world.rows(card_refreshes.REFRESH)]
    assert edit.state == "pending" and edit.attempts == 0
    assert edit.next_attempt_at == T0 + timedelta(seconds=90)
    assert world.outbox.rate_limits.until(WEBHOOK_ROUTE, EDIT, world.now) is None
    assert statuses(discord_api, "PATCH", HOOK_EDIT) == [429]

    # The webhook's edits keep the wait by the event loop's clock, which has not moved: the edit
    # is refused before it is sent.
    world.now = T0 + timedelta(seconds=90)
    await drain(world)
    assert statuses(discord_api, "PATCH", HOOK_EDIT) == [429]
    real_time_passed(world)
    world.now = T0 + timedelta(seconds=180)
    await drain(world)
    assert [r.state for r in world.rows(card_refreshes.REFRESH)] == ["sent"]
    assert statuses(discord_api, "PATCH", HOOK_EDIT) == [429, 200]
