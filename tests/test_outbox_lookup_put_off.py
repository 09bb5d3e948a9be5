"""A post that may have landed is looked for before it is resent; a lookup put off again and again
by a rate limit of its own (`DeferredDeliveryError`: a Slack channel-name lookup, a Discord
server not yet available) holds the channel's later posts, so once a run of put-offs has lasted
5 minutes the log says so, once. Only one run counts: a row put off for a moment, then checked
and resent, and put off again hours later, is not said at once to have waited hours; and a row
said once is said again for a later run as long. Real outbox on a real SQLite file, the chat
platform the in-memory fake."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.adapter import DeferredDeliveryError, PostedMessage, TransientDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store.channels import ChannelRow
from bot.store.deliveries import DeliveryRow

T0 = datetime(2027, 5, 4, 9, 0, tzinfo=UTC)
STEP = 10  # seconds each put-off asks


class PutOffLookups(FakeChatAdapter):
    """`put_off`: while True, every "did it land?" lookup is put off for `STEP` seconds."""

    def __init__(self) -> None:
        super().__init__("slack")
        self.put_off = False

    async def find_posted(self, channel: ChannelRow, **kwargs: Any) -> PostedMessage | None:
        if self.put_off:
            self.lookups.append((kwargs["kind"], kwargs["nonce"], kwargs.get("parent")))
            raise DeferredDeliveryError("conversations.list rate limited", retry_after=STEP)
        return await super().find_posted(channel, **kwargs)


class World:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.clock = Clock(T0)
        self.chat = PutOffLookups()
        self.outbox = Outbox(
            db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=self.clock
        )
        self.outbox.register(self.chat)
        channel = add_channel(db, "C1", mode="instant")
        add_story(db, "s1", ["A", "B"], now=T0)
        store.enqueue_story(db, "s1", channel.id, now=T0)

    def row(self) -> DeliveryRow:
        [row] = [r for s in ("pending", "sending", "sent") for r in store.in_state(self.db, s)]
        return row

    async def lost_post(self) -> None:
        """The row's post times out before it lands: it waits `sending`, to be looked for."""
        self.chat.failures = [TransientDeliveryError("read timeout", maybe_sent=True)]
        while self.row().state != "sending":
            self.clock.now += timedelta(minutes=1)
            await self.outbox.drain()

    async def put_off_for(self, seconds: int) -> None:
        """Its lookups are put off, each drain as its wait ends, for `seconds`."""
        self.chat.put_off = True
        due = self.row().next_attempt_at
        assert due is not None
        self.clock.now = max(self.clock.now, due)
        end = self.clock.now + timedelta(seconds=seconds)
        while self.clock.now <= end:
            await self.outbox.drain()
            assert self.row().state == "sending"
            self.clock.now += timedelta(seconds=STEP)

    async def checked_and_resent(self) -> None:
        """The lookup goes through: not there, so the row is resent, and times out again."""
        self.chat.put_off = False
        lookups = len(self.chat.lookups)
        self.chat.failures = [TransientDeliveryError("read timeout", maybe_sent=True)]
        while len(self.chat.lookups) == lookups or self.chat.failures:
            self.clock.now += timedelta(minutes=1)
            await self.outbox.drain()
        assert self.row().state == "sending"


def _said(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "to be checked" in r.getMessage()]


async def test_a_put_off_hours_after_a_short_one_starts_a_run_of_its_own(
    db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    world = World(db)
    await world.lost_post()
    with caplog.at_level(logging.WARNING, logger="bot.delivery.failures"):
        await world.put_off_for(STEP)  # a moment's wait
        await world.checked_and_resent()
        world.clock.now += timedelta(hours=3)
        await world.put_off_for(4 * 60)
        assert _said(caplog) == []  # four minutes into this run, not three hours
        await world.put_off_for(2 * 60)
    [said] = _said(caplog)
    assert "has waited 5 min" in said or "has waited 6 min" in said


async def test_a_row_said_once_is_said_again_for_a_later_long_run(
    db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    world = World(db)
    await world.lost_post()
    with caplog.at_level(logging.WARNING, logger="bot.delivery.failures"):
        await world.put_off_for(6 * 60)
        assert len(_said(caplog)) == 1
        await world.put_off_for(6 * 60)
        assert len(_said(caplog)) == 1  # the same run: said once
        await world.checked_and_resent()
        world.clock.now += timedelta(hours=3)
        await world.put_off_for(6 * 60)
    assert len(_said(caplog)) == 2


async def test_a_row_left_unchecked_for_hours_between_put_offs_starts_a_new_run(
    db: sqlite_utils.Database, caplog: pytest.LogCaptureFixture
) -> None:
    # Its channel paused, or its route down, for hours: the row was not looked for at all, and
    # those hours are no run of put-offs.
    world = World(db)
    await world.lost_post()
    with caplog.at_level(logging.WARNING, logger="bot.delivery.failures"):
        await world.put_off_for(4 * 60)
        world.clock.now += timedelta(hours=3)
        await world.put_off_for(4 * 60)
        assert _said(caplog) == []
        await world.put_off_for(2 * 60)
    assert len(_said(caplog)) == 1
