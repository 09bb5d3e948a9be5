"""A chat platform whose start fails (network down at boot) is retried with capped backoff; once
it starts, its channels get their digest jobs and the digest missed meanwhile. An auth error is
not retried. No terminal channel stands in for a chat platform that is down but being retried;
one does for a platform that will not start this run (its token refused)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from fakes.chat import FakeChatAdapter
from fakes.stories import add_story
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse as SlackResponse

from bot.adapters.console import ConsoleAdapter
from bot.adapters.discord.bot import DiscordPlatform
from bot.adapters.slack.platform import SlackPlatform
from bot.adapters.slack.settings import SlackSettings
from bot.app import NewsDigest
from bot.config import ChannelConfig, Config, Secrets
from bot.delivery.adapter import AuthDeliveryError, FatalPlatformError
from bot.runner import platforms as platform_module
from bot.runner.console import STANDING_IN
from bot.runner.platforms import Backoff, start_error_is_fatal, start_refusal
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store import channels as channel_store
from bot.store import deliveries as delivery_store
from bot.store import digest_runs
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 10, 0, tzinfo=UTC)  # a Monday, an hour after C1's 09:00 digest


class FlakyPlatform:
    """Fails its first starts with the given errors, then registers a fake Slack adapter."""

    name = "slack"

    def __init__(self, errors: list[Exception]) -> None:
        self.errors = list(errors)
        self.adapter = FakeChatAdapter("slack")
        self.starts = 0
        self.stops = 0

    async def start(self, service: Service) -> None:
        self.starts += 1
        if self.errors:
            raise self.errors.pop(0)
        service.register_adapter(self.adapter)

    async def stop(self, deadline: float | None = None) -> None:
        self.stops += 1


def make_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform: FlakyPlatform
) -> Service:
    def factory(config: Config, secrets: Secrets) -> FlakyPlatform:
        return platform

    monkeypatch.setitem(platform_module.PLATFORM_FACTORIES, "FAKECHAT_TOKEN", factory)
    config = Config(
        database=str(tmp_path / "nd.db"),
        channels=[ChannelConfig(platform="slack", id="C1", schedule="0 9 * * *", min_sources=1)],
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(
        health_port=None,
        post_pace=0,
        start_spread=0,
        platform_retry_initial=0.001,  # no real waiting: 1 ms, 2 ms, then 4 ms at most
        platform_retry_max=0.004,
    )
    return Service(
        config, core=core, settings=settings, clock=lambda: T0, env={"FAKECHAT_TOKEN": "x"}
    )


def digest_job_ids(service: Service) -> set[str]:
    return {job.id for job in service.scheduler.get_jobs() if job.id.startswith("digest:")}


async def test_failed_start_is_retried_and_its_channels_get_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    errors: list[Exception] = [ConnectionError("refused"), TimeoutError("boot"), OSError("down")]
    platform = FlakyPlatform(errors)
    service = make_service(tmp_path, monkeypatch, platform)
    # C1 last had its digest yesterday; today's 09:00 one is due while Slack is unreachable.
    service.core.sync_config()
    c1 = channel_store.get_channel(service.db, "slack", "C1")
    assert c1 is not None
    digest_runs.record_digest_run(
        service.db, c1.id, scheduled_for=T0 - timedelta(days=1, hours=1), now=T0, stories=0
    )
    add_story(service.db, "s1", ["A"], now=T0 - timedelta(hours=2))
    try:
        await service.start()
        retries = list(service.starter.tasks)
        assert len(retries) == 1
        # Down: no job for its channel, /healthz says why, and no terminal stand-in.
        assert platform.starts == 1 and "slack" in service.platform_errors
        assert digest_job_ids(service) == set()
        assert service.health()["status"] == "degraded"
        await asyncio.wait_for(asyncio.gather(*retries), timeout=5)
        assert platform.starts == 4 and platform.stops == 3  # cleaned up after each failure
        assert service.platforms == [platform] and service.platform_errors == {}
        assert digest_job_ids(service) == {f"digest:{c1.id}"}
        assert service.health()["status"] == "ok"
        await service.outbox.drain()
        assert [(m.channel_id, m.story_id) for m in platform.adapter.cards()] == [("C1", "s1")]
        assert channel_store.list_channels(service.db, "console") == []
    finally:
        await service.stop()
        service.core.close()


async def test_auth_error_is_not_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    platform = FlakyPlatform([AuthDeliveryError("Login refused; put a new one in FAKECHAT_TOKEN")])
    service = make_service(tmp_path, monkeypatch, platform)
    try:
        await service.start()
        await asyncio.sleep(0.05)  # many retry delays long
        assert platform.starts == 1 and not service.starter.tasks
        assert "authentication failed" in service.platform_errors["slack"]
        # Slack will not start this run: the terminal stands in (its stand-in was paused all
        # the same once, so nothing was posted or printed anywhere), and gets the only job.
        (terminal,) = channel_store.list_channels(service.db, "console")
        assert terminal.paused_reason is None
        assert digest_job_ids(service) == {f"digest:{terminal.id}"}
    finally:
        await service.stop()
        service.core.close()


class JudgingPlatform(FlakyPlatform):
    """Raises its chat library's own error, and says through `start_error` which ones no retry
    fixes, as Slack's and Discord's platforms do: the runner knows no library's exceptions."""

    def start_error(self, exc: BaseException) -> AuthDeliveryError | None:
        if isinstance(exc, PermissionError):
            return AuthDeliveryError(f"FakeChat refused FAKECHAT_TOKEN ({exc})")
        return None


@pytest.mark.parametrize("judged", [True, False])
async def test_a_platform_says_which_of_its_start_errors_are_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, judged: bool
) -> None:
    refused = PermissionError("token_revoked")
    platform = JudgingPlatform([refused]) if judged else FlakyPlatform([refused])
    service = make_service(tmp_path, monkeypatch, platform)
    try:
        await service.start()
        if judged:
            await asyncio.sleep(0.05)  # many retry delays long
            assert platform.starts == 1 and not service.starter.tasks
            assert service.platform_errors["slack"] == (
                "authentication failed, not retried: FakeChat refused FAKECHAT_TOKEN"
                " (token_revoked)"
            )
        else:
            # Without the platform's word it is retried like any failure.
            await asyncio.wait_for(asyncio.gather(*service.starter.tasks), timeout=5)
            assert platform.starts == 2 and service.platform_errors == {}
    finally:
        await service.stop()
        service.core.close()


async def test_an_earlier_terminal_channel_is_paused_once_chat_is_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = FlakyPlatform([])
    service = make_service(tmp_path, monkeypatch, platform)
    # What an earlier run made while no chat platform was configured (or Slack was down, before
    # that stopped making one), with a post queued for it.
    terminal = channel_store.ensure_channel(service.db, "console", "terminal", name="terminal")
    channel_store.update_channel(service.db, terminal.id, schedule="0 * * * *", origin="runner")
    add_story(service.db, "s1", ["A"], now=T0 - timedelta(hours=2))
    delivery_store.enqueue_story(service.db, "s1", terminal.id, now=T0)
    try:
        await service.start()
        c1 = channel_store.get_channel(service.db, "slack", "C1")
        assert c1 is not None
        assert digest_job_ids(service) == {f"digest:{c1.id}"}
        # Paused, saying why, so nothing more reaches it (its digests, its stories' updates, a
        # feed's notice were printed to the log); no problem for /healthz.
        paused = channel_store.get_channel_by_pk(service.db, terminal.id)
        assert paused is not None and paused.paused_reason == STANDING_IN
        assert service.health()["status"] == "ok"
        printed: list[str] = []
        monkeypatch.setattr(ConsoleAdapter, "post_card", _record(printed))
        await service.outbox.drain()
        assert printed == []
    finally:
        await service.stop()
        service.core.close()
    # Run again with no chat platform, it is the stand-in again.
    core = NewsDigest(Config(), db=open_database(tmp_path / "nd.db"))
    alone = Service(
        Config(),
        core=core,
        settings=RunnerSettings(health_port=None, post_pace=0, start_spread=0),
        clock=lambda: T0,
        env={},
    )
    try:
        await alone.start()
        resumed = channel_store.get_channel_by_pk(alone.db, terminal.id)
        assert resumed is not None and resumed.paused_reason is None
    finally:
        await alone.stop()
        core.close()


def _record(printed: list[str]):  # type: ignore[no-untyped-def]
    async def post_card(self, channel, card, **kwargs):  # type: ignore[no-untyped-def]
        printed.append(card.headline)
        raise AssertionError("a paused channel's card was printed")

    return post_card


def _slack() -> Any:
    return SlackPlatform(SlackSettings(bot_token="xoxb-1", mode="http", signing_secret="s"))


def _discord() -> Any:
    return DiscordPlatform(Config(), "token")


def _app_token_refused() -> SlackApiError:
    response = SlackResponse(
        client=None,
        http_verb="POST",
        api_url="https://slack.com/api/apps.connections.open",
        req_args={},
        data={"ok": False, "error": "invalid_auth"},
        headers={},
        status_code=200,
    )
    return SlackApiError("x", response)


@pytest.mark.parametrize(
    ("make", "error", "said"),
    [
        (_slack, ConnectionError("refused"), None),
        (_slack, TimeoutError(), None),
        (_slack, SlackApiError("x", {"ok": False, "error": "ratelimited"}), None),
        (
            _slack,
            SlackApiError("x", {"ok": False, "error": "invalid_auth"}),
            "Slack refused SLACK_BOT_TOKEN (invalid_auth): put a valid one (OAuth & Permissions >"
            " Bot User OAuth Token) in SLACK_BOT_TOKEN and restart newsdigest",
        ),
        (
            _slack,
            SlackApiError("x", {"ok": False, "error": "token_revoked"}),
            "Slack refused SLACK_BOT_TOKEN (token_revoked): ",
        ),
        (
            _slack,
            _app_token_refused(),
            "Slack refused SLACK_APP_TOKEN (invalid_auth): put a valid one (Basic Information >"
            " App-Level Tokens) in SLACK_APP_TOKEN and restart newsdigest",
        ),
        (_discord, ConnectionError("refused"), None),
        (_discord, TimeoutError(), None),
        (_discord, discord.LoginFailure("bad token"), "Discord login: bad token; "),
        (_discord, discord.PrivilegedIntentsRequired(None), "privileged"),
    ],
)
def test_each_platform_says_which_of_its_start_errors_are_fatal(
    make: Callable[[], Any], error: Exception, said: str | None
) -> None:
    """Slack and Discord each read their own library's errors (the runner reads none): a token
    refused, or a setting to change, comes back as the error the runner does not retry, naming
    the variable; the network or a rate limit as None, for a retry."""
    platform = make()
    refusal = start_refusal(platform, error)
    if said is None:
        assert refusal is None and not start_error_is_fatal(error)
        return
    assert refusal is not None and start_error_is_fatal(refusal)
    assert said in str(refusal) and refusal.__cause__ is error
    if isinstance(refusal, AuthDeliveryError):
        variable = "DISCORD_TOKEN" if platform.name == "discord" else "_TOKEN"
        assert variable in str(refusal)


def test_a_platforms_own_verdict_is_fatal_whatever_the_platform() -> None:
    assert start_error_is_fatal(AuthDeliveryError("Discord login: ...; put one in DISCORD_TOKEN"))
    assert start_error_is_fatal(FatalPlatformError("enable the intent"))
    # A raw library error is the platform's to judge, not the runner's.
    assert not start_error_is_fatal(discord.LoginFailure("bad token"))
    assert not start_error_is_fatal(SlackApiError("x", {"ok": False, "error": "invalid_auth"}))


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff(initial=5, cap=300)
    assert [backoff.delay(n) for n in range(1, 9)] == [5, 10, 20, 40, 80, 160, 300, 300]
    assert backoff.delay(10_000) == 300


def test_slack_auth_errors_are_one_list_and_the_runner_loads_no_chat_library() -> None:
    from bot.adapters.slack import adapter, auth, errors, socket

    assert auth.AUTH_ERRORS is adapter.AUTH_ERRORS is socket.AUTH_ERRORS is errors.AUTH_ERRORS
    # The runner judges a failed start by the platform's word, loading no chat library.
    code = (
        "import sys, bot.runner.platforms, bot.runner.starter; "
        "print(sorted(m for m in ('slack_sdk', 'slack_bolt', 'discord') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[]"
