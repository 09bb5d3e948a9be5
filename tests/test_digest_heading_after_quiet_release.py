"""A digest held for quiet hours and let go early (`/watchlist quiet off`, shorter quiet hours, a
new time zone) is headed with the time it posts, not the old quiet end still ahead. Fake Slack
and Discord servers on 127.0.0.1; real SQLite file, real outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord
from fakes.discord_api import FakeDiscord
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.discord.adapter import DiscordAdapter, DiscordBotAdapter
from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.commands.held_posts import release_quiet_holds
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store.database import open_database

NOON = datetime(2027, 5, 4, 12, 0, tzinfo=UTC)
# Quiet until 13:00: the noon digest is held for an hour, then quiet hours are turned off.
HEADING = "News digest · 2027-05-04 12:00 UTC · 2 stories"
CHANNEL = 111111111111111111


def _held_then_released(tmp_path: Path, platform: str, channel_id: str):  # type: ignore[no-untyped-def]
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, channel_id, platform=platform, quiet_hours="11:00-13:00")
    for story in ("quay", "locks", "ferry"):
        add_story(db, story, ["Gazette", "Courier"], now=NOON - timedelta(hours=1))
    assert digests.enqueue_digest(db, channel, now=NOON, scheduled_for=NOON, default_size=2) == 2
    after = channel_store.update_channel(db, channel.id, quiet_hours=None)
    assert after.quiet_hours is None
    assert release_quiet_holds(db, channel, now=NOON) == 2
    outbox = Outbox(
        db, make_card_source(db, NOON), settings=OutboxSettings(pace=0), clock=lambda: NOON
    )
    return db, outbox


async def test_slack_heading_of_a_released_digest_shows_when_it_posts(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    db, outbox = _held_then_released(tmp_path, "slack", "C1")
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    await outbox.drain()
    assert slack_api.calls_to("chat.postMessage")[0]["text"] == HEADING
    db.close()


async def test_discord_heading_of_a_released_digest_shows_when_it_posts(
    tmp_path: Path, discord_api: FakeDiscord, discord_client: discord.Client
) -> None:
    db, outbox = _held_then_released(tmp_path, "discord", str(CHANNEL))
    outbox.register(DiscordAdapter(bot=DiscordBotAdapter(discord_client)))
    await outbox.drain()
    calls = discord_api.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert calls[0].body["content"] == HEADING
    db.close()
