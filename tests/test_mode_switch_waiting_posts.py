"""A channel switched from instant to digest mode with instant posts still waiting in the outbox:
they are not posted at once under a digest heading, ahead of the schedule, but wait for the next
digest, which may choose them (none lost, none posted twice). Switched back, a digest's waiting
cards go out as instant posts do, once each. Fake Slack and Discord servers on 127.0.0.1, a real
SQLite file and the real outbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
import pytest
import sqlite_utils
from fakes.discord_api import FakeDiscord
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.app import NewsDigest
from bot.cards import StoryCard
from bot.commands import CommandContext, Commands
from bot.config import ChannelConfig, Config
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries
from bot.store.channels import ChannelRow

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)
STORIES = ("quay", "locks")
CHANNEL = 111111111111111111


def _outbox(db: sqlite_utils.Database, clock: list[datetime]) -> Outbox:
    return Outbox(
        db, make_card_source(db, NOON), settings=OutboxSettings(pace=0), clock=lambda: clock[0]
    )


def _instant_posts_waiting(
    db: sqlite_utils.Database, platform: str, channel_id: str, stories: tuple[str, ...] = STORIES
) -> ChannelRow:
    channel = add_channel(db, channel_id, platform=platform, mode="instant")
    for story in stories:
        add_story(db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_instant(db, channel, now=NOON) == len(stories)
    return channel


Posted = Callable[[], list[str]]


async def _switch_mode(core: NewsDigest, platform: str, channel_id: str, mode: str) -> str:
    """`/watchlist mode <mode>` typed in the channel; the reply's text."""
    ctx = CommandContext(platform=platform, channel_id=channel_id, user_id="U1")
    reply = await Commands(core, clock=lambda: NOON).dispatch("watchlist", f"mode {mode}", ctx)
    return reply.text


async def _next_digest_heads(
    core: NewsDigest,
    channel: ChannelRow,
    outbox: Outbox,
    clock: list[datetime],
    posted: Posted,
    stories: list[str],
) -> None:
    """The next morning's digest queues `stories` and posts them, each once, under its heading."""
    clock[0] = NOON + timedelta(hours=21)
    queued = digests.enqueue_digest(core.db, channel, now=clock[0], scheduled_for=clock[0])
    assert queued == len(stories)
    await outbox.drain()
    shown = posted()
    assert shown[0].startswith(f"News digest · 2027-05-05 09:00 UTC · {len(stories)} stories")
    assert sorted(shown[1:]) == sorted(stories)


@pytest.fixture(params=["slack", "discord"])
def platform(
    request: pytest.FixtureRequest, tmp_path: Path
) -> tuple[str, str, Callable[[Outbox], Posted]]:
    """(platform, channel id, register): register puts the platform's adapter on an outbox and
    returns what reads the messages posted to the channel so far, headings as text, cards as
    their story's title."""
    name = request.param
    if name == "slack":
        api: FakeSlackAPI = request.getfixturevalue("slack_api")

        def slack(outbox: Outbox) -> Posted:
            client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=api.api_url))
            outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
            return lambda: [
                p["metadata"]["event_payload"]["story_id"] if p.get("metadata") else p["text"]
                for p in api.calls_to("chat.postMessage")
            ]

        return name, "C1", slack
    fake: FakeDiscord = request.getfixturevalue("discord_api")
    client: discord.Client = request.getfixturevalue("discord_client")

    def discord_(outbox: Outbox) -> Posted:
        outbox.register(DiscordAdapter(bot=DiscordBotAdapter(client)))
        return lambda: [
            c.body["embeds"][0]["title"].removeprefix("Story ")
            if c.body.get("embeds")
            else c.body["content"]
            for c in fake.calls("POST", rf"/channels/{CHANNEL}/messages")
        ]

    return name, str(CHANNEL), discord_


async def test_instant_posts_waiting_at_a_switch_to_digest_wait_for_the_digest(
    tmp_path: Path, platform: tuple[str, str, Callable[[Outbox], Posted]]
) -> None:
    name, channel_id, register = platform
    core = NewsDigest(Config(database=str(tmp_path / "nd.db")))
    channel = _instant_posts_waiting(core.db, name, channel_id)
    reply = await _switch_mode(core, name, channel_id, "digest")
    assert reply.startswith(
        "Saved. The 2 stories still waiting to be posted here now wait for the next digest.\n"
    )
    clock = [NOON]
    outbox = _outbox(core.db, clock)
    posted = register(outbox)
    await outbox.drain()
    assert posted() == []  # nothing before the schedule
    # The next digest has them, each once, under its heading.
    await _next_digest_heads(core, channel, outbox, clock, posted, ["locks", "quay"])
    assert {r.story_id for r in deliveries.in_state(core.db, "sent")} == set(STORIES)
    core.close()


async def test_a_switch_to_digest_in_the_config_file_returns_them_too(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    core = NewsDigest(
        Config(database=str(path), channels=[ChannelConfig("slack", "C1", mode="instant")])
    )
    core.sync_config()
    channel = core.db.execute("SELECT id FROM channels WHERE channel_id = 'C1'").fetchone()[0]
    for story in STORIES:
        add_story(core.db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    row = next(c for c in _channels(core) if c.id == channel)
    assert digests.enqueue_instant(core.db, row, now=NOON) == 2
    core.close()
    core = NewsDigest(
        Config(database=str(path), channels=[ChannelConfig("slack", "C1", mode="digest")])
    )
    core.sync_config()
    assert deliveries.in_state(core.db, "pending") == []
    row = next(c for c in _channels(core) if c.id == channel)
    assert digests.enqueue_digest(core.db, row, now=NOON, scheduled_for=NOON) == 2
    core.close()


def _channels(core: NewsDigest) -> list[ChannelRow]:
    return channel_store.list_channels(core.db)


async def test_a_digests_waiting_cards_go_out_once_after_a_switch_to_instant(
    tmp_path: Path, platform: tuple[str, str, Callable[[Outbox], Posted]]
) -> None:
    # The reverse: a digest's cards held by quiet hours are due when they end, and go out then,
    # as instant posts (no heading), once each; the next instant pass queues none of them again.
    name, channel_id, register = platform
    core = NewsDigest(Config(database=str(tmp_path / "nd.db")))
    channel = add_channel(core.db, channel_id, platform=name, quiet_hours="11:00-13:00")
    for story in STORIES:
        add_story(core.db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(core.db, channel, now=NOON, scheduled_for=NOON) == 2
    reply = await _switch_mode(core, name, channel_id, "instant")
    assert reply.startswith("Saved. Mode: instant")
    clock = [NOON + timedelta(hours=1)]
    outbox = _outbox(core.db, clock)
    posted = register(outbox)
    instant = channel_store.get_channel_by_pk(core.db, channel.id)
    assert instant is not None and instant.mode == "instant"
    assert digests.enqueue_instant(core.db, instant, now=clock[0]) == 0
    await outbox.drain()
    assert sorted(posted()) == ["locks", "quay"]
    core.close()


async def test_a_switch_landing_while_the_outbox_drains_the_channel_posts_no_empty_heading(
    tmp_path: Path, platform: tuple[str, str, Callable[[Outbox], Posted]]
) -> None:
    # `/watchlist mode digest` lands while the outbox is building the first instant card: the
    # switch deletes the waiting rows, and the drain, reading the mode again for the next row,
    # sees digest. It must not head the rows it read before the switch: none of them will go.
    # Three stories, so that two are left to head (a digest of one card has no heading).
    name, channel_id, register = platform
    core = NewsDigest(Config(database=str(tmp_path / "nd.db")))
    channel = _instant_posts_waiting(core.db, name, channel_id, (*STORIES, "ferry"))
    source = make_card_source(core.db, NOON)
    switched: list[str] = []

    async def card_for(story_id: str, ch: ChannelRow) -> StoryCard | None:
        if not switched:
            switched.append(await _switch_mode(core, name, channel_id, "digest"))
        return source(story_id, ch)

    clock = [NOON]
    outbox = Outbox(core.db, card_for, settings=OutboxSettings(pace=0), clock=lambda: clock[0])
    posted = register(outbox)
    await outbox.drain()
    assert switched[0].startswith("Saved. The 3 stories still waiting")
    assert posted() == []  # no card, and no heading over none
    # The stories wait for the next digest, which heads them.
    await _next_digest_heads(core, channel, outbox, clock, posted, ["ferry", "locks", "quay"])
    core.close()


async def test_an_instant_post_in_flight_at_the_switch_that_did_not_land_waits_for_the_digest(
    tmp_path: Path, platform: tuple[str, str, Callable[[Outbox], Posted]]
) -> None:
    # A post being sent at the switch is left alone: it may land. When it turns out not to
    # have (refused before it was processed, released to pending for a retry), it is not posted
    # at once in what is now a digest channel, but waits for the next digest with the others.
    name, channel_id, register = platform
    core = NewsDigest(Config(database=str(tmp_path / "nd.db")))
    channel = _instant_posts_waiting(core.db, name, channel_id)
    first = deliveries.in_state(core.db, "pending")[0]
    claimed = deliveries.claim(core.db, first.id, NOON)
    assert claimed is not None
    reply = await _switch_mode(core, name, channel_id, "digest")
    assert reply.startswith(
        "Saved. The 1 story still waiting to be posted here now waits for the next digest.\n"
    )
    deliveries.release(core.db, claimed.id, now=NOON, next_attempt_at=NOON)
    clock = [NOON + timedelta(minutes=1)]
    outbox = _outbox(core.db, clock)
    posted = register(outbox)
    await outbox.drain()
    assert posted() == []
    await _next_digest_heads(core, channel, outbox, clock, posted, ["locks", "quay"])
    core.close()
