"""A send discord.py refuses before any request (more than 10 embeds here; embed and embeds mixed,
a payload it cannot encode) is our own bug, not a garbled answer: nothing went out, so it uses
an attempt, is logged with its traceback, is given up after the attempt limit, and leaves every
other Discord channel alone. It was taken for "answered with a body that is not a Discord
message": silent, no attempt used, the whole bot route held, the row stale after two days.

Real outbox and Discord adapter against the fake REST API; assertions on what the fake recorded."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.stories import add_channel, add_story, make_card_source

import bot.adapters.discord.adapter as adapter_module
import bot.adapters.discord.webhook as webhook_module
from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.interactions import Outgoing, _follow_up
from bot.adapters.discord.routes import DiscordAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
BAD, GOOD = 111111111111111111, 333333333333333333
WEBHOOK_ID = 222222222222222222
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{'T' * 68}"
MAX_ATTEMPTS = OutboxSettings().max_attempts


def too_many_embeds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Story "bad" renders 11 embeds, one more than discord.py lets through."""
    real = adapter_module.card_embeds

    def embeds(card: Any, **kwargs: Any) -> list[discord.Embed]:
        return real(card, **kwargs) * (11 if "bad" in card.slug else 1)

    monkeypatch.setattr(adapter_module, "card_embeds", embeds)
    monkeypatch.setattr(webhook_module, "card_embeds", embeds)


@pytest.mark.parametrize("route", ["bot", "webhook"])
async def test_a_payload_discord_py_refuses_is_a_bug_that_uses_attempts(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    route: str,
) -> None:
    caplog.set_level(logging.INFO)
    too_many_embeds(monkeypatch)
    discord_api.webhook_channels[WEBHOOK_ID] = BAD
    db = open_database(":memory:")
    now = [T0]
    bot = DiscordBotAdapter(discord_client)
    outbox = Outbox(
        db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: now[0]
    )
    outbox.register(DiscordAdapter(bot=bot, webhooks=DiscordWebhookAdapter(session, bot=bot)))
    bad = add_channel(
        db, str(BAD), platform="discord", webhook_url=WEBHOOK_URL if route == "webhook" else None
    )
    good = add_channel(db, str(GOOD), platform="discord")
    add_story(db, "bad", ["A", "B"], now=T0)
    store.enqueue_story(db, "bad", bad.id, now=T0)
    await outbox.drain()
    [row] = store.in_state(db, "sending")  # held to be looked for, as any unknown error
    assert row.attempts == 1
    assert any(r.exc_info and r.levelno >= logging.ERROR for r in caplog.records)

    # The bot's other channels are not held by it.
    add_story(db, "good", ["A", "B"], now=T0)
    store.enqueue_story(db, "good", good.id, now=T0)
    now[0] += timedelta(seconds=5)
    await outbox.drain()
    assert len(discord_api.channel_messages(GOOD)) == 1

    for _ in range(2 * MAX_ATTEMPTS):
        now[0] += timedelta(hours=1)
        await outbox.drain()
    [failed] = store.in_state(db, "failed")
    assert failed.story_id == "bad" and failed.attempts == MAX_ATTEMPTS
    assert "stale" not in (failed.last_error or "")
    assert discord_api.channel_messages(BAD) == []
    assert "not a Discord message" not in caplog.text


async def test_a_follow_up_discord_py_refuses_surfaces(
    discord_api: FakeDiscord, session: Any
) -> None:
    hook = discord.Webhook.from_url(WEBHOOK_URL, session=session)
    message = Outgoing(embeds=[discord.Embed(title="x")] * 11)
    with pytest.raises(ValueError, match="embeds"):
        await _follow_up(hook, message, False, "1 of 1")
