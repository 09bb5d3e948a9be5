"""Commands a reply names are commands the reader's platform runs: Discord cannot run a bare
/watchlist (only its subcommands: `show` lists), and its values are named options
(`/watchlist mode mode:instant`); a hint that leaves the value out ("/watchlist mode") is no
command to copy. Real dispatch through each adapter, real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.discord_api import FakeDiscord
from fakes.stories import add_story
from test_discord_commands import answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.config import Config
from bot.store.database import open_database, utcnow


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    app = NewsDigest(Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db"))
    add_story(
        app.db, "kestrel00001", ["Harbor Ledger", "Valley Times"], now=utcnow() - timedelta(hours=1)
    )
    yield app
    app.close()


async def test_discord_mute_in_a_channel_not_signed_up_names_watchlist_show(
    discord_api: FakeDiscord, bot: DiscordBot
) -> None:
    await slash(bot, "watchlist", "mute", story="story-kestrel00001")
    assert answer(discord_api)["content"] == (
        "Nothing to mute: this channel is not signed up for my posts (see /watchlist show), so "
        "nothing about that story will be posted here."
    )


async def test_slack_mute_in_a_channel_not_signed_up_names_the_bare_watchlist(h: Harness) -> None:
    """A guard, passing before the change too: Discord's reply now names `/watchlist show`, and
    Slack's, from the same shared handler, must keep naming the bare /watchlist it runs."""
    _, body = await h.slash("/watchlist", "mute story-kestrel00001")
    assert ack_text(body).startswith(
        "Nothing to mute: this channel is not signed up for my posts (see /watchlist), so "
    )


async def test_discord_schedule_too_often_names_instant_mode_with_its_option(
    discord_api: FakeDiscord, bot: DiscordBot
) -> None:
    await slash(bot, "watchlist", "schedule", when="*/15 * * * *")
    content = answer(discord_api)["content"]
    assert "switch the channel to instant mode (/watchlist mode mode:instant) instead" in content
    # The command named there is one that works as typed.
    await slash(bot, "watchlist", "mode", mode="instant")
    assert answer(discord_api)["content"].startswith("Saved. Mode: instant")


async def test_slack_schedule_too_often_names_instant_mode_with_its_value(h: Harness) -> None:
    _, body = await h.slash("/watchlist", "schedule */15 * * * *")
    assert "switch the channel to instant mode (/watchlist mode instant) instead" in ack_text(body)
    _, saved = await h.slash("/watchlist", "mode instant")
    assert ack_text(saved).startswith("Saved. Mode: instant")
