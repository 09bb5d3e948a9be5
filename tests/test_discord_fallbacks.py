"""Discord refusals that concern one thread, one bot or the whole IP rather than the channel:
none of them may pause a channel whose cards still go through."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest
from fakes.discord_api import BOT_USER, FakeDiscord
from fakes.stories import channel_row
from test_discord_delivery import CHANNEL, WEBHOOK_ID, WEBHOOK_URL, card

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.discord.embeds import card_embeds
from bot.adapters.discord.webhook import DiscordWebhookAdapter, webhook_session
from bot.delivery.adapter import PlatformDeliveryError, PostedMessage, TransientDeliveryError

MISSING_ACCESS = {"message": "Missing Access", "code": 50001}
WRONG_TYPE = {"message": "Cannot execute action on this channel type", "code": 50024}
UPDATE_TITLE = "Update: Coastal towns win lighthouse grant"


@pytest.fixture
def api(discord_api: FakeDiscord) -> FakeDiscord:
    discord_api.webhook_channels[WEBHOOK_ID] = CHANNEL
    return discord_api


@pytest.fixture
def client(api: FakeDiscord, discord_client: discord.Client) -> discord.Client:
    return discord_client


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with webhook_session() as s:
        yield s


def titles(api: FakeDiscord, channel_id: int) -> list[str]:
    return [m["embeds"][0]["title"] for m in api.channel_messages(channel_id) if m["embeds"]]


def first_post(posted: PostedMessage) -> PostedMessage:
    # What the outbox records for a card: the message id doubles as the thread ref.
    return PostedMessage(message_ref=posted.message_ref, thread_ref=posted.message_ref)


# --- threads the bot may not use ------------------------------------------------------------------


async def test_no_send_in_threads_posts_the_update_in_the_channel(
    api: FakeDiscord, client: discord.Client
) -> None:
    # The bot may post in the channel but lacks "Send Messages in Threads".
    adapter = DiscordBotAdapter(client)
    posted = await adapter.post_card(channel_row(CHANNEL), card(3), nonce="d3")
    api.forbidden_channels.add(int(posted.message_ref))  # the story's thread
    first = first_post(posted)
    updated = await adapter.post_update(
        channel_row(CHANNEL), first, card(5), new_outlets=["Outlet 4"], nonce="u1"
    )
    assert titles(api, CHANNEL)[1:] == [UPDATE_TITLE]
    assert updated.thread_ref == str(CHANNEL)
    assert api.calls("PATCH", rf"/channels/{CHANNEL}/messages/{posted.message_ref}")
    # After a crash the update is found where it landed, not posted twice.
    found = await adapter.find_posted(
        channel_row(CHANNEL), story_id=card().story_id, nonce="u1", kind="update", parent=first
    )
    assert found is not None and found.thread_ref == str(CHANNEL)


async def test_update_for_a_card_posted_in_a_thread_channel(
    api: FakeDiscord, client: discord.Client
) -> None:
    adapter = DiscordBotAdapter(client)
    posted = await adapter.post_card(
        channel_row(CHANNEL), card(3), nonce="d3"
    )  # CHANNEL is a thread
    # Discord's answer to "start a thread on this message" when the message is in a thread.
    api.fail_next("POST", rf"/channels/{CHANNEL}/messages/\d+/threads", 400, WRONG_TYPE, times=5)
    first = first_post(posted)
    await adapter.post_update(
        channel_row(CHANNEL), first, card(5), new_outlets=["Outlet 4"], nonce="u1"
    )
    assert titles(api, CHANNEL)[1:] == [UPDATE_TITLE]
    (edit,) = api.calls("PATCH", rf"/channels/{CHANNEL}/messages/{posted.message_ref}")
    assert edit.body["embeds"][0]["description"].startswith("**5 sources tracking this story**")
    found = await adapter.find_posted(
        channel_row(CHANNEL), story_id=card().story_id, nonce="u1", kind="update", parent=first
    )
    assert found is not None
    assert found.message_ref == api.channel_messages(CHANNEL)[1]["id"]


MISSING_PERMISSIONS = {"message": "Missing Permissions", "code": 50013}


def no_reply_yet(posted: PostedMessage) -> PostedMessage:
    # A card the channel has had no update under: the thread is started before the reply.
    return PostedMessage(posted.message_ref, thread_ref=posted.message_ref, replied=False)


async def test_a_bot_that_may_not_start_threads_replies_in_one_someone_else_started(
    api: FakeDiscord, client: discord.Client
) -> None:
    # No Create Public Threads, but Send Messages in Threads: a member started the story's thread.
    adapter = DiscordBotAdapter(client)
    posted = await adapter.post_card(channel_row(CHANNEL), card(3), nonce="d3")
    api.messages[int(posted.message_ref)]["thread"] = {"id": posted.message_ref}
    api.fail_next("POST", r"/channels/\d+/messages/\d+/threads", 403, MISSING_PERMISSIONS)
    updated = await adapter.post_update(
        channel_row(CHANNEL), no_reply_yet(posted), card(5), new_outlets=["Outlet 4"], nonce="u1"
    )
    assert titles(api, int(posted.message_ref)) == [UPDATE_TITLE]
    assert titles(api, CHANNEL)[1:] == []
    assert updated.thread_ref == posted.message_ref
    found = await adapter.find_posted(
        channel_row(CHANNEL), story_id=card().story_id, nonce="u1", kind="update", parent=updated
    )
    assert found is not None and found.thread_ref == posted.message_ref


@pytest.mark.parametrize("thread", ["none", "forbidden"])
async def test_no_thread_to_reply_in_and_none_to_start_posts_in_the_channel(
    api: FakeDiscord, client: discord.Client, thread: str
) -> None:
    adapter = DiscordBotAdapter(client)
    posted = await adapter.post_card(channel_row(CHANNEL), card(3), nonce="d3")
    if thread == "forbidden":  # started by someone, but the bot may not send in threads either
        api.messages[int(posted.message_ref)]["thread"] = {"id": posted.message_ref}
        api.forbidden_channels.add(int(posted.message_ref))
    api.fail_next("POST", r"/channels/\d+/messages/\d+/threads", 403, MISSING_PERMISSIONS)
    updated = await adapter.post_update(
        channel_row(CHANNEL), no_reply_yet(posted), card(5), new_outlets=["Outlet 4"], nonce="u1"
    )
    assert titles(api, CHANNEL)[1:] == [UPDATE_TITLE]
    assert updated.thread_ref == str(CHANNEL)
    # The thread was tried once, then the channel.
    assert len(api.calls("POST", rf"/channels/{posted.message_ref}/messages")) == 1


# --- a webhook channel in a server the bot is not in ----------------------------------------------


async def test_webhook_update_falls_back_to_a_channel_follow_up_when_the_bot_cannot_see(
    api: FakeDiscord, client: discord.Client, session: aiohttp.ClientSession
) -> None:
    bot = DiscordBotAdapter(client)
    adapter = DiscordAdapter(bot=bot, webhooks=DiscordWebhookAdapter(session, bot=bot))
    row = channel_row(CHANNEL, webhook_url=WEBHOOK_URL)
    posted = await adapter.post_card(row, card(3), nonce="w4")
    api.fail_next("POST", r"/channels/\d+/messages/\d+/threads", 403, MISSING_ACCESS)
    await adapter.post_update(row, posted, card(4), new_outlets=["Outlet 3"], nonce="w5")
    # As with no bot at all: a follow-up in the channel through the webhook, and the card edited.
    follow_up = api.channel_messages(CHANNEL)[1]
    assert follow_up["embeds"][0]["title"] == UPDATE_TITLE
    assert follow_up["webhook_id"] == str(WEBHOOK_ID)
    assert api.calls("PATCH", rf"/webhooks/{WEBHOOK_ID}/.+/messages/{posted.message_ref}")


@pytest.mark.parametrize("kind", ["story", "update"])
async def test_webhook_reconcile_when_the_bot_cannot_see_the_channel(
    api: FakeDiscord, client: discord.Client, session: aiohttp.ClientSession, kind: str
) -> None:
    bot = DiscordBotAdapter(client)
    adapter = DiscordAdapter(bot=bot, webhooks=DiscordWebhookAdapter(session, bot=bot))
    row = channel_row(CHANNEL, webhook_url=WEBHOOK_URL)
    parent = PostedMessage("999999999999999999", "999999999999999999")
    api.fail_next("GET", r"/channels/\d+/messages", 403, MISSING_ACCESS, times=2)
    # Cannot check, as without a bot: not a reason to pause the webhook's channel.
    found = await adapter.find_posted(
        row, story_id="a1b2c3d4e5f6", nonce="w4", kind=kind, parent=parent
    )
    assert found is None


# --- reconciling cards ----------------------------------------------------------------------------


async def test_a_public_story_command_reply_is_not_the_outbox_card(
    api: FakeDiscord, client: discord.Client
) -> None:
    # `/story lighthouse-grant` answered publicly: the bot's interaction reply (type 20, with
    # interaction metadata) sits in the channel with the card's footer.
    msg = api.add_message(CHANNEL, embeds=[e.to_dict() for e in card_embeds(card(3), full=True)])
    msg["type"] = 20
    msg["interaction_metadata"] = {
        "id": "1",
        "type": 2,
        "user": BOT_USER | {"id": "5", "bot": False},
        "authorizing_integration_owners": {},
        "name": "story",
    }
    adapter = DiscordBotAdapter(client)
    found = await adapter.find_posted(channel_row(CHANNEL), story_id="a1b2c3d4e5f6", nonce="d-lost")
    assert found is None
    posted = await adapter.post_card(channel_row(CHANNEL), card(3), nonce="d-real")
    found = await adapter.find_posted(channel_row(CHANNEL), story_id="a1b2c3d4e5f6", nonce="d-lost")
    assert found == PostedMessage(message_ref=posted.message_ref)


# --- rate limits ----------------------------------------------------------------------------------


async def test_cloudflare_429_is_platform_wide_and_keeps_retry_after(
    api: FakeDiscord, client: discord.Client
) -> None:
    # No Via header: Cloudflare limiting the IP, every channel alike; discord.py raises at once.
    body = {"message": "You are being rate limited.", "retry_after": 1800, "global": True}
    api.fail_next(
        "POST", rf"/channels/{CHANNEL}/messages", 429, body, headers={"Retry-After": "1800"}
    )
    with pytest.raises(TransientDeliveryError) as info:
        await DiscordBotAdapter(client).post_card(channel_row(CHANNEL), card(3), nonce="d1")
    assert isinstance(info.value, PlatformDeliveryError)
    assert info.value.retry_after == 1800
