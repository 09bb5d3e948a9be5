"""A quoted name first is the topic's name (`/follow "machine learning" query: …`), so
`/follow "x y" OR z` is the topic x-y and the query `OR z`. Its refusal said only "At character
1: OR needs a term before it", of a query the user never saw as one: it now names both. And
`/unfollow "x y" OR z` unfollowed x-y as if the words after the quotes had not been typed: it
is refused, naming the command that unfollows x-y. Words after a name without quotes are the
name's, joined with '-' as documented (`/unfollow machine learning`), and the reply names the
topic they made."""

from __future__ import annotations

import pytest

from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.store import channels as channel_store

pytestmark = pytest.mark.empty_core

SLACK = CommandContext(platform="slack", channel_id="C9", user_id="U2", is_admin=True)
DISCORD = CommandContext(platform="discord", channel_id="D1", user_id="U8", is_admin=True)


def _followed(core: NewsDigest, ctx: CommandContext) -> list[str]:
    channel = channel_store.get_channel(core.db, ctx.platform, ctx.channel_id)
    assert channel is not None
    return [t.slug for t in channel_store.channel_topics(core.db, channel.id)]


async def test_an_invalid_query_says_which_words_were_the_topic(core: NewsDigest) -> None:
    reply = await Commands(core).dispatch("follow", '"x y" OR z', SLACK)
    assert reply.text == (
        "That query is not valid (topic 'x-y', query 'OR z'):\n```\n"
        "At character 1: OR needs a term before it\n  OR z\n  ^\n```"
    )
    assert channel_store.get_topic(core.db, "x-y") is None


@pytest.mark.parametrize(
    ("ctx", "command"), [(SLACK, "/unfollow x-y"), (DISCORD, "/unfollow topic:x-y")]
)
async def test_unfollow_refuses_words_after_a_quoted_name(
    core: NewsDigest, ctx: CommandContext, command: str
) -> None:
    commands = Commands(core)
    await commands.dispatch("follow", "x-y query: xy", ctx)
    reply = await commands.dispatch("unfollow", '"x y" OR z', ctx)
    assert reply.text.startswith(
        "/unfollow takes one topic, and 'OR z' came after the quoted name 'x y'. "
        f"To unfollow that topic: `{command}`\nUsage: /unfollow"
    )
    assert _followed(core, ctx) == ["x-y"]
    # The quotes alone, curly and with the sentence's full stop, are the name as before.
    done = await commands.dispatch("unfollow", "“x y”.", ctx)
    assert done.text.startswith("This channel no longer follows x-y.")
    assert _followed(core, ctx) == []


async def test_unfollow_names_the_topic_words_without_quotes_make(core: NewsDigest) -> None:
    commands = Commands(core)
    await commands.dispatch("follow", "chips query: chip", SLACK)
    reply = await commands.dispatch("unfollow", "chips extra words", SLACK)
    assert reply.text == "This channel does not follow 'chips-extra-words' (it follows: chips)."
    assert _followed(core, SLACK) == ["chips"]
