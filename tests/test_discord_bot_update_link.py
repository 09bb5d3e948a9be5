"""A thread update the bot has to post in the channel itself (it may not start or use the story's
thread there, or the channel is a thread) links the card it updates, as a webhook's does: among
the channel's other posts it read as an unrelated message. The link needs the channel's server,
which the bot's cache knows once its gateway is up, else one GET of the channel per channel.
Against the Discord REST fake on 127.0.0.1, which records the exact JSON."""

from __future__ import annotations

import discord
import pytest
from fakes.discord_api import GUILD_ID, FakeDiscord
from fakes.stories import channel_row
from test_discord_delivery import CHANNEL, card

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.delivery.adapter import PostedMessage

THREADS = r"/channels/\d+/messages/\d+/threads"
MISSING_PERMISSIONS = {"message": "Missing Permissions", "code": 50013}
WRONG_TYPE = {"message": "Cannot execute action on this channel type", "code": 50024}
CARD_LINE = "[Jump to the story's card]({})"


def replies_in_channel(api: FakeDiscord) -> list[dict[str, object]]:
    """The update embeds the bot posted in the channel itself."""
    calls = api.calls("POST", rf"/channels/{CHANNEL}/messages")
    return [
        c.body["embeds"][0]
        for c in calls
        if c.status == 200 and c.body["embeds"][0]["title"].startswith("Update:")
    ]


def link_to(posted: PostedMessage) -> str:
    return f"https://discord.com/channels/{GUILD_ID}/{CHANNEL}/{posted.message_ref}"


async def test_a_bot_that_may_not_start_threads_links_the_card_in_the_channel(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    bot = DiscordBotAdapter(discord_client)
    posted = await bot.post_card(channel_row(CHANNEL), card(3), nonce="c1")
    first = PostedMessage(posted.message_ref, posted.message_ref, replied=False)
    discord_api.fail_next("POST", THREADS, 403, MISSING_PERMISSIONS, times=2)
    await bot.post_update(
        channel_row(CHANNEL), first, card(4), new_outlets=["Outlet 3"], nonce="u1"
    )
    await bot.post_update(
        channel_row(CHANNEL), first, card(5), new_outlets=["Outlet 4"], nonce="u2"
    )
    link = link_to(posted)
    replies = replies_in_channel(discord_api)
    assert [r["title"] for r in replies] == ["Update: Coastal towns win lighthouse grant"] * 2
    assert [r["url"] for r in replies] == [link, link]
    assert all(str(r["description"]).endswith("\n" + CARD_LINE.format(link)) for r in replies)
    # The channel's server is asked for once.
    assert len(discord_api.calls("GET", rf"/channels/{CHANNEL}")) == 1


async def test_a_card_in_a_thread_channel_links_it_too(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    bot = DiscordBotAdapter(discord_client)
    posted = await bot.post_card(channel_row(CHANNEL), card(3), nonce="c1")
    discord_api.fail_next("POST", THREADS, 400, WRONG_TYPE)
    first = PostedMessage(posted.message_ref, posted.message_ref, replied=False)
    await bot.post_update(
        channel_row(CHANNEL), first, card(4), new_outlets=["Outlet 3"], nonce="u1"
    )
    [reply] = replies_in_channel(discord_api)
    assert reply["url"] == link_to(posted)


async def test_the_update_goes_out_without_the_link_when_the_server_is_not_known(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    bot = DiscordBotAdapter(discord_client)
    posted = await bot.post_card(channel_row(CHANNEL), card(3), nonce="c1")
    discord_api.fail_next("POST", THREADS, 403, MISSING_PERMISSIONS)
    discord_api.fail_next("GET", rf"/channels/{CHANNEL}", 500, {"message": "Oops", "code": 0})
    first = PostedMessage(posted.message_ref, posted.message_ref, replied=False)
    await bot.post_update(
        channel_row(CHANNEL), first, card(4), new_outlets=["Outlet 3"], nonce="u1"
    )
    [reply] = replies_in_channel(discord_api)
    assert "url" not in reply and "Jump to" not in str(reply["description"])


@pytest.mark.parametrize("replied", [False, True], ids=["thread-started-first", "reply-first"])
async def test_an_update_in_the_cards_thread_needs_no_link(
    discord_api: FakeDiscord, discord_client: discord.Client, replied: bool
) -> None:
    bot = DiscordBotAdapter(discord_client)
    posted = await bot.post_card(channel_row(CHANNEL), card(3), nonce="c1")
    first = PostedMessage(posted.message_ref, posted.message_ref, replied=replied)
    await bot.post_update(
        channel_row(CHANNEL), first, card(4), new_outlets=["Outlet 3"], nonce="u1"
    )
    [reply] = [
        c
        for c in discord_api.calls("POST", rf"/channels/{posted.message_ref}/messages")
        if c.status == 200
    ]
    assert "url" not in reply.body["embeds"][0]
    assert replies_in_channel(discord_api) == []
    assert not discord_api.calls("GET", rf"/channels/{CHANNEL}")
