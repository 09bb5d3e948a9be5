"""A chat platform whose start fails (network down at boot) is retried with capped backoff; once
it starts, its channels get their digest jobs and the digest missed meanwhile. An auth error is
not retried. No terminal channel stands in for a chat platform that is configured but down."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest
from fakes.chat import FakeChatAdapter
from fakes.stories import add_story
from slack_sdk.errors import SlackApiError

from bot.adapters.console import ConsoleAdapter
from bot.app import NewsDigest
from bot.config import ChannelConfig, Config, Secrets
from bot.delivery.adapter import AuthDeliveryError
from bot.runner import platforms as platform_module
from bot.runner.console import STANDING_IN
from bot.runner.platforms import Backoff, start_error_is_fatal
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
    platform = FlakyPlatform([discord.LoginFailure("Improper token has been passed.")])
    service = make_service(tmp_path, monkeypatch, platform)
    try:
        await service.start()
        await asyncio.sleep(0.05)  # many retry delays long
        assert platform.starts == 1 and not service.starter.tasks
        assert "authentication failed" in service.platform_errors["slack"]
        assert digest_job_ids(service) == set()
        assert channel_store.list_channels(service.db, "console") == []
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


@pytest.mark.parametrize(
    ("error", "fatal"),
    [
        (ConnectionError("refused"), False),
        (TimeoutError(), False),
        (SlackApiError("x", {"ok": False, "error": "ratelimited"}), False),
        (SlackApiError("x", {"ok": False, "error": "invalid_auth"}), True),
        (SlackApiError("x", {"ok": False, "error": "token_revoked"}), True),
        (discord.LoginFailure("bad token"), True),
        (AuthDeliveryError("Discord login: ...; put a new one in DISCORD_TOKEN"), True),
    ],
)
def test_which_start_errors_are_fatal(error: Exception, fatal: bool) -> None:
    assert start_error_is_fatal(error) is fatal


def test_backoff_doubles_up_to_its_cap() -> None:
    backoff = Backoff(initial=5, cap=300)
    assert [backoff.delay(n) for n in range(1, 9)] == [5, 10, 20, 40, 80, 160, 300, 300]
    assert backoff.delay(10_000) == 300


def test_slack_auth_errors_are_one_list_the_runner_reads_without_slack_sdk() -> None:
    from bot.adapters.slack import adapter, socket

    assert platform_module.SLACK_AUTH_ERRORS is adapter.AUTH_ERRORS is socket.AUTH_ERRORS
    # The runner checks a failed start without loading the Slack libraries.
    code = (
        "import sys, bot.runner.platforms; "
        "print(sorted(m for m in ('slack_sdk', 'slack_bolt') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == "[]"
