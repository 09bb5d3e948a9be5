"""Slack's HTTP mode listens on SLACK_HOST:PORT. A port another process holds, or a host that
does not resolve, is a setting to change, as for the health port: one line naming the variable,
no traceback, not retried as a network problem, and shown in /healthz while the rest of the bot
runs. The real service and Slack platform, the fake Slack Web API on loopback, a real socket
holding the port."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.chat import FakeChatAdapter
from fakes.runner import stop
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database


@pytest.fixture
def held_port() -> Iterator[int]:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield held.getsockname()[1]


def http_mode(
    monkeypatch: pytest.MonkeyPatch, slack_api: FakeSlackAPI, host: str, port: int
) -> None:
    # The Slack platform reads its mode, listener and API from the process environment.
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_MODE", "http")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    monkeypatch.setenv("SLACK_HOST", host)
    monkeypatch.setenv("PORT", str(port))


async def started(tmp_path: Path) -> Service:
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[
            ChannelConfig(platform="slack", id="C1"),
            ChannelConfig(platform="discord", id="111"),
        ],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    # A tiny backoff: a retry, if there were one, would come within the test.
    settings = RunnerSettings(health_port=None, start_spread=0, platform_retry_initial=0.01)
    service = Service(config, core=core, settings=settings, env={"SLACK_BOT_TOKEN": BOT_TOKEN})
    service.register_adapter(FakeChatAdapter("discord"))  # carries on whatever Slack does
    await service.start()
    return service


async def test_a_slack_port_in_use_names_port_and_is_not_retried(
    tmp_path: Path,
    slack_api: FakeSlackAPI,
    held_port: int,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    http_mode(monkeypatch, slack_api, "127.0.0.1", held_port)
    with caplog.at_level(logging.INFO):
        service = await started(tmp_path)
        try:
            await asyncio.sleep(0.3)
            expected = (
                f"PORT: cannot listen on 127.0.0.1:{held_port} (Address already in use); "
                "free the port or choose another"
            )
            assert service.platform_errors == {"slack": f"not retried: {expected}"}
            assert len(slack_api.calls_to("auth.test")) == 1  # started once, never retried
            assert "slack" not in {p.name for p in service.platforms}
            health = service.health()
            assert health["status"] == "degraded" and not health["critical"]
            assert any(expected in p for p in health["problems"]), health["problems"]
            assert service.state == "running" and "discord" in service.outbox.adapters
        finally:
            await stop(service)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        f"platform slack cannot start, not retrying: {expected}"
    ]
    assert all(r.exc_info is None for r in errors)  # one line, no traceback
    assert not [
        r
        for r in caplog.records
        if "retry" in r.getMessage() and "not retrying" not in r.getMessage()
    ]


async def test_an_unresolvable_slack_host_names_slack_host(
    tmp_path: Path, slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    http_mode(monkeypatch, slack_api, "nosuchhost.invalid", 3000)
    service = await started(tmp_path)
    try:
        await asyncio.sleep(0.3)
        error = service.platform_errors["slack"]
        assert error.startswith("not retried: SLACK_HOST: cannot resolve 'nosuchhost.invalid' (")
        assert "PORT" not in error.replace("SLACK_HOST", "")
        assert len(slack_api.calls_to("auth.test")) == 1
    finally:
        await stop(service)
