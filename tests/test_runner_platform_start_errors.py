"""A platform that fails at start, as an operator sees it.

`/healthz`'s `platform_errors` is keyed by the platform's name (`slack`, `discord`) whatever went
wrong, so monitoring reading `platform_errors.slack` sees a missing app token as well as Slack
being unreachable; the message says what is wrong. And a network failure at start (no name
resolution, refused, timed out, TLS) is one log line, not aiohttp's traceback: it is expected
and retried, while an unexpected exception (a bug) keeps its traceback.

The real service, its health server on 127.0.0.1 port 0, the real Slack and Discord platforms
pointed at a loopback port nothing listens on.
"""

from __future__ import annotations

import json
import logging
import socket
import ssl
from pathlib import Path
from typing import Any

import aiohttp
import discord
import httpx
import pytest
from fakes.runner import stop
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config, Secrets
from bot.runner import platforms as platform_module
from bot.runner.logs import JsonFormatter
from bot.runner.platforms import network_error
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


async def test_a_network_failure_at_start_is_one_line_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.runner.starter")
    slack_unreachable(monkeypatch, "socket")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-fake")
    discord_unreachable(monkeypatch)
    service = make_service(
        tmp_path,
        {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xapp-1-fake", "DISCORD_TOKEN": "fake"},
    )
    await service.start()
    await stop(service)
    failed = [r for r in caplog.records if "failed to start" in r.getMessage()]
    assert sorted(r.platform for r in failed) == ["discord", "slack"]  # type: ignore[attr-defined]
    for record in failed:
        assert record.levelno == logging.ERROR
        assert record.exc_info is None
        line = JsonFormatter().format(record)
        assert "\n" not in line and "exc" not in json.loads(line)
        assert "Cannot connect to host 127.0.0.1" in record.getMessage()
        assert record.getMessage().endswith("retrying in the background")


async def test_a_token_refused_at_start_is_one_line_with_its_event(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    slack_api: FakeSlackAPI,
) -> None:
    # The event a token refused mid-run has: a log watcher alerting on it sees both.
    caplog.set_level(logging.INFO, logger="bot.runner.starter")
    slack_unreachable(monkeypatch, "http")
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    service = make_service(tmp_path, {"SLACK_BOT_TOKEN": "xoxb-revoked"})
    await service.start()
    await stop(service)
    (refused,) = [r for r in caplog.records if "not retrying" in r.getMessage()]
    assert refused.getMessage().startswith(
        "platform slack cannot start, not retrying: authentication failed: Slack refused "
        "SLACK_BOT_TOKEN (invalid_auth)"
    )
    line = json.loads(JsonFormatter().format(refused))
    assert (line["event"], line["platform"]) == ("platform_auth_failed", "slack")


class BuggyPlatform:
    """A platform whose start hits a bug in our own code."""

    name = "buggy"

    async def start(self, service: Service) -> None:
        raise KeyError("channel_id")

    async def stop(self, deadline: float | None = None) -> None:
        return None


async def test_an_unexpected_exception_at_start_keeps_its_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def factory(config: Config, secrets: Secrets) -> BuggyPlatform:
        return BuggyPlatform()

    monkeypatch.setitem(platform_module.PLATFORM_FACTORIES, "BUGGY_TOKEN", factory)
    caplog.set_level(logging.INFO, logger="bot.runner.starter")
    service = make_service(tmp_path, {"BUGGY_TOKEN": "x"})
    await service.start()
    try:
        body = await healthz(service)
    finally:
        await stop(service)
    (record,) = [r for r in caplog.records if "failed to start" in r.getMessage()]
    assert record.exc_info is not None and record.exc_info[0] is KeyError
    assert "Traceback" in json.loads(JsonFormatter().format(record))["exc"]
    assert body["platform_errors"] == {"buggy": "KeyError: 'channel_id'"}


def test_network_errors_are_told_from_bugs() -> None:
    key: Any = type("Key", (), {"host": "discord.com", "port": 443, "ssl": True})()
    dns = aiohttp.ClientConnectorDNSError(key, socket.gaierror(-2, "Name or service not known"))
    wrapped = RuntimeError("could not reach Slack")
    wrapped.__cause__ = dns
    for exc in (
        dns,
        wrapped,  # a platform's own error raised from the network's
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("Discord did not become ready within 60s"),
        ssl.SSLCertVerificationError("certificate verify failed"),
        aiohttp.ServerDisconnectedError(),
    ):
        assert network_error(exc), exc
    bug = KeyError("x")
    bug.__context__ = ConnectionError("handled earlier")  # only a cause counts
    for exc in (bug, RuntimeError("boom"), ValueError("bad"), FileNotFoundError("x")):
        assert not network_error(exc), exc
