"""A post put off for a rate limit of its channel's own (a Discord bucket's 429, a Slack lookup
of the channel's id limited) holds the channel's later posts as long: they do not overtake it,
so a digest's cards keep their order under their heading. Other channels, and the channel's
card edits, go on.

Real outbox and adapters against the fake Discord REST API and the fake Slack Web API on
127.0.0.1; assertions read what the fakes recorded and the outbox's rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import discord
import sqlite_utils
from fakes.chat import FakeChatAdapter
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST, CHANNEL
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story, make_card_source
from test_discord_garbled_posts import T0, World
from test_slack_channel_names import World as SlackWorld

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.conversations import ConversationIds
from bot.delivery.adapter import DeferredDeliveryError
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import card_refreshes
from bot.store import deliveries as store
from bot.store.channels import ChannelRow

OTHER = 333333333333333333
OTHER_POST = rf"/channels/{OTHER}/messages"
EDITS = r"/channels/\d+/messages/\d+"


def bucket_429(retry_after: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Discord's own 429 (a `Via`) for a bucket, not the global limit."""
    body = {"message": "You are being rate limited.", "retry_after": float(retry_after)}
    return body | {"global": False}, {
        "Via": "1.1 google",
        "Retry-After": retry_after,
        "X-RateLimit-Scope": "user",
    }


def real_time_passed(world: World) -> None:
    """The bot's buckets keep the event loop's time: as they stand once the wait has passed."""
    assert world.adapter.bot is not None
    world.adapter.bot.rest._refills.clear()


def posted_order(world: World) -> list[str]:
    """The channel's cards by the id Discord gave them: the order they appeared in."""
    sent = [r for r in world.rows("story") if r.message_ref and r.channel_pk == world.channel.id]
    return [r.story_id for r in sorted(sent, key=lambda r: int(r.message_ref or 0))]


async def test_a_cards_bucket_429_holds_its_channels_later_cards_only(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    for sid in ("s2", "s3"):
        add_story(world.db, sid, ["X" + sid, "Y" + sid], now=T0)
        store.enqueue_story(world.db, sid, world.channel.id, now=T0)
    other = add_channel(world.db, str(OTHER), platform="discord")
    add_story(world.db, "o1", ["P", "Q"], now=T0)
    store.enqueue_story(world.db, "o1", other.id, now=T0)
    # The heading goes out, then the digest's first card meets its bucket's 429: a short one,
    # which the bot's own bucket would wait out in the call, for the channel's next card.
    body, headers = bucket_429("1.5")
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers, after=1)

    await world.outbox.drain()
    rows = {r.story_id: r for r in world.rows("story")}
    for sid in ("s1", "s2", "s3"):
        assert rows[sid].state == "pending"
        assert rows[sid].next_attempt_at == T0 + timedelta(seconds=2)
        assert rows[sid].attempts == 0 and rows[sid].waits == 0
    assert rows["o1"].state == "sent"  # another channel's bucket is its own
    assert world.outbox.rate_limits.active(world.now) == []
    assert not world.outbox.outages
    assert [c.status for c in discord_api.calls("POST", BOT_POST)] == [200, 429]

    world.now = T0 + timedelta(seconds=1)
    await world.outbox.drain()
    assert len(discord_api.calls("POST", BOT_POST)) == 2  # not before the wait

    real_time_passed(world)
    world.now = T0 + timedelta(seconds=2)
    await world.outbox.drain()
    assert posted_order(world) == ["s1", "s2", "s3"]
    # One heading, first: the cards went out under the one posted before the 429.
    messages = discord_api.channel_messages(CHANNEL)
    assert [bool(m.get("content")) for m in messages] == [True, False, False, False]


async def test_the_channels_card_edits_go_on_while_its_posts_wait(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    await world.outbox.drain()  # s1's card
    add_story(world.db, "s2", ["X", "Y"], now=T0)
    store.enqueue_story(world.db, "s2", world.channel.id, now=T0)
    add_story(world.db, "s3", ["P", "Q"], now=T0)
    store.enqueue_story(world.db, "s3", world.channel.id, now=T0)
    grow_story(world.db, "s1", ["C"], now=T0)
    card_refreshes.enqueue(world.db, "s1", world.channel.id, now=T0, not_before=None)
    body, headers = bucket_429("1.5")
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers, after=1)  # past the heading

    await world.outbox.drain()
    rows = {r.story_id: r for r in world.rows("story")}
    assert rows["s2"].state == rows["s3"].state == "pending"
    assert [c.status for c in discord_api.calls("PATCH", EDITS)] == [200]


async def test_a_post_waiting_for_a_slack_lookup_is_not_overtaken_by_its_channels_next(
    slack_api: FakeSlackAPI,
) -> None:
    slack_api.channel_names = {"general": "C0GENERAL", "team-news": "C0TEAM"}
    world = SlackWorld(slack_api)
    # s1's post failed in a way that may have posted (internal_error): it stays `sending`, to be
    # looked for, which after a restart needs the channel's id, and the lookup is rate limited.
    slack_api.script("chat.postMessage", body={"ok": False, "error": "internal_error"})
    await world.outbox.drain()
    world.restart()
    adapter = world.outbox.adapters["slack"]
    assert isinstance(adapter, SlackAdapter)
    adapter.conversations = ConversationIds(adapter.client, clock=lambda: world.now.timestamp())
    add_story(world.db, "s2", ["C", "D"], now=world.now)
    store.enqueue_story(world.db, "s2", world.channel.id, now=world.now)
    slack_api.script(
        "conversations.list",
        status=429,
        body={"ok": False, "error": "ratelimited"},
        headers={"Retry-After": "60"},
    )

    world.now += timedelta(minutes=1)  # past the check the internal_error set
    await world.outbox.drain()
    [waiting] = [r for r in store.in_state(world.db, "pending") if r.story_id == "s2"]
    assert waiting.next_attempt_at == world.now + timedelta(seconds=60)
    assert "C0TEAM" not in slack_api.messages  # s2 did not go out ahead of s1

    world.now += timedelta(minutes=2)
    await world.drain_hours(2)
    # s1 was not found, so resent, then s2 (under the heading of their digest): by the ts
    # Slack gave them, in that order.
    assert len([m for m in slack_api.messages["C0TEAM"] if "metadata" in m]) == 2
    sent = sorted(store.in_state(world.db, "sent"), key=lambda r: r.message_ref or "")
    assert [r.story_id for r in sent] == ["s1", "s2"]


class HeadedChat(FakeChatAdapter):
    """A chat platform that heads a digest with a message of its own, which a channel's own
    rate limit may put off (`refused`: channel id -> the error its next heading raises)."""

    def __init__(self) -> None:
        super().__init__("slack")
        self.refused: dict[str, Exception] = {}

    async def begin_digest(self, channel: ChannelRow, count: int, now: datetime) -> bool:
        if (exc := self.refused.pop(channel.channel_id, None)) is not None:
            raise exc
        await self.post_text(channel, f"News digest · {count} stories")
        return True


async def test_a_heading_put_off_by_its_channels_limit_holds_its_cards_for_it(
    db: sqlite_utils.Database,
) -> None:
    now = T0
    chat = HeadedChat()
    outbox = Outbox(
        db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: now
    )
    outbox.register(chat)
    limited, other = add_channel(db, "C1"), add_channel(db, "C2")
    for channel in (limited, other):
        for sid in ("a", "b"):
            add_story(db, sid + channel.channel_id, ["X", "Y"], now=T0)
            store.enqueue_story(db, sid + channel.channel_id, channel.id, now=T0)
    chat.refused["C1"] = DeferredDeliveryError("bucket limited", retry_after=30)

    await outbox.drain()
    # Nothing in C1, not even its cards without their heading; C2's digest went on.
    assert [m.kind for m in chat.messages if m.channel_id == "C1"] == []
    assert [m.kind for m in chat.messages if m.channel_id == "C2"] == ["text", "card", "card"]
    waiting = [r for r in store.in_state(db, "pending") if r.channel_pk == limited.id]
    assert [r.next_attempt_at for r in waiting] == [T0 + timedelta(seconds=30)] * 2
    assert all(r.attempts == 0 for r in waiting)
    assert outbox.rate_limits.active(now) == [] and not outbox.outages

    now = T0 + timedelta(seconds=30)
    await outbox.drain()
    assert [(m.kind, m.story_id) for m in chat.messages if m.channel_id == "C1"] == [
        ("text", None),
        ("card", "aC1"),
        ("card", "bC1"),
    ]


async def test_a_429_asking_no_wait_still_puts_its_row_off_a_second(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    world = World(discord_api, discord_client, session, "bot")
    body, headers = bucket_429("0")
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers)
    await world.outbox.drain()
    [row] = world.rows("story")
    # Not due again at once, to be sent straight back into the limit.
    assert row.state == "pending" and row.next_attempt_at == T0 + timedelta(seconds=1)
    await world.outbox.drain()
    assert [c.status for c in discord_api.calls("POST", BOT_POST)] == [429]


async def test_a_discord_heading_met_by_a_buckets_429_waits_with_its_cards(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any
) -> None:
    discord_client.http.max_ratelimit_timeout = 10.0  # discord.py would not sleep it out either
    world = World(discord_api, discord_client, session, "bot")
    add_story(world.db, "s2", ["X", "Y"], now=T0)
    store.enqueue_story(world.db, "s2", world.channel.id, now=T0)
    other = add_channel(world.db, str(OTHER), platform="discord", mode="instant")
    add_story(world.db, "o1", ["P", "Q"], now=T0)
    store.enqueue_story(world.db, "o1", other.id, now=T0)
    # A short wait, which the bot's bucket would have the cards sleep out in the call.
    body, headers = bucket_429("2")
    discord_api.fail_next("POST", BOT_POST, 429, body, headers=headers)  # the heading

    await world.outbox.drain()
    assert discord_api.channel_messages(CHANNEL) == []  # no card without its heading
    rows = {r.story_id: r for r in world.rows("story")}
    assert rows["o1"].state == "sent"  # the bucket is the channel's: the bot's others go on
    for sid in ("s1", "s2"):
        assert rows[sid].state == "pending"
        assert rows[sid].next_attempt_at == T0 + timedelta(seconds=2)
    assert world.outbox.rate_limits.active(world.now) == []

    real_time_passed(world)
    world.now = T0 + timedelta(seconds=2)
    await world.outbox.drain()
    messages = discord_api.channel_messages(CHANNEL)
    assert [bool(m.get("content")) for m in messages] == [True, False, False]
    assert posted_order(world) == ["s1", "s2"]
