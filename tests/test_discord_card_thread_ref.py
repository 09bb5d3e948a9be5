"""A Discord card's thread is the card itself (a thread started from the message takes its id),
and the adapters say no thread when they post one: the outbox records the card's own id as its
thread, so the story's updates have a thread to go to (the webhook path reads it as stored).
Real outbox and bot adapter (discord.py over HTTP) against the fake Discord REST API."""

from __future__ import annotations

from pathlib import Path

import discord
from fakes.discord_api import FakeDiscord
from fakes.stories import add_story

from bot.store import deliveries as store
from tests._unmute_rooms import T0, discord_cards, discord_room


async def test_a_posted_discord_card_is_recorded_as_its_own_thread(
    discord_api: FakeDiscord, discord_client: discord.Client, tmp_path: Path
) -> None:
    room = discord_room(discord_client, tmp_path)
    add_story(room.db, "s1", ["A", "B"], now=T0)
    await room.poll("s1", ["C"])  # the pass queues the card, the drain posts it
    [card] = discord_cards(discord_api)
    [row] = [r for r in store.in_state(room.db, "sent") if r.kind == "story"]
    assert row.message_ref == str(card["id"])
    assert row.thread_ref == row.message_ref
