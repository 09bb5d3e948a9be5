"""`/watchlist unmute`: the channel catches up once with the story as it is now, in the form it
would have had without the mute: one thread update naming every outlet that joined while it was
muted (and the card edited to the count), or the card itself if it never got one, posted the way
the channel gets cards. Never a burst of the held updates, never a post twice, nothing at all when
nothing happened; a mute still on keeps holding, and a restart in between changes none of it.

Real outbox and adapters (slack-sdk, discord.py over HTTP) on a database file against the fake
Slack Web API and Discord REST API; mutes and unmutes are typed commands. A restart is a new
connection to the file and a new core, commands, outbox and adapter, as a new process has."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, grow_story, make_card_source

from bot.adapters.discord.adapter import DiscordBotAdapter
from bot.adapters.discord.routes import DiscordAdapter
from bot.adapters.slack.adapter import UPDATE_EVENT_TYPE, ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.delivery.adapter import ChatAdapter
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries as store
from bot.store.database import open_database

T0 = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)  # a Monday, at the channels' digest time
HOUR = timedelta(hours=1)
DISCORD_CHANNEL = 111111111111111111
RESTART = pytest.mark.parametrize("restart", [False, True], ids=["same-run", "restart"])


def sources_tracking(payload: Any) -> int:
    """The count in "N sources tracking this story" in a card's blocks or embeds."""
    found = re.search(r"(\d+) sources tracking this story", json.dumps(payload))
    assert found is not None, payload
    return int(found.group(1))


class Room:
    """One channel on a database file, driven as the service drives it: poll passes plan
    instant posts and updates, digests come at 09:00, and people type /watchlist."""

    def __init__(
        self,
        path: Path,
        make_adapter: Callable[[], ChatAdapter],
        platform: str,
        channel_id: str,
        *,
        mode: str = "digest",
    ) -> None:
        self.path = path
        self.make_adapter = make_adapter
        self.ctx = CommandContext(platform=platform, channel_id=channel_id, user_id="U1")
        self.now = T0
        self.start()
        self.channel = add_channel(self.db, channel_id, platform=platform, mode=mode)

    def start(self) -> None:
        self.db = open_database(self.path)
        self.core = NewsDigest(Config(database=str(self.path)), db=self.db)
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, T0),
            settings=OutboxSettings(pace=0),
            clock=lambda: self.now,
        )
        self.outbox.register(self.make_adapter())
        self.commands = Commands(
            self.core, clock=lambda: self.now, kick_outbox=self.outbox.kick, update_interval=HOUR
        )

    def restart(self) -> None:
        self.core.close()
        self.start()

    async def watchlist(self, args: str) -> str:
        return (await self.commands.dispatch("watchlist", args, self.ctx)).text

    async def poll(self, story_id: str, outlets: list[str]) -> None:
        """An hour on, a poll pass that adds `outlets` to the story (none: it touches no story),
        planned as the service plans a pass, then the outbox's drain."""
        self.now += HOUR
        if outlets:
            grow_story(self.db, story_id, outlets, now=self.now)
            if self.channel.mode == "instant":
                digests.enqueue_instant(self.db, self.channel, now=self.now, story_ids={story_id})
            digests.enqueue_updates(self.db, {story_id}, now=self.now, interval=HOUR)
        await self.outbox.drain()

    async def digest(self) -> None:
        """The channel's next 09:00 digest, and the drain that posts it."""
        self.now = self.now.replace(hour=9, minute=0) + timedelta(days=1)
        digests.enqueue_digest(self.db, self.channel, now=self.now, scheduled_for=self.now)
        await self.outbox.drain()


# --- Slack ------------------------------------------------------------------------------------


def slack_room(api: FakeSlackAPI, tmp_path: Path, *, mode: str = "digest") -> Room:
    def adapter() -> ChatAdapter:
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=api.api_url))
        return SlackAdapter(client, pacer=ChannelPacer(0))

    return Room(tmp_path / "nd.db", adapter, "slack", "C1", mode=mode)


def slack_posts(api: FakeSlackAPI) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The top-level posts and the thread replies, as chat.postMessage got them."""
    posts = api.calls_to("chat.postMessage")
    return [p for p in posts if "thread_ts" not in p], [p for p in posts if "thread_ts" in p]


def lead(reply: dict[str, Any]) -> str:
    return str(reply["blocks"][0]["text"]["text"])


async def posted_card(room: Room, api: FakeSlackAPI) -> dict[str, Any]:
    """Story s1 (outlets A and B) in the channel's digest."""
    add_story(room.db, "s1", ["A", "B"], now=T0 - HOUR)
    digests.enqueue_digest(room.db, room.channel, now=T0, scheduled_for=T0)
    await room.outbox.drain()
    [card], replies = slack_posts(api)
    assert not replies and sources_tracking(card["blocks"]) == 2
    return card


@RESTART
async def test_updates_held_by_a_mute_come_as_one_update_after_the_unmute(
    slack_api: FakeSlackAPI, tmp_path: Path, restart: bool
) -> None:
    room = slack_room(slack_api, tmp_path)
    card = await posted_card(room, slack_api)
    # An update is queued, not yet due (the update interval), when the story is muted.
    grow_story(room.db, "s1", ["C"], now=room.now)
    assert digests.enqueue_updates(room.db, {"s1"}, now=room.now, interval=HOUR) == 1
    assert (await room.watchlist("mute story-s1")).startswith("Muted story-s1")
    if restart:
        room.restart()
    # While muted: the queued update comes due and is held back, and two more outlets join.
    await room.poll("s1", ["D"])
    await room.poll("s1", ["E"])
    await room.poll("s1", [])
    assert slack_posts(slack_api) == ([card], []), "a mute still on keeps holding"
    assert not slack_api.calls_to("chat.update")
    if restart:
        room.restart()

    reply = await room.watchlist("unmute story-s1")
    assert reply == (
        "Unmuted story-s1: this channel will get its posts and updates again, starting with one "
        "update in its thread on what it missed while muted."
    )
    await room.outbox.drain()
    await room.poll("s1", [])  # later passes and drains add nothing
    await room.poll("s1", [])

    posts, [update] = slack_posts(slack_api)
    assert posts == [card]
    assert update["thread_ts"] == card_ts(slack_api)
    assert update["metadata"]["event_type"] == UPDATE_EVENT_TYPE
    # Every outlet that joined while muted, once, in one reply.
    assert lead(update) == "*Update:* C, D, E joined. Now 5 sources tracking."
    [edit] = slack_api.calls_to("chat.update")
    assert edit["ts"] == card_ts(slack_api) and sources_tracking(edit["blocks"]) == 5

    # Unmuted for good: the next outlet gets its own update, as before the mute.
    await room.poll("s1", ["F"])
    _, updates = slack_posts(slack_api)
    assert [lead(u) for u in updates[1:]] == ["*Update:* F joined. Now 6 sources tracking."]


def card_ts(api: FakeSlackAPI) -> str:
    [card] = [m for m in api.messages["C1"] if "thread_ts" not in m]
    return str(card["ts"])


async def test_mute_and_unmute_with_nothing_new_posts_nothing(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    room = slack_room(slack_api, tmp_path)
    card = await posted_card(room, slack_api)
    await room.poll("s1", ["C"])  # an update before the mute, sent as usual
    await room.poll("s1", [])
    assert await room.watchlist("mute story-s1")
    await room.poll("s1", [])
    room.restart()
    reply = await room.watchlist("unmute story-s1")
    assert reply == "Unmuted story-s1: this channel will get its posts and updates again."
    await room.outbox.drain()
    await room.poll("s1", [])
    await room.digest()

    posts, [update] = slack_posts(slack_api)
    assert posts == [card]
    assert lead(update) == "*Update:* C joined. Now 3 sources tracking."
    assert len(slack_api.calls_to("chat.update")) == 1  # the update's own edit, no other
    assert not store.in_state(room.db, "pending")


async def test_an_update_still_queued_at_the_unmute_is_the_catch_up_and_none_is_added(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    room = slack_room(slack_api, tmp_path)
    await posted_card(room, slack_api)
    room.now += HOUR / 2
    grow_story(room.db, "s1", ["C"], now=room.now)
    # Due an hour after the card (the update interval): still queued through the mute.
    assert digests.enqueue_updates(room.db, {"s1"}, now=room.now, interval=HOUR) == 1
    assert await room.watchlist("mute story-s1")
    room.now += HOUR / 4
    grow_story(room.db, "s1", ["D"], now=room.now)
    await room.outbox.drain()
    reply = await room.watchlist("unmute story-s1")
    assert reply.endswith("again; what was queued for it before the mute goes out as planned.")
    await room.poll("s1", [])
    await room.poll("s1", [])

    _, [update] = slack_posts(slack_api)
    assert lead(update) == "*Update:* C, D joined. Now 4 sources tracking."


async def test_an_edit_of_the_card_held_by_the_mute_is_made_after_the_unmute(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    """An update's reply landed but its edit of the card failed; the retry came due while the
    story was muted. Nothing new since: the unmute makes that edit, and posts nothing."""
    room = slack_room(slack_api, tmp_path)
    card = await posted_card(room, slack_api)
    slack_api.script("chat.update", status=500, body={"ok": False, "error": "internal_error"})
    await room.poll("s1", ["C"])
    assert sources_tracking(slack_api.calls_to("chat.update")[0]["blocks"]) == 3
    assert await room.watchlist("mute story-s1")
    room.now += timedelta(hours=2)  # past the edit's backoff
    await room.outbox.drain()
    assert len(slack_api.calls_to("chat.update")) == 1  # held back

    reply = await room.watchlist("unmute story-s1")
    assert reply.endswith("again, starting with its card brought up to date.")
    await room.outbox.drain()
    await room.poll("s1", [])

    posts, [update] = slack_posts(slack_api)
    assert posts == [card] and lead(update) == "*Update:* C joined. Now 3 sources tracking."
    edits = slack_api.calls_to("chat.update")
    assert len(edits) == 2 and edits[1]["ts"] == card_ts(slack_api)
    assert sources_tracking(edits[1]["blocks"]) == 3


@RESTART
async def test_a_card_held_by_a_mute_comes_with_the_next_digest_after_the_unmute(
    slack_api: FakeSlackAPI, tmp_path: Path, restart: bool
) -> None:
    room = slack_room(slack_api, tmp_path)
    add_story(room.db, "s1", ["A", "B"], now=T0 - HOUR)
    add_story(room.db, "s2", ["A", "B"], now=T0 - HOUR)
    digests.enqueue_digest(room.db, room.channel, now=T0, scheduled_for=T0)
    # Muted after the digest was queued, before its cards went out.
    assert await room.watchlist("mute story-s1")
    await room.outbox.drain()
    [other], _ = slack_posts(slack_api)
    assert "Story s2" in json.dumps(other["blocks"])
    if restart:
        room.restart()
    await room.poll("s1", ["C"])

    reply = await room.watchlist("unmute story-s1")
    assert reply.endswith("again, starting with its card in the next digest.")
    await room.outbox.drain()
    assert slack_posts(slack_api) == ([other], [])  # a digest channel gets cards in its digest
    await room.digest()
    await room.poll("s1", [])
    await room.digest()

    posts, replies = slack_posts(slack_api)
    assert posts[0] == other and len(posts) == 2 and not replies
    assert "Story s1" in json.dumps(posts[1]["blocks"])
    assert sources_tracking(posts[1]["blocks"]) == 3  # as the story is now


async def test_unmute_in_one_channel_leaves_the_others_mute(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    room = slack_room(slack_api, tmp_path)
    await posted_card(room, slack_api)
    other = add_channel(room.db, "C2")
    store.enqueue_story(room.db, "s1", other.id, now=room.now)
    await room.outbox.drain()
    c2 = CommandContext(platform="slack", channel_id="C2", user_id="U1")
    assert await room.watchlist("mute story-s1")
    assert await room.commands.dispatch("watchlist", "mute story-s1", c2)
    await room.poll("s1", ["C"])
    assert await room.watchlist("unmute story-s1")
    await room.outbox.drain()
    _, replies = slack_posts(slack_api)
    assert [r["channel"] for r in replies] == ["C1"]


# --- Discord, an instant channel --------------------------------------------------------------


def discord_room(client: discord.Client, tmp_path: Path) -> Room:
    def adapter() -> ChatAdapter:
        return DiscordAdapter(bot=DiscordBotAdapter(client), webhooks=None)

    return Room(tmp_path / "nd.db", adapter, "discord", str(DISCORD_CHANNEL), mode="instant")


def discord_cards(api: FakeDiscord) -> list[dict[str, Any]]:
    return [
        m
        for m in api.channel_messages(DISCORD_CHANNEL)
        if not any((e.get("title") or "").startswith("Update:") for e in m.get("embeds", []))
    ]


@RESTART
async def test_instant_a_story_that_qualified_while_muted_is_posted_at_the_unmute(
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    tmp_path: Path,
    restart: bool,
) -> None:
    room = discord_room(discord_client, tmp_path)
    add_story(room.db, "s1", ["A"], now=T0)
    room.channel = channel_store.update_channel(room.db, room.channel.id, min_sources=2)
    # Muted by its slug (from /story) before it had enough sources for this channel.
    assert (await room.watchlist("mute story-s1")).startswith("Muted story-s1")
    await room.poll("s1", ["B"])  # qualifies now: held back
    await room.poll("s1", ["C"])
    assert discord_cards(discord_api) == []
    if restart:
        room.restart()

    reply = await room.watchlist("unmute story-s1")
    assert reply.endswith("again, starting with its card.")
    await room.outbox.drain()
    await room.poll("s1", [])

    [card] = discord_cards(discord_api)
    assert sources_tracking(card["embeds"]) == 3
    assert len(discord_api.channel_messages(DISCORD_CHANNEL)) == 1  # no update on top
