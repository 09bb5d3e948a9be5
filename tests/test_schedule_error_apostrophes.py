"""A schedule's error quoting a zone's message with apostrophes in it ("not a place's zone") keeps
them as apostrophes: two of them were read as the quotes around a value and shown as code,
"not a place`s zone". A value the message does quote is still code. Real dispatch through
Slack's app and Discord's, real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot

pytestmark = pytest.mark.empty_core

CET = (
    "CET is an old name the tz database keeps only for compatibility, not a place's zone. "
    "Use the place's zone instead: Europe/Berlin or Europe/Paris."
)


async def test_slack_schedule_error_keeps_its_apostrophes(h: Harness) -> None:
    _, body = await h.slash("/watchlist", "schedule weekdays 9:00 CET")
    first = ack_text(body).split("\nUsage:")[0]
    assert first == CET
    _, body = await h.slash("/watchlist", "schedule weekdays 25:00")
    assert ack_text(body).startswith("`25:00` is not a time: hours run 00 to 23\n")


async def test_discord_schedule_error_keeps_its_apostrophes(
    discord_api: FakeDiscord, bot: DiscordBot
) -> None:
    await slash(bot, "watchlist", "schedule", when="weekdays 9:00 CET")
    assert answer(discord_api)["content"].split("\nUsage:")[0] == CET
