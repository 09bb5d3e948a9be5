"""/watchlist resume in the running service: a channel gets what its pause held back. Poll passes
queue nothing for a paused channel and do not touch a story again once it stops changing, so the
resume itself must queue the instant stories that qualified meanwhile (within instant mode's
window and limit) and the thread updates for posted stories that grew. Simulated clock; real
SQLite; the fake chat adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.clock import Clock
from fakes.runner import start_slack_service, stop
from fakes.stories import add_story, grow_story

from bot.app import PassReport
from bot.commands.base import CommandContext
from bot.config import ChannelConfig
from bot.pipeline.poll import PollReport
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import delivery_counts
from bot.store.channels import ChannelRow

T0 = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)
# What the outbox sets when Slack refuses a post because the bot was removed from the channel.
REFUSED = "slack refused to post (not_in_channel)"


def pause(service: Service, key: str) -> ChannelRow:
    channel = channel_store.find_channel(service.db, key)
    assert channel is not None
    return channel_store.update_channel(service.db, channel.id, paused_reason=REFUSED)


async def resume(service: Service, channel_id: str) -> str:
    ctx = CommandContext(platform="slack", channel_id=channel_id, user_id="U1")
    reply = await service.commands.dispatch("watchlist", "resume", ctx)
    return reply.text


def pass_touching(*story_ids: str) -> PassReport:
    return PassReport(poll=PollReport(), touched_stories=set(story_ids))


async def test_resuming_an_instant_channel_posts_what_qualified_during_the_pause(
    tmp_path: Path,
) -> None:
    clock = Clock(T0)
    instant = ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=2)
    service, chat = await start_slack_service(tmp_path, clock, instant)
    pause(service, "slack:C3")
    clock.now = T0 + timedelta(minutes=5)
    add_story(service.db, "s1", ["Reuters", "BBC"], now=clock.now)
    await service.on_poll_pass(pass_touching("s1"))
    assert delivery_counts.counts(service.db)["pending"] == 0  # paused: nothing queued
    clock.now = T0 + timedelta(minutes=35)
    reply = await resume(service, "C3")
    await service.outbox.drain()
    # Later passes do not touch s1 (it stopped changing) and do not post it twice.
    await service.on_poll_pass(pass_touching("other"))
    await service.outbox.drain()
    await stop(service)
    assert reply.startswith("Saved.")
    assert [m.story_id for m in chat.cards()] == ["s1"]


async def test_a_long_pause_ends_in_fifty_fresh_stories_and_a_notice(tmp_path: Path) -> None:
    """Instant mode's bounds apply to a resume as to every other path: only stories reported in
    the last six hours, at most fifty at once, and a notice counting the rest."""
    clock = Clock(T0)
    instant = ChannelConfig(platform="slack", id="C3", mode="instant", min_sources=1)
    service, chat = await start_slack_service(tmp_path, clock, instant)
    pause(service, "slack:C3")
    add_story(service.db, "old", ["A", "B"], now=T0)  # reported 7 h before the resume
    clock.now = T0 + timedelta(hours=6, minutes=30)
    fresh = [f"s{i:02d}" for i in range(60)]
    for story_id in fresh:
        add_story(service.db, story_id, ["A", "B"], now=clock.now)
    await service.on_poll_pass(pass_touching("old", *fresh))
    clock.now = T0 + timedelta(hours=7)
    await resume(service, "C3")
    await service.outbox.drain()
    await stop(service)
    posted = [m.story_id for m in chat.cards()]
    assert len(posted) == 50 and set(posted) < set(fresh)
    [notice] = chat.texts()
    assert notice.text.startswith("...and 10 more stories reached this channel's minimum")


async def test_resume_posts_the_thread_update_the_pause_held_back(tmp_path: Path) -> None:
    clock = Clock(T0)
    daily = ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *", min_sources=1)
    service, chat = await start_slack_service(tmp_path, clock, daily)
    add_story(service.db, "s1", ["A", "B"], now=T0)
    add_story(service.db, "s2", ["A", "B"], now=T0)  # posted too, but it does not grow
    channel = channel_store.find_channel(service.db, "slack:C1")
    assert channel is not None
    await service.post_digest(channel)  # /digest
    await service.outbox.drain()
    [card] = [m for m in chat.cards() if m.story_id == "s1"]
    pause(service, "slack:C1")
    clock.now = T0 + timedelta(hours=2)
    grow_story(service.db, "s1", ["C", "D"], now=clock.now)
    await service.on_poll_pass(pass_touching("s1"))  # skipped: the channel is paused
    await service.outbox.drain()
    assert chat.updates() == []
    clock.now = T0 + timedelta(hours=3)
    await resume(service, "C1")
    await service.outbox.drain()
    # Resuming again after another pause plans nothing twice.
    pause(service, "slack:C1")
    await resume(service, "C1")
    await service.outbox.drain()
    await stop(service)
    [update] = chat.updates()
    assert (update.story_id, update.thread_ref, update.source_count) == ("s1", card.ref, 4)
    assert sorted(update.new_outlets) == ["C", "D"]
