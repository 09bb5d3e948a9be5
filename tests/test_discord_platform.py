"""How `newsdigest run` and `newsdigest discord sync` reach Discord: the platform hook over a fake
gateway and REST API, and the command sync CLI."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest
from click.testing import CliRunner, Result
from fakes.discord_api import GUILD_ID, FakeDiscord, watchlist_show

from bot.adapters.discord import create_platform
from bot.app import NewsDigest
from bot.cards import StoryCard
from bot.cli import cli
from bot.commands.core import Commands
from bot.config import Config, Secrets
from bot.delivery.adapter import ChatAdapter
from bot.store import channels as channel_store
from bot.store.database import open_database

CHANNEL = 666666666666666666


@pytest.fixture
def api(discord_gateway: FakeDiscord) -> FakeDiscord:
    return discord_gateway


class FakeService:
    def __init__(self, commands: Commands) -> None:
        self.commands = commands
        self.adapters: list[ChatAdapter] = []

    def register_adapter(self, adapter: ChatAdapter) -> None:
        self.adapters.append(adapter)


def card() -> StoryCard:
    """A card of two outlets, all a post needs."""
    return StoryCard(
        story_id="dddddddddddd",
        slug="s",
        headline="H",
        source_count=2,
        outlets=["A", "B"],
        tldr=[],
        sources=[],
        angles=[],
        also_reporting=[],
        first_seen=datetime(2025, 1, 1, tzinfo=UTC),
        as_of=datetime(2025, 1, 1, 1, tzinfo=UTC),
    )


async def discord_sync(guild: int | None = GUILD_ID) -> Result:
    """`newsdigest discord sync` for `guild` (None: globally); it succeeded."""
    where = ["--guild", str(guild)] if guild is not None else []
    # The CLI runs its own event loop; a thread keeps the fake server's loop (this one) serving.
    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["discord", "sync", *where], env={"DISCORD_TOKEN": "t"}
    )
    assert result.exit_code == 0, result.output
    return result


async def test_run_hook_connects_serves_commands_and_delivers(
    api: FakeDiscord, tmp_path: Path
) -> None:
    config = Config(database=str(tmp_path / "nd.db"))
    core = NewsDigest(config, db=open_database(tmp_path / "nd.db"))
    service = FakeService(Commands(core))
    platform = create_platform(config, Secrets(None, None, None, discord_token="fake-token"))
    assert platform.name == "discord"
    await platform.start(service)
    try:
        (identify,) = api.identified
        assert identify["token"] == "fake-token"
        assert identify["intents"] == discord.Intents(guilds=True).value  # nothing privileged
        (adapter,) = service.adapters
        assert adapter.platform == "discord"

        await api.push("INTERACTION_CREATE", watchlist_show(CHANNEL))
        for _ in range(100):
            if api.calls("POST", r"/interactions/\d+/[^/]+/callback"):
                break
            await asyncio.sleep(0.02)
        (answer,) = api.calls("POST", r"/interactions/\d+/[^/]+/callback")
        assert answer.body["data"]["content"].startswith("This channel gets no posts from me")

        # Showing the watchlist does not sign the channel up; a configuring command would.
        assert channel_store.get_channel(core.db, "discord", str(CHANNEL)) is None
        channel = channel_store.ensure_channel(core.db, "discord", str(CHANNEL))
        posted = await adapter.post_card(channel, card(), nonce="run-1")
        assert api.channel_messages(CHANNEL)[0]["id"] == posted.message_ref
    finally:
        await platform.stop()
        core.close()


async def test_discord_sync_registers_the_commands(api: FakeDiscord) -> None:
    result = await discord_sync()
    names = ["story", "follow", "unfollow", "digest", "watchlist", "feeds"]
    assert result.output.strip() == (
        f"Synced 6 commands to server {GUILD_ID}: " + ", ".join(f"/{n}" for n in names)
    )
    synced = {c["name"]: c for c in api.synced[str(GUILD_ID)]}
    assert list(synced) == names
    subcommands = [o["name"] for o in synced["watchlist"]["options"]]
    assert subcommands == [
        "show",
        "schedule",
        "timezone",
        "mode",
        "min-sources",
        "digest-size",
        "quiet",
        "mute",
        "unmute",
        "pause",
        "resume",
    ]
    # The options each new subcommand registers, as the core reads them back.
    options = {o["name"]: o.get("options", []) for o in synced["watchlist"]["options"]}
    assert [(o["name"], o["required"], o.get("autocomplete")) for o in options["timezone"]] == [
        ("zone", True, True)
    ]
    assert [(o["name"], o["required"], o.get("autocomplete")) for o in options["unmute"]] == [
        ("story", True, True)
    ]
    assert [(o["name"], o["required"], o.get("autocomplete")) for o in options["mute"]] == [
        ("story", True, True)
    ]
    assert [o["name"] for o in synced["feeds"]["options"]] == ["list", "add", "remove"]

    result = await discord_sync(guild=None)
    assert "all servers (global)" in result.output
    assert len(api.synced["global"]) == 6


def test_discord_sync_needs_a_token() -> None:
    result = CliRunner().invoke(cli, ["discord", "sync"], env={"DISCORD_TOKEN": ""})
    assert result.exit_code == 1
    assert "DISCORD_TOKEN is not set" in result.output
