"""The Slack bot invited into a channel signs it up there and then (`greet_channel`), and records
that moment as the channel's first digest run, as a chat sign-up does: left to the runner's job
sync (up to a minute later), a restart within that minute took the restart as the channel's first
run and the digest slot missed while the bot was down was never caught up. A real database file,
the real service stopped and started again, a controlled clock, the fake Slack Web API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fakes.clock import Clock
from fakes.runner import slack_service, stop
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_story

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.events import greet_channel
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.store import channels as channel_store
from bot.store import digest_runs

T0 = datetime(2027, 5, 3, 8, 59, tzinfo=UTC)  # a Monday, a minute before the default 09:00 slot
SLOT = datetime(2027, 5, 3, 9, 0, tzinfo=UTC)
BOT_USER = "UBOT"


async def test_a_restart_right_after_the_bot_joins_catches_up_the_missed_slot(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    clock = Clock(T0)
    service, _chat = slack_service(tmp_path, clock)
    await service.start()
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    adapter = SlackAdapter(client, pacer=ChannelPacer(0))
    clock.now = T0 + timedelta(seconds=20)
    event = {"type": "member_joined_channel", "user": BOT_USER, "channel": "C7", "team": "T1"}
    await greet_channel(adapter, service.commands, event, {"bot_user_id": BOT_USER})
    [greeting] = slack_api.calls_to("chat.postMessage")
    assert greeting["channel"] == "C7" and "Mode: digest" in greeting["text"]
    channel = channel_store.get_channel(service.db, "slack", "C7")
    assert channel is not None and channel.schedule == "0 9 * * *"
    # Recorded with the row, on the commands' clock, before any job sync saw the channel.
    assert digest_runs.last_digest_run(service.db, channel.id) == T0 + timedelta(seconds=20)
    add_story(service.db, "chip", ["Gazette", "Courier"], now=T0 + timedelta(seconds=30))
    # Stopped 40 s later, before the minute's job sync; down over the 09:00 slot.
    clock.now = T0 + timedelta(seconds=40)
    await stop(service)
    clock.now = SLOT + timedelta(minutes=30)
    again, chat = slack_service(tmp_path, clock)
    await again.start()
    try:
        await again.outbox.drain()
        assert digest_runs.last_digest_run(again.db, channel.id) == SLOT
        assert [m.story_id for m in chat.cards("C7")] == ["chip"]
    finally:
        await stop(again)


async def test_another_member_joining_signs_nothing_up(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    clock = Clock(T0)
    service, _chat = slack_service(tmp_path, clock)
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    adapter = SlackAdapter(client, pacer=ChannelPacer(0))
    event = {"type": "member_joined_channel", "user": "U2", "channel": "C7", "team": "T1"}
    await greet_channel(adapter, service.commands, event, {"bot_user_id": BOT_USER})
    assert slack_api.calls_to("chat.postMessage") == []
    assert channel_store.get_channel(service.db, "slack", "C7") is None
    service.core.close()
