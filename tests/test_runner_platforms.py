"""Which chat platforms `newsdigest run` starts."""

from __future__ import annotations

import logging

import pytest

from bot.config import parse_config
from bot.runner.platforms import configured_platforms


def test_no_tokens_no_platforms() -> None:
    platforms, errors = configured_platforms(parse_config({}), {})
    assert platforms == [] and errors == {}


def test_discord_webhook_channels_start_discord_without_a_token() -> None:
    config = parse_config(
        {
            "channels": [
                {
                    "platform": "discord",
                    "id": "123",
                    "webhook_url": f"https://discord.com/api/webhooks/123456789012345678/{'T' * 68}",
                }
            ]
        }
    )
    platforms, errors = configured_platforms(config, {})
    assert errors == {}
    assert [p.name for p in platforms] == ["discord"]


def test_a_slack_config_error_is_one_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.runner.platforms")
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_MODE": "socket"}
    platforms, errors = configured_platforms(parse_config({}), env)
    assert platforms == [] and "SLACK_APP_TOKEN" in errors["slack"]
    (record,) = caplog.records
    assert record.exc_info is None
    assert "SLACK_APP_TOKEN" in record.getMessage()
