"""A channel signed up in chat has its first digest run recorded with its row, not at the next job
sync (up to a minute later): a restart within that minute found no run, took the restart itself as
the channel's first, and the digest slots that passed while the bot was down were never caught
up. Real database files, the real service stopped and started again, a controlled clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.stories import add_channel, add_story

from bot.app import NewsDigest
from bot.commands import Commands
from bot.commands.base import CommandContext
from bot.runner.digests import digest_start
from bot.store import channels as channel_store
from bot.store import digest_runs
from bot.store.database import open_database

T0 = datetime(2027, 5, 3, 8, 59, tzinfo=UTC)  # a Monday, a minute before the default 09:00 slot
SLOT = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)
NEW = CommandContext(platform="slack", channel_id="C2", user_id="U1")


async def test_a_restart_within_the_minute_after_a_follow_catches_up_the_missed_slot(
    tmp_path: Path,
) -> None:
    clock = Clock(T0)
    service, _chat = slack_service(tmp_path, clock)
    await service.start()
    clock.now = T0 + timedelta(seconds=20)
    reply = await service.commands.dispatch("follow", "chips query: chip", NEW)
    assert reply.text.startswith("This channel now follows chips")
    add_story(service.db, "chip", ["Gazette", "Courier"], now=T0 + timedelta(seconds=30))
    channel = channel_store.get_channel(service.db, "slack", "C2")
    assert channel is not None and channel.mode == "digest" and channel.schedule == "0 9 * * *"
    # Recorded with the sign-up, before any job sync saw the channel.
    assert digest_runs.last_digest_run(service.db, channel.id) == T0 + timedelta(seconds=20)
    # Stopped 40 s later, before the minute's job sync; down over the 09:00 slot.
    clock.now = T0 + timedelta(seconds=40)
    await stop(service)
    clock.now = SLOT + timedelta(minutes=30)
    again, chat = slack_service(tmp_path, clock)
    await again.start()
    try:
        await again.outbox.drain()
        assert digest_runs.last_digest_run(again.db, channel.id) == SLOT
        assert [m.story_id for m in chat.cards("C2")] == ["chip"]
    finally:
        await stop(again)


async def test_a_channel_signed_up_by_digest_has_one_digest_run(tmp_path: Path) -> None:
    """/digest signs a channel up and posts its digest at once: the digest's run is the one kept
    (the sign-up's first run, recorded the moment before, does not stand in for it)."""
    clock = Clock(T0)
    service, chat = slack_service(tmp_path, clock)
    await service.start()
    add_story(service.db, "chip", ["Gazette", "Courier"], now=T0)
    clock.now = T0 + timedelta(seconds=20)
    await service.commands.dispatch("digest", "", NEW)
    await service.outbox.drain()
    channel = channel_store.get_channel(service.db, "slack", "C2")
    assert channel is not None
    assert digest_runs.last_digest_run(service.db, channel.id) == T0 + timedelta(seconds=20)
    assert [m.story_id for m in chat.cards("C2")] == ["chip"]
    await stop(service)


async def test_a_switch_to_digest_mode_outside_the_runner_is_caught_up_after_a_restart(
    tmp_path: Path,
) -> None:
    """`newsdigest chat` (chat commands with no runner behind them) switches an instant channel to
    digest mode beside a running `run`, which restarts before its next job sync: the channel's
    first digest run is the switch, so the slot missed while down is caught up."""
    clock = Clock(T0 - timedelta(hours=1))
    service, _chat = slack_service(tmp_path, clock)
    add_channel(service.db, "C2", mode="instant", min_sources=2)
    await service.start()
    # The commands as `newsdigest chat` makes them: their own connection, no runner.
    beside = Commands(NewsDigest(service.config, db=open_database(tmp_path / "nd.db")), clock=clock)
    clock.now = T0 + timedelta(seconds=20)
    reply = await beside.dispatch("watchlist", "mode digest", NEW)
    assert reply.text.startswith("Saved.")
    beside.core.close()
    add_story(service.db, "chip", ["Gazette", "Courier"], now=T0 + timedelta(seconds=30))
    clock.now = T0 + timedelta(seconds=40)
    await stop(service)
    clock.now = SLOT + timedelta(minutes=30)
    again, chat = slack_service(tmp_path, clock)
    await again.start()
    try:
        await again.outbox.drain()
        channel = channel_store.get_channel(again.db, "slack", "C2")
        assert channel is not None
        assert digest_runs.last_digest_run(again.db, channel.id) == SLOT
        assert [m.story_id for m in chat.cards("C2")] == ["chip"]
    finally:
        await stop(again)


async def test_a_channel_signed_up_into_instant_mode_gets_its_first_digest_run_at_the_switch(
    tmp_path: Path,
) -> None:
    """`/watchlist mode instant` as a channel's first command makes its row in digest mode and
    switches it: no first run is kept from that sign-up, so a switch to digest mode weeks later
    dates the channel's first digest from the switch (the usual 48 h at most), not from the
    sign-up (8 days, the longest look back)."""
    clock = Clock(T0)
    service, _chat = slack_service(tmp_path, clock)
    await service.start()
    try:
        reply = await service.commands.dispatch("watchlist", "mode instant", NEW)
        assert reply.text.startswith("Saved."), reply.text
        row = channel_store.get_channel(service.db, "slack", "C2")
        assert row is not None and row.mode == "instant"
        assert digest_runs.last_digest_run(service.db, row.id) is None
        switch = T0 + timedelta(days=30)
        clock.now = switch
        reply = await service.commands.dispatch("watchlist", "mode digest", NEW)
        assert reply.text.startswith("Saved."), reply.text
        row = channel_store.get_channel(service.db, "slack", "C2")
        assert row is not None
        assert digest_runs.last_digest_run(service.db, row.id) == switch
        slot = SLOT + timedelta(days=31)
        assert slot - digest_start(service.db, row, now=slot, slot=slot) <= timedelta(hours=48)
    finally:
        await stop(service)
