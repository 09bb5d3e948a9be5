"""A mention in a /follow query (`<!everyone>` on Slack, which arrives unwrapped as `@everyone`;
`@everyone` or `<@id>` on Discord) is refused with the reason: read as the word "everyone" it made
the topic match "everyone AND chip". The refusal pings nobody, as no reply ever did. Real dispatch
through Slack's app and Discord's, real SQLite."""

from __future__ import annotations

import pytest
from fakes.discord_api import FakeDiscord
from test_discord_commands import answer, slash
from test_slack_app import Harness, ack_text

from bot.adapters.discord.bot import DiscordBot
from bot.app import NewsDigest
from bot.store import channels as channel_store

pytestmark = pytest.mark.empty_core


def _refused(mention: str) -> str:
    return (
        f"A query matches words in the news, and '{mention}' is a mention of someone in this "
        "chat, not a word to match. Leave it out, or type the word without its @."
    )


@pytest.mark.parametrize(
    ("typed", "mention"),
    [
        # Slack's escaping of echoed text puts a zero-width space after a broadcast's @.
        ("<!everyone> chip", "@\u200beveryone"),
        ("chip OR <!here>", "@\u200bhere"),
        ("<@U123ABC> chip", "@U123ABC"),
        ("<!subteam^S1|@chip-desk> chip", "@chip-desk"),
    ],
)
async def test_slack_follow_refuses_a_mention_in_its_query(
    h: Harness, core: NewsDigest, typed: str, mention: str
) -> None:
    _, body = await h.slash("/follow", f"chips query: {typed}")
    assert ack_text(body) == _refused(mention)
    assert "<!" not in str(body) and "<@" not in str(body)
    assert channel_store.get_topic(core.db, "chips") is None
    assert h.slack_api.calls_to("chat.postMessage") == []


async def test_slack_follow_keeps_an_address_with_an_at(h: Harness, core: NewsDigest) -> None:
    await h.slash("/follow", "chips query: desk@example.com OR chip")
    topic = channel_store.get_topic(core.db, "chips")
    assert topic is not None and topic.query == "desk@example.com OR chip"


@pytest.mark.parametrize(
    ("typed", "mention"),
    # Discord's escaping of echoed text, as for every reply: no mention forms, no markup.
    [("@everyone chip", "@\u200beveryone"), ("<@123456789> chip", "\\<@123456789>")],
)
async def test_discord_follow_refuses_a_mention_in_its_query(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest, typed: str, mention: str
) -> None:
    await slash(bot, "follow", topic="chips", query=typed)
    # `answer` checks the reply mentions nobody (allowed_mentions parse: []).
    assert answer(discord_api)["content"] == _refused(mention)
    assert channel_store.get_topic(core.db, "chips") is None


def _channel_refused(shown: str) -> str:
    return (
        f"A query matches words in the news, and '{shown}' is a link to a channel in this chat, "
        "not a word to match. Leave it out, or type the word as plain text, without its #."
    )


@pytest.mark.parametrize(
    ("typed", "shown"),
    # Read as "#general" it became a word the topic had to match.
    [("chip OR <#C123|general>", "#general"), ("<#C123> chip", "<#C123>")],
)
async def test_slack_follow_refuses_a_channel_link_in_its_query(
    h: Harness, core: NewsDigest, typed: str, shown: str
) -> None:
    _, body = await h.slash("/follow", f"chips query: {typed}")
    assert ack_text(body).replace("&lt;", "<").replace("&gt;", ">") == _channel_refused(shown)
    assert "<#" not in str(body)
    assert channel_store.get_topic(core.db, "chips") is None


async def test_discord_follow_refuses_a_channel_link_as_a_channel_not_a_mention(
    discord_api: FakeDiscord, bot: DiscordBot, core: NewsDigest
) -> None:
    await slash(bot, "follow", topic="chips", query="<#123456789> chip")
    assert answer(discord_api)["content"] == _channel_refused("\\<#123456789>")
    assert channel_store.get_topic(core.db, "chips") is None


async def test_slack_follow_keeps_a_hashtag_typed_as_text(h: Harness, core: NewsDigest) -> None:
    await h.slash("/follow", "chips query: #chips OR chip")
    topic = channel_store.get_topic(core.db, "chips")
    assert topic is not None and topic.query == "#chips OR chip"
