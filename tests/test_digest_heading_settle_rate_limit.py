"""Settling a digest heading (`bot.delivery.digest_heading_settle`) is an edit call on its route,
held by the platform's rate limit as a card's refresh is: a 429 on chat.update or chat.delete
holds the route's edits for its Retry-After, so drains inside it do not call again into the
limit, and a heading is not settled while card edits on its route are held. The change is made
at the first drain after the wait. Real outbox and Slack adapter against the fake Web API, on a
real SQLite file."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import sqlite_utils
from fakes.slack_api import FakeSlackAPI
from fakes.slack_outbox import RATE_LIMITED, T0, WAIT, SlackOutbox
from fakes.stories import add_channel, make_card_source

from bot.delivery.adapter import RateLimitedDeliveryError
from bot.delivery.rate_limits import EDIT
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow
from bot.store.database import transaction
from bot.store.queued_posts import return_to_digest_pool

LIMITED = {**RATE_LIMITED, "headers": {"Retry-After": str(WAIT)}}


async def _heading_over_fewer_cards(
    db: sqlite_utils.Database, fake: FakeSlackAPI, sent: int
) -> tuple[SlackOutbox, ChannelRow]:
    """A digest heading and `sent` of its cards go out, the rest are held by a 429 on posts and
    returned to the digest pool (instant mode and back): the heading now counts too many."""
    world = SlackOutbox(db, fake, make_card_source(db, T0), sleep=asyncio.sleep)
    channel = add_channel(db, "C1", mode="digest")
    world.queue(channel, "quay", "locks", "ferry", "tram", "pier")
    for _ in range(1 + sent):
        fake.script_usual("chat.postMessage")
    fake.script("chat.postMessage", **LIMITED)
    await world.drain()
    channel_store.update_channel(db, channel.id, mode="instant")
    with transaction(db):
        channel_store.update_channel(db, channel.id, mode="digest")
        return_to_digest_pool(db, channel.id)
    world.now = T0 + timedelta(minutes=5)
    return world, channel


async def _drains_inside_the_wait(world: SlackOutbox, count: int) -> None:
    for _ in range(count):
        world.now += timedelta(seconds=1)
        await world.drain()


async def test_an_edit_refused_for_the_rate_limit_waits_out_its_retry_after(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world, _ = await _heading_over_fewer_cards(db, slack_api, sent=2)
    slack_api.script("chat.update", **LIMITED)
    await _drains_inside_the_wait(world, 4)
    assert len(slack_api.calls_to("chat.update")) == 1
    world.now += timedelta(seconds=WAIT)
    await world.drain()
    updates = slack_api.calls_to("chat.update")
    assert len(updates) == 2
    assert "2 stories" in updates[-1]["text"]
    # Settled: a later drain leaves it be.
    await world.drain()
    assert len(slack_api.calls_to("chat.update")) == 2


async def test_a_deletion_refused_for_the_rate_limit_waits_out_its_retry_after(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world, _ = await _heading_over_fewer_cards(db, slack_api, sent=1)
    slack_api.script("chat.delete", **LIMITED)
    await _drains_inside_the_wait(world, 4)
    assert len(slack_api.calls_to("chat.delete")) == 1
    world.now += timedelta(seconds=WAIT)
    await world.drain()
    await world.drain()
    assert len(slack_api.calls_to("chat.delete")) == 2


async def test_no_heading_is_settled_while_card_edits_on_its_route_are_held(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world, channel = await _heading_over_fewer_cards(db, slack_api, sent=2)
    refused = RateLimitedDeliveryError("ratelimited", retry_after=WAIT)
    world.outbox.rate_limits.hold(world.outbox.route_of(channel), EDIT, refused, world.now)
    await _drains_inside_the_wait(world, 3)
    assert slack_api.calls_to("chat.update") == []
    world.now += timedelta(seconds=WAIT)
    await world.drain()
    assert len(slack_api.calls_to("chat.update")) == 1
