"""Discord's REST API reachable but its gateway not (a firewall, a proxy, DNS): the start fails
with one line naming the gateway and why, retried by the runner, instead of discord.py's
AttributeError ('NoneType' object has no attribute 'sequence') and its 60-line traceback at
ERROR on each attempt; a running bot's reconnects that cannot reach it are one warning line each.
The real service and Discord platform against the fake Discord REST API and gateway."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from pathlib import Path

import discord
import pytest
import yarl
from fakes.discord_api import FakeDiscord
from fakes.runner import discord_service, running
from test_discord_platform import FakeService

from bot.adapters.discord import create_platform
from bot.adapters.discord.gateway_reach import GatewayUnreachable
from bot.app import NewsDigest
from bot.commands.core import Commands
from bot.config import ChannelConfig, Config, Secrets
from bot.runner.platforms import network_error
from bot.store.database import open_database


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def gateway_closed(discord_api: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> str:
    """REST on the fake; the gateway a port nothing listens on. Its URL."""
    url = f"ws://127.0.0.1:{closed_port()}/"
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(url))
    return url


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    assert "sequence" not in caplog.text and "Traceback" not in caplog.text


async def eventually(check: Callable[[], object], timeout: float = 15.0) -> None:
    async def poll() -> None:
        while not check():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


async def test_a_start_says_the_gateway_cannot_be_reached(
    gateway_closed: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    config = Config(database=str(tmp_path / "nd.db"))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    platform = create_platform(config, Secrets(None, None, None, discord_token="fake-token"))
    try:
        with pytest.raises(GatewayUnreachable) as raised:
            await platform.start(FakeService(Commands(core)))
    finally:
        await platform.stop()
        core.close()
    host = gateway_closed.removeprefix("ws://").rstrip("/")
    assert str(raised.value).startswith(
        f"Discord gateway {gateway_closed} cannot be reached: Cannot connect to host {host}"
    )
    assert network_error(raised.value)  # the runner logs it in one line and retries
    no_tracebacks(caplog)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_runner_logs_one_line_per_attempt_and_healthz_says_why(
    gateway_closed: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    service = discord_service(
        tmp_path, [ChannelConfig(platform="discord", id="111111111111111111")], retry=0.05
    )
    async with running(service):
        await eventually(lambda: "still failing to start (retry 2)" in caplog.text)
        error = service.health()["platform_errors"]["discord"]
    assert error.startswith(f"GatewayUnreachable: Discord gateway {gateway_closed} cannot be ")
    [first] = [r for r in caplog.records if "discord failed to start" in r.getMessage()]
    assert f"Discord gateway {gateway_closed} cannot be reached" in first.getMessage()
    retries = [r for r in caplog.records if "discord still failing" in r.getMessage()]
    assert all(f"{gateway_closed} cannot be reached" in r.getMessage() for r in retries)
    # One line per attempt: nothing from discord.py's own retry beside the runner's.
    assert not [
        r for r in caplog.records if r.name.startswith("discord.") and r.levelno >= logging.WARNING
    ]
    no_tracebacks(caplog)


async def test_a_running_bots_reconnects_are_one_warning_line_each(
    discord_gateway: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = Config(database=str(tmp_path / "nd.db"))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    platform = create_platform(config, Secrets(None, None, None, discord_token="fake-token"))
    await platform.start(FakeService(Commands(core)))
    try:
        caplog.set_level(logging.INFO)
        # The gateway drops and answers every reconnect with a proxy's 503 for a while.
        discord_gateway.gateway_down = True
        await discord_gateway.drop_gateway(4000)
        await eventually(lambda: "cannot be reached" in caplog.text)
        [line] = [r for r in caplog.records if "cannot be reached" in r.getMessage()]
        assert line.levelno == logging.WARNING and line.exc_info is None
        assert line.getMessage().startswith(
            f"Discord gateway {discord_gateway.gateway_url} cannot be reached: 503"
        )
        assert "discord.py tries again in " in line.getMessage()
        no_tracebacks(caplog)
        # Back: discord.py reconnects by itself.
        resumed = discord_gateway.resumed
        discord_gateway.gateway_down = False
        await eventually(lambda: discord_gateway.resumed > resumed)
    finally:
        await platform.stop()
        core.close()
