"""Settings from the environment, the runner's platform hook, and Socket Mode end to end (the
fake Slack API serves apps.connections.open and the websocket)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.slack_api import APP_TOKEN, BOT_TOKEN, FakeSlackAPI
from slack_sdk.errors import SlackApiError

from bot.adapters.slack import SlackAdapter, SlackConfigError, SlackSettings, create_platform
from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.platform import SlackPlatform
from bot.app import NewsDigest
from bot.commands.core import Commands
from bot.config import Config, Secrets
from bot.delivery.adapter import ChatAdapter
from bot.runner.platforms import start_error_is_fatal, start_refusal
from bot.store import channels as channel_store
from bot.store.database import open_database


def test_settings_from_env() -> None:
    assert SlackSettings.from_env({}) is None
    socket = SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert socket is not None
    assert (socket.mode, socket.api_url, socket.port) == ("socket", "https://slack.com/api/", 3000)
    http = SlackSettings.from_env(
        {
            "SLACK_BOT_TOKEN": "xoxb-1",
            "SLACK_MODE": "HTTP",
            "SLACK_SIGNING_SECRET": "s",
            "PORT": "8123",
            "SLACK_API_URL": "http://127.0.0.1:9999/api",
        }
    )
    assert http is not None
    assert (http.mode, http.port, http.api_url) == ("http", 8123, "http://127.0.0.1:9999/api/")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SLACK_APP_TOKEN"),
        ({"SLACK_MODE": "http"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_MODE": "rtm"}, "SLACK_MODE"),
        ({"SLACK_APP_TOKEN": "x", "PORT": "http"}, "PORT"),
        ({"SLACK_APP_TOKEN": "x", "SLACK_API_URL": "slack.com"}, "SLACK_API_URL"),
        ({"SLACK_APP_TOKEN": "xoxb-1"}, "xapp-"),
    ],
)
def test_settings_errors_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SlackConfigError, match=message):
        SlackSettings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", **env})


def test_adapter_satisfies_protocol() -> None:
    adapter: ChatAdapter = SlackAdapter(client=None)  # type: ignore[arg-type]
    assert adapter.platform == "slack"


@pytest.fixture
def slack_core(tmp_path: Path) -> Iterator[NewsDigest]:
    core = NewsDigest(Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "x.db"))
    yield core
    core.close()


class FakeService:
    """What the runner's Service offers a platform (see bot.runner.platforms)."""

    def __init__(self, commands: Commands) -> None:
        self.commands = commands
        self.adapters: list[Any] = []
        self.kicks = 0

    def register_adapter(self, adapter: Any) -> None:
        self.adapters.append(adapter)

    def kick(self) -> None:
        self.kicks += 1


async def test_socket_mode_through_the_runner_hook(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    env = {"SLACK_API_URL": slack_api.api_url}
    secrets = Secrets(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=None,
        slack_app_token=APP_TOKEN,
        discord_token=None,
    )
    platform = create_platform(slack_core.config, secrets, env=env)
    service = FakeService(Commands(slack_core))
    await platform.start(service)
    try:
        assert [type(a).__name__ for a in service.adapters] == ["SlackAdapter"]
        assert slack_api.methods()[:2] == ["auth.test", "apps.connections.open"]
        command = {
            "token": "x",
            "team_id": "T1",
            "channel_id": "C1",
            "channel_name": "news",
            "user_id": "U1",
            "command": "/watchlist",
            "text": "min-sources 4",
            "response_url": slack_api.response_url("sock"),
            "trigger_id": "sock-1",
        }
        ack = await slack_api.socket_send(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": command,
            }
        )
        assert ack["envelope_id"] == "env-1"
        assert ack["payload"]["text"].startswith("Saved. Mode: digest")
        channel = channel_store.get_channel(slack_core.db, "slack", "C1")
        assert channel is not None and channel.min_sources == 4
        assert service.kicks == 1
    finally:
        await platform.stop()


def test_missing_token_is_a_clear_error() -> None:
    secrets = Secrets(None, None, None, None)
    with pytest.raises(SlackConfigError, match="SLACK_BOT_TOKEN"):
        create_platform(Config(), secrets, env={})


async def test_revoked_app_token_fails_start_promptly_as_fatal(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    """slack-sdk's connect() retries every error forever: a revoked app token must instead fail
    start() with the invalid_auth the runner gives up on, and leave nothing open."""
    settings = SlackSettings(
        bot_token=BOT_TOKEN, mode="socket", app_token="xapp-revoked", api_url=slack_api.api_url
    )
    platform = SlackPlatform(settings)
    with pytest.raises(SlackApiError) as info:
        await asyncio.wait_for(platform.start(FakeService(Commands(slack_core))), 5)
    assert info.value.response["error"] == "invalid_auth"
    # Slack's platform tells the runner it is the app token, not to retry.
    refusal = start_refusal(platform, info.value)
    assert refusal is not None and start_error_is_fatal(refusal)
    assert "SLACK_APP_TOKEN" in str(refusal)
    assert len(slack_api.calls_to("apps.connections.open")) == 1
    # The runner calls stop() after a failed start; it must reach the half-started bot.
    assert platform.bot is not None and platform.bot.socket is not None
    assert platform.bot.socket.handler is None  # closed, not left half open
    await platform.stop()


async def test_socket_mode_without_app_token_names_the_setting(
    slack_api: FakeSlackAPI, slack_core: NewsDigest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Settings made by hand skip `from_env`'s check; slack-bolt would fall back to the
    environment and fail with a bare KeyError instead of naming what to set."""
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    settings = SlackSettings(bot_token=BOT_TOKEN, mode="socket", api_url=slack_api.api_url)
    bot = SlackBot(Commands(slack_core), settings)
    with pytest.raises(SlackConfigError, match="SLACK_APP_TOKEN"):
        await asyncio.wait_for(bot.start(), 5)
    assert slack_api.calls_to("apps.connections.open") == []
    await bot.stop()


async def test_unreachable_websocket_times_out_instead_of_hanging(
    slack_api: FakeSlackAPI, slack_core: NewsDigest
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    slack_api.script(
        "apps.connections.open", body={"ok": True, "url": f"ws://127.0.0.1:{closed_port}/"}
    )
    settings = SlackSettings(
        bot_token=BOT_TOKEN, mode="socket", app_token=APP_TOKEN, api_url=slack_api.api_url
    )
    bot = SlackBot(Commands(slack_core), settings, connect_timeout=0.5)
    with pytest.raises(asyncio.TimeoutError) as info:
        await asyncio.wait_for(bot.start(), 5)
    # A timeout is worth another attempt (the runner backs off), unlike a bad token.
    assert not start_error_is_fatal(info.value)
    assert bot.socket is not None and bot.socket.handler is None
    await bot.stop()
