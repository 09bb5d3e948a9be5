"""One Discord channel, posted to through the bot or through its webhook (with the bot to look
up what the webhook posted, unless `bot` is False), on a test's database: the real Discord
adapters (discord.py over HTTP) and outbox against the fake REST API (`discord_api`), with the
clock the test moves (`now`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord
import sqlite_utils

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.errors import SEND_TIMEOUT
from bot.adapters.discord.routes import DiscordAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter
from bot.delivery.outbox import CardSource, Outbox, OutboxSettings
from fakes.discord_api import FakeDiscord
from fakes.stories import add_channel

CHANNEL = 111111111111111111
WEBHOOK_ID = 222222222222222222
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{'T' * 68}"
BOT_POST = rf"/channels/{CHANNEL}/messages"
HOOK_POST = rf"/webhooks/{WEBHOOK_ID}/[^/]+"


class DiscordChannel:
    """Channel `CHANNEL` on `db`, through its webhook when `route` is "webhook", else the bot;
    `post` is the fake's path its posts take. The outbox paces nothing."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        card_source: CardSource,
        fake: FakeDiscord,
        client: discord.Client,
        session: Any,
        route: str,
        *,
        now: datetime,
        bot: bool = True,
        send_timeout: float = SEND_TIMEOUT,
    ) -> None:
        self.fake = fake
        self.now = now
        self.db = db
        fake.webhook_channels[WEBHOOK_ID] = CHANNEL
        bot_adapter = DiscordBotAdapter(client, send_timeout=send_timeout) if bot else None
        self.adapter = DiscordAdapter(
            bot=bot_adapter, webhooks=DiscordWebhookAdapter(session, bot=bot_adapter)
        )
        self.outbox = Outbox(
            db, card_source, settings=OutboxSettings(pace=0), clock=lambda: self.now
        )
        self.outbox.register(self.adapter)
        self.channel = add_channel(
            db,
            str(CHANNEL),
            platform="discord",
            webhook_url=WEBHOOK_URL if route == "webhook" else None,
        )
        self.post = HOOK_POST if route == "webhook" else BOT_POST
