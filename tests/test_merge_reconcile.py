"""A card that may have been posted, then its story merged into another before the check: the
check must still find the card (posted under the absorbed story's id) instead of posting the
merged story a second time. Real outbox, real adapters, fake Slack and Discord APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import discord
import pytest
from fakes.clock import Clock
from fakes.discord_api import FakeDiscord
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.discord.embeds import story_ref
from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.adapter import ChatAdapter
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import deliveries as store
from bot.store import delivery_counts
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database, transaction

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
DISCORD_CHANNEL = 111111111111111111


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlackAPI]:
    server = await FakeSlackAPI().start()
    yield server
    await server.stop()


async def merge_after_maybe_sent(
    adapter: ChatAdapter, channel_id: str, *, later: Callable[[], None] | None = None
) -> tuple[Outbox, ChannelRow]:
    """Queue story B, let its post fail ambiguously (the adapter's fake makes it land), merge B
    into A, then let the check run. Returns once everything due was drained."""
    db = open_database(":memory:")
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    outbox.register(adapter)
    channel = add_channel(db, channel_id, platform=adapter.platform)
    add_story(db, "B", ["X", "Y"], now=T0)
    add_story(db, "A", ["P", "Q"], now=T0)
    store.enqueue_story(db, "B", channel.id, now=T0)
    await outbox.drain()
    (held,) = store.in_state(db, "sending")
    assert held.story_id == "B"
    with transaction(db):
        story_store.merge(db, "B", "A")
    if later is not None:
        later()
    clock.now = T0 + timedelta(hours=2)
    report = await outbox.drain()
    assert report.reconciled == 1
    clock.now = T0 + timedelta(hours=3)
    await outbox.drain()
    return outbox, channel


async def test_slack_card_maybe_sent_then_merged_is_found_not_reposted(
    slack: FakeSlackAPI,
) -> None:
    adapter = SlackAdapter(
        make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack.api_url)),
        pacer=ChannelPacer(0),
    )
    # Slack documents internal_error as "some aspect of the operation may have succeeded".
    slack.script("chat.postMessage", body={"ok": False, "error": "internal_error"}, landed=True)
    outbox, channel = await merge_after_maybe_sent(adapter, "C1")

    first, *later = slack.calls_to("chat.postMessage")
    assert "thread_ts" not in first and first["text"] == "Story B (2 sources)"
    assert first["metadata"]["event_payload"]["story_id"] == "B"
    [card] = [m for m in slack.messages["C1"] if "thread_ts" not in m]
    # Anything else went into the card's thread: the update announcing P and Q (the channel
    # was shown B's two outlets), not the merged story a second time.
    assert len(later) == 1 and later[0]["thread_ts"] == card["ts"]
    assert_sent_once_as(outbox, channel, card["ts"])


def assert_sent_once_as(outbox: Outbox, channel: ChannelRow, message_ref: str) -> None:
    """The survivor's row holds the message found, and it is the one story post there is; what
    it showed is what was posted (B's outlets), so the merge's new outlets got their update."""
    row = store.story_post(outbox.db, "A", channel.id)
    assert row is not None and row.state == "sent" and row.message_ref == message_ref
    assert (row.source_count, sorted(row.outlets)) == (2, ["X", "Y"])
    assert delivery_counts.counts(outbox.db) == {"pending": 0, "sending": 0, "sent": 2, "failed": 0}
    # The card was edited to the merged count at once; its reply came an hour after the post.
    assert [r.kind for r in store.in_state(outbox.db, "sent")] == ["story", "update", "refresh"]


async def test_discord_card_maybe_sent_then_merged_is_found_not_reposted(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    adapter = DiscordAdapter(bot=DiscordBotAdapter(discord_client))
    discord_api.fail_next(
        "POST",
        rf"/channels/{DISCORD_CHANNEL}/messages",
        503,
        {"message": "Service Unavailable", "code": 0},
        landed=True,
    )
    # Two hours on, Discord no longer de-duplicates the nonce: only the check prevents a repost.
    outbox, channel = await merge_after_maybe_sent(
        adapter, str(DISCORD_CHANNEL), later=discord_api.forget_nonces
    )

    posts = discord_api.calls("POST", rf"/channels/{DISCORD_CHANNEL}/messages")
    assert [p.status for p in posts] == [503]
    assert [e["title"] for e in posts[0].body["embeds"]] == ["Story B"]
    assert story_ref(posts[0].body["embeds"][0]["footer"]["text"]) == "B"
    [card] = discord_api.channel_messages(DISCORD_CHANNEL)
    # The update announcing P and Q went to the card's thread (and edited the card to match).
    assert discord_api.calls("POST", rf"/channels/{DISCORD_CHANNEL}/messages/{card['id']}/threads")
    assert_sent_once_as(outbox, channel, card["id"])


async def test_a_card_of_a_merged_story_with_its_own_row_is_not_taken_for_the_survivors(
    discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    """Both halves were posted to the channel before the merge: B's own card must not pass for
    A's maybe-sent one, or A's would be marked sent without ever having been posted."""
    adapter = DiscordAdapter(bot=DiscordBotAdapter(discord_client))
    db = open_database(":memory:")
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    outbox.register(adapter)
    channel = add_channel(db, str(DISCORD_CHANNEL), platform="discord")
    add_story(db, "B", ["X", "Y"], now=T0)
    add_story(db, "A", ["P", "Q"], now=T0)
    store.enqueue_story(db, "B", channel.id, now=T0)
    await outbox.drain()
    store.enqueue_story(db, "A", channel.id, now=T0)
    # A's post never reached Discord, but the failure leaves it unknown.
    discord_api.fail_next(
        "POST", rf"/channels/{DISCORD_CHANNEL}/messages", 503, {"message": "x", "code": 0}
    )
    await outbox.drain()
    with transaction(db):
        story_store.merge(db, "B", "A")
    assert story_store.posted_as(db, "A", channel.id) == ["A"]
    clock.now = T0 + timedelta(hours=2)
    await outbox.drain()
    titles = [m["embeds"][0]["title"] for m in discord_api.channel_messages(DISCORD_CHANNEL)]
    assert titles == ["Story B", "Story A"]
    a_row, b_row = store.story_post(db, "A", channel.id), store.story_post(db, "B", channel.id)
    assert a_row is not None and b_row is not None and a_row.message_ref != b_row.message_ref
