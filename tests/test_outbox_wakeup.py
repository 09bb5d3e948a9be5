"""The background loop wakes for rows it can send, and does not spin on rows it cannot."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.adapter import PermanentDeliveryError, TransientDeliveryError
from bot.delivery.outbox import DrainReport, Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store.database import open_database, utcnow


class CountingOutbox(Outbox):
    drains = 0

    async def start_drain(self, report: DrainReport) -> list[asyncio.Task[None]]:
        # The loop's drains, each a pass that starts the channels' own (`channel_drain`).
        self.drains += 1
        return await super().start_drain(report)


async def test_a_due_row_in_a_paused_channel_does_not_make_the_loop_spin(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    t0 = utcnow()
    outbox = CountingOutbox(db, make_card_source(db, t0), settings=OutboxSettings(pace=0))
    slack = FakeChatAdapter("slack")
    discord = FakeChatAdapter("discord")
    outbox.register(slack)
    outbox.register(discord)
    paused = add_channel(db, "C1")
    other = add_channel(db, "C2", platform="discord")
    for story in ("s1", "s2", "s3"):
        add_story(db, story, ["A"], now=t0)
    store.enqueue_story(db, "s1", paused.id, now=t0)
    store.enqueue_story(db, "s2", paused.id, now=t0)
    store.enqueue_story(db, "s3", other.id, now=t0)
    # C1: s1 is retried in a moment, then s2 finds the channel archived and pauses it, leaving
    # s1 due in a channel that cannot take it. C2: s3 is retried a little later.
    slack.failures = [TransientDeliveryError("503", retry_after=0.2), PermanentDeliveryError("x")]
    discord.failures = [TransientDeliveryError("503", retry_after=1.2)]
    await outbox.drain()
    assert [r.story_id for r in store.in_state(db, "pending")] == ["s1", "s2", "s3"]
    outbox.drains = 0
    stop = asyncio.Event()
    task = asyncio.create_task(outbox.run(stop, idle=30))
    await asyncio.sleep(2.6)
    stop.set()
    await task
    # Before the fix the loop drained every 50 ms (about 50 times here).
    assert outbox.drains <= 5
    # ...while the row that can go out still went out on time.
    assert len(discord.cards("C2")) == 1
    assert not slack.cards()


async def test_a_retry_a_channel_drain_put_off_wakes_the_loop_when_due(tmp_path: Path) -> None:
    """Each channel drains in a task of its own, after the loop chose how long to sleep: a row
    its drain puts off for a moment (a 503 asking 0.2 s) still wakes the loop then, not at the
    idle timer's end."""
    db = open_database(tmp_path / "nd.db")
    t0 = utcnow()
    outbox = CountingOutbox(db, make_card_source(db, t0), settings=OutboxSettings(pace=0))
    slack = FakeChatAdapter("slack")
    outbox.register(slack)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=t0)
    store.enqueue_story(db, "s1", channel.id, now=t0)
    slack.failures = [TransientDeliveryError("503", retry_after=0.2)]
    stop = asyncio.Event()
    task = asyncio.create_task(outbox.run(stop, idle=600))
    try:
        await asyncio.wait_for(until_posted(slack), 20)
    finally:
        stop.set()
        await task
    assert len(slack.cards("C1")) == 1
    [row] = store.in_state(db, "sent")
    assert row.story_id == "s1"


async def until_posted(chat: FakeChatAdapter) -> None:
    while not chat.cards():
        await asyncio.sleep(0.01)
