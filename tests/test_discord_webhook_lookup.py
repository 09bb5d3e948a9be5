"""A webhook channel's post that a crash left `sending` is looked for through the bot: a webhook
cannot read its channel's history. While the bot cannot look (its gateway restarting, or its
token refused, as after a restart with a revoked token) the row waits as the bot's own channels
do: it stays `sending`, uses no attempt, and is not sent again blind, which would post the card
twice when the first post had landed. The real service, Discord platform and adapters, the fake
Discord REST API and gateway on loopback."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.discord_api import FakeDiscord
from fakes.runner import discord_service, running
from fakes.stories import add_story

from bot.adapters.discord.bot import DiscordPlatform
from bot.adapters.discord.routes import DiscordAdapter
from bot.config import ChannelConfig
from bot.runner import digests
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.database import open_database
from bot.store.deliveries import DeliveryRow

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
BOT_CHANNEL = 111111111111111111
HOOK_CHANNEL = 333333333333333333
WEBHOOK_ID = 444444444444444444
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{'T' * 68}"
# Invalid shard: a close discord.py does not resume; the runner restarts Discord after RETRY.
UNRESUMABLE = 4010
RETRY = 2.0


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def make_service(tmp_path: Path, clock: Clock, *, retry: float | None = None) -> Service:
    channels = [
        ChannelConfig(platform="discord", id=str(BOT_CHANNEL), min_sources=1),
        ChannelConfig(
            platform="discord", id=str(HOOK_CHANNEL), min_sources=1, webhook_url=WEBHOOK_URL
        ),
    ]
    return discord_service(tmp_path, channels, clock=clock, retry=retry)


async def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


def hook_posts(api: FakeDiscord) -> int:
    return len([m for m in api.channel_messages(HOOK_CHANNEL) if m.get("webhook_id")])


def hook_row(service: Service) -> DeliveryRow:
    channel = channel_store.get_channel(service.db, "discord", str(HOOK_CHANNEL))
    assert channel is not None
    (row,) = [
        r
        for state in ("pending", "sending", "sent", "failed")
        for r in delivery_store.in_state(service.db, state)
        if r.channel_pk == channel.id
    ]
    return row


async def post_card(service: Service, api: FakeDiscord) -> None:
    """The webhook channel's card, posted and recorded."""
    add_story(service.db, "s1", ["A", "B"], now=T0 - timedelta(hours=2))
    hook = channel_store.get_channel(service.db, "discord", str(HOOK_CHANNEL))
    assert hook is not None
    digests.enqueue_digest(service.db, hook, now=T0)
    await service.outbox.drain()
    row = hook_row(service)
    assert (row.state, row.attempts, hook_posts(api)) == ("sent", 1, 1)


def lose_the_answer(db: sqlite_utils.Database) -> None:
    """As if the process had died after the post and before recording it: the row is left
    `sending`, one attempt used, while the card is in the channel."""
    db.execute(
        "UPDATE deliveries SET state = 'sending', message_ref = NULL, thread_ref = NULL,"
        " sent_at = NULL WHERE state = 'sent'"
    )
    db.conn.commit()


async def test_a_token_refused_at_restart_does_not_resend_a_webhook_leftover(
    discord_gateway: FakeDiscord, tmp_path: Path
) -> None:
    api = discord_gateway
    api.webhook_channels[WEBHOOK_ID] = HOOK_CHANNEL
    clock = Clock()
    async with running(make_service(tmp_path, clock)) as service:
        await post_card(service, api)
    db = open_database(tmp_path / "nd.db")
    lose_the_answer(db)
    db.close()

    # Restarted with a token Discord no longer takes: no bot to read the channel with.
    api.revoke_token()
    async with running(make_service(tmp_path, clock)) as service:
        platform = next(p for p in service.platforms if p.name == "discord")
        assert isinstance(platform, DiscordPlatform) and platform.client is None
        asked: list[datetime] = []
        adapter = service.outbox.adapters["discord"]
        find_posted = adapter.find_posted

        async def counted(*args: object, **kwargs: object) -> object:
            asked.append(clock.now)
            return await find_posted(*args, **kwargs)  # type: ignore[arg-type]

        adapter.find_posted = counted  # type: ignore[method-assign]
        for minutes in range(0, 6 * 60, 10):
            clock.now = T0 + timedelta(minutes=minutes)
            await service.outbox.drain()
            row = hook_row(service)
            # Waiting, not resent, no attempt used, not failed.
            assert (row.state, row.attempts) == ("sending", 1)
            assert "DISCORD_TOKEN" in (row.last_error or "")
        assert hook_posts(api) == 1
        # Looked at again hourly, not on every drain (the bot's route is down for the run).
        assert 5 <= len(asked) <= 7
        outages = service.health()["delivery_outages"]
        assert outages["discord"]["fatal"] is True and "discord-webhook" not in outages
        # The webhook channel's other posts go on meanwhile.
        add_story(service.db, "s2", ["A", "B"], now=clock.now - timedelta(hours=1))
        hook = channel_store.get_channel(service.db, "discord", str(HOOK_CHANNEL))
        assert hook is not None
        digests.enqueue_digest(service.db, hook, now=clock.now)
        await service.outbox.drain()
        assert hook_posts(api) == 2


async def test_a_webhook_leftover_waits_for_the_bot_through_a_gateway_restart(
    discord_gateway: FakeDiscord, tmp_path: Path
) -> None:
    api = discord_gateway
    api.webhook_channels[WEBHOOK_ID] = HOOK_CHANNEL
    clock = Clock()
    async with running(make_service(tmp_path, clock, retry=RETRY)) as service:
        platform = next(p for p in service.platforms if p.name == "discord")
        assert isinstance(platform, DiscordPlatform) and platform.client is not None
        old_client = platform.client
        await post_card(service, api)

        # The gateway ends; until the runner has the bot back, nobody can look.
        await api.drop_gateway(UNRESUMABLE)
        await eventually(lambda: "discord" in service.platform_errors)
        await eventually(old_client.is_closed)
        lose_the_answer(service.db)
        discord = service.outbox.adapters["discord"]
        assert isinstance(discord, DiscordAdapter) and discord.offline is not None
        await service.outbox.drain()
        row = hook_row(service)
        assert (row.state, row.attempts) == ("sending", 1)  # no attempt used up
        assert "could not check" in (row.last_error or "")
        assert row.next_attempt_at is not None and row.next_attempt_at > clock.now
        assert hook_posts(api) == 1

        # The bot is back: past the wait, the post is found in the channel, not sent again.
        await eventually(lambda: len(api.identified) == 2)
        await eventually(lambda: "discord" not in service.platform_errors)
        clock.now = T0 + timedelta(hours=2)
        await service.outbox.drain()
        row = hook_row(service)
        assert (row.state, row.attempts) == ("sent", 1)
        assert row.message_ref is not None
        assert hook_posts(api) == 1
