"""Without Read Message History in a channel, Discord answers the bot's history read with no
messages, not an error. The lookup for a post whose answer was lost took that for "not posted"
and sent it again: a second card (after Discord's nonce window), a second digest heading (which
has no nonce). The bot's permissions in the channel are now worked out from the guild cache (its
roles, the channel's overwrites, Administrator): missing the permission, the bot's own channel
is "cannot check" (the row is checked again and in the end fails, never posted twice; a heading
is taken as shown), and a webhook channel, which needs nothing of the bot, is as in a server the
bot is not in (sent again, the log says it may show twice).

A discord.py client connected to the fake gateway, whose server (`FakeGuild`) comes in a
GUILD_CREATE; the real outbox and Discord adapters over HTTP against the fake REST API.

A new gateway session empties discord.py's guild cache at READY, which names each server
unavailable until its GUILD_CREATE comes (held back here: `FakeDiscord.guild_held`). A lookup in
between found no channel in the cache and read the history: empty without the permission, so
"not posted", and the card was sent again. Such a channel cannot be checked yet
(`GuildsPending`): the row waits a few seconds, using no attempt, and is checked once the
server is in."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import aiohttp
import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_api.guild import ADMINISTRATOR, READ_MESSAGE_HISTORY, VIEW_CHANNEL, FakeGuild
from fakes.discord_channel import BOT_POST, CHANNEL, HOOK_POST
from fakes.stories import add_story
from test_digest_notices_after_cards import TUESDAY, DiscordDigest
from test_discord_garbled_posts import World

from bot.adapters.discord.bot import intents
from bot.adapters.discord.channel_access import GUILDS_WAIT, GuildsPending, history_hidden
from bot.runner import digests
from bot.store import channels as channel_store

BAD_GATEWAY = {"message": "Bad Gateway"}
HISTORY = rf"/channels/{CHANNEL}/messages"
ROLE = 700000000000000001


@pytest.fixture
def guild(discord_gateway: FakeDiscord) -> FakeGuild:
    """The fake's server, the bot holding ROLE (no permissions of its own) in it."""
    discord_gateway.guild = FakeGuild(channels=[CHANNEL], roles={ROLE: 0}, bot_roles=[ROLE])
    return discord_gateway.guild


@contextlib.asynccontextmanager
async def connected() -> AsyncIterator[discord.Client]:
    """A client as `run` makes it (the `guilds` intent), through READY and the GUILD_CREATE of
    the server as it stands now."""
    client = discord.Client(intents=intents())
    await client.login("fake-token")
    task = asyncio.create_task(client.connect(reconnect=False))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 10)
        yield client
    finally:
        await client.close()
        await asyncio.gather(task, return_exceptions=True)


def no_history_here(guild: FakeGuild) -> None:
    """The channel's @everyone overwrite takes Read Message History away."""
    guild.deny(CHANNEL, READ_MESSAGE_HISTORY)


async def test_the_fake_answers_history_as_discord_does_by_permission(
    discord_api: FakeDiscord,
) -> None:
    discord_api.guild = FakeGuild(channels=[CHANNEL])
    discord_api.add_message(CHANNEL, content="there")
    url = f"{discord_api.base}/channels/{CHANNEL}/messages"
    async with aiohttp.ClientSession(headers={"Authorization": "Bot t"}) as http:
        async with http.get(url) as r:
            assert r.status == 200 and len(await r.json()) == 1
        discord_api.guild.deny(CHANNEL, READ_MESSAGE_HISTORY)
        async with http.get(url) as r:  # no error: no messages
            assert r.status == 200 and await r.json() == []
        discord_api.guild.deny(CHANNEL, VIEW_CHANNEL)
        async with http.get(url) as r:
            assert (r.status, (await r.json())["code"]) == (403, 50001)


async def test_a_channel_the_cache_does_not_hold_is_read_as_before(guild: FakeGuild) -> None:
    no_history_here(guild)
    async with connected() as client:
        assert history_hidden(client, CHANNEL)
        assert not history_hidden(client, 42)  # not in the cache: cannot tell, so no refusal


@pytest.mark.parametrize(
    ("grant", "hidden"),
    [
        (None, True),
        ("role overwrite", False),  # the bot's role allowed it back in the channel
        ("administrator", False),  # every permission, whatever the overwrites
        ("no view", False),  # Discord refuses history outright (403): not "no messages"
    ],
)
async def test_read_message_history_worked_out_from_roles_and_overwrites(
    guild: FakeGuild, grant: str | None, hidden: bool
) -> None:
    no_history_here(guild)
    if grant == "role overwrite":
        guild.allow(CHANNEL, READ_MESSAGE_HISTORY, target=ROLE)
    elif grant == "administrator":
        guild.roles[ROLE] = ADMINISTRATOR
    elif grant == "no view":
        guild.deny(CHANNEL, VIEW_CHANNEL)
    async with connected() as client:
        assert history_hidden(client, CHANNEL) is hidden
    # The fake answers history by the same reckoning.
    allowed = guild.permissions(CHANNEL)
    assert bool(allowed & VIEW_CHANNEL and not allowed & READ_MESSAGE_HISTORY) is hidden


async def test_a_bot_card_without_read_message_history_is_not_posted_twice(
    discord_gateway: FakeDiscord, guild: FakeGuild, session: Any
) -> None:
    """It cannot be checked: the row is checked again with backoff and in the end fails,
    saying why, rather than sent again into a channel where it may already be."""
    no_history_here(guild)
    async with connected() as client:
        world = World(discord_gateway, client, session, "bot")
        discord_gateway.fail_next("POST", BOT_POST, 502, BAD_GATEWAY, landed=True)
        await world.drain_hours(12)
    assert len(world.cards()) == 1
    assert len(discord_gateway.calls("POST", BOT_POST)) == 1
    assert discord_gateway.calls("GET", HISTORY) == []  # no read that could only say "none"
    [row] = world.rows("story")
    assert row.state == "failed"
    assert "Read Message History" in (row.last_error or "")
    # Not the channel refusing posts: it is not paused.
    channel = channel_store.get_channel_by_pk(world.db, world.channel.id)
    assert channel is not None and channel.paused_reason is None


async def test_a_bot_card_is_found_when_a_role_overwrite_grants_the_history(
    discord_gateway: FakeDiscord, guild: FakeGuild, session: Any
) -> None:
    no_history_here(guild)
    guild.allow(CHANNEL, READ_MESSAGE_HISTORY, target=ROLE)
    async with connected() as client:
        world = World(discord_gateway, client, session, "bot")
        discord_gateway.fail_next("POST", BOT_POST, 502, BAD_GATEWAY, landed=True)
        await world.drain_hours(3)
    [card] = world.cards()
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == card["id"]


async def test_a_webhook_card_without_the_bots_history_is_resent_and_the_log_says_so(
    discord_gateway: FakeDiscord,
    guild: FakeGuild,
    session: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    no_history_here(guild)
    async with connected() as client:
        world = World(discord_gateway, client, session, "webhook")
        discord_gateway.fail_next("POST", HOOK_POST, 502, BAD_GATEWAY, landed=True)
        await world.drain_hours(3)
    assert len(world.cards()) == 2
    said = "\n".join(r.getMessage() for r in caplog.records)
    assert "lacks Read Message History in the webhook's channel" in said
    assert "may show twice" in said


async def test_a_lost_heading_without_read_message_history_is_not_posted_again(
    tmp_path: Any,
    discord_gateway: FakeDiscord,
    guild: FakeGuild,
    session: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A heading carries no nonce: sent again, it would show twice. Not checkable, it is taken
    as shown and its cards go out under it."""
    caplog.set_level(logging.WARNING)
    no_history_here(guild)
    async with connected() as client:
        world = DiscordDigest(tmp_path, discord_gateway, client, session, "bot")
        world.now = TUESDAY
        discord_gateway._ids = itertools.count(discord.utils.time_snowflake(TUESDAY))
        for story in ("s1", "s2"):
            add_story(world.db, story, ["A", "B"], now=TUESDAY - timedelta(hours=1))
        digests.enqueue_digest(world.db, world.channel, now=TUESDAY, scheduled_for=TUESDAY)
        discord_gateway.fail_next("POST", BOT_POST, 500, {"message": "oops"}, landed=True)
        await world.outbox.drain()
    assert world.shown(0) == ["heading", "card", "card"]
    said = "\n".join(r.getMessage() for r in caplog.records)
    assert "Read Message History" in said
    world.db.close()


async def test_a_card_looked_for_before_its_server_came_in_is_not_sent_again(
    discord_gateway: FakeDiscord,
    guild: FakeGuild,
    session: Any,
) -> None:
    no_history_here(guild)
    discord_gateway.guild_held = True
    async with connected() as client:  # ready once discord.py stops waiting for the server
        [server] = client.guilds
        assert server.unavailable and client.get_channel(CHANNEL) is None
        with pytest.raises(GuildsPending) as pending:
            history_hidden(client, CHANNEL)
        assert pending.value.retry_after == GUILDS_WAIT

        world = World(discord_gateway, client, session, "bot")
        discord_gateway.fail_next("POST", BOT_POST, 502, BAD_GATEWAY, landed=True)
        await world.outbox.drain()
        world.now += timedelta(hours=1)
        await world.outbox.drain()  # the lookup: cannot check yet
        [row] = world.rows("story")
        assert row.state == "sending" and "have not come in" in (row.last_error or "")
        assert row.attempts == 0  # the wait uses no attempt
        assert discord_gateway.calls("GET", HISTORY) == []  # no read that could only say "none"

        await discord_gateway.release_guild()
        async with asyncio.timeout(5):
            while client.get_channel(CHANNEL) is None:
                await asyncio.sleep(0.01)
        assert history_hidden(client, CHANNEL)
        await world.drain_hours(12)
    # Then checked as any channel without the permission: failed, never posted twice.
    assert len(world.cards()) == 1
    assert len(discord_gateway.calls("POST", BOT_POST)) == 1
    [row] = world.rows("story")
    assert row.state == "failed" and "Read Message History" in (row.last_error or "")


async def test_a_channel_of_no_server_is_read_as_before_once_every_server_is_in(
    discord_gateway: FakeDiscord,
    guild: FakeGuild,
) -> None:
    # A server the bot is not in (a webhook's channel) is no reason to wait.
    async with connected() as client:
        assert not client.guilds[0].unavailable
        assert not history_hidden(client, 42)
