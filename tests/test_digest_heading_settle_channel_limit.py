"""Settling a digest heading (`bot.delivery.digest_heading_settle`) refused for a rate limit of
the channel's own (a Discord bucket's 429: `DeferredDeliveryError`) waits out its Retry-After, as
one refused by a 429 of the route's does: drains inside the wait neither call the platform nor
sleep the wait out in the call, other channels' headings are settled meanwhile, and the change
is made at the first drain after it. Real outbox on a real SQLite file; the chat platform is the
in-memory fake, heading its digests with a message of its own, and then the real Discord
adapters against the fake REST API on 127.0.0.1."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import CHANNEL
from fakes.stories import add_channel, add_story, make_card_source
from test_digest_notices_after_cards import TUESDAY, DiscordDigest
from test_discord_garbled_posts import ROUTES
from test_outbox_deferred_order import bucket_429

from bot.delivery.adapter import DeferredDeliveryError, RateLimitedDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import digest_headings
from bot.store.channels import ChannelRow
from bot.store.database import transaction
from bot.store.queued_posts import return_to_digest_pool

T0 = datetime(2027, 5, 4, 9, 0, tzinfo=UTC)
WAIT = 30  # the channel's bucket asks for this many seconds


class HeadingChat(FakeChatAdapter):
    """A platform that heads a digest with a message of its own and can edit or delete it;
    `refusals`: channel id -> the errors its next heading changes raise, in order."""

    def __init__(self) -> None:
        super().__init__("slack")
        self.refusals: dict[str, list[Exception]] = {}
        # (channel id, "revise" or "retract", heading's message) per call.
        self.changes: list[tuple[str, str, str]] = []

    async def begin_digest(self, channel: ChannelRow, count: int, now: datetime) -> str:
        await self.post_text(channel, f"News digest · {count} stories")
        return self.messages[-1].ref

    def _change(self, channel: ChannelRow, how: str, ref: str) -> None:
        self.changes.append((channel.channel_id, how, ref))
        if waiting := self.refusals.get(channel.channel_id):
            raise waiting.pop(0)

    async def revise_heading(self, channel: ChannelRow, ref: str, count: int, at: datetime) -> None:
        self._change(channel, "revise", ref)

    async def retract_heading(self, channel: ChannelRow, ref: str) -> None:
        self._change(channel, "retract", ref)


async def _heading_over_fewer_cards(
    outbox: Outbox, chat: HeadingChat, clock: Clock, channel: ChannelRow, sent: int
) -> None:
    """A digest of five: its heading and `sent` cards go out, the rest are held by a 429 and
    returned to the digest pool (instant mode and back), so the heading counts too many."""
    db = outbox.db
    for i in range(5):
        story = f"{channel.channel_id}-s{i}"
        add_story(db, story, ["A", "B"], now=clock.now)
        store.enqueue_story(db, story, channel.id, now=clock.now)
    limited = RateLimitedDeliveryError("ratelimited", retry_after=1)
    chat.failures = [None] * (1 + sent) + [limited]
    await outbox.drain()
    channel_store.update_channel(db, channel.id, mode="instant")
    with transaction(db):
        channel_store.update_channel(db, channel.id, mode="digest")
        return_to_digest_pool(db, channel.id)


def _world(db: sqlite_utils.Database) -> tuple[Outbox, HeadingChat, Clock]:
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    chat = HeadingChat()
    outbox.register(chat)
    return outbox, chat, clock


@pytest.mark.parametrize(("sent", "how"), [(2, "revise"), (1, "retract")])
async def test_a_change_refused_by_the_channels_own_limit_waits_out_its_retry_after(
    db: sqlite_utils.Database, sent: int, how: str
) -> None:
    outbox, chat, clock = _world(db)
    limited, other = add_channel(db, "C1"), add_channel(db, "C2")
    await _heading_over_fewer_cards(outbox, chat, clock, limited, sent)
    clock.now = refused_at = T0 + timedelta(minutes=5)
    chat.refusals["C1"] = [DeferredDeliveryError("bucket limited", retry_after=WAIT)]
    await outbox.drain()
    assert [c[:2] for c in chat.changes] == [("C1", how)]

    # Another channel's heading, unsettled meanwhile, is settled inside C1's wait: the limit
    # is C1's alone.
    await _heading_over_fewer_cards(outbox, chat, clock, other, sent)
    for _ in range(5):
        clock.now += timedelta(seconds=5)
        await outbox.drain()
    assert [c[:2] for c in chat.changes] == [("C1", how), ("C2", how)]

    clock.now = refused_at + timedelta(seconds=WAIT)
    await outbox.drain()
    assert [c[:2] for c in chat.changes] == [("C1", how), ("C2", how), ("C1", how)]
    # Settled: later drains leave it be.
    clock.now += timedelta(minutes=1)
    await outbox.drain()
    assert len(chat.changes) == 3
    assert digest_headings.unsettled(db) == []


async def test_a_wait_asked_before_the_clock_stepped_back_is_over(
    db: sqlite_utils.Database,
) -> None:
    # Counted from the later clock, the wait would hold the heading an hour and a half longer.
    outbox, chat, clock = _world(db)
    channel = add_channel(db, "C1")
    await _heading_over_fewer_cards(outbox, chat, clock, channel, sent=2)
    clock.now = T0 + timedelta(hours=1)
    chat.refusals["C1"] = [DeferredDeliveryError("bucket limited", retry_after=WAIT)]
    await outbox.drain()
    clock.now = T0 + timedelta(minutes=1)  # the wall clock stepped back an hour
    await outbox.drain()
    assert len(chat.changes) == 2
    assert digest_headings.unsettled(db) == []


@ROUTES
async def test_a_discord_buckets_429_on_the_heading_holds_it_for_its_wait(
    tmp_path: Path,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    route: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A heading over one card left is deleted; the deletion meets the bucket's 429."""
    world = DiscordDigest(tmp_path, discord_api, discord_client, session, route)
    world.now = TUESDAY
    for i in range(3):
        add_story(world.db, f"s{i}", ["A", "B"], now=TUESDAY - timedelta(hours=1))
    digests.enqueue_digest(world.db, world.channel, now=TUESDAY, scheduled_for=TUESDAY)
    body, headers = bucket_429("120")  # the second card's: the rest of the digest put off
    discord_api.fail_next("POST", world.post, 429, body, headers=headers, after=2)
    await world.outbox.drain()
    assert world.shown(0) == ["heading", "card"]
    channel_store.update_channel(world.db, world.channel.id, mode="instant")
    with transaction(world.db):
        channel_store.update_channel(world.db, world.channel.id, mode="digest")
        return_to_digest_pool(world.db, world.channel.id)

    deletes = (
        rf"/channels/{CHANNEL}/messages/\d+" if route == "bot" else rf"{world.post}/messages/\d+"
    )
    body, headers = bucket_429(str(WAIT))
    discord_api.fail_next("DELETE", deletes, 429, body, headers=headers)
    with caplog.at_level(logging.INFO, logger="bot.delivery.digest_heading_settle"):
        for _ in range(6):
            await world.outbox.drain()
            world.now += timedelta(seconds=WAIT / 6 - 1)
    assert [c.status for c in discord_api.calls("DELETE", deletes)] == [429]
    put_off = [r for r in caplog.records if "put off" in r.getMessage()]
    assert len(put_off) == 1  # asked once, not at every drain inside the wait
    assert world.shown(0) == ["heading", "card"]

    world.real_time_passed()
    world.now = TUESDAY + timedelta(seconds=WAIT)
    await world.outbox.drain()
    assert world.shown(0) == ["card"]
    await world.outbox.drain()
    assert len(discord_api.calls("DELETE", deletes)) == 2
    world.db.close()
