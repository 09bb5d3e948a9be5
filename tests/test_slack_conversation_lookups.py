"""How often the Slack adapter asks conversations.list (Tier 2: about 20 calls a minute per
workspace) for the id of channels configured by name, and what a rate limited lookup does.

One walk of the list serves every name, a name not found is not asked about again for minutes,
and a 429 on the lookup fails only the row that needed it: the route, and every other Slack
channel with it, is not held back. Real adapter (slack-sdk over HTTP) and outbox against the
fake Web API."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story
from test_slack_adapter import CHANNEL
from test_slack_blocks import make_card
from test_slack_channel_names import World, make_adapter

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.conversations import NOT_FOUND_FOR, ConversationIds
from bot.delivery.adapter import (
    DeferredDeliveryError,
    DeliveryError,
    PostedMessage,
    TransientDeliveryError,
)
from bot.store import card_refreshes
from bot.store import deliveries as store

NAMES = ["team-news", "general", "markets"]
RATE_LIMITED = {"status": 429, "body": {"ok": False, "error": "ratelimited"}}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake(slack_api: FakeSlackAPI) -> FakeSlackAPI:
    slack_api.channel_names = {f"room-{i}": f"C0ROOM{i}" for i in range(250)}
    slack_api.channel_names.update({name: f"C0{name.upper().replace('-', '')}" for name in NAMES})
    slack_api.list_page_size = 100  # 253 channels: a walk is 3 calls
    return slack_api


def named(name: str) -> object:
    return dataclasses.replace(CHANNEL, channel_id=f"#{name}")


def restarted(fake: FakeSlackAPI, clock: Clock) -> SlackAdapter:
    adapter = make_adapter(fake)
    adapter.conversations = ConversationIds(adapter.client, clock=clock)
    return adapter


def rate_limit_lookups(fake: FakeSlackAPI, retry_after: str) -> None:
    """The next conversations.list answers 429: slack-sdk does not wait it out, the adapter
    sees it at once."""
    fake.script("conversations.list", headers={"Retry-After": retry_after}, **RATE_LIMITED)


async def test_one_walk_of_the_list_serves_every_named_channel(fake: FakeSlackAPI) -> None:
    first = make_adapter(fake)
    posted = {n: await first.post_card(named(n), make_card(4), nonce=f"n-{n}") for n in NAMES}
    adapter = restarted(fake, Clock())

    # Each channel's first edit after a restart, all at once: one walk, shared.
    await asyncio.gather(*(adapter.refresh_card(named(n), posted[n], make_card(6)) for n in NAMES))
    assert len(fake.calls_to("conversations.list")) == 3
    for name in NAMES:
        found = await adapter.find_posted(named(name), story_id="s1", nonce=f"n-{name}")
        assert found == posted[name]
    assert len(fake.calls_to("conversations.list")) == 3
    edited = {c["channel"] for c in fake.calls_to("chat.update")}
    assert edited == {fake.channel_names[n] for n in NAMES}


async def test_a_name_not_found_is_not_looked_up_again_for_minutes(fake: FakeSlackAPI) -> None:
    clock = Clock()
    adapter = restarted(fake, clock)
    gone = named("renamed-away")
    for _ in range(5):
        with pytest.raises(DeliveryError, match="cannot tell the conversation id"):
            await adapter.refresh_card(gone, PostedMessage("1.0", "1.0"), make_card(4))
    assert len(fake.calls_to("conversations.list")) == 3  # one walk
    # The same walk answers for a name it did find, without asking again.
    assert await adapter.conversations.resolve("#general") == "C0GENERAL"
    assert len(fake.calls_to("conversations.list")) == 3

    # Minutes later it may have been created, or the bot invited: asked again, and found.
    fake.channel_names["renamed-away"] = "C0BACK"
    clock.now += NOT_FOUND_FOR + 1
    assert await adapter.conversations.resolve("#renamed-away") == "C0BACK"
    assert len(fake.calls_to("conversations.list")) == 6


async def test_a_rate_limited_lookup_is_the_rows_failure_and_waits_its_retry_after(
    fake: FakeSlackAPI,
) -> None:
    clock = Clock()
    adapter = restarted(fake, clock)
    card = make_card(4)
    posted = await make_adapter(fake).post_card(named("general"), card, nonce="n-1")
    calls = len(fake.calls_to("conversations.list"))
    rate_limit_lookups(fake, "30")
    with pytest.raises(DeliveryError) as raised:
        await adapter.refresh_card(named("general"), posted, make_card(6))
    assert not isinstance(raised.value, TransientDeliveryError)
    assert "rate limited" in str(raised.value)
    assert len(fake.calls_to("conversations.list")) == calls + 1

    # Within its Retry-After no lookup asks Slack; each fails as the first did.
    clock.now += 29
    for call in (
        adapter.refresh_card(named("general"), posted, make_card(6)),
        adapter.find_posted(named("markets"), story_id="s1", nonce="n-1"),
    ):
        with pytest.raises(DeliveryError) as raised:
            await call
        assert not isinstance(raised.value, TransientDeliveryError)
    assert len(fake.calls_to("conversations.list")) == calls + 1
    assert fake.calls_to("chat.update") == []

    clock.now += 2
    await adapter.refresh_card(named("general"), posted, make_card(6))
    assert [c["channel"] for c in fake.calls_to("chat.update")] == ["C0GENERAL"]


async def test_a_rate_limited_lookup_holds_back_no_other_slack_channel(fake: FakeSlackAPI) -> None:
    fake.channel_names["team-news"] = "C0TEAM"
    world = World(fake)
    # The named channel's card landed under an error: after a restart its check needs the
    # channel's id, and conversations.list answers 429 (Retry-After a minute).
    fake.script("chat.postMessage", body={"ok": False, "error": "internal_error"}, landed=True)
    await world.outbox.drain()
    world.restart()
    adapter = world.outbox.adapters["slack"]
    assert isinstance(adapter, SlackAdapter)
    adapter.conversations = ConversationIds(adapter.client, clock=lambda: world.now.timestamp())
    other = add_channel(world.db, "C0OTHER")
    add_story(world.db, "s2", ["A", "B"], now=world.now)
    store.enqueue_story(world.db, "s2", other.id, now=world.now)
    rate_limit_lookups(fake, "60")

    world.now += timedelta(minutes=1)  # past the check the internal_error set
    await world.outbox.drain()
    # Another channel's post goes out in the same drain: Slack is not taken for down.
    assert len(fake.messages["C0OTHER"]) == 1
    assert not world.outbox.outages
    [checked] = [r for r in store.in_state(world.db, "sending") if r.story_id == "s1"]
    assert "rate limited" in (checked.last_error or "")

    world.now += timedelta(minutes=2)
    await world.drain_hours(2)
    assert world.paused() is None
    [landed] = fake.messages["C0TEAM"]
    assert len(fake.calls_to("chat.postMessage")) == 2  # s1's once, s2's
    rows = {r.story_id: r for r in store.in_state(world.db, "sent")}
    assert rows["s1"].message_ref == landed["ts"]
    assert len(fake.calls_to("conversations.list")) == 3 + 1


async def test_a_card_edit_waits_out_a_long_retry_after_without_using_its_attempts(
    fake: FakeSlackAPI,
) -> None:
    fake.channel_names["team-news"] = "C0TEAM"
    world = World(fake)
    await world.outbox.drain()
    [card] = fake.messages["C0TEAM"]
    world.restart()  # the id the post answered with is forgotten
    adapter = world.outbox.adapters["slack"]
    assert isinstance(adapter, SlackAdapter)
    adapter.conversations = ConversationIds(adapter.client, clock=lambda: world.now.timestamp())
    grow_story(world.db, "s1", ["C"], now=world.now)
    card_refreshes.enqueue(world.db, "s1", world.channel.id, now=world.now, not_before=None)
    other = add_channel(world.db, "C0OTHER")
    add_story(world.db, "s2", ["A", "B"], now=world.now)
    store.enqueue_story(world.db, "s2", other.id, now=world.now)
    rate_limit_lookups(fake, "120")

    # The outbox's own backoff would try at about 0, 30 and 90 s, all inside the Retry-After,
    # and give the edit up: it waits it out instead, with no attempt used and no other channel
    # held back.
    await world.outbox.drain()
    for _ in range(11):
        world.now += timedelta(seconds=10)
        await world.outbox.drain()
    assert len(fake.messages["C0OTHER"]) == 1
    assert not world.outbox.outages
    [edit] = store.in_state(world.db, "pending")
    assert edit.kind == card_refreshes.REFRESH and edit.attempts == 0
    assert fake.calls_to("chat.update") == []
    assert len(fake.calls_to("conversations.list")) == 1  # one lookup, Slack's 429

    world.now += timedelta(seconds=11)
    await world.outbox.drain()
    assert [c["channel"] for c in fake.calls_to("chat.update")] == ["C0TEAM"]
    assert fake.calls_to("chat.update")[0]["ts"] == card["ts"]
    assert store.in_state(world.db, "failed") == []


async def test_a_walk_limited_part_way_finds_a_name_on_the_pages_it_read(
    fake: FakeSlackAPI,
) -> None:
    clock = Clock()
    adapter = restarted(fake, clock)
    # Page one (room-0 .. room-99) answers; the rest of the walk is rate limited.
    fake.script_usual("conversations.list")
    rate_limit_lookups(fake, "60")
    assert await adapter.conversations.resolve("#room-5") == "C0ROOM5"
    # The limit still holds: a name not on that page is not looked up before it ends.
    with pytest.raises(DeferredDeliveryError) as raised:
        await adapter.conversations.resolve("#general")
    assert raised.value.retry_after == 60
    assert len(fake.calls_to("conversations.list")) == 2
