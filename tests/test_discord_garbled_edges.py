"""Edges of telling Discord's answer from our bugs: an answer whose bytes are not UTF-8 is
Discord's (only an answer is decoded); and `discord sync`, a one-off command with no outbox to
hand a rate limit to, waits one out as it did before the bot's client was capped at 30 s."""

from __future__ import annotations

import pytest

from bot.adapters.discord import bot as discord_bot
from bot.adapters.discord.errors import garbled


def test_an_answer_that_is_not_utf8_is_garbled() -> None:
    exc = UnicodeDecodeError("utf-8", b"\xff\xfe", 0, 1, "invalid start byte")
    assert garbled(exc)


async def test_discord_sync_waits_out_a_rate_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[float | None] = []

    async def login(self: discord_bot.DiscordBot, token: str) -> None:
        seen.append(self.http.max_ratelimit_timeout)
        raise RuntimeError("stop here")

    monkeypatch.setattr(discord_bot.DiscordBot, "login", login)
    with pytest.raises(RuntimeError):
        await discord_bot.sync_commands("token")
    assert seen == [None]  # the bot's own client keeps its cap: test_discord_garbled_ratelimits
