"""A post that fails alone keeps its place in its channel.

A call fails alone when it times out, or its connection drops, while another channel's send on
the same route got through: the platform is up, so the route is not held back and the post
waits its own backoff (`bot.delivery.failures._row_wait`). Its channel's later posts used to go
out at once in the same drain, and the failed post, retried later, came after them: a digest's
top card under the others. They now wait behind it, as behind a post put off for a rate limit of
its own (`defer`, tests/test_outbox_deferred_order.py), and other channels go on. The same for a
crash leftover whose "did it land?" lookup fails alone.

Real outbox and SQLite file; the in-memory chat fake (tests/fakes/chat.py) makes C1's first call
wait until C2's card has got through, then fail."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, make_card_source, queue_story

from bot.cards import StoryCard
from bot.delivery.adapter import PostedMessage, TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class FailsAlone(FakeChatAdapter):
    """C1's first card (or lookup) is under way while C2's card gets through, then fails."""

    def __init__(self, *, maybe_sent: bool = False) -> None:
        super().__init__("slack")
        self.maybe_sent = maybe_sent
        self.other_through = asyncio.Event()
        self.card_failed = False
        self.lookup_failed = False
        self.fail_lookup = False

    async def _fail_after_other(self) -> None:
        await self.other_through.wait()
        raise TransientDeliveryError("timed out", maybe_sent=self.maybe_sent)

    async def post_card(self, channel: ChannelRow, card: StoryCard, *, nonce: str) -> PostedMessage:
        if channel.channel_id == "C1" and not self.fail_lookup and not self.card_failed:
            self.card_failed = True
            await self._fail_after_other()
        posted = await super().post_card(channel, card, nonce=nonce)
        if channel.channel_id == "C2":
            self.other_through.set()
        return posted

    async def find_posted(self, channel: ChannelRow, **kwargs: Any) -> PostedMessage | None:
        if channel.channel_id == "C1" and self.fail_lookup and not self.lookup_failed:
            self.lookup_failed = True
            await self._fail_after_other()
        return await super().find_posted(channel, **kwargs)


def outbox_for(tmp_path: Path, chat: FakeChatAdapter, now: list[datetime]) -> Outbox:
    db = open_database(tmp_path / "nd.db")
    outbox = Outbox(
        db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: now[0]
    )
    outbox.register(chat)
    return outbox


@pytest.mark.parametrize("mode", ["instant", "digest"])
@pytest.mark.parametrize("maybe_sent", [False, True], ids=["unreachable", "timed_out"])
async def test_a_card_failing_alone_is_not_overtaken_by_its_channels_later_cards(
    tmp_path: Path, mode: str, maybe_sent: bool
) -> None:
    now = [T0]
    chat = FailsAlone(maybe_sent=maybe_sent)
    outbox = outbox_for(tmp_path, chat, now)
    c1 = add_channel(outbox.db, "C1", mode=mode)
    c2 = add_channel(outbox.db, "C2", mode="instant")
    for i, story in enumerate(["s1", "s2", "s3"]):
        queue_story(outbox.db, c1, story, now=T0 + timedelta(seconds=i))
    queue_story(outbox.db, c2, "s9", now=T0)

    await asyncio.wait_for(outbox.drain(), 10)
    # The route stays up and C2 got its card; C1's later cards wait behind s1.
    assert not outbox.outages
    assert [m.story_id for m in chat.cards("C2")] == ["s9"]
    assert chat.cards("C1") == []
    waiting = [store.story_post(outbox.db, s, c1.id) for s in ("s1", "s2", "s3")]
    assert [r.state for r in waiting if r is not None] == [
        "sending" if maybe_sent else "pending",
        "pending",
        "pending",
    ]

    now[0] = T0 + timedelta(hours=2)  # s1's own backoff is over
    await asyncio.wait_for(outbox.drain(), 10)
    assert [m.story_id for m in chat.cards("C1")] == ["s1", "s2", "s3"]


async def test_a_leftover_whose_lookup_failed_alone_is_not_overtaken(tmp_path: Path) -> None:
    now = [T0]
    chat = FailsAlone(maybe_sent=True)
    chat.fail_lookup = True
    outbox = outbox_for(tmp_path, chat, now)
    c1 = add_channel(outbox.db, "C1", mode="instant")
    c2 = add_channel(outbox.db, "C2", mode="instant")
    first = queue_story(outbox.db, c1, "s1", now=T0)
    # Claimed when the bot crashed: looked for before it is resent.
    assert store.claim(outbox.db, first, T0, source_count=2, outlets=["A", "B"])
    for i, story in enumerate(["s2", "s3"], start=1):
        queue_story(outbox.db, c1, story, now=T0 + timedelta(seconds=i))
    queue_story(outbox.db, c2, "s9", now=T0)

    await asyncio.wait_for(outbox.drain(), 10)
    assert not outbox.outages
    assert [m.story_id for m in chat.cards("C2")] == ["s9"]
    assert chat.cards("C1") == []

    now[0] = T0 + timedelta(hours=2)
    await asyncio.wait_for(outbox.drain(), 10)
    assert [m.story_id for m in chat.cards("C1")] == ["s1", "s2", "s3"]
