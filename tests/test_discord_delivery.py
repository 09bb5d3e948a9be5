"""Discord delivery (bot and webhook) against a fake Discord REST API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.stories import channel_row

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.discord.errors import translate_error
from bot.adapters.discord.messages import discord_nonce
from bot.adapters.discord.webhook import DiscordWebhookAdapter, webhook_session
from bot.cards import SourceLink, StoryCard
from bot.delivery.adapter import (
    AuthDeliveryError,
    DeferredDeliveryError,
    DeliveryError,
    PermanentDeliveryError,
    PostedMessage,
    TransientDeliveryError,
)
from bot.models import Bullet

CHANNEL = 111111111111111111
WEBHOOK_ID = 222222222222222222
WEBHOOK_TOKEN = "T" * 68
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"
FIRST = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
NO_MENTIONS = {"parse": []}


def card(
    outlets: int = 3,
    *,
    story_id: str = "a1b2c3d4e5f6",
    topics: list[str] | None = None,
    follow_topics: list[str] | None = None,
) -> StoryCard:
    names = [f"Outlet {i}" for i in range(outlets)]
    return StoryCard(
        story_id=story_id,
        slug="lighthouse-grant",
        headline="Coastal towns win lighthouse grant",
        source_count=outlets,
        outlets=names,
        tldr=[Bullet("Twelve lighthouses will be restored.", names[:2])],
        sources=[
            SourceLink(n, f"{n} story", f"https://o{i}.example/") for i, n in enumerate(names)
        ],
        angles=[],
        also_reporting=[],
        first_seen=FIRST,
        as_of=FIRST + timedelta(hours=2),
        topics=topics or [],
        follow_topics=follow_topics or [],
    )


@pytest.fixture
def api(discord_api: FakeDiscord) -> FakeDiscord:
    discord_api.webhook_channels[WEBHOOK_ID] = CHANNEL
    return discord_api


@pytest.fixture
def client(api: FakeDiscord, discord_client: discord.Client) -> discord.Client:
    return discord_client


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with webhook_session() as s:  # the session the bot posts webhooks through
        yield s


# --- the bot ------------------------------------------------------------------------------------


async def test_post_card_sends_embed_buttons_nonce_and_no_mentions(
    api: FakeDiscord, client: discord.Client
) -> None:
    adapter = DiscordBotAdapter(client)
    posted = await adapter.post_card(
        channel_row(CHANNEL), card(topics=["harbor"], follow_topics=["coast"]), nonce="d1"
    )
    (call,) = api.calls("POST", rf"/channels/{CHANNEL}/messages")
    body = call.body
    assert body["nonce"] == "d1" and body["enforce_nonce"] is True
    assert body["allowed_mentions"] == NO_MENTIONS
    assert [e["title"] for e in body["embeds"]] == ["Coastal towns win lighthouse grant"]
    buttons = body["components"][0]["components"]
    assert [(b["label"], b["custom_id"]) for b in buttons] == [
        ("Full breakdown", "nd:full:lighthouse-grant"),
        ("Follow coast", "nd:follow:coast:a1b2c3d4e5f6"),
        ("Mute story", "nd:mute:a1b2c3d4e5f6"),
    ]
    assert posted == PostedMessage(message_ref=api.channel_messages(CHANNEL)[0]["id"])


async def test_card_offers_a_new_topic_when_it_follows_every_matching_one(
    api: FakeDiscord, client: discord.Client
) -> None:
    # "Follow harbor" on a channel that follows harbor would do nothing: offer the modal instead.
    await DiscordBotAdapter(client).post_card(
        channel_row(CHANNEL), card(topics=["harbor"]), nonce="d2"
    )
    (call,) = api.calls("POST", rf"/channels/{CHANNEL}/messages")
    buttons = call.body["components"][0]["components"]
    assert [(b["label"], b["custom_id"]) for b in buttons] == [
        ("Full breakdown", "nd:full:lighthouse-grant"),
        ("Follow topic", "nd:newtopic:lighthouse-grant"),
        ("Mute story", "nd:mute:a1b2c3d4e5f6"),
    ]


async def test_a_retried_send_with_the_same_nonce_is_not_duplicated(
    api: FakeDiscord, client: discord.Client
) -> None:
    adapter = DiscordBotAdapter(client)
    long_nonce = "delivery-42-" + "x" * 40  # longer than Discord's 25 characters
    first = await adapter.post_card(channel_row(CHANNEL), card(), nonce=long_nonce)
    again = await adapter.post_card(channel_row(CHANNEL), card(), nonce=long_nonce)
    assert first == again
    assert len(api.channel_messages(CHANNEL)) == 1
    sent = [c.body["nonce"] for c in api.calls("POST", rf"/channels/{CHANNEL}/messages")]
    assert sent == [discord_nonce(long_nonce)] * 2 and len(sent[0]) == 25


async def test_429_with_via_and_json_body_is_handed_to_the_outbox_then_succeeds(
    api: FakeDiscord, client: discord.Client
) -> None:
    # Not slept out in the call (discord.py did, under the outbox's drain): raised with its
    # Retry-After, for the outbox to wait out before it sends again with the same nonce.
    api.rate_limit_next("POST", rf"/channels/{CHANNEL}/messages", retry_after=0.05)
    adapter = DiscordBotAdapter(client)
    # The channel's bucket: only this row waits (not maybe sent, so resent, never looked for).
    with pytest.raises(DeferredDeliveryError) as raised:
        await adapter.post_card(channel_row(CHANNEL), card(), nonce="d2")
    assert raised.value.retry_after == 1.0  # its Retry-After
    posted = await adapter.post_card(channel_row(CHANNEL), card(), nonce="d2")
    calls = api.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert [c.status for c in calls] == [429, 200]
    assert calls[0].body["nonce"] == calls[1].body["nonce"] == "d2"
    assert [m["id"] for m in api.channel_messages(CHANNEL)] == [posted.message_ref]


async def test_growing_story_gets_a_thread_follow_up_and_the_count_edited(
    api: FakeDiscord, client: discord.Client
) -> None:
    adapter = DiscordBotAdapter(client)
    posted = await adapter.post_card(channel_row(CHANNEL), card(3), nonce="d3")
    # The outbox records the message id as the thread ref until a thread exists.
    first = PostedMessage(message_ref=posted.message_ref, thread_ref=posted.message_ref)
    updated = await adapter.post_update(
        channel_row(CHANNEL), first, card(5), new_outlets=["Outlet 3", "Outlet 4"], nonce="u1"
    )
    mid = posted.message_ref
    assert updated == PostedMessage(message_ref=mid, thread_ref=mid)
    (thread_call,) = api.calls("POST", rf"/channels/{CHANNEL}/messages/{mid}/threads")
    assert thread_call.body["name"] == "Coastal towns win lighthouse grant"
    in_thread = [m for m in api.channel_messages(int(mid))]
    assert len(in_thread) == 1
    update = in_thread[0]["embeds"][0]
    assert update["title"] == "Update: Coastal towns win lighthouse grant"
    assert update["description"].startswith(
        "Outlet 3, Outlet 4 joined. Now 5 sources tracking this story."
    )
    (edit,) = api.calls("PATCH", rf"/channels/{CHANNEL}/messages/{mid}")
    assert edit.body["embeds"][0]["description"].startswith("**5 sources tracking this story**")
    assert edit.body["allowed_mentions"] == NO_MENTIONS
    assert "components" not in edit.body  # the buttons stay as they were

    await adapter.post_update(
        channel_row(CHANNEL), updated, card(6), new_outlets=["Outlet 5"], nonce="u2"
    )
    assert len(api.calls("POST", r"/channels/\d+/messages/\d+/threads")) == 1  # reused
    assert len(api.channel_messages(int(mid))) == 2


async def test_post_text_never_pings_and_is_split(api: FakeDiscord, client: discord.Client) -> None:
    await DiscordBotAdapter(client).post_text(
        channel_row(CHANNEL), "@everyone feed X disabled\n" + "y" * 2500
    )
    calls = api.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert [len(c.body["content"]) for c in calls] == [26, 2000, 500]
    assert calls[0].body["content"] == "@\u200beveryone feed X disabled"
    assert all(c.body["allowed_mentions"] == NO_MENTIONS for c in calls)
    assert all(len(c.body["content"]) <= 2000 for c in calls)


async def test_post_text_escapes_feed_parts(api: FakeDiscord, client: discord.Client) -> None:
    await DiscordBotAdapter(client).post_text(
        channel_row(CHANNEL), "The feed **Breaking** [bank](https://evil.test) was disabled"
    )
    (call,) = api.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert "**Breaking**" not in call.body["content"]
    assert "[bank](https://evil.test)" not in call.body["content"]


async def test_find_posted_matches_our_message_by_footer_ref(
    api: FakeDiscord, client: discord.Client
) -> None:
    adapter = DiscordBotAdapter(client)
    other = {"id": "5", "username": "someone", "discriminator": "0", "avatar": None}
    posted = await adapter.post_card(
        channel_row(CHANNEL), card(story_id="aaaaaaaaaaaa"), nonce="n1"
    )
    # Someone else quoting our footer must not count as our post.
    api.add_message(CHANNEL, author=other, embeds=[{"footer": {"text": "x · ref bbbbbbbbbbbb"}}])
    found = await adapter.find_posted(channel_row(CHANNEL), story_id="aaaaaaaaaaaa", nonce="n1")
    assert found == PostedMessage(message_ref=posted.message_ref)
    assert (
        await adapter.find_posted(channel_row(CHANNEL), story_id="bbbbbbbbbbbb", nonce="n2") is None
    )
    history = api.calls("GET", rf"/channels/{CHANNEL}/messages")
    assert [h.query["limit"] for h in history] == ["50", "50"]


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (403, {"message": "Missing Permissions", "code": 50013}, PermanentDeliveryError),
        (403, {"message": "Missing Access", "code": 50001}, PermanentDeliveryError),
        (404, {"message": "Unknown Channel", "code": 10003}, PermanentDeliveryError),
        (503, {"message": "Service Unavailable", "code": 0}, TransientDeliveryError),
        (400, {"message": "Invalid Form Body", "code": 50035}, DeliveryError),
        # The bot token itself refused (revoked or reset): fatal for the platform.
        (401, {"message": "401: Unauthorized", "code": 0}, AuthDeliveryError),
    ],
)
async def test_errors_map_to_the_delivery_error_tree(
    api: FakeDiscord, client: discord.Client, status: int, body: dict[str, object], error: type
) -> None:
    api.fail_next("POST", rf"/channels/{CHANNEL}/messages", status, body)
    with pytest.raises(DeliveryError) as raised:
        await DiscordBotAdapter(client).post_card(channel_row(CHANNEL), card(), nonce="e1")
    assert type(raised.value) is error


async def test_connection_refused_is_transient(
    client: discord.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discord.http.Route, "BASE", "http://127.0.0.1:1/api/v10")
    with pytest.raises(TransientDeliveryError) as raised:
        await DiscordBotAdapter(client).post_card(channel_row(CHANNEL), card(), nonce="e2")
    assert raised.value.maybe_sent is False  # never connected: safe to resend


@pytest.mark.parametrize(
    "exc",
    [TimeoutError("read timed out"), aiohttp.ServerDisconnectedError(), ConnectionResetError()],
)
def test_timeouts_and_dropped_connections_may_have_posted(exc: Exception) -> None:
    error = translate_error(exc, "post")
    assert isinstance(error, TransientDeliveryError) and error.maybe_sent is True


# --- webhooks -----------------------------------------------------------------------------------


async def test_webhook_post_waits_for_the_message_and_never_pings(
    api: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    adapter = DiscordAdapter(webhooks=DiscordWebhookAdapter(session))
    row = channel_row(CHANNEL, webhook_url=WEBHOOK_URL)
    posted = await adapter.post_card(row, card(), nonce="w1")
    (call,) = api.calls("POST", rf"/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}")
    assert call.query["wait"] in ("1", "true")  # discord.py sends wait=1
    assert call.body["allowed_mentions"] == NO_MENTIONS
    assert call.body["embeds"][0]["title"] == "Coastal towns win lighthouse grant"
    assert "components" not in call.body or call.body["components"] == []
    assert posted.message_ref == api.channel_messages(CHANNEL)[0]["id"]
    assert await adapter.find_posted(row, story_id="a1b2c3d4e5f6", nonce="w1") is None


async def test_webhook_update_edits_the_original_and_follows_up(
    api: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    adapter = DiscordWebhookAdapter(session)
    row = channel_row(CHANNEL, webhook_url=WEBHOOK_URL)
    posted = await adapter.post_card(row, card(3), nonce="w2")
    updated = await adapter.post_update(row, posted, card(4), new_outlets=["Outlet 3"], nonce="w3")
    assert updated == posted
    mid = posted.message_ref
    (edit,) = api.calls("PATCH", rf"/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}/messages/{mid}")
    assert edit.body["embeds"][0]["description"].startswith("**4 sources tracking this story**")
    assert edit.body["allowed_mentions"] == NO_MENTIONS
    follow_up = api.channel_messages(CHANNEL)[1]
    assert follow_up["embeds"][0]["title"] == "Update: Coastal towns win lighthouse grant"


async def test_webhook_update_uses_the_bots_thread_when_a_bot_is_present(
    api: FakeDiscord, client: discord.Client, session: aiohttp.ClientSession
) -> None:
    bot = DiscordBotAdapter(client)
    adapter = DiscordAdapter(bot=bot, webhooks=DiscordWebhookAdapter(session, bot=bot))
    row = channel_row(CHANNEL, webhook_url=WEBHOOK_URL)
    posted = await adapter.post_card(row, card(3), nonce="w4")
    updated = await adapter.post_update(row, posted, card(4), new_outlets=["Outlet 3"], nonce="w5")
    mid = posted.message_ref
    assert updated.thread_ref == mid
    calls = api.calls("POST", rf"/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}")
    assert [c.query.get("thread_id") for c in calls] == [None, mid, mid]  # first try: no thread
    assert [c.status for c in calls] == [200, 404, 200]
    assert len(api.channel_messages(int(mid))) == 1
    # The bot finds the webhook's message in history by its footer after a crash.
    found = await adapter.find_posted(row, story_id="a1b2c3d4e5f6", nonce="w4")
    assert found == PostedMessage(message_ref=mid)


async def test_unknown_webhook_is_permanent(
    api: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    api.fail_next("POST", r"/webhooks/\d+/.+", 404, {"message": "Unknown Webhook", "code": 10015})
    with pytest.raises(PermanentDeliveryError, match="Unknown Webhook"):
        await DiscordWebhookAdapter(session).post_card(
            channel_row(CHANNEL, webhook_url=WEBHOOK_URL), card(), nonce="w6"
        )
    with pytest.raises(PermanentDeliveryError, match="not a Discord webhook URL"):
        await DiscordWebhookAdapter(session).post_card(
            channel_row(CHANNEL, webhook_url="https://example.com/hook"), card(), nonce="w7"
        )


async def test_a_revoked_bot_token_names_the_variable_to_set(
    api: FakeDiscord, client: discord.Client
) -> None:
    api.revoke_token()
    with pytest.raises(AuthDeliveryError, match="DISCORD_TOKEN"):
        await DiscordBotAdapter(client).post_card(channel_row(CHANNEL), card(), nonce="a1")


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (401, {"message": "Invalid Webhook Token", "code": 50027}),
        (401, {"message": "401: Unauthorized", "code": 0}),
        (404, {"message": "Unknown Webhook", "code": 10015}),
    ],
)
async def test_a_refused_webhook_url_is_its_channels_not_the_platforms(
    api: FakeDiscord, session: aiohttp.ClientSession, status: int, body: dict[str, object]
) -> None:
    # The URL carries the webhook's own token: a 401 there is no verdict on DISCORD_TOKEN.
    api.fail_next("POST", r"/webhooks/\d+/.+", status, body)
    with pytest.raises(DeliveryError) as raised:
        await DiscordWebhookAdapter(session).post_card(
            channel_row(CHANNEL, webhook_url=WEBHOOK_URL), card(), nonce="w9"
        )
    assert type(raised.value) is PermanentDeliveryError


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_a_webhook_post_answered_5xx_is_maybe_sent_and_never_resent_blind(
    api: FakeDiscord, session: aiohttp.ClientSession, status: int
) -> None:
    # The message is created, then Discord answers with an error. discord.py alone would post it
    # again (up to five times): webhooks carry no nonce for Discord to deduplicate by.
    api.fail_next("POST", r"/webhooks/\d+/.+", status, {"message": "oops"}, landed=True)
    with pytest.raises(TransientDeliveryError) as info:
        await DiscordWebhookAdapter(session).post_card(
            channel_row(CHANNEL, webhook_url=WEBHOOK_URL), card(), nonce="w8"
        )
    assert info.value.maybe_sent
    assert len(api.calls("POST", rf"/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}")) == 1
    assert len(api.channel_messages(CHANNEL)) == 1


async def test_no_token_and_no_webhook_is_permanent() -> None:
    with pytest.raises(PermanentDeliveryError, match="DISCORD_TOKEN"):
        await DiscordAdapter().post_card(channel_row(CHANNEL), card(), nonce="x")


# --- reconciling updates --------------------------------------------------------------------------


async def test_find_posted_for_an_update_looks_for_its_mark_in_the_thread(
    api: FakeDiscord, client: discord.Client
) -> None:
    adapter = DiscordBotAdapter(client)
    posted = await adapter.post_card(channel_row(CHANNEL), card(3), nonce="d3")
    first = PostedMessage(message_ref=posted.message_ref, thread_ref=posted.message_ref)
    sid = card().story_id
    # The update never landed: the original card (footer "ref <story>") must not count as it.
    assert (
        await adapter.find_posted(
            channel_row(CHANNEL), story_id=sid, nonce="u1", kind="update", parent=first
        )
        is None
    )
    await adapter.post_update(
        channel_row(CHANNEL), first, card(5), new_outlets=["Outlet 3"], nonce="u1"
    )
    found = await adapter.find_posted(
        channel_row(CHANNEL), story_id=sid, nonce="u1", kind="update", parent=first
    )
    assert found is not None and found.message_ref != posted.message_ref
    assert found.thread_ref == posted.message_ref
    other = await adapter.find_posted(
        channel_row(CHANNEL), story_id=sid, nonce="u2", kind="update", parent=first
    )
    assert other is None
    # ...and the update is not taken for the card either.
    assert await adapter.find_posted(
        channel_row(CHANNEL), story_id=sid, nonce="d3"
    ) == PostedMessage(message_ref=posted.message_ref)


async def test_update_is_delivered_even_if_editing_the_original_fails(
    api: FakeDiscord, client: discord.Client
) -> None:
    adapter = DiscordBotAdapter(client)
    posted = await adapter.post_card(channel_row(CHANNEL), card(3), nonce="d4")
    first = PostedMessage(message_ref=posted.message_ref, thread_ref=posted.message_ref)
    api.fail_next(
        "PATCH", rf"/channels/{CHANNEL}/messages/\d+", 403, {"message": "nope", "code": 50013}
    )
    result = await adapter.post_update(
        channel_row(CHANNEL), first, card(5), new_outlets=["Outlet 3"], nonce="u3"
    )
    assert result.message_ref == posted.message_ref
    assert len(api.channel_messages(int(posted.message_ref))) == 1
