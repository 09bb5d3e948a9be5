"""Discord's cards carry the Mute story button Slack's do, with the same behaviour
(`bot.commands.mutes.mute_clicked`): in a channel signed up, the card's story (or the story a
merge put it in) gets no more posts or updates there, the undo named in Discord's syntax; in a
channel that never signed up it mutes nothing and signs nothing up. Answered only to whoever
clicked."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.discord_api import FakeDiscord
from fakes.stories import add_story
from test_discord_commands import CHANNEL, EPHEMERAL, answer, click, interact, make_bot, slash

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.config import Config
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.database import open_database, utcnow


@pytest.fixture
def mute_core(tmp_path: Path) -> Iterator[NewsDigest]:
    path = tmp_path / "nd.db"
    core = NewsDigest(Config(database=str(path)), db=open_database(path))
    now = utcnow() - timedelta(hours=1)
    add_story(core.db, "aaaaaaaaaaaa", ["Harbor Ledger", "Valley Times"], now=now)
    add_story(core.db, "bbbbbbbbbbbb", ["Pinecrest Wire", "Dune Radio"], now=now)
    yield core
    core.close()


@pytest.fixture
async def bot(discord_api: FakeDiscord, mute_core: NewsDigest) -> AsyncIterator[DiscordBot]:
    client = await make_bot(mute_core)
    yield client
    await client.close()


async def mute_button_of_story_card(api: FakeDiscord, bot: DiscordBot) -> str:
    """/story's card as posted, and the custom id of its Mute story button."""
    await slash(bot, "story", query="story-aaaaaaaaaaaa")
    (edit,) = api.calls("PATCH", r"/webhooks/\d+/[^/]+/messages/@original")
    buttons = edit.body["components"][0]["components"]
    (mute,) = [b for b in buttons if b["label"] == "Mute story"]
    return str(mute["custom_id"])


async def test_mute_in_a_signed_up_channel_mutes_the_cards_story(
    discord_api: FakeDiscord, bot: DiscordBot, mute_core: NewsDigest
) -> None:
    before = channel_store.ensure_channel(mute_core.db, "discord", str(CHANNEL))
    custom_id = await mute_button_of_story_card(discord_api, bot)
    await interact(bot, click(custom_id))
    data = answer(discord_api)
    assert data["flags"] & EPHEMERAL
    assert data["content"] == (
        "Muted: this channel will get no more posts or updates about that story. "
        "Undo with `/watchlist unmute story:story-aaaaaaaaaaaa`."
    )
    assert channel_store.muted_story_ids(mute_core.db, before.id) == {"aaaaaaaaaaaa"}
    assert channel_store.list_channels(mute_core.db) == [before]


async def test_mute_in_a_channel_never_signed_up_signs_nothing_up(
    discord_api: FakeDiscord, bot: DiscordBot, mute_core: NewsDigest
) -> None:
    custom_id = await mute_button_of_story_card(discord_api, bot)
    await interact(bot, click(custom_id))
    data = answer(discord_api)
    assert data["flags"] & EPHEMERAL
    assert data["content"] == (
        "Nothing to mute: this channel is not signed up for my posts (see `/watchlist show`), "
        "so nothing more about that story will be posted here."
    )
    assert channel_store.list_channels(mute_core.db) == []


async def test_a_card_older_than_a_merge_mutes_the_story_it_is_part_of_now(
    discord_api: FakeDiscord, bot: DiscordBot, mute_core: NewsDigest
) -> None:
    before = channel_store.ensure_channel(mute_core.db, "discord", str(CHANNEL))
    story_store.merge(mute_core.db, "aaaaaaaaaaaa", "bbbbbbbbbbbb")
    await interact(bot, click("nd:mute:aaaaaaaaaaaa"))
    assert "story:story-bbbbbbbbbbbb" in answer(discord_api)["content"]
    assert channel_store.muted_story_ids(mute_core.db, before.id) == {"bbbbbbbbbbbb"}
