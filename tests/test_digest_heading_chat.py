"""Slack and Discord head a scheduled digest with a message of its own, as the console does: the
number of cards that follow, then the cards (each still a top-level message whose updates thread
under it), then the list of the stories beyond them. Fake Slack and Discord servers on 127.0.0.1
record the exact JSON; real SQLite file, real outbox."""

from __future__ import annotations

import io
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import discord
import pytest
from fakes.discord_api import FakeDiscord
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source
from rich.console import Console

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.discord.webhook import DiscordWebhookAdapter, webhook_session
from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.cards import Digest
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.render.console import render_digest_console
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store.database import open_database

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)
HEADING = "News digest · 2027-05-04 12:00 UTC · 2 stories"
CHANNEL = 111111111111111111
WEBHOOK_ID = 222222222222222222
WEBHOOK_TOKEN = "T" * 68
WEBHOOK_URL = f"https://discord.com/api/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"


def _queue(  # type: ignore[no-untyped-def]
    tmp_path: Path,
    platform: str,
    channel_id: str,
    webhook_url: str | None = None,
    timezone: str = "UTC",
):
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, channel_id, platform=platform, timezone=timezone)
    if webhook_url:
        channel = channel_store.update_channel(db, channel.id, webhook_url=webhook_url)
    for story in ("quay", "locks", "ferry"):
        add_story(db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NOON, scheduled_for=NOON, default_size=2) == 2
    outbox = Outbox(
        db, make_card_source(db, NOON), settings=OutboxSettings(pace=0), clock=lambda: NOON
    )
    return db, outbox


async def test_slack_posts_the_heading_then_the_cards_then_the_list(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    db, outbox = _queue(tmp_path, "slack", "C1")
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    await outbox.drain()
    posts = slack_api.calls_to("chat.postMessage")
    assert posts[0] == {
        "channel": "C1",
        "text": HEADING,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": HEADING, "emoji": False}}
        ],
        "unfurl_links": False,
        "unfurl_media": False,
    }
    # The cards are top-level messages with their metadata, as before; the list comes last.
    assert [p["metadata"]["event_payload"]["story_id"] for p in posts[1:3]] == ["ferry", "locks"]
    assert all("thread_ts" not in p for p in posts)
    assert posts[3]["text"].startswith("Also matching this channel, without a card")
    assert "/story story-quay" in posts[3]["text"]
    assert len(posts) == 4
    db.close()


async def test_slack_cards_go_out_when_the_heading_fails(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    db, outbox = _queue(tmp_path, "slack", "C1")
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    slack_api.script("chat.postMessage", body={"ok": False, "error": "invalid_blocks"})
    report = await outbox.drain()
    assert report.sent == 2
    posts = slack_api.calls_to("chat.postMessage")
    assert posts[0]["text"] == HEADING  # refused, logged, and not retried
    assert [p["metadata"]["event_payload"]["story_id"] for p in posts[1:3]] == ["ferry", "locks"]
    db.close()


# The digest at noon UTC in a Berlin channel (summer time) and one in Auckland, past midnight
# there: the channel's own clock, date and zone, as every other reply to it names its times.
ZONED = [
    ("Europe/Berlin", "News digest · 2027-05-04 14:00 Europe/Berlin · 2 stories"),
    ("Pacific/Auckland", "News digest · 2027-05-05 00:00 Pacific/Auckland · 2 stories"),
]


@pytest.mark.parametrize(("zone", "heading"), ZONED)
async def test_slack_heading_shows_the_channels_own_time_and_zone(
    tmp_path: Path, slack_api: FakeSlackAPI, zone: str, heading: str
) -> None:
    db, outbox = _queue(tmp_path, "slack", "C1", timezone=zone)
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    await outbox.drain()
    assert slack_api.calls_to("chat.postMessage")[0]["text"] == heading
    db.close()


@pytest.mark.parametrize(("zone", "heading"), ZONED)
async def test_discord_heading_shows_the_channels_own_time_and_zone(
    tmp_path: Path,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    zone: str,
    heading: str,
) -> None:
    db, outbox = _queue(tmp_path, "discord", str(CHANNEL), timezone=zone)
    outbox.register(DiscordAdapter(bot=DiscordBotAdapter(discord_client)))
    await outbox.drain()
    calls = discord_api.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert calls[0].body["content"] == heading
    db.close()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with webhook_session() as s:
        yield s


async def test_discord_bot_posts_the_heading_before_the_cards(
    tmp_path: Path, discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    db, outbox = _queue(tmp_path, "discord", str(CHANNEL))
    outbox.register(DiscordAdapter(bot=DiscordBotAdapter(discord_client)))
    await outbox.drain()
    calls = discord_api.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert calls[0].body["content"] == HEADING
    assert calls[0].body["allowed_mentions"] == {"parse": []}
    assert not calls[0].body.get("embeds")
    assert [c.body["embeds"][0]["title"] for c in calls[1:3]] == ["Story ferry", "Story locks"]
    assert calls[3].body["content"].startswith("Also matching this channel, without a card")
    assert len(calls) == 4
    db.close()


async def test_discord_webhook_channel_gets_the_heading_too(
    tmp_path: Path, discord_api: FakeDiscord, session: aiohttp.ClientSession
) -> None:
    discord_api.webhook_channels[WEBHOOK_ID] = CHANNEL
    db, outbox = _queue(tmp_path, "discord", str(CHANNEL), webhook_url=WEBHOOK_URL)
    outbox.register(DiscordAdapter(webhooks=DiscordWebhookAdapter(session)))
    await outbox.drain()
    calls = discord_api.calls("POST", rf"/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}")
    assert calls[0].body["content"] == HEADING
    assert [c.body["embeds"][0]["title"] for c in calls[1:3]] == ["Story ferry", "Story locks"]
    db.close()


@pytest.mark.parametrize("landed", [True, False])
@pytest.mark.parametrize("route", ["webhook", "bot"])
async def test_a_discord_heading_whose_answer_was_lost_is_looked_for_through_the_bot(
    tmp_path: Path,
    discord_api: FakeDiscord,
    discord_client: discord.Client,
    session: aiohttp.ClientSession,
    landed: bool,
    route: str,
) -> None:
    discord_api.webhook_channels[WEBHOOK_ID] = CHANNEL
    webhook_url = WEBHOOK_URL if route == "webhook" else None
    db, outbox = _queue(tmp_path, "discord", str(CHANNEL), webhook_url=webhook_url)
    bot = DiscordBotAdapter(discord_client)
    outbox.register(DiscordAdapter(bot=bot, webhooks=DiscordWebhookAdapter(session, bot=bot)))
    post = rf"/webhooks/{WEBHOOK_ID}/{WEBHOOK_TOKEN}"
    if route == "bot":
        post = rf"/channels/{CHANNEL}/messages"
    # Discord's ids carry the time they were made: the fake's as of the outbox's clock.
    discord_api._ids = itertools.count(discord.utils.time_snowflake(NOON))
    discord_api.fail_next("POST", post, 500, {"message": "oops"}, landed=landed)
    await outbox.drain()
    shown = [
        m.get("content") or m["embeds"][0]["title"] for m in discord_api.channel_messages(CHANNEL)
    ]
    # Found in the channel, it is not posted again; not there, it is, before the cards.
    assert shown[:3] == [HEADING, "Story ferry", "Story locks"]
    assert len(discord_api.calls("POST", post)) == (4 if landed else 5)
    db.close()


# --- the CLI preview ---------------------------------------------------------------------------


def test_a_preview_written_to_a_file_keeps_its_whole_heading() -> None:
    digest = Digest(
        channel="#health-world",
        cards=[],
        generated_at=NOON,
        more=119,
        notices=["\n".join(f"• Story {i} · 2 sources · /story story-{i}" for i in range(119))],
    )
    out = io.StringIO()
    render_digest_console(digest, Console(file=out))  # not a terminal: width 80
    printed = out.getvalue()
    assert (
        "News digest · #health-world · 2027-05-04 12:00 UTC · 0 stories (119 more not shown)"
        in (printed)
    )
    assert "…" not in printed
    assert "• Story 118 · 2 sources · /story story-118" in printed.splitlines()


async def test_a_lone_card_gets_no_heading(tmp_path: Path, slack_api: FakeSlackAPI) -> None:
    # Over one card a heading would be a second message saying what the card shows.
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    add_story(db, "quay", ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NOON, scheduled_for=NOON) == 1
    outbox = Outbox(
        db, make_card_source(db, NOON), settings=OutboxSettings(pace=0), clock=lambda: NOON
    )
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    await outbox.drain()
    [card] = slack_api.calls_to("chat.postMessage")
    assert card["metadata"]["event_payload"]["story_id"] == "quay"
    db.close()
