"""Discord signs up only a channel the bot can post in, as Slack does: `app_permissions`, sent
with every interaction, says whether it may see the channel, send and show a card there; a
command that would sign the channel up is refused at once, saying which permission is missing,
rather than saved and failing at the first digest (which paused the channel). A thread is no
channel to sign up: the reply names its parent. Real dispatch through Discord's app, real
SQLite."""

from __future__ import annotations

from typing import Any

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import CHANNEL, GUILD_ID, answer, command, interact, payload

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store import channels as channel_store

pytestmark = pytest.mark.empty_core

VIEW, SEND, EMBED = 1 << 10, 1 << 11, 1 << 14
ADMINISTRATOR = 1 << 3
THREAD = 990000000000000001


async def _run(
    bot: DiscordBot,
    name: str,
    *path: str,
    app: int | None = None,
    thread: bool = False,
    **options: Any,
) -> None:
    data = payload(2, command(name, *path, **options))
    if app is not None:
        data["app_permissions"] = str(app)
    if thread:
        data["channel_id"] = str(THREAD)
        data["channel"] = {
            "id": str(THREAD),
            "type": 11,
            "name": "ferry talk",
            "guild_id": str(GUILD_ID),
            "parent_id": str(CHANNEL),
            "owner_id": "1",
            "message_count": 1,
            "member_count": 1,
            "rate_limit_per_user": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": "2025-03-01T08:00:00+00:00",
                "locked": False,
            },
        }
    await interact(bot, data)


@pytest.mark.parametrize(
    ("app", "missing"),
    [
        (VIEW | EMBED, "the Send Messages permission here. Ask a server admin to grant it"),
        (VIEW | SEND, "the Embed Links permission here. Ask a server admin to grant it"),
        (
            0,
            "the View Channel, Send Messages and Embed Links permissions here. Ask a server "
            "admin to grant them",
        ),
    ],
)
async def test_a_channel_the_bot_cannot_post_in_is_not_signed_up(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest, app: int, missing: str
) -> None:
    refused = (
        f"I cannot post in this channel: I need {missing} to me (or my role) in this channel's "
        "settings, then try again."
    )
    channel_store.upsert_topic(core.db, "ferries", "ferry")
    for name, path, options in (
        ("follow", (), {"topic": "ferries"}),
        ("watchlist", ("mode",), {"mode": "instant"}),
        ("watchlist", ("show",), {}),
    ):
        await _run(bot, name, *path, app=app, **options)
        assert answer(discord_api)["content"] == refused
    # /digest answers after a deferral; it signs nothing up either.
    await _run(bot, "digest", app=app)
    assert channel_store.get_channel(core.db, "discord", str(CHANNEL)) is None


@pytest.mark.parametrize(
    "app",
    [
        pytest.param(VIEW | SEND | EMBED, id="a_channel_the_bot_can_post_in"),
        # Discord grants an Administrator every permission in every channel; its bit alone is
        # what app_permissions carries for a bot whose role has it.
        pytest.param(ADMINISTRATOR, id="a_bot_with_administrator_alone"),
    ],
)
async def test_a_channel_the_bot_can_post_in_is_signed_up(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest, app: int
) -> None:
    channel_store.upsert_topic(core.db, "ferries", "ferry")
    await _run(bot, "follow", app=app, topic="ferries")
    assert answer(discord_api)["content"].startswith("This channel now follows ferries.")
    assert channel_store.get_channel(core.db, "discord", str(CHANNEL)) is not None


async def test_a_thread_is_not_signed_up_and_the_reply_names_its_channel(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    channel_store.upsert_topic(core.db, "ferries", "ferry")
    await _run(bot, "follow", thread=True, topic="ferries")
    assert answer(discord_api)["content"] == (
        "This is a thread, which Discord archives after a while without messages, so I do not "
        f"post digests in threads. Run the command in <#{CHANNEL}> instead."
    )
    assert channel_store.get_channel(core.db, "discord", str(THREAD)) is None
