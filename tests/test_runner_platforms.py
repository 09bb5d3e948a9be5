"""Which chat platforms `newsdigest run` starts."""

from __future__ import annotations

import logging
from typing import NoReturn

import pytest

from bot.config import parse_config
from bot.runner import platforms as platforms_module
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
    # Was "could not set up the platform for SLACK_BOT_TOKEN: ...": which platform, and what to do.
    assert record.getMessage() == (
        "Slack is not started: SLACK_MODE=socket needs SLACK_APP_TOKEN (an xapp- token with "
        "connections:write; Basic Information > App-Level Tokens), or set SLACK_MODE=http. Fix "
        "that in the service's environment and restart; the rest of the bot runs without Slack"
    )


def test_a_platform_that_fails_to_build_is_named_with_its_traceback(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(config: object, secrets: object) -> NoReturn:
        raise RuntimeError("boom")

    monkeypatch.setitem(platforms_module.PLATFORM_FACTORIES, "DISCORD_TOKEN", broken)
    caplog.set_level(logging.ERROR, logger="bot.runner.platforms")
    platforms, errors = configured_platforms(parse_config({}), {"DISCORD_TOKEN": "t"})
    assert platforms == [] and errors == {"discord": "RuntimeError: boom"}
    (record,) = caplog.records
    assert record.exc_info is not None
    assert record.getMessage() == (
        "Discord is not started: setting it up failed (a bug, not a setting); "
        "the rest of the bot runs without Discord"
    )
