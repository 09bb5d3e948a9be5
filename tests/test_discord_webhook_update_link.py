"""A thread update that a webhook posts in the channel itself (no bot, or a bot that cannot thread
there) names its story and links the card it updates: a reply among the channel's other posts
read as an unrelated message. The Discord REST fake on 127.0.0.1 records the exact JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import discord
import pytest
from fakes.discord_api import GUILD_ID, FakeDiscord
from fakes.stories import channel_row
from test_discord_delivery import CHANNEL, WEBHOOK_ID, WEBHOOK_TOKEN, WEBHOOK_URL

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter, webhook_session
from bot.cards import SourceLink, StoryCard

HOOK = rf"/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"
WHEN = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
MISSING_ACCESS = {"message": "Missing Access", "code": 50001}


def _card(outlets: int) -> StoryCard:
    names = [f"Outlet {i}" for i in range(outlets)]
    return StoryCard(
        story_id="a1b2c3d4e5f6",
        slug="harbour-ferry-fares",
        headline="Harbour ferry fares rise in spring",
        source_count=outlets,
        outlets=names,
        tldr=[],
        sources=[
            SourceLink(n, f"{n} on fares", f"https://{i}.example/a") for i, n in enumerate(names)
        ],
        angles=[],
        also_reporting=[],
        first_seen=WHEN,
        as_of=WHEN,
    )


@pytest.fixture
def api(discord_api: FakeDiscord) -> FakeDiscord:
    discord_api.webhook_channels[WEBHOOK_ID] = CHANNEL
    return discord_api


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with webhook_session() as s:
        yield s


async def test_webhook_only_update_links_the_card_it_updates(
    api: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    adapter = DiscordWebhookAdapter(session)
    row = channel_row(CHANNEL, webhook_url=WEBHOOK_URL)
    posted = await adapter.post_card(row, _card(2), nonce="c1")
    await adapter.post_update(row, posted, _card(3), new_outlets=["Outlet 2"], nonce="u1")
    await adapter.post_update(row, posted, _card(4), new_outlets=["Outlet 3"], nonce="u2")
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL}/{posted.message_ref}"
    replies = [c.body["embeds"][0] for c in api.calls("POST", HOOK)][1:]
    assert [r["title"] for r in replies] == ["Update: Harbour ferry fares rise in spring"] * 2
    assert [r["url"] for r in replies] == [link, link]
    assert all(r["description"].endswith(f"\n[Jump to the story's card]({link})") for r in replies)
    # The webhook's server is asked for once.
    assert len(api.calls("GET", HOOK)) == 1


async def test_update_goes_out_without_the_link_when_the_server_is_not_known(
    api: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    adapter = DiscordWebhookAdapter(session)
    row = channel_row(CHANNEL, webhook_url=WEBHOOK_URL)
    posted = await adapter.post_card(row, _card(2), nonce="c1")
    api.fail_next("GET", HOOK, 403, MISSING_ACCESS)
    await adapter.post_update(row, posted, _card(3), new_outlets=["Outlet 2"], nonce="u1")
    reply = api.calls("POST", HOOK)[-1].body["embeds"][0]
    assert reply["title"] == "Update: Harbour ferry fares rise in spring"
    assert "url" not in reply and "Jump to" not in reply["description"]


async def test_a_bot_that_cannot_thread_there_links_the_card_too(
    api: FakeDiscord, discord_client: discord.Client, session: aiohttp.ClientSession
) -> None:
    bot = DiscordBotAdapter(discord_client)
    adapter = DiscordAdapter(bot=bot, webhooks=DiscordWebhookAdapter(session, bot=bot))
    row = channel_row(CHANNEL, webhook_url=WEBHOOK_URL)
    posted = await adapter.post_card(row, _card(2), nonce="c1")
    api.fail_next("POST", r"/channels/\d+/messages/\d+/threads", 403, MISSING_ACCESS)
    await adapter.post_update(row, posted, _card(3), new_outlets=["Outlet 2"], nonce="u1")
    [reply] = [c for c in api.calls("POST", HOOK) if c.status == 200][1:]
    assert "thread_id" not in reply.query
    link = f"https://discord.com/channels/{GUILD_ID}/{CHANNEL}/{posted.message_ref}"
    assert reply.body["embeds"][0]["url"] == link


async def test_an_update_in_the_cards_thread_needs_no_link(
    api: FakeDiscord, discord_client: discord.Client, session: aiohttp.ClientSession
) -> None:
    bot = DiscordBotAdapter(discord_client)
    adapter = DiscordAdapter(bot=bot, webhooks=DiscordWebhookAdapter(session, bot=bot))
    row = channel_row(CHANNEL, webhook_url=WEBHOOK_URL)
    posted = await adapter.post_card(row, _card(2), nonce="c1")
    await adapter.post_update(row, posted, _card(3), new_outlets=["Outlet 2"], nonce="u1")
    reply = [c for c in api.calls("POST", HOOK) if c.status == 200][-1]
    assert reply.query["thread_id"] == posted.message_ref
    assert "url" not in reply.body["embeds"][0]
    assert not api.calls("GET", HOOK)
