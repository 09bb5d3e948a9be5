"""`/watchlist unmute` in an instant channel: a story whose card the channel never got comes as
instant mode posts any card, by its own rule (topics, minimum sources, news of the last hours),
never as old news, and not while posting to the channel is paused (its resume posts it then).
Typed commands against the fake Discord REST API; see `tests/_unmute_rooms`."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
from fakes.discord_api import FakeDiscord
from fakes.stories import add_story

from bot.runner import changes, digests
from bot.store import channels as channel_store
from bot.store.channels import MUTED_ERROR
from tests._unmute_rooms import (
    DISCORD_CHANNEL,
    HOUR,
    RESTART,
    T0,
    Room,
    discord_cards,
    discord_room,
    sources_tracking,
)


def story_rows(room: Room, story_id: str) -> list[tuple[str, str, str | None]]:
    """The channel's outbox rows about the story: (kind, state, last_error)."""
    return [
        tuple(r)
        for r in room.db.execute(
            "SELECT kind, state, last_error FROM deliveries WHERE story_id = ? ORDER BY id",
            [story_id],
        )
    ]


def resume_as_the_service_does(room: Room) -> None:
    """Typed `/watchlist resume` goes to the running service's `changes.channel_changed`, which
    queues what the pause held back; here with the room's database, clock and outbox."""
    service: Any = SimpleNamespace(
        state="running",
        db=room.db,
        clock=lambda: room.now,
        outbox=room.outbox,
        kick=room.outbox.kick,
        sync_jobs=lambda: set(),  # the channels it caught up: none here
        schedule_changes=changes.ScheduleChanges(),
        config=SimpleNamespace(story_window_hours=48),
        settings=SimpleNamespace(update_interval=HOUR),
    )

    async def changed(before: Any, after: Any) -> None:
        await changes.channel_changed(service, before, after)

    room.commands.on_channel_change = changed


@RESTART
async def test_instant_a_story_that_qualified_while_muted_is_posted_at_the_unmute(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    tmp_path: Path,
    restart: bool,
) -> None:
    room = discord_room(discord_client, tmp_path)
    add_story(room.db, "s1", ["A"], now=T0)
    room.channel = channel_store.update_channel(room.db, room.channel.id, min_sources=2)
    # Muted by its slug (from /story) before it had enough sources for this channel.
    assert (await room.watchlist("mute story-s1")).startswith("Muted story-s1")
    await room.poll("s1", ["B"])  # qualifies now, but a muted story is not selected
    await room.poll("s1", ["C"])
    assert discord_cards(discord_api) == [] and story_rows(room, "s1") == []
    if restart:
        room.restart()

    reply = await room.watchlist("unmute story-s1")
    assert reply.endswith("again, starting with its card.")
    await room.outbox.drain()
    await room.poll("s1", [])

    [card] = discord_cards(discord_api)
    assert sources_tracking(card["embeds"]) == 3
    assert len(discord_api.channel_messages(DISCORD_CHANNEL)) == 1  # no update on top


@RESTART
async def test_instant_a_card_held_back_by_the_mute_is_posted_at_the_unmute(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    tmp_path: Path,
    restart: bool,
) -> None:
    room = discord_room(discord_client, tmp_path)
    add_story(room.db, "s1", ["A", "B"], now=T0)
    await room.poll("s1", ["C"])  # a pass queues its card and the drain posts it: not muted yet
    [card] = discord_cards(discord_api)
    add_story(room.db, "s2", ["A"], now=room.now)
    room.now += HOUR
    add_story(room.db, "s2", ["B"], now=room.now)
    assert digests.enqueue_instant(room.db, room.channel, now=room.now, story_ids={"s2"}) == 1
    # Muted between the pass that queued its card and the drain: the drain holds it back.
    assert (await room.watchlist("mute story-s2")).startswith("Muted story-s2")
    await room.outbox.drain()
    assert discord_cards(discord_api) == [card]
    assert story_rows(room, "s2") == [("story", "failed", MUTED_ERROR)]
    await room.poll("s2", ["C"])
    if restart:
        room.restart()

    reply = await room.watchlist("unmute story-s2")
    assert reply.endswith("again, starting with its card.")
    await room.outbox.drain()
    await room.poll("s2", [])

    [_, posted] = discord_cards(discord_api)
    assert "Story s2" in str(posted["embeds"]) and sources_tracking(posted["embeds"]) == 3
    assert story_rows(room, "s2") == [("story", "sent", None)]  # the held row, forgotten


async def test_instant_an_unmute_posts_no_old_news(
    discord_api: FakeDiscord, discord_client: discord.Client, tmp_path: Path
) -> None:
    """Instant mode posts news of the last few hours, not a day-old story a poll pass would not
    post: nor does an unmute, though the story is within the story window."""
    room = discord_room(discord_client, tmp_path)
    add_story(room.db, "s1", ["A"], now=T0)
    room.channel = channel_store.update_channel(room.db, room.channel.id, min_sources=2)
    assert await room.watchlist("mute story-s1")
    await room.poll("s1", ["B"])  # qualifies while muted
    room.now += 30 * HOUR

    reply = await room.watchlist("unmute story-s1")
    assert reply == "Unmuted story-s1: this channel will get its posts and updates again."
    await room.outbox.drain()
    assert discord_cards(discord_api) == [] and story_rows(room, "s1") == []
    await room.poll("s1", ["C"])  # news again: posted as any story is
    [card] = discord_cards(discord_api)
    assert sources_tracking(card["embeds"]) == 3


async def test_instant_an_unmute_in_a_paused_channel_leaves_the_card_to_the_resume(
    discord_api: FakeDiscord, discord_client: discord.Client, tmp_path: Path
) -> None:
    room = discord_room(discord_client, tmp_path)
    resume_as_the_service_does(room)
    add_story(room.db, "s1", ["A"], now=T0)
    room.channel = channel_store.update_channel(room.db, room.channel.id, min_sources=2)
    assert await room.watchlist("mute story-s1")
    await room.poll("s1", ["B"])
    room.channel = channel_store.update_channel(
        room.db, room.channel.id, paused_reason="Discord refused to post (Missing Access)"
    )

    reply = await room.watchlist("unmute story-s1")
    assert reply == (
        "Unmuted story-s1: this channel will get its posts and updates again, starting with its "
        "card when posting here resumes, if the story is still news then."
    )
    assert story_rows(room, "s1") == []  # nothing queued to pile up while paused
    await room.outbox.drain()
    assert discord_cards(discord_api) == []

    room.now += HOUR
    assert (await room.watchlist("resume")).startswith("Saved.")
    await room.outbox.drain()
    [card] = discord_cards(discord_api)
    assert sources_tracking(card["embeds"]) == 2
    assert len(discord_api.channel_messages(DISCORD_CHANNEL)) == 1
