"""DISCORD_API_URL and DISCORD_GATEWAY_URL point newsdigest at another Discord (a proxy, a test
server), as SLACK_API_URL does for Slack: `run`'s bot connects, posts and posts through channel
webhooks there, and `discord sync` registers there; a value that is no such URL is refused
naming the variable. Against the fake Discord REST API and gateway, with discord.py's own
addresses pointed at a closed port, so nothing reaches them (nor the real Discord)."""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import yarl
from click.testing import CliRunner
from fakes.discord_api import GUILD_ID, FakeDiscord, ready_once_all_in
from test_discord_platform import FakeService, card, discord_sync

from bot.adapters.discord import create_platform
from bot.adapters.discord.settings import DiscordConfigError, DiscordEndpoints
from bot.app import NewsDigest
from bot.cli import cli
from bot.commands.core import Commands
from bot.config import Config, Secrets
from bot.runner.platforms import configured_platforms
from bot.store import channels as channel_store
from bot.store.database import open_database

CHANNEL = 666666666666666666
HOOK_CHANNEL = 333333333333333333
WEBHOOK_ID = 444444444444444444
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{'T' * 68}"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def elsewhere(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """The fake Discord, reached only through the two variables."""
    nowhere = closed_port()
    # Put back whatever the settings set, after the test; meanwhile discord.py's defaults lead
    # nowhere.
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{nowhere}/api/v10")
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(f"ws://127.0.0.1:{nowhere}/")
    )
    fake = FakeDiscord()
    base = await fake.start()
    monkeypatch.setenv("DISCORD_API_URL", base + "/")  # a trailing slash is fine
    monkeypatch.setenv("DISCORD_GATEWAY_URL", fake.gateway_url)
    ready_once_all_in(monkeypatch)
    yield fake
    await fake.close()


async def test_run_reaches_discord_at_the_addresses_given(
    elsewhere: FakeDiscord, tmp_path: Path
) -> None:
    elsewhere.webhook_channels[WEBHOOK_ID] = HOOK_CHANNEL
    config = Config(database=str(tmp_path / "nd.db"))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    service = FakeService(Commands(core))
    platform = create_platform(config, Secrets(None, None, None, discord_token="fake-token"))
    await platform.start(service)
    try:
        (identify,) = elsewhere.identified  # the gateway
        assert identify["token"] == "fake-token"
        (adapter,) = service.adapters
        bot_channel = channel_store.ensure_channel(core.db, "discord", str(CHANNEL))
        posted = await adapter.post_card(bot_channel, card(), nonce="run-1")  # REST
        assert elsewhere.channel_messages(CHANNEL)[0]["id"] == posted.message_ref
        hook_channel = dataclasses.replace(
            channel_store.ensure_channel(core.db, "discord", str(HOOK_CHANNEL)),
            webhook_url=WEBHOOK_URL,
        )
        await adapter.post_card(hook_channel, card(), nonce="run-2")  # the channel's webhook
        assert elsewhere.calls("POST", rf"/webhooks/{WEBHOOK_ID}/T+")
    finally:
        await platform.stop()
        core.close()


async def test_discord_sync_registers_at_the_api_given(elsewhere: FakeDiscord) -> None:
    await discord_sync()
    assert len(elsewhere.synced[str(GUILD_ID)]) == 6


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DISCORD_API_URL", "discord.com/api/v10"),
        ("DISCORD_API_URL", "wss://gateway.discord.gg/"),
        ("DISCORD_GATEWAY_URL", "https://gateway.discord.gg/"),
        ("DISCORD_GATEWAY_URL", "ws://"),
    ],
)
def test_a_value_that_is_no_such_url_is_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(DiscordConfigError, match=rf"^{name} must be a "):
        DiscordEndpoints.from_env({name: value})


def test_unset_leaves_discord_py_as_it_is() -> None:
    assert DiscordEndpoints.from_env({}) == DiscordEndpoints(None, None)


def test_sync_says_a_bad_value_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    result = CliRunner().invoke(
        cli, ["discord", "sync"], env={"DISCORD_TOKEN": "t", "DISCORD_API_URL": "nowhere"}
    )
    assert result.exit_code == 1
    assert result.output == (
        "Error: DISCORD_API_URL must be a http:// or https:// URL such as "
        "https://discord.com/api/v10, got 'nowhere'\n"
    )


def test_run_does_not_start_discord_on_a_bad_value(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DISCORD_GATEWAY_URL", "gateway.discord.gg")
    config = Config(database=str(tmp_path / "nd.db"))
    platforms, errors = configured_platforms(config, {"DISCORD_TOKEN": "t"})
    assert platforms == []
    assert errors["discord"].startswith("DISCORD_GATEWAY_URL must be a ws:// or wss:// URL")
    [line] = [r for r in caplog.records if "Discord is not started" in r.getMessage()]
    assert "DISCORD_GATEWAY_URL" in line.getMessage() and line.exc_info is None
