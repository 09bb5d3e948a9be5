"""`/watchlist unmute` in an instant channel: a story whose card the channel never got comes as
instant mode posts any card: at once, whether the mute kept it from being queued or held back
the card a pass had queued.
Typed commands against the fake Discord REST API; see `tests/_unmute_rooms`."""

from __future__ import annotations

from pathlib import Path

import discord
from fakes.discord_api import FakeDiscord
from fakes.stories import add_story

from bot.runner import digests
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
