"""A server that stays unavailable after READY (Discord's outage of that one server) holds back
lookups only in the session's first minute (`channel_access.READY_WINDOW`): after that a channel
the guild cache lacks is read as before, so an unrelated server's outage no longer holds a
channel's later posts for up to two days. A webhook channel's lookup never waits on it, and a
row put off for minutes is said in the log once."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_api.guild import FakeGuild
from fakes.discord_channel import BOT_POST
from fakes.stories import add_story
from test_discord_garbled_posts import World
from test_discord_history_permission import BAD_GATEWAY, connected, guild  # noqa: F401

from bot.adapters.discord import channel_access
from bot.adapters.discord.channel_access import READY_WINDOW, GuildsPending, history_hidden
from bot.store import deliveries as store

ELSEWHERE = 42  # a channel of no server the bot is in (a webhook channel's usual case)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(channel_access, "_clock", moved)
    return moved


async def test_an_unavailable_server_holds_lookups_only_in_the_sessions_first_minute(
    discord_gateway: FakeDiscord,
    guild: FakeGuild,  # noqa: F811
    clock: Clock,
) -> None:
    discord_gateway.guild_held = True  # this server's GUILD_CREATE never comes
    async with connected() as client:
        assert client.guilds[0].unavailable
        with pytest.raises(GuildsPending):
            history_hidden(client, ELSEWHERE)
        # A webhook channel's lookup resends when it cannot tell: it never waits.
        assert history_hidden(client, ELSEWHERE, webhook=True) is False
        clock.now += READY_WINDOW + 1
        assert history_hidden(client, ELSEWHERE) is False  # read as before
        # A new session (READY again) waits for its servers once more.
        channel_access.note_ready(client)
        with pytest.raises(GuildsPending):
            history_hidden(client, ELSEWHERE)


async def test_a_server_that_stays_unavailable_no_longer_holds_the_channel_for_days(
    discord_gateway: FakeDiscord,
    guild: FakeGuild,  # noqa: F811
    session: Any,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    discord_gateway.guild_held = True  # never released
    async with connected() as client:
        world = World(discord_gateway, client, session, "bot")
        discord_gateway.fail_next("POST", BOT_POST, 502, BAD_GATEWAY, landed=True)
        await world.outbox.drain()
        add_story(world.db, "s2", ["C", "D"], now=world.now)
        store.enqueue_story(world.db, "s2", world.channel.id, now=world.now)
        with caplog.at_level(logging.WARNING, logger="bot.delivery.failures"):
            # Within the session's first minute: checked again every few seconds, s2 held.
            for _ in range(80):
                world.now += timedelta(seconds=6)
                await world.outbox.drain()
        rows = {r.story_id: r for r in world.rows("story")}
        assert rows["s1"].state == "sending" and rows["s2"].state == "pending"
        said = [r.getMessage() for r in caplog.records if "waited" in r.getMessage()]
        assert len(said) == 1 and "later posts" in said[0]  # once, not every 5 s

        clock.now += READY_WINDOW + 1  # the server is down, not coming in
        await world.drain_hours(2)
        rows = {r.story_id: r for r in world.rows("story")}
        assert rows["s1"].state == "sent" and rows["s2"].state == "sent"
        assert len(world.cards()) == 2  # s1 found in the history, not posted twice
