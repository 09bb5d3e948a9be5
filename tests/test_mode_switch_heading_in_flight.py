"""A switch to digest mode landing while a digest's heading is being posted: the channel, switched
to instant and back while its digest went out, has the digest's waiting cards returned to the
pool (`return_to_digest_pool`), as the switch's reply says. The heading, posted over them, heads
nothing: it is deleted, and the next digest heads them. Fake Slack and Discord servers on
127.0.0.1 (Discord through the bot and through a webhook) holding the heading's request until the switch lands, a real SQLite file and the real
outbox."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.discord_channel import BOT_POST, CHANNEL, HOOK_POST, WEBHOOK_ID, WEBHOOK_URL
from fakes.gate import Gate
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter
from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.app import NewsDigest
from bot.commands import CommandContext, Commands
from bot.config import Config
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import digest_headings
from bot.store.channels import ChannelRow

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)
STORIES = ("quay", "locks", "ferry")
FOUR = ("quay", "locks", "ferry", "tram")


@dataclass
class Platform:
    name: str
    channel_id: str
    register: Callable[[Outbox], None]
    # The channel's messages as it shows them now: a heading as its text, a card as its story.
    shown: Callable[[], list[str]]
    # The next post held in flight until its gate is opened.
    hold_post: Callable[[], Gate]
    webhook_url: str | None = None


@pytest.fixture(params=["slack", "discord", "discord webhook"])
def platform(request: pytest.FixtureRequest) -> Platform:
    if request.param == "slack":
        api: FakeSlackAPI = request.getfixturevalue("slack_api")

        def slack(outbox: Outbox) -> None:
            client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=api.api_url))
            outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))

        def slack_shown() -> list[str]:
            return [_slack_text(m) for m in api.messages["C1"]]

        return Platform("slack", "C1", slack, slack_shown, lambda: api.hold("chat.postMessage"))
    fake: FakeDiscord = request.getfixturevalue("discord_api")
    client: discord.Client = request.getfixturevalue("discord_client")
    webhook = request.param == "discord webhook"
    fake.webhook_channels[WEBHOOK_ID] = CHANNEL
    session = request.getfixturevalue("session")

    def discord_(outbox: Outbox) -> None:
        bot = DiscordBotAdapter(client)
        hooks = DiscordWebhookAdapter(session, bot=bot)
        outbox.register(DiscordAdapter(bot=bot, webhooks=hooks))

    def discord_shown() -> list[str]:
        return [
            m["embeds"][0]["title"].removeprefix("Story ") if m.get("embeds") else m["content"]
            for m in fake.channel_messages(CHANNEL)
        ]

    return Platform(
        "discord",
        str(CHANNEL),
        discord_,
        discord_shown,
        lambda: fake.hold_next("POST", HOOK_POST if webhook else BOT_POST),
        WEBHOOK_URL if webhook else None,
    )


def _slack_text(message: dict[str, Any]) -> str:
    if message.get("metadata"):
        return str(message["metadata"]["event_payload"]["story_id"])
    return str(message["text"])


async def _switch_mode(core: NewsDigest, platform: Platform, mode: str) -> str:
    ctx = CommandContext(platform=platform.name, channel_id=platform.channel_id, user_id="U1")
    reply = await Commands(core, clock=lambda: NOON).dispatch("watchlist", f"mode {mode}", ctx)
    return reply.text


async def test_a_switch_landing_while_the_heading_is_posted_leaves_no_empty_heading(
    tmp_path: Path, platform: Platform
) -> None:
    core = NewsDigest(Config(database=str(tmp_path / "nd.db")))
    channel = add_channel(
        core.db,
        platform.channel_id,
        platform=platform.name,
        mode="digest",
        webhook_url=platform.webhook_url,
    )
    for story in STORIES:
        add_story(core.db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(core.db, channel, now=NOON, scheduled_for=NOON) == 3
    clock = [NOON]
    outbox = Outbox(
        core.db,
        make_card_source(core.db, NOON),
        settings=OutboxSettings(pace=0),
        clock=lambda: clock[0],
    )
    platform.register(outbox)
    gate = platform.hold_post()
    drain = asyncio.ensure_future(outbox.drain())
    await gate.arrived()
    # Switched to instant and back while the heading's request is in flight.
    assert (await _switch_mode(core, platform, "instant")).startswith("Saved.")
    reply = await _switch_mode(core, platform, "digest")
    assert reply.startswith("Saved. The 3 stories still waiting to be posted here now wait")
    gate.open()
    await drain
    assert platform.shown() == []  # no card, and no heading over none
    # Its record shows no row any more, but keeps its message as the lookups' bound: they pass
    # over it and anything older by their order, so a deleted message still bounds them.
    record = digest_headings.last(core.db, channel.id)
    assert record is not None and record[0] == set()
    assert digest_headings.last_message(core.db, channel.id) is not None
    # As the reply said, the next digest has them, under its own heading.
    clock[0] = NOON + timedelta(hours=21)
    channel = channel_store.get_channel_by_pk(core.db, channel.id) or channel
    assert digests.enqueue_digest(core.db, channel, now=clock[0], scheduled_for=clock[0]) == 3
    await outbox.drain()
    shown = platform.shown()
    assert shown[0].startswith("News digest · 2027-05-05 09:00 UTC · 3 stories")
    assert sorted(shown[1:]) == sorted(STORIES)
    core.close()


async def test_a_heading_over_one_card_left_is_deleted(tmp_path: Path, platform: Platform) -> None:
    """The switch lands while the first card is being sent. That card is left alone (it may
    land) and lands; the others return to the pool. A heading over one card is what a digest of
    one never shows: it is deleted, the card stays."""
    core, channel, outbox = _digest(tmp_path, platform, STORIES)
    heading = platform.hold_post()
    drain = asyncio.ensure_future(outbox.drain())
    await heading.arrived()
    card = platform.hold_post()
    heading.open()
    await card.arrived()
    await _switch_mode(core, platform, "instant")
    reply = await _switch_mode(core, platform, "digest")
    assert reply.startswith("Saved. The 2 stories still waiting to be posted here now wait")
    card.open()
    await drain
    shown = platform.shown()
    assert len(shown) == 1 and shown[0] in STORIES
    record = digest_headings.last(core.db, channel.id)
    assert record is not None and record[0] == set()
    core.close()


async def test_a_heading_over_fewer_cards_says_how_many(tmp_path: Path, platform: Platform) -> None:
    """The switch lands while the second of four cards is being sent: the first is out, the
    second lands, the last two return to the pool. "4 stories" over two would read as two
    lost; the heading is edited to "2 stories", its time kept, and records those two."""
    core, channel, outbox = _digest(tmp_path, platform, FOUR)
    heading = platform.hold_post()
    drain = asyncio.ensure_future(outbox.drain())
    await heading.arrived()
    first = platform.hold_post()
    heading.open()
    await first.arrived()
    second = platform.hold_post()
    first.open()
    await second.arrived()
    await _switch_mode(core, platform, "instant")
    reply = await _switch_mode(core, platform, "digest")
    assert reply.startswith("Saved. The 2 stories still waiting to be posted here now wait")
    second.open()
    await drain
    shown = platform.shown()
    assert shown[0] == "News digest · 2027-05-04 12:00 UTC · 2 stories"
    assert len(shown) == 3 and set(shown[1:]) <= set(FOUR)
    record = digest_headings.last(core.db, channel.id)
    sent = {row[0] for row in core.db.execute("SELECT nonce FROM deliveries WHERE state = 'sent'")}
    assert record is not None and record[0] == sent and len(sent) == 2
    core.close()


async def test_a_heading_edit_refused_is_logged_once(
    tmp_path: Path, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack refuses the edit: the log says so, the heading stays as it was, and nothing tries
    it again (a later drain makes no call)."""
    platform = _slack(slack_api)
    core, _, outbox = _digest(tmp_path, platform, FOUR)
    slack_api.script("chat.update", body={"ok": False, "error": "cant_update_message"})
    heading = platform.hold_post()
    drain = asyncio.ensure_future(outbox.drain())
    await heading.arrived()
    first = platform.hold_post()
    heading.open()
    await first.arrived()
    second = platform.hold_post()
    first.open()
    await second.arrived()
    await _switch_mode(core, platform, "instant")
    await _switch_mode(core, platform, "digest")
    second.open()
    await drain
    await outbox.drain()
    assert platform.shown()[0] == "News digest · 2027-05-04 12:00 UTC · 4 stories"
    assert len(slack_api.calls_to("chat.update")) == 1
    assert "editing it failed" in caplog.text and "cant_update_message" in caplog.text
    core.close()


def _digest(
    tmp_path: Path, platform: Platform, stories: tuple[str, ...]
) -> tuple[NewsDigest, ChannelRow, Outbox]:
    core = NewsDigest(Config(database=str(tmp_path / "nd.db")))
    channel = add_channel(
        core.db,
        platform.channel_id,
        platform=platform.name,
        mode="digest",
        webhook_url=platform.webhook_url,
    )
    for story in stories:
        add_story(core.db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(core.db, channel, now=NOON, scheduled_for=NOON) == len(stories)
    outbox = Outbox(
        core.db,
        make_card_source(core.db, NOON),
        settings=OutboxSettings(pace=0),
        clock=lambda: NOON,
    )
    platform.register(outbox)
    return core, channel, outbox


async def test_a_lost_heading_after_a_deleted_one_is_not_taken_for_an_older_one(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    """A guard on keeping a deleted heading's message in its record: the lookup for a heading
    whose answer was lost passes over it and every older message by their order, so an earlier
    digest's heading of the same minute and count, older still, is not taken for the lost one
    (its cards would go out under none). Slack's clock is the test's, so the lookup's window
    holds that older heading."""
    slack_api.clock = lambda: NOON.timestamp()
    platform = _slack(slack_api)
    core, channel, outbox = _digest(tmp_path, platform, STORIES)
    text = "News digest · 2027-05-04 12:00 UTC · 3 stories"
    older = {"type": "message", "ts": f"{int(NOON.timestamp())}.000000", "text": text}
    slack_api.messages["C1"].append({**older, "bot_id": "BBOT"})
    gate = platform.hold_post()
    drain = asyncio.ensure_future(outbox.drain())
    await gate.arrived()
    await _switch_mode(core, platform, "instant")
    await _switch_mode(core, platform, "digest")
    gate.open()
    await drain
    assert platform.shown() == [text]  # ours deleted, the older one left
    # The same minute's digest again; its heading's answer is lost, and it did not land.
    channel = channel_store.get_channel_by_pk(core.db, channel.id) or channel
    assert digests.enqueue_digest(core.db, channel, now=NOON, scheduled_for=NOON) == 3
    slack_api.script("chat.postMessage", body={"ok": False, "error": "internal_error"})
    await outbox.drain()
    shown = platform.shown()
    assert shown[:2] == [text, text]  # looked for, not found, posted again
    assert sorted(shown[2:]) == sorted(STORIES)
    core.close()


def _slack(api: FakeSlackAPI) -> Platform:
    return Platform(
        "slack",
        "C1",
        lambda outbox: outbox.register(
            SlackAdapter(
                make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=api.api_url)),
                pacer=ChannelPacer(0),
            )
        ),
        lambda: [_slack_text(m) for m in api.messages["C1"]],
        lambda: api.hold("chat.postMessage"),
    )
