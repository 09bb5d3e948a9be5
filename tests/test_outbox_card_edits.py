"""The edit of a card an update could not make, as the outbox keeps it: skipped once the story was
merged away or muted, dropped once a newer edit landed, one waiting at most, never taken for what
the channel was shown, and a refusal of the edit alone pauses no channel. Also the update found
landed after its answer was lost: its edit, failing, is retried rather than forgotten.

Real outbox and SQLite; the in-memory chat platform records the edits (`FakeChatAdapter.edits`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.delivery.adapter import PermanentDeliveryError, TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests, update_planner
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database, transaction

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
EDIT_FAILS = TransientDeliveryError("Slack chat.update: internal_error", maybe_sent=True)


class World:
    """Stories s1 and s2 posted in channel C1; s1 then grows and gets updates."""

    def __init__(self) -> None:
        self.db = open_database(":memory:")
        base = make_card_source(self.db, T0)

        def cards(story_id: str, channel: ChannelRow) -> Any:
            # As the real card source does: a merged story's card is its survivor's.
            return base(story_store.resolve_id(self.db, story_id), channel)

        self.clock = Clock(T0)
        self.outbox = Outbox(self.db, cards, settings=OutboxSettings(pace=0), clock=self.clock)
        self.chat = FakeChatAdapter("slack")
        self.outbox.register(self.chat)
        self.channel = add_channel(self.db, "C1")
        add_story(self.db, "s1", ["A", "B"], now=T0)
        add_story(self.db, "s2", ["C", "D"], now=T0)
        digests.enqueue_digest(self.db, self.channel, now=T0)

    async def start(self) -> World:
        await self.outbox.drain()
        self.refs = {c.story_id: c.ref for c in self.chat.cards()}
        return self

    async def update(self, outlet: str, *, edit_fails: bool) -> None:
        grow_story(self.db, "s1", [outlet], now=self.clock.now)
        assert update_planner.enqueue_updates(
            self.db, {"s1"}, now=self.clock.now, interval=timedelta(0)
        )
        if edit_fails:
            self.chat.edit_failures = [EDIT_FAILS]
        await self.outbox.drain()

    async def later(self, hours: float = 1) -> None:
        self.clock.now += timedelta(hours=hours)
        await self.outbox.drain()

    def edits(self) -> list[store.DeliveryRow]:
        return [
            row
            for state in ("pending", "sending", "sent", "failed")
            for row in store.in_state(self.db, state)
            if row.kind == "refresh"
        ]


async def test_an_edit_that_failed_is_made_later_to_the_count_of_then() -> None:
    world = await World().start()
    await world.update("E", edit_fails=True)
    assert world.chat.edits == [] and len(world.chat.updates()) == 1
    grow_story(world.db, "s1", ["F"], now=world.clock.now)  # the story grows meanwhile
    await world.later()
    assert world.chat.edits == [(world.refs["s1"], 4)]
    assert len(world.chat.updates()) == 1
    # The edit showed no news of its own: the thread is still told about F, in its turn.
    await world.later(2)
    assert [u.new_outlets for u in world.chat.updates()] == [["E"], ["F"]]


async def test_a_failing_edit_backs_off_like_a_post() -> None:
    world = await World().start()
    await world.update("E", edit_fails=True)
    world.chat.edit_failures = [EDIT_FAILS, EDIT_FAILS]
    await world.later(0.5)
    await world.later(0.5)
    [edit] = world.edits()
    assert edit.state in ("pending", "sending") and world.chat.edits == []
    await world.later(3)
    assert [e.state for e in world.edits()] == ["sent"]
    assert world.chat.edits == [(world.refs["s1"], 3)]


async def test_an_edit_of_a_story_merged_away_meanwhile_is_skipped() -> None:
    world = await World().start()
    await world.update("E", edit_fails=True)
    with transaction(world.db):
        story_store.merge(world.db, "s1", "s2")  # the channel has both cards
    await world.later()
    assert world.chat.edits == []
    [edit] = world.edits()
    assert edit.state == "failed" and edit.story_id == "s1"


async def test_an_edit_of_a_story_muted_meanwhile_is_skipped() -> None:
    world = await World().start()
    await world.update("E", edit_fails=True)
    channel_store.mute_story(world.db, world.channel.id, "s1")
    await world.later()
    assert world.chat.edits == []
    assert [e.state for e in world.edits()] == ["failed"]


async def test_a_newer_edit_that_landed_supersedes_the_waiting_one() -> None:
    world = await World().start()
    await world.update("E", edit_fails=True)
    await world.update("F", edit_fails=False)  # before the first edit's retry
    assert world.chat.edits == [(world.refs["s1"], 4)]
    assert world.edits() == []
    await world.later(3)
    assert world.chat.edits == [(world.refs["s1"], 4)]  # no older edit made after it


async def test_one_edit_waits_however_many_updates_fail_theirs() -> None:
    world = await World().start()
    await world.update("E", edit_fails=True)
    await world.update("F", edit_fails=True)
    [edit] = world.edits()
    assert edit.state == "pending"
    await world.later(3)
    assert world.chat.edits == [(world.refs["s1"], 4)]


async def test_an_edit_refused_pauses_no_channel() -> None:
    world = await World().start()
    await world.update("E", edit_fails=True)
    world.chat.edit_failures = [PermanentDeliveryError("Slack chat.update: channel_not_found")]
    await world.later()
    [edit] = world.edits()
    assert edit.state == "failed" and "channel_not_found" in (edit.last_error or "")
    channel = channel_store.get_channel_by_pk(world.db, world.channel.id)
    assert channel is not None and channel.paused_reason is None


async def test_an_update_found_landed_gets_its_edit_even_if_it_fails_at_first() -> None:
    world = await World().start()
    world.chat.failures_after = [RuntimeError("connection reset")]  # the answer is lost
    await world.update("E", edit_fails=False)
    assert world.chat.edits == []
    world.chat.edit_failures = [EDIT_FAILS]  # the edit made once it is found fails too
    await world.later(2)
    assert [r.kind for r in store.in_state(world.db, "sent")].count("update") == 1  # found
    assert world.chat.edits == [] and [e.state for e in world.edits()] != ["sent"]
    await world.later(3)
    assert world.chat.edits == [(world.refs["s1"], 3)]
    assert len(world.chat.updates()) == 1
