"""Lost posts are looked for one at a time per route, while the channels' posts go on.

Each channel drains in a task of its own (`bot.delivery.channel_drain`), and each looks for the
posts a crash or an ambiguous failure left `sending` in it (`reconcile`) before it posts. Slack
limits conversations.history per workspace (1 a minute for apps outside its Marketplace): after
a restart with leftovers in many channels, all their lookups at once would send all but the
first into the limit, again after every Retry-After. They go one after another per lookup route
(`Outbox.lookups`), as when channels were reconciled in turn.

Real outbox and SQLite file; the in-memory chat fake (tests/fakes/chat.py) holds C1's lookup
until the test lets it go."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, make_card_source, queue_story

from bot.cards import StoryCard
from bot.delivery.adapter import PostedMessage
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class SlowLookups(FakeChatAdapter):
    """C1's lookup waits until the test lets it go; each lookup's channel is recorded."""

    def __init__(self) -> None:
        super().__init__("slack")
        self.let_go = asyncio.Event()
        self.c3_posted = asyncio.Event()
        self.looked_in: list[str] = []

    async def find_posted(self, channel: ChannelRow, **kwargs: Any) -> PostedMessage | None:
        self.looked_in.append(channel.channel_id)
        if channel.channel_id == "C1":
            await self.let_go.wait()
        return await super().find_posted(channel, **kwargs)

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        posted = await super().post_card(channel, card, nonce=nonce)
        if channel.channel_id == "C3":
            self.c3_posted.set()
        return posted


async def test_lost_posts_are_looked_for_one_at_a_time_per_route_while_posts_go_on(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "nd.db")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    chat = SlowLookups()
    outbox.register(chat)
    leftovers = []
    for channel_id, story in (("C1", "s1"), ("C2", "s2")):
        row_id = queue_story(
            outbox.db, add_channel(outbox.db, channel_id, mode="instant"), story, now=T0
        )
        assert store.claim(outbox.db, row_id, T0, source_count=2, outlets=["A", "B"])
        leftovers.append(row_id)
    queue_story(outbox.db, add_channel(outbox.db, "C3", mode="instant"), "s3", now=T0)

    drain = asyncio.create_task(outbox.drain())
    await asyncio.wait_for(chat.c3_posted.wait(), 10)
    assert chat.looked_in == ["C1"]  # C2's waits for C1's, C3's card did not
    chat.let_go.set()
    await asyncio.wait_for(drain, 10)
    assert sorted(chat.looked_in) == ["C1", "C2"]
    # Neither landed: both resent, each in its channel.
    assert [m.story_id for m in chat.cards("C1")] == ["s1"]
    assert [m.story_id for m in chat.cards("C2")] == ["s2"]
