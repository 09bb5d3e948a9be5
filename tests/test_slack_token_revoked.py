"""A Slack token revoked while the bot runs is fatal for Slack alone: the real service, the real
Slack platform and adapter, the fake Slack Web API on loopback (with its Socket Mode websocket).

Sends refused with token_revoked are neither marked sent nor failed and are not retried this run;
a Socket Mode reconnect refused with it is not retried either. Both stop the Slack platform,
say which token to replace, show in /healthz, and leave polling and other platforms running."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakes.chat import FakeChatAdapter
from fakes.runner import delivery_rows, queue_story, stop
from fakes.slack_api import APP_TOKEN, BOT_TOKEN, FakeSlackAPI

from bot.adapters.slack.platform import SlackPlatform
from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)


@pytest.fixture
async def service(
    tmp_path: Path, slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Service]:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[
            ChannelConfig(platform="slack", id="C1", min_sources=1),
            ChannelConfig(platform="slack", id="C2", min_sources=1),
            ChannelConfig(platform="discord", id="111", min_sources=1),
        ],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}
    # The Slack platform reads where the API is from the process environment.
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_MODE", "socket")
    settings = RunnerSettings(health_port=None, post_pace=0, start_spread=0)
    service = Service(config, core=core, settings=settings, clock=lambda: T0, env=env)
    # Another chat platform, which must carry on whatever happens to Slack.
    service.register_adapter(FakeChatAdapter("discord"))
    await service.start()
    try:
        yield service
    finally:
        await stop(service)


def slack_platform(service: Service) -> SlackPlatform:
    (platform,) = [p for p in service.platforms if p.name == "slack"]
    assert isinstance(platform, SlackPlatform)
    return platform


def queue_digests(service: Service) -> None:
    queue_story(service, "s1", T0)


def slack_rows(service: Service) -> list[tuple[str, int, str | None]]:
    return [(r.state, r.attempts, r.last_error) for r in delivery_rows(service, "slack")]


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


async def test_revoked_bot_token_stops_slack_and_keeps_its_posts(
    service: Service, slack_api: FakeSlackAPI
) -> None:
    platform = slack_platform(service)
    discord = service.outbox.adapters["discord"]
    assert isinstance(discord, FakeChatAdapter)
    # From now on every post is refused (the channels drain in parallel, so both are tried).
    slack_api.channel_errors.update({"C1": "token_revoked", "C2": "token_revoked"})
    queue_digests(service)
    await service.outbox.drain()

    tried = len(slack_api.calls_to("chat.postMessage"))
    assert tried == 2
    rows = slack_rows(service)
    assert [(state, attempts) for state, attempts, _ in rows] == [("pending", 0), ("pending", 0)]
    assert all("token_revoked" in (error or "") for _, _, error in rows)
    # The error names the cause and the setting to change.
    error = service.platform_errors["slack"]
    assert "token_revoked" in error and "SLACK_BOT_TOKEN" in error and "not retried" in error
    health = service.health()
    assert health["status"] == "degraded" and not health["critical"]
    assert health["delivery_outages"]["slack"]["fatal"] is True
    assert health["delivery_outages"]["slack"]["next_retry"] is None
    assert any("SLACK_BOT_TOKEN" in p for p in health["problems"])
    assert health["paused_channels"] == []

    # Slack is stopped (its websocket closed), not retried later; the rest carries on.
    await eventually(lambda: platform.bot is None)
    assert "slack" not in {p.name for p in service.platforms}
    later = T0 + timedelta(days=1)
    service.outbox.clock = lambda: later
    service.outbox.kick()
    await service.outbox.drain()
    assert len(slack_api.calls_to("chat.postMessage")) == tried
    assert [s for s, _, _ in slack_rows(service)] == ["pending", "pending"]
    assert [m.channel_id for m in discord.cards()] == ["111"]
    assert service.state == "running" and service.scheduler.running


async def test_socket_mode_reconnect_with_a_revoked_token_is_not_retried(
    service: Service, slack_api: FakeSlackAPI
) -> None:
    platform = slack_platform(service)
    assert platform.bot is not None
    assert platform.bot.socket is not None
    client = platform.bot.socket.handler.client
    assert len(slack_api.calls_to("apps.connections.open")) == 1
    # Slack drops the websocket; asked for a new one, it refuses the app token.
    slack_api.script("apps.connections.open", body={"ok": False, "error": "token_revoked"})
    assert slack_api.socket is not None
    await slack_api.socket.close()
    await eventually(lambda: "slack" in service.platform_errors)

    error = service.platform_errors["slack"]
    assert "token_revoked" in error and "SLACK_APP_TOKEN" in error
    # Only the socket closed: /healthz must not read as if Slack posting had stopped.
    assert "posts still go out with SLACK_BOT_TOKEN" in error
    await eventually(lambda: platform.bot is None)
    assert client.closed
    await asyncio.sleep(0.3)
    assert len(slack_api.calls_to("apps.connections.open")) == 2  # asked once, not again
    assert "slack" not in {p.name for p in service.platforms}
    # The bot token still works: the outbox keeps posting to Slack channels.
    queue_digests(service)
    await service.outbox.drain()
    assert [s for s, _, _ in slack_rows(service)] == ["sent", "sent"]
