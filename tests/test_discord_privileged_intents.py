"""Discord's gateway close code 4014 (the bot asks for a privileged intent that is not enabled for
it) is a setting to change, not a token to replace and not a hiccup to retry: the real service and
Discord platform against the fake Discord API and gateway."""

from __future__ import annotations

import asyncio
from pathlib import Path

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.runner import discord_service, stop

from bot.adapters.discord.errors import intents_refused
from bot.config import ChannelConfig
from bot.runner.service import Service

RETRY = 0.2


@pytest.fixture
def api(discord_gateway: FakeDiscord) -> FakeDiscord:
    return discord_gateway


def make_service(tmp_path: Path) -> Service:
    channels = [ChannelConfig(platform="discord", id="111111111111111111", min_sources=1)]
    return discord_service(tmp_path, channels, retry=RETRY, with_slack=False)


async def test_privileged_intents_at_start_are_not_retried_and_name_the_switch(
    api: FakeDiscord, tmp_path: Path
) -> None:
    api.close_at_identify(4014)
    service = make_service(tmp_path)
    await service.start()
    try:
        error = service.platform_errors["discord"]
        assert "4014" in error and "not retried" in error
        assert "Developer Portal" in error and "Privileged Gateway Intents" in error
        assert "token" not in error.lower()  # not mistaken for a refused token
        assert any("Privileged Gateway Intents" in p for p in service.health()["problems"])
        assert service.starter.pending == [] and not service.starter.tasks
        await asyncio.sleep(RETRY * 3)
        assert api.identified == []  # IDENTIFY was answered with the close, once
        assert "discord" not in {p.name for p in service.platforms}
    finally:
        await stop(service)


def test_the_message_names_the_switch_for_each_privileged_intent_asked_for() -> None:
    wanted = discord.Intents(guilds=True, members=True, message_content=True)
    message = intents_refused(wanted)
    assert "Server Members Intent, Message Content Intent" in message
    assert "Presence Intent" not in message
    assert "the privileged intents the bot asks for" in intents_refused(discord.Intents.none())
