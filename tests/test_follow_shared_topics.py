"""/follow never redefines a shared topic's query from words typed after its name: words that
name an existing hyphenated topic follow it (as Discord's topic option reads them), and an
admin changes a query only by marking it with `query:`. Real dispatch, real SQLite."""

from __future__ import annotations

import pytest
from _sign_up import SIGNED_UP

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store

USER = CommandContext(platform="slack", channel_id="C9", user_id="U1", channel_name="news")
ADMIN = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
DISCORD_ADMIN = CommandContext(platform="discord", channel_id="D9", user_id="U3", is_admin=True)
MACHINE = "machine OR machines"
ML = '"machine learning" OR ML'


def _topics(core: NewsDigest) -> dict[str, str]:
    return {t.slug: t.query for t in channel_store.list_topics(core.db)}


def _followed(core: NewsDigest, ctx: CommandContext) -> list[str]:
    channel = channel_store.get_channel(core.db, ctx.platform, ctx.channel_id)
    assert channel is not None
    return [t.slug for t in channel_store.channel_topics(core.db, channel.id)]


@pytest.fixture
def both(core: NewsDigest) -> NewsDigest:
    channel_store.upsert_topic(core.db, "machine", MACHINE, origin="config")
    channel_store.upsert_topic(core.db, "machine-learning", ML, origin="config")
    return core


@pytest.mark.parametrize("ctx", [USER, ADMIN], ids=["user", "admin"])
async def test_words_naming_a_hyphenated_topic_follow_it(
    both: NewsDigest, ctx: CommandContext
) -> None:
    reply = await Commands(both).dispatch("follow", "machine learning", ctx)
    assert reply.text == "This channel now follows machine-learning." + SIGNED_UP, reply.text
    assert _followed(both, ctx) == ["machine-learning"]
    assert _topics(both) == {"machine": MACHINE, "machine-learning": ML}


async def test_slack_and_discord_follow_the_same_topic(both: NewsDigest) -> None:
    commands = Commands(both)
    await commands.dispatch("follow", "machine learning", ADMIN)
    # Discord's adapter joins the topic option's words with '-' (bot/adapters/discord/slash.py).
    await commands.dispatch("follow", "machine-learning", DISCORD_ADMIN)
    assert _followed(both, ADMIN) == _followed(both, DISCORD_ADMIN) == ["machine-learning"]


async def test_admin_changes_a_query_only_with_query_marker(core: NewsDigest) -> None:
    channel_store.upsert_topic(core.db, "machine", MACHINE, origin="config")
    commands = Commands(core)
    unmarked = await commands.dispatch("follow", "machine learning", ADMIN)
    assert unmarked.ephemeral
    assert unmarked.text == (
        "The topic 'machine' already exists (machine OR machines); its query was not changed. "
        "Follow it as it is with /follow machine, or change its query for every channel that "
        "follows it by marking the new one: /follow machine query: learning. There is no topic "
        "'machine-learning'; to create it: /follow machine-learning query: <words>."
    )
    assert _topics(core) == {"machine": MACHINE}
    assert channel_store.get_channel(core.db, "slack", "C9") is None
    marked = await commands.dispatch("follow", "machine query: learning", ADMIN)
    assert marked.text == (
        "This channel now follows machine (matching learning, changed from machine OR machines "
        "for every channel that follows it)." + SIGNED_UP
    )
    assert _topics(core) == {"machine": "learning"}


async def test_user_is_told_of_the_missing_hyphenated_topic(core: NewsDigest) -> None:
    channel_store.upsert_topic(core.db, "machine", MACHINE, origin="config")
    reply = await Commands(core).dispatch("follow", "machine learning", USER)
    assert reply.text == (
        "The topic 'machine' already exists (machine OR machines); only admins can change its "
        "query. Follow it as it is with /follow machine. There is no topic 'machine-learning'; "
        "to create it: /follow machine-learning query: <words>."
    )
    assert _topics(core) == {"machine": MACHINE}
