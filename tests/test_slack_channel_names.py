"""A Slack channel configured by name (`id = "#team-news"`) or by a person's user id posts, as
chat.postMessage takes either; but chat.update and conversations.history take only the
conversation's own id and answer anything else with channel_not_found, as the fake does. The
adapter must edit cards and check for a post that may have landed through the id Slack answered
a post with, or looked up (conversations.list, conversations.open): a timeout or a crash mid-post
must neither pause the channel nor post its card twice.

Real outbox and Slack adapter (slack-sdk over HTTP) against the fake Web API."""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source
from test_slack_adapter import CHANNEL
from test_slack_blocks import make_card

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.adapter import PostedMessage
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
NAMED = dataclasses.replace(CHANNEL, channel_id="#team-news")
PERSON = dataclasses.replace(CHANNEL, channel_id="U0ALICE")


def make_adapter(fake: FakeSlackAPI) -> SlackAdapter:
    """A new adapter is also what a restart gives: nothing learnt from earlier posts."""
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=fake.api_url))
    return SlackAdapter(client, pacer=ChannelPacer(0))


@pytest.fixture
def fake(slack_api: FakeSlackAPI) -> FakeSlackAPI:
    slack_api.channel_names = {"general": "C0GENERAL", "team-news": "C0TEAM"}
    return slack_api


class World:
    """A channel configured as "#team-news", one story queued for it; drains as hours pass."""

    def __init__(self, fake: FakeSlackAPI) -> None:
        self.fake = fake
        self.now = T0
        self.db: sqlite_utils.Database = open_database(":memory:")
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, T0),
            settings=OutboxSettings(pace=0),
            clock=lambda: self.now,
        )
        self.outbox.register(make_adapter(fake))
        self.channel = add_channel(self.db, "#team-news")
        add_story(self.db, "s1", ["A", "B"], now=T0)
        store.enqueue_story(self.db, "s1", self.channel.id, now=T0)

    async def drain_hours(self, hours: int) -> None:
        for _ in range(hours):
            await self.outbox.drain()
            self.now += timedelta(hours=1)
        await self.outbox.drain()

    def restart(self) -> None:
        """A new process: a new adapter that has seen no post's answer."""
        self.outbox.register(make_adapter(self.fake))

    def paused(self) -> str | None:
        row = channel_store.get_channel(self.db, "slack", "#team-news")
        assert row is not None
        return row.paused_reason

    def row(self) -> store.DeliveryRow:
        rows = [
            r for s in ("pending", "sending", "sent", "failed") for r in store.in_state(self.db, s)
        ]
        [row] = rows
        return row


async def test_a_post_that_landed_under_an_error_is_found_by_the_channels_id(
    fake: FakeSlackAPI,
) -> None:
    world = World(fake)
    # Slack posted, then answered internal_error ("may have succeeded"): the row stays `sending`
    # and the outbox must look in the channel before posting again.
    fake.script("chat.postMessage", body={"ok": False, "error": "internal_error"}, landed=True)
    await world.outbox.drain()
    assert world.row().state == "sending"
    world.restart()
    await world.drain_hours(3)

    assert world.paused() is None
    [card] = fake.messages["C0TEAM"]
    assert len(fake.calls_to("chat.postMessage")) == 1
    row = world.row()
    assert row.state == "sent" and row.message_ref == card["ts"]
    assert {c["channel"] for c in fake.calls_to("conversations.history")} == {"C0TEAM"}
    assert fake.calls_to("conversations.list")


async def test_a_name_slack_will_not_resolve_is_never_paused_nor_posted_twice(
    fake: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """An install without channels:read cannot tell: the row is checked again with backoff and
    given up, visibly, rather than pausing a channel that takes posts or posting the card again."""
    world = World(fake)
    fake.script("chat.postMessage", body={"ok": False, "error": "internal_error"}, landed=True)
    for _ in range(50):
        fake.script("conversations.list", body={"ok": False, "error": "missing_scope"})
    with caplog.at_level(logging.WARNING):
        await world.drain_hours(30)

    assert world.paused() is None
    assert len(fake.messages["C0TEAM"]) == 1
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert fake.calls_to("conversations.history") == []  # never asked with a name
    row = world.row()
    assert row.state == "failed"
    assert "cannot tell the conversation id of '#team-news'" in (row.last_error or "")
    assert "cannot find the conversation id of #team-news (missing_scope)" in caplog.text


async def test_card_edits_in_a_named_channel_use_its_id(fake: FakeSlackAPI) -> None:
    adapter = make_adapter(fake)
    posted = await adapter.post_card(NAMED, make_card(4), nonce="n-1")
    await adapter.post_update(NAMED, posted, make_card(6), new_outlets=["Outlet 5"], nonce="u-1")
    # The id came with the post's answer: nothing to look up.
    assert [c["channel"] for c in fake.calls_to("chat.update")] == ["C0TEAM"]
    assert fake.calls_to("conversations.list") == []
    [card] = [m for m in fake.messages["C0TEAM"] if "thread_ts" not in m]
    assert "6 sources" in card["text"]

    # After a restart it is looked up once, then kept.
    restarted = make_adapter(fake)
    await restarted.refresh_card(NAMED, posted, make_card(7))
    await restarted.refresh_card(NAMED, posted, make_card(8))
    assert [c["channel"] for c in fake.calls_to("chat.update")] == ["C0TEAM"] * 3
    assert len(fake.calls_to("conversations.list")) == 1
    assert "8 sources" in fake.messages["C0TEAM"][0]["text"]


async def test_a_name_is_found_on_a_later_page_of_the_channel_list(fake: FakeSlackAPI) -> None:
    fake.channel_names = {f"room-{i}": f"C0ROOM{i}" for i in range(250)}
    fake.channel_names["team-news"] = "C0TEAM"
    fake.list_page_size = 100
    posted = await make_adapter(fake).post_card(NAMED, make_card(4), nonce="n-1")
    restarted = make_adapter(fake)
    found = await restarted.find_posted(NAMED, story_id="s1", nonce="n-1")
    assert found == posted
    assert len(fake.calls_to("conversations.list")) == 3


async def test_a_user_ids_direct_messages_are_edited_by_their_own_id(fake: FakeSlackAPI) -> None:
    fake.dm_channels = {"U0ALICE": "D0ALICEDM"}
    adapter = make_adapter(fake)
    posted = await adapter.post_card(PERSON, make_card(4), nonce="n-1")
    await adapter.refresh_card(PERSON, posted, make_card(6))
    assert [c["channel"] for c in fake.calls_to("chat.update")] == ["D0ALICEDM"]
    assert "6 sources" in fake.messages["D0ALICEDM"][0]["text"]

    restarted = make_adapter(fake)
    assert await restarted.find_posted(PERSON, story_id="s1", nonce="n-1") == posted
    await restarted.refresh_card(PERSON, posted, make_card(7))
    assert fake.calls_to("conversations.open") == [{"users": "U0ALICE"}]
    assert [c["channel"] for c in fake.calls_to("chat.update")] == ["D0ALICEDM"] * 2


async def test_a_channel_id_is_used_as_is(fake: FakeSlackAPI) -> None:
    adapter = make_adapter(fake)
    posted = await adapter.post_card(CHANNEL, make_card(4), nonce="n-1")
    await adapter.refresh_card(CHANNEL, posted, make_card(6))
    assert await adapter.find_posted(CHANNEL, story_id="s1", nonce="n-1") == posted
    assert fake.calls_to("conversations.list") == fake.calls_to("conversations.open") == []


async def test_an_unknown_name_edit_fails_without_calling_chat_update(fake: FakeSlackAPI) -> None:
    gone = dataclasses.replace(CHANNEL, channel_id="#renamed-away")
    with pytest.raises(Exception, match="cannot tell the conversation id"):
        await make_adapter(fake).refresh_card(gone, PostedMessage("1.0", "1.0"), make_card(4))
    assert fake.calls_to("chat.update") == []
