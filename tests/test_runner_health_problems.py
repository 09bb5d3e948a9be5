"""/healthz `problems` name a platform's trouble the way an operator reads it: "slack: <what is
wrong, naming the variable>", never "SLACK_BOT_TOKEN platform: …" or slack-sdk's two-line
request dump. `platform_errors` is keyed by the platform's name. The real service and Slack platform against the
fake Slack Web API on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.runner import stop
from fakes.slack_api import APP_TOKEN, BOT_TOKEN, FakeSlackAPI

from bot.app import NewsDigest
from bot.config import ChannelConfig, Config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database


async def started(
    tmp_path: Path,
    slack_api: FakeSlackAPI,
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
) -> Service:
    monkeypatch.setenv("SLACK_API_URL", slack_api.api_url)
    monkeypatch.setenv("SLACK_MODE", "socket")
    config = Config(
        database=str(tmp_path / "nd.db"), channels=[ChannelConfig(platform="slack", id="C1")]
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, start_spread=0)
    service = Service(config, core=core, settings=settings, env=env)
    await service.start()
    return service


async def test_a_bot_token_refused_at_start_reads_naturally(
    tmp_path: Path, slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack_api.script("auth.test", body={"ok": False, "error": "invalid_auth"})
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}
    service = await started(tmp_path, slack_api, monkeypatch, env)
    try:
        health = service.health()
    finally:
        await stop(service)
    error = (
        "authentication failed, not retried: Slack refused SLACK_BOT_TOKEN (invalid_auth): put a"
        " valid one (OAuth & Permissions > Bot User OAuth Token) in SLACK_BOT_TOKEN and restart"
        " newsdigest"
    )
    assert health["platform_errors"] == {"slack": error}
    assert health["problems"] == [f"slack: {error}"]


async def test_an_app_token_refused_at_start_names_slack_app_token(
    tmp_path: Path, slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    slack_api.script("apps.connections.open", body={"ok": False, "error": "invalid_auth"})
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}
    service = await started(tmp_path, slack_api, monkeypatch, env)
    try:
        (problem,) = service.health()["problems"]
    finally:
        await stop(service)
    assert problem.startswith(
        "slack: authentication failed, not retried: Slack refused SLACK_APP_TOKEN (invalid_auth)"
    )
    assert "\n" not in problem and "SlackApiError" not in problem


async def test_a_platform_that_could_not_be_set_up_is_named_by_platform(
    tmp_path: Path, slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Socket Mode without its app token: the platform is never built.
    service = await started(tmp_path, slack_api, monkeypatch, {"SLACK_BOT_TOKEN": BOT_TOKEN})
    try:
        health = service.health()
    finally:
        await stop(service)
    (error,) = health["platform_errors"].values()
    assert list(health["platform_errors"]) == ["slack"]  # as for an error at any later point
    assert error.startswith("SLACK_MODE=socket needs SLACK_APP_TOKEN")
    assert health["problems"] == [f"slack: {error}"]
