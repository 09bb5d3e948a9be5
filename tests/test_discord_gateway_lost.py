"""The Discord gateway ending mid-run for a reason other than a refused token: the real service,
the real Discord platform and adapters, the fake Discord REST API and gateway on loopback.

discord.py gives up on a close code it cannot resume (4010-4013) by closing the client and
raising; the platform is then stopped and started again with the runner's backoff, /healthz shows
why meanwhile, and no outbox row is lost or posted twice. Close code 4014 (a privileged intent
not enabled) is not retried and names the Developer Portal switch. A normal stop restarts
nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from fakes.chat import FakeChatAdapter
from fakes.discord_api import FakeDiscord, watchlist_show
from fakes.runner import delivery_rows, discord_service, running, stop
from fakes.runner import queue_story as queue_digest

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.bot import DiscordPlatform
from bot.adapters.discord.errors import translate_error
from bot.cards import StoryCard
from bot.config import ChannelConfig
from bot.delivery.adapter import PostedMessage
from bot.runner.service import Service
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store.channels import ChannelRow

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)
CHANNELS = (111111111111111111, 222222222222222222)
# Long enough to look at /healthz between the drop and the restart, short enough for a test.
RETRY = 0.5
# Invalid shard: a close discord.py does not resume; it closes the client and raises.
UNRESUMABLE = 4010


@pytest.fixture
def api(discord_gateway: FakeDiscord) -> FakeDiscord:
    return discord_gateway


def make_service(tmp_path: Path) -> Service:
    channels = [ChannelConfig(platform="discord", id=str(c), min_sources=1) for c in CHANNELS]
    return discord_service(tmp_path, channels, retry=RETRY, clock=lambda: T0)


@pytest.fixture
async def service(api: FakeDiscord, tmp_path: Path) -> AsyncIterator[Service]:
    async with running(make_service(tmp_path)) as service:
        yield service


def running_discord(service: Service) -> DiscordPlatform | None:
    found = [p for p in service.platforms if p.name == "discord"]
    assert len(found) <= 1
    platform = found[0] if found else None
    assert platform is None or isinstance(platform, DiscordPlatform)
    return platform


def queue_story(service: Service, story_id: str) -> None:
    queue_digest(service, story_id, T0)


def discord_rows(service: Service) -> list[tuple[str, int]]:
    return sorted((r.state, r.attempts) for r in delivery_rows(service, "discord"))


def posted(api: FakeDiscord) -> dict[int, int]:
    return {c: len(api.channel_messages(c)) for c in CHANNELS}


async def eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


async def watchlist_answered(api: FakeDiscord) -> None:
    before = len(api.calls("POST", r"/interactions/\d+/[^/]+/callback"))
    await api.push("INTERACTION_CREATE", watchlist_show(CHANNELS[0]))
    await eventually(lambda: len(api.calls("POST", r"/interactions/\d+/[^/]+/callback")) > before)


async def test_gateway_closed_for_good_is_restarted_with_backoff(
    service: Service, api: FakeDiscord
) -> None:
    first = running_discord(service)
    assert first is not None and first.client is not None
    old_client = first.client
    queue_story(service, "s1")
    await service.outbox.drain()
    assert posted(api) == {c: 1 for c in CHANNELS}

    await api.drop_gateway(UNRESUMABLE)
    await eventually(lambda: "discord" in service.platform_errors)

    # Between the drop and the restart: /healthz says why, and Discord's posts wait.
    error = service.platform_errors["discord"]
    assert str(UNRESUMABLE) in error and "restarting" in error
    health = service.health()
    assert health["status"] == "degraded" and not health["critical"]
    assert any(p.startswith("discord: ") for p in health["problems"])
    assert running_discord(service) is None
    assert "discord" not in service.outbox.adapters
    queue_story(service, "s2")
    await service.outbox.drain()
    assert posted(api) == {c: 1 for c in CHANNELS}
    assert discord_rows(service) == [("pending", 0)] * 2 + [("sent", 1)] * 2
    assert len(api.identified) == 1

    # The runner starts Discord again: a new client, a new gateway session.
    await eventually(lambda: running_discord(service) is not None)
    again = running_discord(service)
    assert again is not None and again.client is not None and again.client is not old_client
    assert old_client.is_closed()
    assert len(api.identified) == 2
    assert "discord" not in service.platform_errors
    assert service.health()["status"] == "ok"

    # Commands arrive again, and every row went out exactly once.
    await watchlist_answered(api)
    await service.outbox.drain()
    assert posted(api) == {c: 2 for c in CHANNELS}
    assert discord_rows(service) == [("sent", 1)] * 4
    assert slack_cards(service) == ["C1", "C1"]


async def test_a_post_under_way_when_the_gateway_ends_is_not_posted_twice(
    service: Service, api: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = running_discord(service)
    assert platform is not None and platform.client is not None
    client = platform.client
    original = DiscordBotAdapter.post_card
    cut: list[str] = []

    async def landed_then_cut(
        self: DiscordBotAdapter, channel: ChannelRow, card: StoryCard, *, nonce: str
    ) -> PostedMessage:
        result = await original(self, channel, card, nonce=nonce)
        if cut:
            return result
        cut.append(channel.channel_id)
        # The message landed, but the gateway's end closes the client before the answer is read.
        await api.drop_gateway(UNRESUMABLE)
        await eventually(client.is_closed)
        raise translate_error(aiohttp.ServerDisconnectedError(), "post")

    monkeypatch.setattr(DiscordBotAdapter, "post_card", landed_then_cut)
    queue_story(service, "s1")
    await service.outbox.drain()
    assert cut

    await eventually(lambda: len(api.identified) == 2 and running_discord(service) is not None)
    # Past the check-later delay: the row is looked for in the channel before any resend.
    later = T0 + timedelta(hours=1)
    service.outbox.clock = lambda: later
    await service.outbox.drain()
    assert posted(api) == {c: 1 for c in CHANNELS}
    assert [state for state, _ in discord_rows(service)] == ["sent", "sent"]


async def test_gateway_loop_returning_on_its_own_is_restarted(
    service: Service, api: FakeDiscord
) -> None:
    first = running_discord(service)
    assert first is not None and first.client is not None
    # Something closed the client behind the platform's back: discord.py's loop just returns.
    await first.client.close()
    await eventually(lambda: "discord" in service.platform_errors)
    assert "closed unexpectedly" in service.platform_errors["discord"]
    await eventually(lambda: running_discord(service) is not None)
    assert len(api.identified) == 2
    await watchlist_answered(api)


async def test_privileged_intents_mid_run_are_not_retried_and_name_the_switch(
    service: Service, api: FakeDiscord
) -> None:
    platform = running_discord(service)
    assert platform is not None
    await api.drop_gateway(4014)
    await eventually(lambda: "discord" in service.platform_errors)

    error = service.platform_errors["discord"]
    assert "4014" in error and "not retried" in error
    assert "Developer Portal" in error and "Privileged Gateway Intents" in error
    health = service.health()
    assert health["status"] == "degraded"
    assert any("Privileged Gateway Intents" in p for p in health["problems"])
    await asyncio.sleep(RETRY * 3)
    assert len(api.identified) == 1  # no reconnect, no restart
    assert not service.starter.tasks
    # The token is fine: posting over REST goes on.
    queue_story(service, "s1")
    await service.outbox.drain()
    assert posted(api) == {c: 1 for c in CHANNELS}
    assert discord_rows(service) == [("sent", 1)] * 2


async def test_stop_restarts_nothing(api: FakeDiscord, tmp_path: Path) -> None:
    service = make_service(tmp_path)
    await service.start()
    try:
        # A drop, then a stop during the backoff: the pending restart is abandoned.
        await api.drop_gateway(UNRESUMABLE)
        await eventually(lambda: "discord" in service.platform_errors)
        assert service.starter.tasks
    finally:
        await stop(service)
    assert not service.starter.tasks and not service.starter.stopping
    await asyncio.sleep(RETRY * 3)
    assert len(api.identified) == 1

    # A normal stop of a running Discord reports no failure and starts nothing.
    service = make_service(tmp_path)
    await service.start()
    platform = running_discord(service)
    assert platform is not None and platform.client is not None
    client = platform.client
    await stop(service)
    assert client.is_closed()
    await asyncio.sleep(RETRY * 3)
    assert len(api.identified) == 2
    assert "discord" not in service.platform_errors
    assert not service.starter.tasks


def slack_cards(service: Service) -> list[str]:
    slack = service.outbox.adapters["slack"]
    assert isinstance(slack, FakeChatAdapter)
    return [m.channel_id for m in slack.cards()]


HOOK_CHANNEL = 333333333333333333
WEBHOOK_ID = 444444444444444444
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{'T' * 68}"


def channel_rows(service: Service, channel_id: int) -> list[tuple[str, int]]:
    channel = channel_store.get_channel(service.db, "discord", str(channel_id))
    assert channel is not None
    return sorted(
        (r.state, r.attempts)
        for state in ("pending", "sending", "sent", "failed")
        for r in delivery_store.in_state(service.db, state)
        if r.channel_pk == channel.id
    )


async def test_webhook_channels_keep_posting_while_the_gateway_restarts(
    api: FakeDiscord, tmp_path: Path
) -> None:
    api.webhook_channels[WEBHOOK_ID] = HOOK_CHANNEL
    channels = [ChannelConfig(platform="discord", id=str(c), min_sources=1) for c in CHANNELS]
    channels.append(
        ChannelConfig(
            platform="discord", id=str(HOOK_CHANNEL), min_sources=1, webhook_url=WEBHOOK_URL
        )
    )
    service = discord_service(tmp_path, channels, retry=RETRY, clock=lambda: T0)
    async with running(service):
        platform = running_discord(service)
        assert platform is not None and platform.client is not None
        old_client = platform.client
        await api.drop_gateway(UNRESUMABLE)
        await eventually(lambda: "discord" in service.platform_errors)

        # Between the drop and the restart: /healthz says why ...
        error = service.platform_errors["discord"]
        assert str(UNRESUMABLE) in error and "restarting" in error
        health = service.health()
        assert health["status"] == "degraded" and not health["critical"]
        assert any(p.startswith("discord: ") for p in health["problems"])
        await eventually(old_client.is_closed)
        # ... the webhook channel's post goes out and is recorded as sent ...
        queue_story(service, "s1")
        await service.outbox.drain()
        hook_posts = api.channel_messages(HOOK_CHANNEL)
        assert [m["webhook_id"] for m in hook_posts] == [str(WEBHOOK_ID)]
        assert channel_rows(service, HOOK_CHANNEL) == [("sent", 1)]
        # ... and the bot's channels wait, using no attempt, with no outage recorded.
        assert posted(api) == {c: 0 for c in CHANNELS}
        assert [channel_rows(service, c) for c in CHANNELS] == [[("pending", 0)]] * 2
        assert service.health()["delivery_outages"] == {}
        assert len(api.identified) == 1
        assert running_discord(service) is platform  # still delivering, through its webhooks

        # The runner reconnects the bot: its channels' posts go out, each once.
        await eventually(lambda: len(api.identified) == 2)
        await eventually(lambda: "discord" not in service.platform_errors)
        assert platform.client is not None and platform.client is not old_client
        assert service.health()["status"] == "ok"
        await service.outbox.drain()
        assert posted(api) == {c: 1 for c in CHANNELS}
        assert [channel_rows(service, c) for c in (*CHANNELS, HOOK_CHANNEL)] == [[("sent", 1)]] * 3
        assert len(api.channel_messages(HOOK_CHANNEL)) == 1
        await watchlist_answered(api)
        assert slack_cards(service) == ["C1"]
