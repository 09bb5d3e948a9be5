"""What the shared test fakes promise the tests built on them: the fake Slack API stamps
messages with a clock that a lookup bounded by `oldest` can see (real time, or the harness's),
and `add_channel` called again for a channel keeps its route. Real SQLite file, real outbox and
Slack adapter against the fake Web API."""

from __future__ import annotations

import time

import sqlite_utils
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.slack_outbox import T0, SlackOutbox
from fakes.stories import add_channel, make_card_source

from bot.adapters.slack.settings import SlackSettings, make_client

INTERNAL_ERROR = {"body": {"ok": False, "error": "internal_error"}}


async def no_sleep(seconds: float) -> None:
    """Return at once: the outbox's waits are not what these tests time."""


def headings(fake: FakeSlackAPI, channel: str) -> int:
    return sum(1 for m in fake.messages[channel] if "metadata" not in m)


async def test_the_fake_slack_stamps_messages_with_real_time_unless_told_otherwise(
    slack_api: FakeSlackAPI,
) -> None:
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    before = time.time()
    answer = await client.chat_postMessage(channel="C1", text="hello")
    after = time.time()
    assert int(before) <= float(answer["ts"]) < after + 1


async def test_the_slack_harness_stamps_messages_with_its_own_clock(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    world = SlackOutbox(db, slack_api, make_card_source(db, T0), sleep=no_sleep)
    digest = add_channel(db, "C1", mode="digest")
    world.queue(digest, "s1", "s2")
    # The heading lands but its answer is lost: found only if its ts is the harness's time.
    slack_api.script("chat.postMessage", landed=True, **INTERNAL_ERROR)
    await world.drain()
    assert [float(m["ts"]) // 1 for m in slack_api.messages["C1"]] == [T0.timestamp()] * 3
    assert headings(slack_api, "C1") == 1


async def test_add_channel_again_keeps_a_discord_channels_webhook(
    db: sqlite_utils.Database,
) -> None:
    hook = "https://discord.example/api/webhooks/1/abc"
    add_channel(db, "42", platform="discord", webhook_url=hook)
    again = add_channel(db, "42", platform="discord", mode="instant")
    assert again.webhook_url == hook and again.mode == "instant"
