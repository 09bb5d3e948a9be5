"""An interaction follow-up answered with a body that is not a Discord message (a proxy's HTML
page served as 200, JSON cut off, a message without its id) went through and may have been
posted: like a 5xx, it is logged as maybe posted, not sent again, and the rest of the reply still
goes; it escaped with a traceback and dropped the rest of the reply.

A real bot (discord.py) against the fake REST API; assertions on what the fake recorded."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fakes.discord_api import APP_ID, HTML_PAGE, NO_ID, TRUNCATED_JSON, FakeDiscord
from fakes.stories import add_channel, add_story
from test_discord_commands import CHANNEL, make_bot, slash

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.config import Config
from bot.store.database import open_database, utcnow

FOLLOW_UP = rf"/webhooks/{APP_ID}/[^/]+"


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    app = NewsDigest(Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db"))
    yield app
    app.close()


@pytest.fixture
async def bot(discord_api: FakeDiscord, core: NewsDigest) -> AsyncIterator[DiscordBot]:
    client = await make_bot(core)
    yield client
    await client.close()


def follow_ups(api: FakeDiscord) -> list[dict[str, Any]]:
    return [m for m in api.messages.values() if m.get("webhook_id") == str(APP_ID)]


@pytest.mark.parametrize(
    "answer", [HTML_PAGE, TRUNCATED_JSON, NO_ID], ids=["html", "truncated", "no-id"]
)
async def test_the_rest_of_a_reply_goes_on_after_a_garbled_follow_up(
    discord_api: FakeDiscord,
    bot: DiscordBot,
    core: NewsDigest,
    caplog: pytest.LogCaptureFixture,
    answer: tuple[str, str],
) -> None:
    caplog.set_level(logging.INFO)
    add_channel(core.db, str(CHANNEL), platform="discord")
    for n in range(7):
        add_story(core.db, f"s{n}", ["Reuters", "AP"], now=utcnow() - timedelta(hours=1))
    # The heading edits the "thinking" message; seven cards follow in two messages (5 + 2).
    discord_api.garble_next("POST", FOLLOW_UP, answer, landed=True)
    await slash(bot, "digest")
    assert len(discord_api.calls("POST", FOLLOW_UP)) == 2
    assert [len(m["embeds"]) for m in follow_ups(discord_api)] == [5, 2]
    assert "may or may not have been posted" in caplog.text
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
