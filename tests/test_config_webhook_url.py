"""A Discord `webhook_url` is checked at load by the rule discord.py posts by, not found wanting
at the channel's first post (which pauses the channel)."""

from __future__ import annotations

from pathlib import Path

import aiohttp
import discord
import pytest

from bot.config import ConfigError, load_config
from bot.config_values import is_discord_webhook_url

GOOD = f"https://discord.com/api/webhooks/123456789012345678/{'T' * 68}"
URLS = [
    GOOD,
    f"https://discordapp.com/api/webhooks/12345678901234567890/{'a.b-c_' * 10}",
    "https://discord.com/api/webhooks/1/abc",
    f"https://discord.com/api/webhooks/1234567890123456/{'T' * 68}",
    f"https://discord.com/api/webhooks/123456789012345678/{'T' * 59}",
    "https://discord.com/channels/123456789012345678/123456789012345678",
    "https://example.com/hook",
    "",
]


def write(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "newsdigest.toml"
    path.write_text(
        f"[[channels]]\nplatform = 'discord'\nid = '234567890123456789'\nwebhook_url = '{url}'\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("url", URLS)
async def test_the_config_check_agrees_with_discord_py(url: str) -> None:
    async with aiohttp.ClientSession() as session:
        try:
            discord.Webhook.from_url(url, session=session)
        except ValueError:
            posts = False
        else:
            posts = True
    assert is_discord_webhook_url(url) is posts


@pytest.mark.parametrize(
    "url",
    [
        "https://discord.com/api/webhooks/1/abc",
        "https://discord.com/channels/123456789012345678/123456789012345678",
        f"http://discord.com/api/webhooks/123456789012345678/{'T' * 68}",
    ],
)
def test_a_url_discord_would_refuse_is_an_error_at_load(tmp_path: Path, url: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, url))
    assert info.value.key == "channels[0].webhook_url"
    # The error shows what a webhook URL looks like, so the fix is obvious.
    assert "https://discord.com/api/webhooks/<17-20 digit id>/<token" in info.value.problem


def test_a_real_webhook_url_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.channels[0].webhook_url == GOOD
