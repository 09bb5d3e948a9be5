"""A post put off for a Discord bucket's 429 holds only the later posts to the same place: a
card the channel's later cards, an update its story's later updates. A story's thread is a
channel of its own on Discord, with its own bucket (and slowmode): its 429 says nothing of the
parent channel's limit, nor a card's of the threads'.

Real outbox and bot adapter against the fake Discord REST API on 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST, CHANNEL
from fakes.stories import add_channel, add_story
from test_discord_garbled_posts import T0, World
from test_outbox_deferred_order import bucket_429, real_time_passed

from bot.store import card_refreshes
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.database import open_database

THREAD_POST = rf"/channels/(?!{CHANNEL})\d+/messages"


def _rows(world: World) -> dict[tuple[str, str], store.DeliveryRow]:
    return {(r.kind, r.story_id): r for r in world.rows("story") + world.rows("update")}


async def _instant_world(fake: FakeDiscord, client: discord.Client, session: Any) -> World:
    world = World(fake, client, session, "bot")
    world.channel = channel_store.update_channel(world.db, world.channel.id, mode="instant")
    await world.outbox.drain()  # s1's card
    return world


async def test_a_threads_429_does_not_hold_the_channels_cards(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = await _instant_world(discord_api, discord_client, session)
    await world.grow()  # s1's thread update queued before s2's card
    add_story(world.db, "s2", ["X", "Y"], now=T0)
    store.enqueue_story(world.db, "s2", world.channel.id, now=T0)
    # The thread's own bucket (its slowmode) answers 429 for an hour.
    body, headers = bucket_429("3600")
    discord_api.fail_next("POST", THREAD_POST, 429, body, headers=headers)

    await world.outbox.drain()
    rows = _rows(world)
    assert rows[("story", "s2")].state == "sent"  # the channel's bucket said nothing
    update = rows[("update", "s1")]
    assert update.state == "pending" and update.next_attempt_at == T0 + timedelta(hours=1)

    real_time_passed(world)
    world.now = T0 + timedelta(hours=1)
    await world.outbox.drain()
    assert _rows(world)[("update", "s1")].state == "sent"


async def test_a_cards_429_does_not_hold_the_threads(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = await _instant_world(discord_api, discord_client, session)
    for sid in ("s2", "s3"):  # queued before s1's update
        add_story(world.db, sid, ["X" + sid, "Y" + sid], now=T0)
        store.enqueue_story(world.db, sid, world.channel.id, now=T0)
    await world.grow()
    body, headers = bucket_429("3600")
    discord_api.fail_next("POST", rf"{BOT_POST}$", 429, body, headers=headers)

    await world.outbox.drain()
    rows = _rows(world)
    # The channel's cards keep their order behind the one put off...
    for sid in ("s2", "s3"):
        assert rows[("story", sid)].state == "pending"
        assert rows[("story", sid)].next_attempt_at == T0 + timedelta(hours=1)
    # ...and the story's thread, a bucket of its own, goes on.
    assert rows[("update", "s1")].state == "sent"
    assert len(world.updates()) == 1


def test_postpone_posts_holds_the_later_posts_to_the_same_place_only() -> None:
    db = open_database(":memory:")
    channel = add_channel(db, "C1")
    other = add_channel(db, "C2")
    for sid in ("s1", "s2", "s3"):
        add_story(db, sid, ["A", "B"], now=T0)
    store.enqueue_story(db, "s1", channel.id, now=T0)
    store.enqueue_update(db, "s2", channel.id, now=T0, not_before=None)
    store.enqueue_story(db, "s3", channel.id, now=T0)
    store.enqueue_update(db, "s1", channel.id, now=T0, not_before=None)
    card_refreshes.enqueue(db, "s2", channel.id, now=T0, not_before=None)
    store.enqueue_story(db, "s2", other.id, now=T0)
    first = {(r.kind, r.story_id, r.channel_pk): r.id for r in store.in_state(db, "pending")}
    later = T0 + timedelta(hours=1)

    def held() -> set[tuple[str, str, int]]:
        return {
            (r.kind, r.story_id, r.channel_pk)
            for r in store.in_state(db, "pending")
            if r.next_attempt_at == later
        }

    # s1's card put off: the channel's later cards with it, not the threads nor other channels.
    from_id = first[("story", "s1", channel.id)]
    store.postpone_posts(db, channel.id, from_id=from_id, story_id=None, now=T0, until=later)
    assert held() == {("story", "s1", channel.id), ("story", "s3", channel.id)}
    # s2's update put off: its own thread only.
    from_id = first[("update", "s2", channel.id)]
    store.postpone_posts(db, channel.id, from_id=from_id, story_id="s2", now=T0, until=later)
    assert ("update", "s2", channel.id) in held()
    assert ("update", "s1", channel.id) not in held()
    assert ("refresh", "s2", channel.id) not in held()
