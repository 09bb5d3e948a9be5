"""Muted stories can be seen and undone: /watchlist lists them with their undo, and
`/watchlist unmute` takes a slug, the start of one, or a slug from before a merge."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.stories import add_channel, add_story

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.store import channels as channel_store
from bot.store import stories as story_store
from bot.store.database import open_database, transaction, utcnow

SLACK = CommandContext(platform="slack", channel_id="C1", user_id="U1")
DISCORD = CommandContext(platform="discord", channel_id="111", user_id="222")


@pytest.fixture
def core(tmp_path: Path) -> Iterator[NewsDigest]:
    app = NewsDigest(Config(database=str(tmp_path / "nd.db")), db=open_database(tmp_path / "nd.db"))
    now = utcnow() - timedelta(hours=1)
    for story_id in ("harbour1", "harbour2", "ferry"):
        add_story(app.db, story_id, ["Harbor Ledger", "Valley Times"], now=now)
    yield app
    app.close()


async def test_a_mute_is_listed_and_undone(core: NewsDigest) -> None:
    channel = add_channel(core.db, "C1")
    commands = Commands(core)
    muted = await commands.dispatch("watchlist", "mute story-ferry", SLACK)
    assert muted.text == (
        "Muted story-ferry: this channel will get no more posts or updates about it. "
        "Undo with /watchlist unmute story-ferry"
    )
    assert channel_store.muted_story_ids(core.db, channel.id) == {"ferry"}

    shown = await commands.dispatch("watchlist", "", SLACK)
    # First, before the topics: a listing cut for chat is cut at its end.
    assert str(shown.lines[0]) == (
        "Muted: story-ferry (Story ferry; undo: /watchlist unmute story-ferry)"
    )

    undone = await commands.dispatch("watchlist", "unmute story-ferry", SLACK)
    assert undone.text.startswith("Unmuted story-ferry: this channel will get its posts")
    assert channel_store.muted_story_ids(core.db, channel.id) == set()
    shown = await commands.dispatch("watchlist", "", SLACK)
    assert not any("Muted" in str(line) for line in shown.lines)


async def test_unmute_takes_the_start_of_a_muted_storys_slug(core: NewsDigest) -> None:
    channel = add_channel(core.db, "C1")
    channel_store.mute_story(core.db, channel.id, "harbour1")
    commands = Commands(core)
    # "story-harbour" starts two stories' slugs, but only one of them is muted here.
    reply = await commands.dispatch("watchlist", "unmute story-harbour", SLACK)
    assert reply.text.startswith("Unmuted story-harbour1")
    assert channel_store.muted_story_ids(core.db, channel.id) == set()


async def test_unmute_takes_a_slug_from_before_a_merge(core: NewsDigest) -> None:
    channel = add_channel(core.db, "C1")
    # Muted from the card of `ferry`, which was then merged into `harbour2`.
    channel_store.mute_story(core.db, channel.id, "ferry")
    with transaction(core.db):
        story_store.merge(core.db, "ferry", "harbour2")
    commands = Commands(core)
    shown = await commands.dispatch("watchlist", "", SLACK)
    assert sum("Muted: story-harbour2" in str(line) for line in shown.lines) == 1

    reply = await commands.dispatch("watchlist", "unmute story-ferry", SLACK)
    assert reply.text.startswith("Unmuted story-harbour2")
    # Neither half mutes the merged story any more.
    assert channel_store.muted_story_ids(core.db, channel.id) == set()
    assert not channel_store.is_muted(core.db, "harbour2", channel.id)


async def test_unmute_of_a_story_not_muted_names_the_muted_ones(core: NewsDigest) -> None:
    channel = add_channel(core.db, "C1")
    commands = Commands(core)
    assert (await commands.dispatch("watchlist", "unmute story-ferry", SLACK)).text == (
        "No story is muted in this channel."
    )
    channel_store.mute_story(core.db, channel.id, "harbour1")
    reply = await commands.dispatch("watchlist", "unmute story-ferry", SLACK)
    assert reply.text == "story-ferry is not muted in this channel. Muted here: story-harbour1."
    assert channel_store.muted_story_ids(core.db, channel.id) == {"harbour1"}


async def test_unmute_without_a_story_gets_its_own_usage_line(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "unmute", DISCORD)
    assert reply.text == (
        # Discord cannot run a bare /watchlist: the listing is its `show` subcommand.
        "Which story? /watchlist show lists the muted ones.\nUsage: /watchlist unmute story:<slug>"
    )


async def test_mute_by_search_words_asks_for_the_slug(core: NewsDigest) -> None:
    channel = add_channel(core.db, "C1")
    reply = await Commands(core).dispatch("watchlist", "mute ferry story", SLACK)
    assert "give its slug" in reply.text and "story-ferry" in reply.text
    assert channel_store.muted_story_ids(core.db, channel.id) == set()


async def test_mute_never_signs_a_channel_up(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("watchlist", "mute story-ferry", SLACK)
    assert reply.text.startswith("Nothing to mute: this channel is not signed up")
    assert channel_store.list_channels(core.db) == []


async def test_discord_undo_is_in_discords_syntax(core: NewsDigest) -> None:
    channel = add_channel(core.db, "111", platform="discord")
    commands = Commands(core)
    muted = await commands.dispatch("watchlist", "mute story-ferry", DISCORD)
    assert muted.text.endswith("Undo with /watchlist unmute story:story-ferry")
    shown = await commands.dispatch("watchlist", "show", DISCORD)
    assert str(shown.lines[0]).endswith("undo: /watchlist unmute story:story-ferry)")
    assert channel_store.muted_story_ids(core.db, channel.id) == {"ferry"}


async def test_unmute_of_a_reference_with_no_slug_in_it_unmutes_nothing(core: NewsDigest) -> None:
    channel = add_channel(core.db, "C1")
    channel_store.mute_story(core.db, channel.id, "ferry")
    # "???" keeps no letter or digit of a slug: it must not count as the start of every slug,
    # which would unmute the channel's only muted story.
    reply = await Commands(core).dispatch("watchlist", "unmute ???", SLACK)
    assert reply.text == "No muted story matches that. Muted here: story-ferry."
    assert channel_store.muted_story_ids(core.db, channel.id) == {"ferry"}


async def test_unmute_of_the_start_of_two_muted_slugs_asks_for_more(core: NewsDigest) -> None:
    channel = add_channel(core.db, "C1")
    channel_store.mute_story(core.db, channel.id, "harbour1")
    channel_store.mute_story(core.db, channel.id, "harbour2")
    reply = await Commands(core).dispatch("watchlist", "unmute story-harbour", SLACK)
    assert reply.text == (
        "That starts the slugs of 2 muted stories: story-harbour1, story-harbour2. "
        "Give more of one."
    )
    assert channel_store.muted_story_ids(core.db, channel.id) == {"harbour1", "harbour2"}


async def test_the_muted_listing_cuts_only_a_headline_longer_than_80_characters(
    core: NewsDigest,
) -> None:
    channel = add_channel(core.db, "C1")
    now = utcnow() - timedelta(hours=1)
    fits, over = "F" * 80, "O" * 81
    for story_id, headline in (("fits", fits), ("over", over)):
        with transaction(core.db):
            story_store.create_story(core.db, story_id, f"story-{story_id}", headline, now)
        channel_store.mute_story(core.db, channel.id, story_id)
    shown = " ".join(
        str(line) for line in (await Commands(core).dispatch("watchlist", "", SLACK)).lines
    )
    assert f"({fits};" in shown
    assert f"({'O' * 79}…;" in shown and over not in shown
