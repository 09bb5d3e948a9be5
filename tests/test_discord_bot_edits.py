"""The bot's edit of a posted card (`DiscordBotAdapter.refresh_card`), a request of our own
(`bot.adapters.discord.rest`) rather than discord.py's: it is sent once whatever Discord answers,
and Discord's rate limits are kept as discord.py kept them, without sleeping a long wait inside
the call. Against the fake Discord REST API on 127.0.0.1; every assertion counts what the fake
received or reads what the adapter raised, none times anything."""

from __future__ import annotations

import discord
import pytest
from fakes.discord_api import HTML_PAGE, FakeDiscord
from fakes.stories import channel_row
from test_discord_delivery import CHANNEL, card

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.errors import BOT_ROUTE
from bot.delivery.adapter import (
    AuthDeliveryError,
    DeferredDeliveryError,
    PostedMessage,
    TransientDeliveryError,
)
from bot.store.channels import ChannelRow

OTHER = 333333333333333333
EDITS = r"/channels/\d+/messages/\d+"


def spent_bucket(reset_after: float) -> dict[str, str]:
    """The headers of an answer that used the bucket's last request."""
    return {
        "X-RateLimit-Limit": "5",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset-After": str(reset_after),
        "X-RateLimit-Bucket": "editbucket",
    }


async def posted(bot: DiscordBotAdapter, channel: ChannelRow, nonce: str) -> PostedMessage:
    return await bot.post_card(channel, card(3), nonce=nonce)


@pytest.fixture
def bot(discord_api: FakeDiscord, discord_client: discord.Client) -> DiscordBotAdapter:
    return DiscordBotAdapter(discord_client)


async def test_an_edit_failing_with_a_500_is_sent_once_and_raised_as_transient(
    discord_api: FakeDiscord, bot: DiscordBotAdapter
) -> None:
    message = await posted(bot, channel_row(CHANNEL), "e1")
    discord_api.fail_next("PATCH", EDITS, 500, {"message": "Server Error", "code": 0}, times=9)
    with pytest.raises(TransientDeliveryError) as raised:
        await bot.refresh_card(channel_row(CHANNEL), message, card(5))
    assert raised.value.maybe_sent  # the outbox looks again before it resends
    assert [c.status for c in discord_api.calls("PATCH", EDITS)] == [500]


async def test_an_edit_answered_with_a_proxy_page_5xx_is_transient(
    discord_api: FakeDiscord, bot: DiscordBotAdapter
) -> None:
    message = await posted(bot, channel_row(CHANNEL), "e2")
    discord_api.garble_next("PATCH", EDITS, HTML_PAGE, status=502)
    with pytest.raises(TransientDeliveryError):
        await bot.refresh_card(channel_row(CHANNEL), message, card(5))
    assert len(discord_api.calls("PATCH", EDITS)) == 1


async def test_a_429_asking_a_short_wait_is_waited_and_the_edit_sent_again_once(
    discord_api: FakeDiscord, bot: DiscordBotAdapter
) -> None:
    message = await posted(bot, channel_row(CHANNEL), "e3")
    discord_api.rate_limit_next("PATCH", EDITS, retry_after=0.05)
    await bot.refresh_card(channel_row(CHANNEL), message, card(5))
    assert [c.status for c in discord_api.calls("PATCH", EDITS)] == [429, 200]

    discord_api.rate_limit_next("PATCH", EDITS, retry_after=0.05)
    discord_api.rate_limit_next("PATCH", EDITS, retry_after=0.05)
    with pytest.raises(DeferredDeliveryError):  # a second 429 is the outbox's to wait out
        await bot.refresh_card(channel_row(CHANNEL), message, card(6))
    assert [c.status for c in discord_api.calls("PATCH", EDITS)] == [429, 200, 429, 429]


async def test_a_429_asking_a_long_wait_is_handed_to_the_outbox_with_its_wait(
    discord_api: FakeDiscord, bot: DiscordBotAdapter
) -> None:
    # discord.py slept it out inside the call (the bot's route has no max_ratelimit_timeout).
    message = await posted(bot, channel_row(CHANNEL), "e8")
    body = {"message": "You are being rate limited.", "retry_after": 600.0, "global": False}
    headers = {"Via": "1.1 google", "Retry-After": "600", "X-RateLimit-Remaining": "0"}
    discord_api.fail_next("PATCH", EDITS, 429, body, headers=headers)
    # The channel's bucket, not the bot's global limit: only this edit waits.
    with pytest.raises(DeferredDeliveryError) as raised:
        await bot.refresh_card(channel_row(CHANNEL), message, card(5))
    assert raised.value.retry_after == 600.0
    assert [c.status for c in discord_api.calls("PATCH", EDITS)] == [429]


async def test_a_spent_bucket_holds_that_channels_next_edit_without_a_request(
    discord_api: FakeDiscord, bot: DiscordBotAdapter
) -> None:
    here, there = channel_row(CHANNEL), channel_row(OTHER)
    message, elsewhere = await posted(bot, here, "e4"), await posted(bot, there, "e5")
    edit = rf"/channels/{CHANNEL}/messages/{message.message_ref}"
    discord_api.fail_next("PATCH", edit, 200, {}, headers=spent_bucket(600), landed=True)
    await bot.refresh_card(here, message, card(4))
    assert discord_api.messages[int(message.message_ref)]["embeds"][0]["description"].startswith(
        "**4 sources tracking this story**"
    )

    # The outbox puts off this edit for it, rather than taking the route for down.
    with pytest.raises(DeferredDeliveryError) as raised:
        await bot.refresh_card(here, message, card(5))
    assert raised.value.retry_after is not None and 500 < raised.value.retry_after <= 600
    assert len(discord_api.calls("PATCH", edit)) == 1  # not sent into the limit

    await bot.refresh_card(there, elsewhere, card(5))  # another channel's bucket
    assert len(discord_api.calls("PATCH", EDITS)) == 2


async def test_a_bucket_that_refills_soon_is_waited_for_in_the_call(
    discord_api: FakeDiscord, bot: DiscordBotAdapter
) -> None:
    message = await posted(bot, channel_row(CHANNEL), "e6")
    discord_api.fail_next("PATCH", EDITS, 200, {}, headers=spent_bucket(0.05), landed=True)
    await bot.refresh_card(channel_row(CHANNEL), message, card(4))
    await bot.refresh_card(channel_row(CHANNEL), message, card(5))
    assert [c.status for c in discord_api.calls("PATCH", EDITS)] == [200, 200]
    assert discord_api.messages[int(message.message_ref)]["embeds"][0]["description"].startswith(
        "**5 sources tracking this story**"
    )


async def test_an_edit_refused_for_the_bot_token_is_fatal_for_the_bot_route(
    discord_api: FakeDiscord, bot: DiscordBotAdapter
) -> None:
    message = await posted(bot, channel_row(CHANNEL), "e7")
    discord_api.revoke_token(gateway=False)
    with pytest.raises(AuthDeliveryError) as raised:
        await bot.refresh_card(channel_row(CHANNEL), message, card(5))
    assert raised.value.route == BOT_ROUTE  # the request carried the bot token
    assert [c.status for c in discord_api.calls("PATCH", EDITS)] == [401]
