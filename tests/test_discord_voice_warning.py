"""discord.py's "PyNaCl/davey is not installed, voice will NOT be supported" warnings are not
logged by a bot that never uses voice: neither when `newsdigest run` starts Discord nor by
`newsdigest discord sync`. discord.py's other warnings still are. The real platform and CLI over
the fake Discord gateway and REST API."""

from __future__ import annotations

import logging
from pathlib import Path

import discord
import pytest
from fakes.discord_api import FakeDiscord
from test_discord_platform import FakeService, discord_sync

from bot.adapters.discord import create_platform
from bot.app import NewsDigest
from bot.commands.core import Commands
from bot.config import Config, Secrets
from bot.store.database import open_database


@pytest.fixture(autouse=True)
def voice_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    # discord.py warns once per process, at the first client; as if this one were the first.
    monkeypatch.setattr(discord.VoiceClient, "warn_nacl", True)
    monkeypatch.setattr(discord.VoiceClient, "warn_dave", True)


def voice_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "voice will NOT" in r.getMessage()]


async def test_run_starts_discord_without_voice_warnings(
    discord_gateway: FakeDiscord, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    config = Config(database=str(tmp_path / "nd.db"))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    platform = create_platform(config, Secrets(None, None, None, discord_token="fake-token"))
    try:
        await platform.start(FakeService(Commands(core)))
        assert discord_gateway.identified  # connected for real
    finally:
        await platform.stop()
        core.close()
    assert voice_warnings(caplog) == []
    # Only those two: discord.py's client logger still warns about anything else.
    logging.getLogger("discord.client").warning("something else")
    assert "something else" in [r.getMessage() for r in caplog.records]


async def test_discord_sync_has_no_voice_warnings(
    discord_api: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await discord_sync()
    assert voice_warnings(caplog) == []
