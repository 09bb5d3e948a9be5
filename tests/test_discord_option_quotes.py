"""Discord's quiet hours and time zone options reach the core as typed, as Slack's text does:
the slash command quoted them again, so a value typed with quotes of its own came back "got
''22:00'-'07:00''" where Slack saved it. Each value answers on Discord as on Slack. Real dispatch
through Slack's app and Discord's, real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store import channels as channel_store

pytestmark = pytest.mark.empty_core

TYPED = [
    ("quiet", "hours", "'22:00-07:00'", "quiet_hours", "22:00-07:00"),
    ("quiet", "hours", "'22:00'-'07:00'", "quiet_hours", "22:00-07:00"),
    ("quiet", "hours", '"22:00" - "07:00"', "quiet_hours", "22:00-07:00"),
    ("timezone", "zone", "'Europe/Berlin'", "timezone", "Europe/Berlin"),
    ("timezone", "zone", "Europe/'Berlin'", "timezone", "Europe/Berlin"),
]


@pytest.mark.parametrize(("setting", "option", "typed", "column", "value"), TYPED)
async def test_discord_saves_a_quoted_value_as_slack_does(
    discord_api: FakeDiscord,
    bot: DiscordBot,
    core: NewsDigest,
    setting: str,
    option: str,
    typed: str,
    column: str,
    value: str,
) -> None:
    await slash(bot, "watchlist", setting, **{option: typed})
    assert answer(discord_api)["content"].startswith("Saved. "), typed
    channel = channel_store.get_channel(core.db, "discord", str(CHANNEL))
    assert channel is not None and getattr(channel, column) == value


@pytest.mark.parametrize(("setting", "option", "typed", "column", "value"), TYPED)
async def test_slack_saves_the_same_values(
    h: Harness, core: NewsDigest, setting: str, option: str, typed: str, column: str, value: str
) -> None:
    _, body = await h.slash("/watchlist", f"{setting} {typed}")
    assert ack_text(body).startswith("Saved. "), typed
    channel = channel_store.get_channel(core.db, "slack", "C1")
    assert channel is not None and getattr(channel, column) == value


async def test_a_bad_quoted_value_is_echoed_once_quoted(
    discord_api: FakeDiscord, bot: DiscordBot
) -> None:
    await slash(bot, "watchlist", "quiet", hours="'25:00'-'07:00'")
    content = answer(discord_api)["content"]
    assert "''" not in content, content
