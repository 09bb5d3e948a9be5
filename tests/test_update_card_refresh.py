"""An update whose reply landed but whose answer was lost (a crash, a timeout, a 5xx) is found in
the story's thread and recorded as sent; the original card must then still be edited to the
story's count, or it shows fewer sources than the thread under it for good.

Real outbox and adapters against the fake Slack and Discord APIs; assertions are on what the
fakes hold."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
import pytest
from fakes.chat import FakeChatAdapter
from fakes.discord_api import TRUNCATED_JSON as DISCORD_TRUNCATED
from fakes.discord_api import FakeDiscord
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story, make_card_source
from sqlite_utils import Database
from test_discord_garbled_posts import ROUTES
from test_discord_garbled_posts import World as DiscordWorld
from test_slack_garbled_posts import T0, TRUNCATED_JSON
from test_slack_garbled_posts import World as SlackWorld

from bot.adapters.slack.adapter import UPDATE_EVENT_TYPE, story_metadata
from bot.adapters.slack.fitted import update_message
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests, update_planner
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store import stories as story_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database, transaction


def slack_card_says(world: SlackWorld) -> str:
    [card] = world.cards()
    return str(card["blocks"][1]["elements"][0]["text"])


async def test_slack_card_is_edited_when_a_lost_update_answer_is_found_landed(
    slack_api: FakeSlackAPI,
) -> None:
    world = SlackWorld(slack_api)
    await world.drain_hours(0)
    assert "2 sources" in slack_card_says(world)
    await world.grow()
    # The reply lands; its answer does not: no edit was made after it.
    slack_api.script("chat.postMessage", status=500, body={"ok": False}, landed=True)
    await world.drain_hours(3)
    [_update] = world.updates()
    [row] = world.rows("update")
    assert row.state == "sent"
    assert slack_api.calls_to("conversations.replies")  # found in the thread, not resent
    assert "3 sources" in slack_card_says(world)


async def test_slack_card_is_edited_when_an_update_a_crash_interrupted_is_found(
    slack_api: FakeSlackAPI,
) -> None:
    world = SlackWorld(slack_api)
    await world.drain_hours(0)
    await world.grow()
    # Claimed, the reply posted, then the process was killed before the card's edit.
    (pending,) = store.in_state(world.db, "pending")
    row = store.claim(world.db, pending.id, world.now)
    assert row is not None
    card = await world.outbox.card("s1", world.channel)
    assert card is not None
    [posted] = world.cards()
    await world.adapter.post_message(
        "C1",
        update_message(card, ["C"]),
        thread_ts=posted["ts"],
        metadata=story_metadata(UPDATE_EVENT_TYPE, "s1", row.nonce),
    )
    assert not slack_api.calls_to("chat.update")
    await world.drain_hours(0)
    assert len(world.updates()) == 1 and store.get(world.db, row.id).state == "sent"  # type: ignore[union-attr]
    assert "3 sources" in slack_card_says(world)


async def test_slack_a_garbled_update_answer_found_landed_gets_its_edit(
    slack_api: FakeSlackAPI,
) -> None:
    world = SlackWorld(slack_api)
    await world.drain_hours(0)
    await world.grow()
    slack_api.script_raw("chat.postMessage", TRUNCATED_JSON, landed=True)
    await world.drain_hours(3)
    [update_call] = slack_api.calls_to("chat.update")
    assert update_call["ts"] == world.cards()[0]["ts"]
    assert "3 sources" in slack_card_says(world)


def discord_card_says(world: DiscordWorld) -> str:
    [card] = world.cards()
    return str(card["embeds"][0]["description"])


@ROUTES
async def test_discord_card_is_edited_when_a_lost_update_answer_is_found_landed(
    discord_api: FakeDiscord, discord_client: discord.Client, session: Any, route: str
) -> None:
    world = DiscordWorld(discord_api, discord_client, session, route)
    await world.drain_hours(0)
    assert discord_card_says(world).startswith("**2 sources")
    await world.grow()
    discord_api.garble_next(
        "POST", rf"{world.post}|/channels/\d+/messages", DISCORD_TRUNCATED, landed=True
    )
    await world.drain_hours(3)
    [_update] = world.updates()
    [row] = world.rows("update")
    assert row.state == "sent"
    assert discord_card_says(world).startswith("**3 sources")


class NoEdits(FakeChatAdapter):
    refresh_card = None  # type: ignore[assignment]


async def _post_then_update(chat: FakeChatAdapter, *, lose_answer: bool) -> Database:
    """Post story s1 to one channel, grow it by a source and send its update (its answer lost
    after landing when `lose_answer`), then drain again two hours on, when a lost one is checked."""
    db = open_database(":memory:")
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=lambda: T0)
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A", "B"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    await outbox.drain()
    grow_story(db, "s1", ["C"], now=T0)
    update_planner.enqueue_updates(db, {"s1"}, now=T0, interval=timedelta(0))
    if lose_answer:
        chat.failures_after = [RuntimeError("connection reset")]
    await outbox.drain()
    outbox.clock = lambda: T0 + timedelta(hours=2)
    await outbox.drain()
    return db


async def test_a_platform_that_cannot_edit_is_left_alone() -> None:
    """The console cannot edit what it printed: no `refresh_card`, nothing asked of it."""
    chat = NoEdits("slack")
    db = await _post_then_update(chat, lose_answer=True)
    assert [r.state for r in store.in_state(db, "sent")] == ["sent", "sent"]
    assert chat.edits == []


@pytest.mark.parametrize("lost", [True, False])
async def test_the_fake_edits_after_the_reply_as_the_adapters_do(lost: bool) -> None:
    chat = FakeChatAdapter("slack")
    await _post_then_update(chat, lose_answer=lost)
    assert chat.edits == [(chat.cards()[0].ref, 3)]
    assert len(chat.updates()) == 1


async def _update_answer_lost(chat: FakeChatAdapter) -> tuple[Outbox, ChannelRow, dict[str, str]]:
    """Stories s1 and s2 posted in one channel, then s1 grows and its update's reply lands with
    its answer lost: the row waits, `sending`, for the check. Returns each story's card ref."""
    db = open_database(":memory:")
    base = make_card_source(db, T0)

    def cards(story_id: str, channel: ChannelRow) -> Any:
        # As the real card source does: a merged story's card is its survivor's.
        return base(story_store.resolve_id(db, story_id), channel)

    outbox = Outbox(db, cards, settings=OutboxSettings(pace=0), clock=lambda: T0)
    outbox.register(chat)
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A", "B"], now=T0)
    add_story(db, "s2", ["C", "D"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    await outbox.drain()
    grow_story(db, "s1", ["E"], now=T0)
    update_planner.enqueue_updates(db, {"s1"}, now=T0, interval=timedelta(0))
    chat.failures_after = [RuntimeError("connection reset")]
    await outbox.drain()
    [waiting] = store.in_state(db, "sending")
    assert (waiting.kind, waiting.story_id) == ("update", "s1")
    chat.edits.clear()
    return outbox, channel, {c.story_id: c.ref for c in chat.cards()}


async def test_a_card_merged_away_before_the_check_is_not_edited_into_the_survivor() -> None:
    chat = FakeChatAdapter("slack")
    outbox, _channel, refs = await _update_answer_lost(chat)
    with transaction(outbox.db):
        story_store.merge(outbox.db, "s1", "s2")
    outbox.clock = lambda: T0 + timedelta(hours=2)
    await outbox.drain()
    # Found landed all the same; s1's card stays as it was, not a second copy of s2's.
    assert [r.state for r in store.in_state(outbox.db, "sending")] == []
    assert all(ref != refs["s1"] for ref, _count in chat.edits)


async def test_a_card_muted_before_the_check_is_not_edited() -> None:
    chat = FakeChatAdapter("slack")
    outbox, channel, _refs = await _update_answer_lost(chat)
    channel_store.mute_story(outbox.db, channel.id, "s1")
    outbox.clock = lambda: T0 + timedelta(hours=2)
    await outbox.drain()
    assert [r.state for r in store.in_state(outbox.db, "sending")] == []
    assert chat.edits == []
