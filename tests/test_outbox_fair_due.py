"""Rows the outbox cannot send now (a refused token's route, a withdrawn route, a paused channel)
never hide other channels' rows, however many pile up, and they still go stale."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.clock import Clock
from fakes.stories import add_channel, add_story, make_card_source

from bot.delivery.adapter import AuthDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import delivery_counts, due_rows
from bot.store.database import transaction

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def outbox_with(db: sqlite_utils.Database, clock: Clock) -> tuple[Outbox, FakeChatAdapter]:
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    slack = FakeChatAdapter("slack")
    outbox.register(slack)
    return outbox, slack


def queue(db: sqlite_utils.Database, channel_ids: list[int], prefix: str, count: int) -> None:
    """`count` stories queued for each channel: a backlog of len(channel_ids) * count rows."""
    with transaction(db):  # one commit: hundreds of rows stay quick on a real file
        for n in range(count):
            add_story(db, f"{prefix}-{n}", ["A", "B"], now=T0)
            for channel_id in channel_ids:
                store.enqueue_story(db, f"{prefix}-{n}", channel_id, now=T0)


def backlog(db: sqlite_utils.Database, platform: str) -> list[int]:
    """Six channels of `platform` with 100 stories queued each: more rows than a drain reads."""
    channels = [
        add_channel(db, f"{platform[0].upper()}{c}", platform=platform).id for c in range(6)
    ]
    queue(db, channels, "old", 100)
    return channels


async def test_a_refused_routes_backlog_does_not_hide_newer_rows(db: sqlite_utils.Database) -> None:
    clock = Clock(T0)
    outbox, slack = outbox_with(db, clock)
    discord = FakeChatAdapter("discord")
    outbox.register(discord)
    # The bot token is refused for the run; its channels' rows stay pending for a restart and
    # keep being queued (webhook channels keep the adapter registered).
    refused = AuthDeliveryError("Discord refuses the bot token")
    outbox.outages.down("discord", refused, now=T0, backoff=outbox.backoff)
    backlog(db, "discord")
    queue(db, [add_channel(db, "C1").id], "new", 1)
    await outbox.drain()
    assert [m.story_id for m in slack.cards()] == ["new-0"]
    assert not discord.cards() and delivery_counts.counts(db)["pending"] == 600


async def test_a_paused_channels_backlog_does_not_hide_newer_rows(
    db: sqlite_utils.Database,
) -> None:
    clock = Clock(T0)
    outbox, slack = outbox_with(db, clock)
    for paused in backlog(db, "slack"):
        channel_store.update_channel(db, paused, paused_reason="slack refused to post")
    queue(db, [add_channel(db, "C1").id], "new", 2)
    await outbox.drain()
    assert [m.story_id for m in slack.cards()] == ["new-0", "new-1"]


async def test_a_withdrawn_routes_backlog_does_not_hide_newer_rows(
    db: sqlite_utils.Database,
) -> None:
    clock = Clock(T0)
    outbox, slack = outbox_with(db, clock)
    outbox.register(FakeChatAdapter("discord"))
    outbox.withdraw("discord")  # its gateway is restarting
    backlog(db, "discord")
    queue(db, [add_channel(db, "C1").id], "new", 1)
    await outbox.drain()
    assert [m.story_id for m in slack.cards()] == ["new-0"]


def test_channels_take_turns_within_the_limit(db: sqlite_utils.Database) -> None:
    busy, quiet = add_channel(db, "C1"), add_channel(db, "C2")
    queue(db, [busy.id], "busy", 5)
    queue(db, [quiet.id], "quiet", 2)
    rows = due_rows.due(db, T0, [busy.id, quiet.id], limit=4)
    assert [r.story_id for r in rows] == ["busy-0", "quiet-0", "busy-1", "quiet-1"]
    # Each channel's rows in the order they were queued (a post before its update).
    assert [r.story_id for r in due_rows.due(db, T0, [busy.id])] == [f"busy-{n}" for n in range(5)]
    assert due_rows.due(db, T0, []) == []


async def test_rows_that_cannot_be_sent_still_go_stale(db: sqlite_utils.Database) -> None:
    clock = Clock(T0)
    outbox, slack = outbox_with(db, clock)
    discord = FakeChatAdapter("discord")
    outbox.register(discord)
    refused = AuthDeliveryError("Discord refuses the bot token")
    outbox.outages.down("discord", refused, now=T0, backoff=outbox.backoff)
    queue(db, [add_channel(db, "D1", platform="discord").id], "d", 3)
    paused = add_channel(db, "C0")
    queue(db, [paused.id], "p", 3)
    channel_store.update_channel(db, paused.id, paused_reason="slack refused to post")
    clock.now = T0 + OutboxSettings().stale_after - timedelta(minutes=1)
    await outbox.drain()
    assert delivery_counts.counts(db)["pending"] == 6
    clock.now = T0 + OutboxSettings().stale_after + timedelta(minutes=1)
    report = await outbox.drain()
    assert report.failed == 6
    assert {r.last_error for r in store.in_state(db, "failed")} == {"stale"}
    assert not slack.cards() and not discord.cards()
