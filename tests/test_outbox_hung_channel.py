"""A call one Slack channel's platform never answers holds up that channel alone.

The outbox's drain sent the channels in parallel but waited for all of them, and the next drain
waited for it; its lost posts' lookups, its digest headings' edits and its notices went one
channel after another. So one chat.postMessage (a card, a thread reply), chat.update (a card's
edit), chat.delete (a heading's) or conversations.history (a lost post looked for) that Slack
never answered held every other channel's posts, Discord's included, until the HTTP client gave
up. Each channel now drains in a task of its own: while the call hangs, a Discord channel and
another Slack channel get the cards and notice queued after it began; the hung channel's own
later card waits for it and follows it, in order; nothing is posted twice.

Real outbox, Slack adapter (slack-sdk over HTTP, a client timeout far longer than the test) and
Discord bot adapter (discord.py over HTTP) against the loopback fakes: the fake Slack API holds
the calls of one channel (`FakeSlackAPI.hang`) until the test lets them go at the end; every
assertion is on what the fakes received, and on the gate still being closed when the other
channels' posts arrived."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
import sqlite_utils
from fakes.discord_api import FakeDiscord
from fakes.gate import Gate
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, grow_story, make_card_source, queue_story

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.routes import DiscordAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter
from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import update_planner
from bot.store import alerts as alert_store
from bot.store import deliveries as store
from bot.store import digest_headings
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
HUNG = "C1HUNG"
OTHER = "C2OTHER"
DISCORD = 333333333333333333
# Only keeps a regression from hanging the run: the old drain waited for the hung call, which
# the client here never gives up on within the test.
FAILSAFE = 20.0
NOTICE = "A feed this channel relies on was disabled."


class World:
    """Slack channels HUNG and OTHER, Discord channel DISCORD (through the bot), one outbox."""

    def __init__(self, slack: FakeSlackAPI, discord_api: FakeDiscord, client: Any, session: Any):
        self.slack = slack
        self.discord = discord_api
        self.now = T0
        slack.clock = lambda: self.now.timestamp()
        self.db: sqlite_utils.Database = open_database(":memory:")
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, T0),
            settings=OutboxSettings(pace=0),
            clock=lambda: self.now,
        )
        settings = SlackSettings(bot_token=BOT_TOKEN, api_url=slack.api_url)
        self.outbox.register(
            SlackAdapter(make_client(settings, timeout=600), pacer=ChannelPacer(0))
        )
        bot = DiscordBotAdapter(client)
        self.outbox.register(
            DiscordAdapter(bot=bot, webhooks=DiscordWebhookAdapter(session, bot=bot))
        )
        self.hung = add_channel(self.db, HUNG, mode="instant")
        self.other = add_channel(self.db, OTHER, mode="instant")
        self.elsewhere = add_channel(self.db, str(DISCORD), platform="discord", mode="instant")

    def queue(self, channel: ChannelRow, story: str) -> int:
        return queue_story(self.db, channel, story, now=self.now)

    def slack_posts(self, channel: str) -> list[str]:
        """The stories of the channel's messages, in order: a card or a thread reply."""
        return [
            str(m["metadata"]["event_payload"]["story_id"])
            for m in self.slack.messages.get(channel, [])
            if "metadata" in m
        ]

    def slack_calls(self, method: str, channel: str) -> int:
        return sum(1 for body in self.slack.calls_to(method) if body.get("channel") == channel)

    def discord_posts(self) -> list[dict[str, Any]]:
        return self.discord.channel_messages(DISCORD)


def sent(world: World, row_id: int) -> bool:
    row = store.get(world.db, row_id)
    return row is not None and row.state == "sent"


async def eventually(check: Callable[[], bool]) -> None:
    async def met() -> None:
        while not check():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(met(), FAILSAFE)


async def hang_card(world: World) -> Gate:
    gate = world.slack.hang("chat.postMessage", HUNG)
    world.queue(world.hung, "s1")
    return gate


async def _posted_and_grown(world: World) -> None:
    """s1's card posted in HUNG, then the story grows: its thread reply is queued."""
    world.queue(world.hung, "s1")
    await world.outbox.drain()
    assert world.slack_posts(HUNG) == ["s1"]
    world.now += timedelta(minutes=5)
    grow_story(world.db, "s1", ["C"], now=world.now)
    queued = update_planner.enqueue_updates(world.db, {"s1"}, now=world.now, interval=timedelta(0))
    assert queued == 1


async def hang_thread_reply(world: World) -> Gate:
    await _posted_and_grown(world)
    return world.slack.hang("chat.postMessage", HUNG)


async def hang_card_edit(world: World) -> Gate:
    # The reply lands; the edit of the card's count after it (chat.update) hangs.
    await _posted_and_grown(world)
    return world.slack.hang("chat.update", HUNG)


async def hang_lookup(world: World) -> Gate:
    # s1's post was claimed when the bot crashed: looked for in HUNG's history before resending.
    row_id = world.queue(world.hung, "s1")
    assert store.claim(world.db, row_id, world.now, source_count=2, outlets=["A", "B"])
    return world.slack.hang("conversations.history", HUNG)


async def hang_heading_deletion(world: World) -> Gate:
    # A digest heading over three cards that all went back to the pool: deleted (chat.delete).
    posted = world.slack._chat_postMessage({"channel": HUNG, "text": "News digest · 3 stories"})
    digest_headings.record(world.db, world.hung.id, [], world.now, str(posted["ts"]), world.now, 3)
    return world.slack.hang("chat.delete", HUNG)


# What hangs in HUNG, the calls of it, and HUNG's posts in the end (s4 queued while it hangs).
CASES = {
    "card": (hang_card, "chat.postMessage", ["s1", "s4"]),
    "thread reply": (hang_thread_reply, "chat.postMessage", ["s1", "s1", "s4"]),
    "card edit": (hang_card_edit, "chat.update", ["s1", "s1", "s4"]),
    "lost post lookup": (hang_lookup, "conversations.history", ["s1", "s4"]),
    "heading deletion": (hang_heading_deletion, "chat.delete", ["s4"]),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_one_hung_slack_call_holds_up_its_channel_alone(
    slack_api: FakeSlackAPI,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    case: str,
) -> None:
    make_hang, method, hung_posts = CASES[case]
    hang: Callable[[World], Awaitable[Gate]] = make_hang
    world = World(slack_api, discord_api, discord_client, session)
    gate = await hang(world)
    stop = asyncio.Event()
    running = asyncio.create_task(world.outbox.run(stop, idle=600))
    try:
        await gate.arrived(FAILSAFE)
        asked = world.slack_calls(method, HUNG)
        # Queued while the call hangs, as a new digest or instant post would be.
        world.queue(world.other, "s2")
        world.queue(world.elsewhere, "s3")
        alert_store.queue_alert(world.db, world.elsewhere.id, "notice", NOTICE, now=world.now)
        world.queue(world.hung, "s4")
        world.outbox.kick()

        await eventually(lambda: world.slack_posts(OTHER) == ["s2"])
        await eventually(lambda: len(world.discord_posts()) == 2)
        # All of it while HUNG's call was still unanswered, and not asked again.
        assert not gate.opened.is_set()
        assert world.slack_calls(method, HUNG) == asked
        # HUNG's later card waits behind the call, not sent past it.
        assert "s4" not in world.slack_posts(HUNG)

        gate.open()
        await eventually(lambda: world.slack_posts(HUNG) == hung_posts)
    finally:
        gate.open()
        stop.set()
        world.outbox.kick()
        await asyncio.wait_for(running, FAILSAFE)

    assert world.slack_posts(HUNG) == hung_posts
    assert world.slack_posts(OTHER) == ["s2"]
    card, notice = world.discord_posts()
    assert card["embeds"] and NOTICE in notice["content"]
    assert {row.state for row in store.in_state(world.db, "pending")} == set()
    assert store.in_state(world.db, "sending") == []
    assert alert_store.due_alerts(world.db, world.now + timedelta(days=1)) == []


async def test_the_loop_cancelled_mid_call_leaves_no_channel_drain_running(
    slack_api: FakeSlackAPI,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
) -> None:
    """A stop past its grace cancels the loop: the channel's drain, a task of its own, is
    cancelled with it, never left posting after the stop; its row stays `sending`, looked for
    before it is resent at the next start, as after a crash."""
    world = World(slack_api, discord_api, discord_client, session)
    gate = await hang_card(world)
    running = asyncio.create_task(world.outbox.run(asyncio.Event(), idle=600))
    try:
        await gate.arrived(FAILSAFE)
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(running, FAILSAFE)
        assert world.outbox.channel_drains.tasks == {}
        [row] = store.in_state(world.db, "sending")
        assert row.story_id == "s1" and row.channel_pk == world.hung.id
    finally:
        gate.open()


@pytest.mark.parametrize(
    ("hang", "method"),
    [(hang_card, "chat.postMessage"), (hang_lookup, "conversations.history")],
    ids=["post", "lookup"],
)
async def test_a_call_failing_alone_holds_back_its_channel_not_the_route(
    slack_api: FakeSlackAPI,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    hang: Callable[[World], Awaitable[Gate]],
    method: str,
) -> None:
    """HUNG's post (or the lookup of its post a crash cut off), under way while OTHER's got
    through, ends in a dropped connection (as a timeout would): that is HUNG's trouble, not
    Slack's. The route is not held back for its backoff, so OTHER's next card goes out at once;
    HUNG's post waits its own backoff, looked for before it is resent, and shows once."""
    world = World(slack_api, discord_api, discord_client, session)
    gate = await hang(world)
    other = world.queue(world.other, "s2")
    drain = asyncio.create_task(world.outbox.drain())
    try:
        await gate.arrived(FAILSAFE)
        # OTHER's post recorded sent: the bot heard it got through, not only Slack took it.
        await eventually(lambda: sent(world, other))
        slack_api.api_drops.add(method)  # the connection drops once it is let go
        gate.open()
        await asyncio.wait_for(drain, FAILSAFE)
    finally:
        gate.open()
    slack_api.api_drops.clear()
    assert "slack" not in world.outbox.outages
    [row] = store.in_state(world.db, "sending")
    assert row.channel_pk == world.hung.id
    assert row.next_attempt_at is not None and row.next_attempt_at > world.now

    world.queue(world.other, "s3")
    await asyncio.wait_for(world.outbox.drain(), FAILSAFE)
    assert world.slack_posts(OTHER) == ["s2", "s3"]
    assert world.slack_posts(HUNG) == []

    world.now += timedelta(minutes=5)
    await asyncio.wait_for(world.outbox.drain(), FAILSAFE)
    assert world.slack_posts(HUNG) == ["s1"]
    assert [r.story_id for r in store.in_state(world.db, "sent")] == ["s1", "s2", "s3"]
