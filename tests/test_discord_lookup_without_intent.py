"""A webhook channel's post whose answer was lost is found through the webhook, not posted twice.

The bot runs without the privileged Message Content intent (the README has it left off), and
Discord then shows the bot blank content, embeds, attachments and components for every message
the app did not send itself: a channel webhook's cards, updates and notice pieces all read blank
in the bot's history. The lookup takes ids and `webhook_id` from history and reads each of the
webhook's messages through the webhook (GET /webhooks/{id}/{token}/messages/{id}), at most
`WEBHOOK_READS` a lookup; past that the post is sent again, and the log says it may show twice.

The fake Discord models the intent being off (`FakeDiscord.message_content`); real outbox and
Discord adapters over HTTP against it on 127.0.0.1."""

from __future__ import annotations

import itertools
import logging
from datetime import timedelta
from typing import Any

import aiohttp
import discord
import pytest
from fakes.discord_api import BOT_ID, FakeDiscord
from fakes.discord_channel import CHANNEL, HOOK_POST, WEBHOOK_ID
from fakes.stories import add_story
from test_digest_notices_after_cards import TUESDAY, DiscordDigest
from test_discord_garbled_posts import World

from bot.adapters.discord import webhook as webhook_module
from bot.adapters.discord.errors import BOT_ROUTE, WEBHOOK_ROUTE
from bot.adapters.discord.webhook_reads import WEBHOOK_READS
from bot.delivery.adapter import DeliveryError
from bot.runner import digests

BAD_GATEWAY = {"message": "Bad Gateway"}
HOOK_READ = rf"/webhooks/{WEBHOOK_ID}/[^/]+/messages/\d+"
HISTORY = rf"/channels/{CHANNEL}/messages"


def other_card(fake: FakeDiscord, n: int) -> None:
    """A card of another story the webhook posted: its footer names that story."""
    embed = {"title": f"Other story {n}", "footer": {"text": f"other-{n} · 2 sources"}}
    fake.add_message(CHANNEL, webhook_id=str(WEBHOOK_ID), embeds=[embed])


async def test_history_shows_the_bot_a_webhooks_message_blank_and_the_webhook_reads_it_whole(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    discord_api.webhook_channels[WEBHOOK_ID] = CHANNEL
    embed = {"title": "Ferry strike", "footer": {"text": "s1"}}
    hooked = discord_api.add_message(CHANNEL, webhook_id=str(WEBHOOK_ID), embeds=[embed])
    ours = discord_api.add_message(CHANNEL, content="our own heading")
    channel = discord_client.get_partial_messageable(CHANNEL)
    shown = {m.id: m async for m in channel.history(limit=10)}
    blank = shown[int(hooked["id"])]
    # Ids, webhook_id, author and times are kept; the text is not.
    assert blank.webhook_id == WEBHOOK_ID and blank.author.id == WEBHOOK_ID
    assert blank.created_at is not None
    assert (blank.content, blank.embeds, blank.attachments, blank.components) == ("", [], [], [])
    assert shown[int(ours["id"])].content == "our own heading"  # the app's own, whole
    assert shown[int(ours["id"])].author.id == BOT_ID

    async with aiohttp.ClientSession() as http:
        # The webhook reads its own message whole, by its URL's token: no bot token.
        async with http.get(
            f"{discord_api.base}/webhooks/{WEBHOOK_ID}/t/messages/{hooked['id']}"
        ) as r:
            assert r.status == 200 and (await r.json())["embeds"] == [embed]
        # Not a message of the webhook's: Unknown Message.
        async with http.get(
            f"{discord_api.base}/webhooks/{WEBHOOK_ID}/t/messages/{ours['id']}"
        ) as r:
            assert (r.status, (await r.json())["code"]) == (404, 10008)

    discord_api.message_content = True  # the intent turned on: history shows it whole
    shown = {m.id: m async for m in channel.history(limit=10)}
    assert shown[int(hooked["id"])].embeds[0].title == "Ferry strike"


async def test_a_webhook_card_that_landed_behind_a_502_is_found_and_not_posted_again(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "webhook")
    discord_api.fail_next("POST", HOOK_POST, 502, BAD_GATEWAY, landed=True)
    await world.drain_hours(3)
    [card] = world.cards()
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == card["id"]
    assert len(discord_api.calls("POST", HOOK_POST)) == 1
    # Found by reading the webhook's message through the webhook, its footer naming the story.
    [read] = discord_api.calls("GET", HOOK_READ)
    assert read.path.endswith(f"/messages/{card['id']}") and read.status == 200


async def test_a_webhook_update_that_landed_in_the_thread_is_read_there_and_not_posted_again(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "webhook")
    await world.drain_hours(0)
    await world.grow()
    discord_api.fail_next("POST", HOOK_POST, 502, BAD_GATEWAY, landed=True)
    await world.drain_hours(3)
    [update] = world.updates()
    thread = world.cards()[0]["id"]
    assert update["channel_id"] == thread
    [row] = world.rows("update")
    assert row.state == "sent" and row.thread_ref == thread
    # A message in a thread is read with its thread's id, as Discord requires.
    reads = discord_api.calls("GET", HOOK_READ)
    assert [r.query.get("thread_id") for r in reads] == [thread]


async def test_a_card_older_than_the_reads_allow_is_sent_again_and_the_log_says_so(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Each read is a request in the webhook's rate-limit bucket: a lookup makes at most
    WEBHOOK_READS of them, newest first, and past them takes the card as not there."""
    caplog.set_level(logging.WARNING)
    world = World(discord_api, discord_client, session, "webhook")
    discord_api.fail_next("POST", HOOK_POST, 502, BAD_GATEWAY, landed=True)
    await world.outbox.drain()
    for n in range(WEBHOOK_READS):
        other_card(discord_api, n)
    await world.drain_hours(3)
    assert len(discord_api.calls("GET", HOOK_READ)) == WEBHOOK_READS
    assert len(world.cards()) == WEBHOOK_READS + 2  # its card twice
    [row] = world.rows("story")
    assert row.state == "sent"
    said = [r.getMessage() for r in caplog.records if "may show twice" in r.getMessage()]
    assert said and f"{WEBHOOK_READS} newest" in said[0] and "1 more not read" in said[0]


async def test_a_card_among_the_newest_the_reads_allow_is_found(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "webhook")
    discord_api.fail_next("POST", HOOK_POST, 502, BAD_GATEWAY, landed=True)
    await world.outbox.drain()
    for n in range(WEBHOOK_READS - 1):
        other_card(discord_api, n)
    await world.drain_hours(3)
    assert len(discord_api.calls("GET", HOOK_READ)) == WEBHOOK_READS
    assert len(world.cards()) == WEBHOOK_READS  # its card once, and the others
    [row] = world.rows("story")
    assert row.state == "sent" and row.message_ref == world.cards()[0]["id"]


async def test_a_failed_read_through_the_webhook_holds_the_webhooks_not_the_bots_posts(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    """The read is the webhook's request: a 5xx to it is the webhooks' route's trouble. The
    row waits, not sent again blind, and the bot's own channels are not held back for it."""
    world = World(discord_api, discord_client, session, "webhook")
    discord_api.fail_next("POST", HOOK_POST, 502, BAD_GATEWAY, landed=True)
    discord_api.fail_next("GET", HOOK_READ, 502, BAD_GATEWAY)
    await world.outbox.drain()
    world.now += timedelta(hours=1)
    await world.outbox.drain()
    [row] = world.rows("story")
    assert row.state == "sending" and "read of webhook" in (row.last_error or "")
    assert WEBHOOK_ROUTE in world.outbox.outages and BOT_ROUTE not in world.outbox.outages
    await world.drain_hours(2)
    assert len(world.cards()) == 1 and world.rows("story")[0].state == "sent"


async def test_slow_reads_through_the_webhook_fail_on_the_webhooks_route_within_the_lookup(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    """Each read answers within its own timeout, but together they outlast the lookup
    (2 x send_timeout): its timeout was charged to the bot's route, holding every bot channel
    back for the webhook's slowness. The reads now get half the lookup's time, and past it the
    lookup fails as the webhooks' route's timeout, before the lookup's own."""
    send_timeout = 0.5
    world = World(discord_api, discord_client, session, "webhook", send_timeout=send_timeout)
    discord_api.fail_next("POST", HOOK_POST, 502, BAD_GATEWAY, landed=True)
    await world.outbox.drain()
    for n in range(5):
        other_card(discord_api, n)
    # Five reads of 0.3 s each (answered "{}", no footer): 1.5 s, past the lookup's 1 s.
    for _ in range(5):
        discord_api.hang_next("GET", HOOK_READ, 0.3, landed=True)
    world.now += timedelta(hours=1)
    await world.outbox.drain()
    [row] = world.rows("story")
    assert row.state == "sending"
    # The reads' share ran out before the lookup's own time: its error, on the webhooks' route.
    # Read from the error, not a stopwatch: the lookup's own timeout says otherwise, on the bot's.
    assert "reads took the 0.5 s the lookup gives them" in (row.last_error or "")
    assert WEBHOOK_ROUTE in world.outbox.outages and BOT_ROUTE not in world.outbox.outages
    # Discord quick again: found, never sent twice.
    await world.drain_hours(2)
    assert len(world.cards()) == 6 and world.rows("story")[0].state == "sent"


async def test_slow_reads_for_a_lost_digest_heading_fail_on_the_webhooks_route_within_the_lookup(
    tmp_path: Any,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A webhook channel's digest heading whose answer was lost is looked for as a notice's
    piece is (`notice_lookup.find_piece`), whose reads through the webhook had no share of the
    lookup's time: slow ones outlasted it, and its timeout was the bot's route's. They get
    half of it now, as a card's reads do, and past it fail on the webhooks' route."""
    send_timeout = 0.5
    world = DiscordDigest(
        tmp_path, discord_api, discord_client, session, "webhook", send_timeout=send_timeout
    )
    world.now = TUESDAY
    # Discord's ids carry the time it made the message: made now, as by the real one.
    discord_api._ids = itertools.count(discord.utils.time_snowflake(TUESDAY))
    notes = [f"Harbour note {n}" for n in range(5)]
    for note in notes:  # the webhook's, since the digest was queued: each read in turn
        discord_api.add_message(CHANNEL, webhook_id=str(WEBHOOK_ID), content=note)
    for story in ("s1", "s2"):
        add_story(world.db, story, ["A", "B"], now=TUESDAY - timedelta(hours=1))
    digests.enqueue_digest(world.db, world.channel, now=TUESDAY, scheduled_for=TUESDAY)
    discord_api.fail_next("POST", HOOK_POST, 502, BAD_GATEWAY, landed=True)
    # The heading's read and the five others', 0.3 s each (answered "{}"): 1.8 s, past the
    # lookup's 1 s.
    for _ in range(6):
        discord_api.hang_next("GET", HOOK_READ, 0.3, landed=True)
    looked: list[BaseException] = []
    find_piece = webhook_module.find_piece

    async def spied(*args: Any, **kwargs: Any) -> str | bool | None:
        try:
            return await find_piece(*args, **kwargs)
        except BaseException as exc:
            looked.append(exc)
            raise

    monkeypatch.setattr(webhook_module, "find_piece", spied)
    with caplog.at_level(logging.WARNING):
        await world.outbox.drain()
    [error] = looked
    assert isinstance(error, DeliveryError) and error.route == WEBHOOK_ROUTE
    assert "reads took the 0.5 s the lookup gives them" in str(error)
    said = "\n".join(r.getMessage() for r in caplog.records)
    assert "digest heading for" in said and "looking for it failed: " in said
    assert BOT_ROUTE not in world.outbox.outages
    # Nobody could tell, so its cards went out as under it: the heading shows once.
    assert world.shown(0) == [*notes, "heading", "card", "card"]
