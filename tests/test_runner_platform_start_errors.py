"""A platform that fails at start, as an operator sees it.

`/healthz`'s `platform_errors` is keyed by the platform's name (`slack`, `discord`) whatever went
wrong, so monitoring reading `platform_errors.slack` sees a missing app token as well as Slack
being unreachable; the message says what is wrong.

The real service, its health server on 127.0.0.1 port 0, the real Slack and Discord platforms
pointed at a loopback port nothing listens on.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import discord
import httpx
import pytest
from fakes.runner import stop
from fakes.slack_api import BOT_TOKEN

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_service(tmp_path: Path, env: dict[str, str]) -> Service:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[
            ChannelConfig(platform="slack", id="C1"),
            ChannelConfig(platform="discord", id="111"),
        ],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    # A backoff longer than the test: only the first attempt is seen.
    settings = RunnerSettings(health_port=0, start_spread=0, platform_retry_initial=600)
    return Service(config, core=core, settings=settings, env=env)


async def healthz(service: Service) -> dict[str, Any]:
    assert service.health_server is not None
    url = f"http://127.0.0.1:{service.health_server.port}/healthz"
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200  # chat trouble is "degraded", not a 503
    body: dict[str, Any] = response.json()
    return body


def slack_unreachable(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    # The Slack platform reads its mode, listener and API from the process environment.
    monkeypatch.setenv("SLACK_API_URL", f"http://127.0.0.1:{closed_port()}/api/")
    monkeypatch.setenv("SLACK_MODE", mode)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("SLACK_HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", str(closed_port()))


def discord_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{closed_port()}/api/v10")


async def test_healthz_keys_platform_errors_by_platform_whatever_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Slack in Socket Mode without its app token (never built), Discord unreachable (built,
    # its start failing): each under its platform's name.
    slack_unreachable(monkeypatch, "socket")
    discord_unreachable(monkeypatch)
    service = make_service(tmp_path, {"SLACK_BOT_TOKEN": BOT_TOKEN, "DISCORD_TOKEN": "fake"})
    await service.start()
    try:
        body = await healthz(service)
    finally:
        await stop(service)
    errors = body["platform_errors"]
    assert sorted(errors) == ["discord", "slack"]
    assert errors["slack"].startswith("SLACK_MODE=socket needs SLACK_APP_TOKEN")
    assert errors["discord"].startswith("ClientConnectorError: Cannot connect to host 127.0.0.1")
    assert body["status"] == "degraded"
    assert f"slack: {errors['slack']}" in body["problems"]
    assert f"discord: {errors['discord']}" in body["problems"]


async def test_healthz_keys_slack_unreachable_in_http_mode_as_slack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack_unreachable(monkeypatch, "http")
    service = make_service(tmp_path, {"SLACK_BOT_TOKEN": BOT_TOKEN})
    await service.start()
    try:
        body = await healthz(service)
    finally:
        await stop(service)
    (key,) = body["platform_errors"]
    assert key == "slack"
    assert "Cannot connect to host 127.0.0.1" in body["platform_errors"]["slack"]
