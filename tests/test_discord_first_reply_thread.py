"""A story's first thread reply on Discord starts the thread before it is sent: trying the reply
in a thread that does not exist yet cost every story a 404 first. Later replies go straight into
the thread. Real outbox and adapters against the Discord REST fake, which records each request."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import CHANNEL
from fakes.stories import grow_story
from test_discord_garbled_posts import ROUTES
from test_discord_garbled_posts import World as DiscordWorld

from bot.runner import update_planner


def _requests(fake: FakeDiscord, start: int) -> list[tuple[str, str, int]]:
    """(method, what, status) of the sends after `start`: a post, a thread start, a reply."""
    out = []
    for r in fake.requests[start:]:
        if r.method != "POST":
            continue
        what = "thread" if r.path.endswith("/threads") else "post"
        if r.query.get("thread_id") or (what == "post" and str(CHANNEL) not in r.path):
            what = "reply"
        out.append((r.method, what, r.status))
    return out


@ROUTES
async def test_the_first_reply_starts_the_thread_then_goes_in_it(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, route: str
) -> None:
    world = DiscordWorld(discord_api, discord_client, session, route)
    await world.drain_hours(0)
    start = len(discord_api.requests)
    await world.grow()
    await world.drain_hours(0)
    assert _requests(discord_api, start) == [("POST", "thread", 201), ("POST", "reply", 200)]
    # The next reply: the thread is there, so straight into it.
    world.now += timedelta(hours=3)
    start = len(discord_api.requests)
    grow_story(world.db, "s1", ["D"], now=world.now)
    assert (
        update_planner.enqueue_updates(world.db, {"s1"}, now=world.now, interval=timedelta(0)) == 1
    )
    await world.drain_hours(0)
    assert _requests(discord_api, start) == [("POST", "reply", 200)]
    assert len(world.updates()) == 2
