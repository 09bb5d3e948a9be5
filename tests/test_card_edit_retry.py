"""An update whose reply landed while the edit of the original card failed (a 5xx or a timeout on
the edit alone): the update counts as sent, and the edit is retried with the outbox's backoff,
across a restart too, until the card shows the story's count, the reply posted exactly once.

Real outbox and adapters (slack-sdk, discord.py over HTTP) on a database file against the fake
Slack Web API and Discord REST API; every assertion is on what the fakes recorded or hold. A
restart is a new connection to the file and a new outbox and adapters, as a new process has."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
import sqlite_utils
from fakes.discord_api import FakeDiscord
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.errors import SEND_TIMEOUT
from bot.adapters.discord.routes import DiscordAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter
from bot.adapters.slack.adapter import UPDATE_EVENT_TYPE, ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.adapter import ChatAdapter
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import update_planner
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
CHANNEL = 111111111111111111
WEBHOOK_ID = 222222222222222222
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{'T' * 68}"
EDIT_TIMEOUT = 0.3  # stands for SEND_TIMEOUT on a webhook's edit
RESTART = pytest.mark.parametrize("restart", [False, True], ids=["same-run", "restart"])


def sources_tracking(payload: Any) -> int:
    """The count in "N sources tracking this story" in a card's blocks or embeds."""
    found = re.search(r"(\d+) sources tracking this story", json.dumps(payload))
    assert found is not None, payload
    return int(found.group(1))


class Room:
    """One channel and one story on a database file; `make_adapter` builds the platform's
    adapter as a process starting up would."""

    def __init__(
        self, path: Path, make_adapter: Callable[[], ChatAdapter], platform: str, channel_id: str
    ) -> None:
        self.path = path
        self.make_adapter = make_adapter
        self.now = T0
        self.start()
        self.channel = add_channel(self.db, channel_id, platform=platform)
        add_story(self.db, "s1", ["A", "B"], now=T0)
        store.enqueue_story(self.db, "s1", self.channel.id, now=T0)

    def start(self) -> None:
        self.db: sqlite_utils.Database = open_database(self.path)
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, T0),
            settings=OutboxSettings(pace=0),
            clock=lambda: self.now,
        )
        self.outbox.register(self.make_adapter())

    def restart(self) -> None:
        self.db.close()
        self.start()

    async def grow(self) -> None:
        """The posted story gains an outlet: one thread update is queued."""
        grow_story(self.db, "s1", ["C"], now=self.now)
        assert (
            update_planner.enqueue_updates(self.db, {"s1"}, now=self.now, interval=timedelta(0))
            == 1
        )

    def rows(self, kind: str) -> list[store.DeliveryRow]:
        return [
            row
            for state in ("pending", "sending", "sent", "failed")
            for row in store.in_state(self.db, state)
            if row.kind == kind
        ]

    async def first_failed_edit(self, restart: bool) -> None:
        """The update goes out with its edit failing; the edit waits its backoff (the clock
        stands); with `restart` the process is then restarted."""
        await self.outbox.drain()
        [update] = self.rows("update")
        assert update.state == "sent"
        [edit] = self.rows("refresh")
        assert edit.state == "pending" and edit.next_attempt_at is not None
        assert edit.next_attempt_at > self.now
        await self.outbox.drain()  # not due yet
        if restart:
            self.restart()

    async def retry_edit(self) -> None:
        self.now += timedelta(hours=1)  # past the first backoff
        await self.outbox.drain()
        [edit] = self.rows("refresh")
        assert edit.state == "sent"
        self.now += timedelta(hours=1)
        await self.outbox.drain()  # nothing more to do


# --- Slack ------------------------------------------------------------------------------------


def slack_room(api: FakeSlackAPI, tmp_path: Path) -> Room:
    def adapter() -> ChatAdapter:
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=api.api_url))
        return SlackAdapter(client, pacer=ChannelPacer(0))

    return Room(tmp_path / "nd.db", adapter, "slack", "C1")


def slack_card(api: FakeSlackAPI) -> dict[str, Any]:
    [card] = [m for m in api.messages["C1"] if "thread_ts" not in m]
    return card


@RESTART
async def test_slack_an_edit_failing_with_a_500_is_retried_and_the_reply_posted_once(
    slack_api: FakeSlackAPI, tmp_path: Path, restart: bool
) -> None:
    room = slack_room(slack_api, tmp_path)
    await room.outbox.drain()
    assert sources_tracking(slack_card(slack_api)["blocks"]) == 2
    await room.grow()
    slack_api.script("chat.update", status=500, body={"ok": False, "error": "internal_error"})
    await room.first_failed_edit(restart)
    assert sources_tracking(slack_card(slack_api)["blocks"]) == 2  # the edit did not take

    await room.retry_edit()
    card = slack_card(slack_api)
    assert sources_tracking(card["blocks"]) == 3
    edits = slack_api.calls_to("chat.update")
    assert len(edits) == 2 and all(e["ts"] == card["ts"] for e in edits)
    assert sources_tracking(edits[-1]["blocks"]) == 3
    # The card, and one reply in its thread: never posted again for the edit.
    posts = slack_api.calls_to("chat.postMessage")
    assert len(posts) == 2 and posts[1]["thread_ts"] == card["ts"]
    assert posts[1]["metadata"]["event_type"] == UPDATE_EVENT_TYPE
    assert not slack_api.calls_to("conversations.replies")  # nothing to look for either


# --- Discord ----------------------------------------------------------------------------------


def discord_room(
    api: FakeDiscord,
    client: discord.Client,
    session: Any,
    tmp_path: Path,
    route: str,
    *,
    edit_timeout: float = EDIT_TIMEOUT,
) -> Room:
    api.webhook_channels[WEBHOOK_ID] = CHANNEL

    def adapter() -> ChatAdapter:
        bot = DiscordBotAdapter(client)
        hooks = DiscordWebhookAdapter(session, bot=bot, send_timeout=edit_timeout)
        return DiscordAdapter(bot=bot, webhooks=hooks)

    room = Room(tmp_path / "nd.db", adapter, "discord", str(CHANNEL))
    if route == "webhook":
        room.channel = channel_store.update_channel(
            room.db, room.channel.id, webhook_url=WEBHOOK_URL
        )
    return room


def discord_messages(api: FakeDiscord) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The card in the channel, and the updates (in its thread or the channel)."""
    updates = [
        m
        for m in api.messages.values()
        if any((e.get("title") or "").startswith("Update:") for e in m.get("embeds", []))
    ]
    [card] = [m for m in api.channel_messages(CHANNEL) if m not in updates]
    return card, updates


@RESTART
@pytest.mark.parametrize("route", ["bot", "webhook"])
async def test_discord_an_edit_that_failed_is_retried_and_the_reply_posted_once(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    tmp_path: Path,
    route: str,
    restart: bool,
) -> None:
    room = discord_room(discord_api, discord_client, session, tmp_path, route)
    await room.outbox.drain()
    card, _ = discord_messages(discord_api)
    assert sources_tracking(card["embeds"]) == 2
    await room.grow()
    if route == "bot":
        # A 503 (discord.py itself retries a 500 once a second, up to five times, before any
        # failure reaches the bot: the one that does comes as this).
        edit = rf"/channels/{CHANNEL}/messages/\d+"
        discord_api.fail_next("PATCH", edit, 503, {"message": "Service Unavailable", "code": 0})
    else:
        # No answer in time (a 5xx: see the test below).
        edit = rf"/webhooks/{WEBHOOK_ID}/[^/]+/messages/\d+"
        discord_api.hang_next("PATCH", edit, 5.0)
    await room.first_failed_edit(restart)
    card, _ = discord_messages(discord_api)
    assert sources_tracking(card["embeds"]) == 2  # the edit did not take

    await room.retry_edit()
    card, updates = discord_messages(discord_api)
    assert sources_tracking(card["embeds"]) == 3
    edits = discord_api.calls("PATCH", edit)
    assert len(edits) == 2 and all(e.path.endswith(f"/{card['id']}") for e in edits)
    assert sources_tracking(edits[-1].body["embeds"]) == 3
    [reply] = updates  # posted once, never again for the edit
    assert sources_tracking(reply["embeds"]) == 3
    post = rf"/channels/\d+/messages|/webhooks/{WEBHOOK_ID}/[^/]+"
    # The card and the reply (a first try into the thread before it was started is refused).
    assert [c.status for c in discord_api.calls("POST", post) if c.status < 400] == [200, 200]
    assert not discord_api.calls("GET", r"/channels/\d+/messages")  # nothing looked for


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@pytest.mark.parametrize("route", ["bot", "webhook"])
async def test_discord_an_edit_failing_with_a_5xx_is_tried_once_per_pass_and_retried_by_the_outbox(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    tmp_path: Path,
    status: int,
    route: str,
) -> None:
    """Each pass sends the edit once, and the first 5xx reaches the outbox: discord.py does not
    try it again by itself (some 25 s of its own retries of a 500, 502 or 504, within the pass
    and under the outbox's one drain), and the outbox's backoff makes it later, until Discord
    is healthy again. Counted on the fake: one request per pass."""
    # The edit's real timeout: discord.py's first retry, a second later, would come within it.
    room = discord_room(
        discord_api, discord_client, session, tmp_path, route, edit_timeout=SEND_TIMEOUT
    )
    await room.outbox.drain()
    await room.grow()
    if route == "bot":
        edit = rf"/channels/{CHANNEL}/messages/\d+"
    else:
        edit = rf"/webhooks/{WEBHOOK_ID}/[^/]+/messages/\d+"
    discord_api.fail_next("PATCH", edit, status, {"message": "Server Error", "code": 0}, times=9)

    await room.first_failed_edit(restart=False)
    assert [c.status for c in discord_api.calls("PATCH", edit)] == [status]  # tried once
    card, _ = discord_messages(discord_api)
    assert sources_tracking(card["embeds"]) == 2

    # Still failing at the retry: one more request, and the edit waits again.
    room.now += timedelta(hours=1)
    await room.outbox.drain()
    assert [c.status for c in discord_api.calls("PATCH", edit)] == [status, status]
    [row] = room.rows("refresh")
    assert row.state in ("pending", "sending") and row.next_attempt_at is not None
    assert row.next_attempt_at > room.now

    discord_api.heal()
    await room.retry_edit()
    card, updates = discord_messages(discord_api)
    assert sources_tracking(card["embeds"]) == 3
    assert [c.status for c in discord_api.calls("PATCH", edit)] == [status, status, 200]
    assert len(updates) == 1  # the reply, posted once
