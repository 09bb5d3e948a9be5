"""The rooms the `/watchlist unmute` tests drive: one channel on a database file, with the real
outbox and adapters (slack-sdk, discord.py over HTTP) against the fake Slack Web API and Discord
REST API, and what those fakes were sent."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.routes import DiscordAdapter
from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.delivery.adapter import ChatAdapter
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests, update_planner
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)  # a Monday, at the channels' digest time
HOUR = timedelta(hours=1)
DISCORD_CHANNEL = 111111111111111111
RESTART = pytest.mark.parametrize("restart", [False, True], ids=["same-run", "restart"])


def sources_tracking(payload: Any) -> int:
    """The count in "N sources tracking this story" in a card's blocks or embeds."""
    found = re.search(r"(\d+) sources tracking this story", json.dumps(payload))
    assert found is not None, payload
    return int(found.group(1))


class Room:
    """One channel on a database file, driven as the service drives it: poll passes plan
    instant posts and updates, digests come at 09:00, and people type /watchlist."""

    def __init__(
        self,
        path: Path,
        make_adapter: Callable[[], ChatAdapter],
        platform: str,
        channel_id: str,
        *,
        mode: str = "digest",
    ) -> None:
        self.path = path
        self.make_adapter = make_adapter
        self.ctx = CommandContext(platform=platform, channel_id=channel_id, user_id="U1")
        self.now = T0
        self.start()
        self.channel = add_channel(self.db, channel_id, platform=platform, mode=mode)

    def start(self) -> None:
        self.db = open_database(self.path)
        self.core = NewsDigest(Config(database=str(self.path)), db=self.db)
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, T0),
            settings=OutboxSettings(pace=0),
            clock=lambda: self.now,
        )
        self.outbox.register(self.make_adapter())
        self.commands = Commands(
            self.core, clock=lambda: self.now, kick_outbox=self.outbox.kick, update_interval=HOUR
        )

    def restart(self) -> None:
        self.core.close()
        self.start()

    async def watchlist(self, args: str) -> str:
        return (await self.commands.dispatch("watchlist", args, self.ctx)).text

    async def poll(self, story_id: str, outlets: list[str]) -> None:
        """An hour on, a poll pass that adds `outlets` to the story (none: it touches no story),
        planned as the service plans a pass, then the outbox's drain."""
        self.now += HOUR
        if outlets:
            grow_story(self.db, story_id, outlets, now=self.now)
            if self.channel.mode == "instant":
                digests.enqueue_instant(self.db, self.channel, now=self.now, story_ids={story_id})
            update_planner.enqueue_updates(self.db, {story_id}, now=self.now, interval=HOUR)
        await self.outbox.drain()

    async def digest(self) -> None:
        """The channel's next 09:00 digest, and the drain that posts it."""
        self.now = self.now.replace(hour=9, minute=0) + timedelta(days=1)
        digests.enqueue_digest(self.db, self.channel, now=self.now, scheduled_for=self.now)
        await self.outbox.drain()


# --- Slack ------------------------------------------------------------------------------------


def slack_room(api: FakeSlackAPI, tmp_path: Path, *, mode: str = "digest") -> Room:
    def adapter() -> ChatAdapter:
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=api.api_url))
        return SlackAdapter(client, pacer=ChannelPacer(0))

    return Room(tmp_path / "nd.db", adapter, "slack", "C1", mode=mode)


def slack_posts(api: FakeSlackAPI) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The top-level posts and the thread replies, as chat.postMessage got them."""
    posts = api.calls_to("chat.postMessage")
    return [p for p in posts if "thread_ts" not in p], [p for p in posts if "thread_ts" in p]


def lead(reply: dict[str, Any]) -> str:
    return str(reply["blocks"][0]["text"]["text"])


async def posted_card(room: Room, api: FakeSlackAPI) -> dict[str, Any]:
    """Story s1 (outlets A and B) in the channel's digest."""
    add_story(room.db, "s1", ["A", "B"], now=T0 - HOUR)
    digests.enqueue_digest(room.db, room.channel, now=T0, scheduled_for=T0)
    await room.outbox.drain()
    [card], replies = slack_posts(api)
    assert not replies and sources_tracking(card["blocks"]) == 2
    return card


def card_ts(api: FakeSlackAPI) -> str:
    [card] = [m for m in api.messages["C1"] if "thread_ts" not in m]
    return str(card["ts"])


def discord_room(client: discord.Client, tmp_path: Path) -> Room:
    def adapter() -> ChatAdapter:
        return DiscordAdapter(bot=DiscordBotAdapter(client), webhooks=None)

    return Room(tmp_path / "nd.db", adapter, "discord", str(DISCORD_CHANNEL), mode="instant")


def discord_cards(api: FakeDiscord) -> list[dict[str, Any]]:
    return [
        m
        for m in api.channel_messages(DISCORD_CHANNEL)
        if not any((e.get("title") or "").startswith("Update:") for e in m.get("embeds", []))
    ]
