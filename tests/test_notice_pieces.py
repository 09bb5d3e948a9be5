"""A notice too long for one message goes out as several pieces; refused partway (a 429 or a 5xx
on the second piece) or cut off by a crash, it is resent from the first piece not posted: each
piece is recorded on the notice's row once it has landed. A piece whose answer was lost (a 5xx
or a timeout after Discord created it) is sent again; the bot's carries the same nonce each time,
so Discord answers with the message it created rather than post it twice. The bot's notices are
requests of its own: a bucket's 429 on one puts off that notice alone.

Real outbox and adapters against the fake Discord REST API (the bot, and a channel's webhook) and
the fake Slack Web API, all on 127.0.0.1; assertions read what the fakes were sent and the row."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
import pytest
import sqlite_utils
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST, CHANNEL, HOOK_POST
from fakes.slack_api import FakeSlackAPI
from fakes.slack_outbox import T0 as SLACK_T0
from fakes.stories import add_channel, add_story
from test_discord_garbled_posts import World
from test_slack_rate_limits import World as SlackWorld
from test_slack_rate_limits import instant

from bot.store import alerts as alert_store
from bot.store import deliveries as store

PIECES = ["Feed A was disabled.", "a" * 1990, "b" * 1990]
NOTICE = "\n".join(PIECES)  # three messages on Discord: 2,000 characters at most in each
SERVER_ERROR = {"message": "Service Unavailable", "code": 0}


def notice_pieces(fake: FakeDiscord) -> list[str]:
    """The notice's messages in the channel, in order (the story's card left out)."""
    return [m["content"] for m in fake.channel_messages(CHANNEL) if m.get("content")]


def alert(db: sqlite_utils.Database) -> tuple[str, int]:
    """The notice's state and attempts used."""
    return db.execute("SELECT state, attempts FROM alerts").fetchone()


def pieces_posted(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT pieces_posted FROM alerts").fetchone()[0])


async def queued_notice(world: World) -> None:
    await world.outbox.drain()  # the story's card, out of the way
    alert_store.enqueue_alert(world.db, world.channel.id, "feed-off", NOTICE, now=world.now)


async def test_a_notice_rate_limited_on_its_second_piece_goes_on_from_it(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    await queued_notice(world)
    body = {"message": "You are being rate limited.", "retry_after": 60.0, "global": False}
    headers = {"Via": "1.1 google", "Retry-After": "60"}
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers, after=1)
    await world.outbox.drain()
    assert notice_pieces(discord_api) == PIECES[:1]
    assert alert(world.db) == ("pending", 0)

    world.now += timedelta(seconds=61)
    # The bot keeps the bucket's wait by the event loop's clock: as it stands once it passed.
    assert world.adapter.bot is not None
    world.adapter.bot.rest._refills.clear()
    await world.outbox.drain()
    assert notice_pieces(discord_api) == PIECES  # each piece once, in order
    assert alert(world.db)[0] == "sent" and pieces_posted(world.db) == 3
    # The card, the first piece, the 429, then only the two pieces not posted.
    assert [c.status for c in discord_api.calls("POST", BOT_POST)] == [200, 200, 429, 200, 200]


@pytest.mark.parametrize("route", ["bot", "webhook"])
async def test_a_notice_failing_on_its_second_piece_is_not_resent_whole(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, route: str
) -> None:
    world = World(discord_api, discord_client, session, route)
    await queued_notice(world)
    path = BOT_POST if route == "bot" else HOOK_POST
    discord_api.fail_next("POST", path, 503, SERVER_ERROR, after=1)
    await world.outbox.drain()
    assert notice_pieces(discord_api) == PIECES[:1]
    assert alert(world.db) == ("pending", 0)

    world.now += timedelta(hours=1)  # past its own backoff
    await world.outbox.drain()
    assert notice_pieces(discord_api) == PIECES
    assert alert(world.db)[0] == "sent" and pieces_posted(world.db) == 3


async def test_a_piece_whose_answer_was_lost_is_not_posted_twice_by_the_bot(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    await queued_notice(world)
    # Discord created the second piece, then answered 503: it may have landed, so it is sent
    # again, with the nonce it had.
    discord_api.fail_next("POST", BOT_POST, 503, SERVER_ERROR, after=1, landed=True)
    await world.outbox.drain()
    assert notice_pieces(discord_api) == PIECES[:2]
    assert alert(world.db) == ("pending", 0) and pieces_posted(world.db) == 1

    world.now += timedelta(minutes=2)  # past its own backoff, within Discord's nonce window
    await world.outbox.drain()
    assert notice_pieces(discord_api) == PIECES  # the second piece once
    assert alert(world.db)[0] == "sent" and pieces_posted(world.db) == 3
    calls = discord_api.calls("POST", BOT_POST)[1:]  # the notice's requests, the card's left out
    assert [c.status for c in calls] == [200, 503, 200, 200]
    assert calls[1].body["nonce"] == calls[2].body["nonce"]
    assert len({c.body["nonce"] for c in calls}) == 3  # one per piece


async def test_a_buckets_429_on_a_bot_notice_puts_off_that_notice_alone(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    # discord.py would raise its RateLimited, with no scope, and the outbox held every bot
    # channel's posts for the minute.
    discord_client.http.max_ratelimit_timeout = 30.0
    world = World(discord_api, discord_client, session, "bot")
    await queued_notice(world)
    other = add_channel(world.db, "333333333333333333", platform="discord", mode="instant")
    add_story(world.db, "s2", ["X", "Y"], now=world.now)
    store.enqueue_story(world.db, "s2", other.id, now=world.now)
    body = {"message": "You are being rate limited.", "retry_after": 60.0, "global": False}
    headers = {"Via": "1.1 google", "Retry-After": "60", "X-RateLimit-Scope": "user"}
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers)
    await world.outbox.drain()  # the other channel's card first, then the notice
    assert alert(world.db) == ("pending", 0)

    alert_store.enqueue_alert(world.db, other.id, "feed-off", "Feed B was disabled", now=world.now)
    add_story(world.db, "s3", ["P", "Q"], now=world.now)
    store.enqueue_story(world.db, "s3", other.id, now=world.now)
    world.now += timedelta(seconds=1)
    await world.outbox.drain()
    assert world.outbox.rate_limits.active(world.now) == []
    assert {r.story_id for r in store.in_state(world.db, "sent")} == {"s1", "s2", "s3"}
    other_texts = discord_api.channel_messages(int(other.channel_id))
    assert [m["content"] for m in other_texts if m.get("content")] == ["Feed B was disabled"]
    assert notice_pieces(discord_api) == []  # CHANNEL's waits its minute


async def test_a_notice_posted_before_a_crash_is_not_posted_again(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = SlackWorld(db, slack_api)
    channel = instant(db, "C1")
    alert_store.enqueue_alert(db, channel.id, "feed-off", "A feed was disabled", now=SLACK_T0)
    await world.drain()
    assert len(slack_api.calls_to("chat.postMessage")) == 1
    assert alert(db) == ("sent", 1)
    # The process died after Slack took it, before it was marked sent: requeued on start.
    db.execute("UPDATE alerts SET state = 'sending'")
    world.now = SLACK_T0 + timedelta(minutes=1)
    await world.drain()
    assert alert(db)[0] == "sent"
    assert len(slack_api.calls_to("chat.postMessage")) == 1  # not posted twice
