"""`newsdigest run` says when configured channels will get nothing, and why."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from bot.app import NewsDigest
from bot.config import Config, parse_config
from bot.runner.service import Service
from bot.runner.settings import RunnerSettings
from bot.store.database import open_database

# A URL of the shape discord.py (and the config check) accepts.
WEBHOOK = f"https://discord.com/api/webhooks/123456789012345678/{'T' * 68}"

CONFIG = {
    "channels": [
        {"platform": "slack", "id": "C1"},
        {"platform": "slack", "id": "C2"},
        {"platform": "discord", "id": "123"},
    ]
}


async def _health_at_start(config: Config, tmp_path: Path) -> dict[str, Any]:
    """What `/healthz` says once the service has started with no tokens in its environment."""
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    service = Service(config, core=core, settings=RunnerSettings(health_port=None), env={})
    try:
        await service.start()
        return service.health()
    finally:
        await service.stop()
        core.close()


async def test_channels_of_a_platform_without_its_token_are_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = parse_config(CONFIG)
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0)
    service = Service(config, core=core, settings=settings, env={})
    caplog.set_level(logging.WARNING, logger="bot.runner.platforms")
    try:
        await service.start()
    finally:
        await service.stop()
        core.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "2 slack channels will get nothing: SLACK_BOT_TOKEN is not set" in warnings
    assert "1 discord channel will get nothing: DISCORD_TOKEN is not set" in warnings


async def test_discord_channels_without_a_webhook_are_named_when_the_token_is_missing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # One channel posts through its webhook, which needs no token, so Discord is started; the
    # other needs the bot, and used to be first heard of when its first post paused it.
    config = parse_config(
        {
            "channels": [
                {
                    "platform": "discord",
                    "id": "234567890123456789",
                    "name": "#webhooked",
                    "webhook_url": WEBHOOK,
                },
                {"platform": "discord", "id": "234567890123456790", "name": "#bot-only"},
            ]
        }
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    settings = RunnerSettings(health_port=None, post_pace=0)
    service = Service(config, core=core, settings=settings, env={})
    caplog.set_level(logging.WARNING, logger="bot.runner.platforms")
    try:
        await service.start()
        assert "discord" in service.outbox.adapters  # the webhook channel is served
    finally:
        await service.stop()
        core.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "1 discord channel will get nothing: DISCORD_TOKEN is not set, and only channels with a"
        " webhook_url post without it: #bot-only (discord:234567890123456790)"
    ]


async def test_no_warning_when_every_discord_channel_has_a_webhook(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = parse_config(
        {
            "channels": [
                {
                    "platform": "discord",
                    "id": "234567890123456789",
                    "webhook_url": WEBHOOK,
                }
            ]
        }
    )
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    service = Service(config, core=core, settings=RunnerSettings(health_port=None), env={})
    caplog.set_level(logging.WARNING, logger="bot.runner.platforms")
    try:
        await service.start()
    finally:
        await service.stop()
        core.close()
    assert not [r for r in caplog.records if "will get nothing" in r.getMessage()]


async def test_healthz_reports_channels_without_their_token_as_degraded(tmp_path: Path) -> None:
    # An env file the service manager never loaded leaves every token unset: the bot ran, said
    # "ok" and printed its digests to the terminal, the only sign a line in the start-up log.
    config = parse_config(CONFIG)
    health = await _health_at_start(config, tmp_path)
    assert health["status"] == "degraded" and not health["critical"]
    assert health["problems"] == [
        "2 slack channels will get nothing: SLACK_BOT_TOKEN is not set",
        "1 discord channel will get nothing: DISCORD_TOKEN is not set",
    ]
    assert health["unserved_channels"] == {
        "slack": "2 slack channels will get nothing: SLACK_BOT_TOKEN is not set",
        "discord": "1 discord channel will get nothing: DISCORD_TOKEN is not set",
    }


async def test_healthz_names_discord_channels_that_need_the_missing_bot_token(
    tmp_path: Path,
) -> None:
    config = parse_config(
        {
            "channels": [
                {"platform": "discord", "id": "234567890123456789", "webhook_url": WEBHOOK},
                {"platform": "discord", "id": "234567890123456790"},
            ]
        }
    )
    health = await _health_at_start(config, tmp_path)
    assert health["status"] == "degraded"
    assert health["problems"] == [
        "1 discord channel will get nothing: DISCORD_TOKEN is not set (only channels with a"
        " webhook_url post without it)"
    ]


async def test_healthz_is_ok_when_every_channel_is_served(tmp_path: Path) -> None:
    config = parse_config(
        {"channels": [{"platform": "discord", "id": "234567890123456789", "webhook_url": WEBHOOK}]}
    )
    health = await _health_at_start(config, tmp_path)
    assert health["problems"] == [] and health["unserved_channels"] == {}
