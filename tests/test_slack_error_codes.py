"""Codes Slack documents for chat.postMessage that are not our payload's fault, through the outbox
against the fake Slack Web API: a channel closed to the bot is paused with the reason, a rate limit
or a workspace in migration waits, and none of them uses the row up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
from fakes.clock import Clock
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import channels as channel_store
from bot.store import deliveries as store

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


async def deliver_through(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI, code: str
) -> tuple[Outbox, Clock, int]:
    """One story for C1, whose every post Slack answers with `code`, drained for an hour."""
    clock = Clock(T0)
    outbox = Outbox(db, make_card_source(db, T0), settings=OutboxSettings(pace=0), clock=clock)
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A", "B"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    slack_api.channel_errors["C1"] = code
    for _ in range(6):
        await outbox.drain()
        clock.now += timedelta(minutes=10)
    return outbox, clock, channel.id


@pytest.mark.parametrize(
    "code", ["restricted_action_read_only_channel", "restricted_action_thread_only_channel"]
)
async def test_a_channel_closed_to_the_bot_is_paused_with_the_reason(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI, code: str
) -> None:
    _outbox, _clock, channel_pk = await deliver_through(db, slack_api, code)
    channel = channel_store.get_channel_by_pk(db, channel_pk)
    assert channel is not None and code in (channel.paused_reason or "")
    row = store.story_post(db, "s1", channel_pk)
    assert row is not None and row.state == "pending"  # kept for /watchlist resume
    assert len(slack_api.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize("code", ["rate_limited", "team_added_to_org", "org_login_required"])
async def test_a_rate_limit_or_a_workspace_in_migration_waits(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI, code: str
) -> None:
    outbox, clock, channel_pk = await deliver_through(db, slack_api, code)
    row = store.story_post(db, "s1", channel_pk)
    # Slack did not process the post: no lookup before the retry, no attempt used, no pause.
    assert row is not None and row.state == "pending" and row.attempts == 0
    assert "conversations.history" not in slack_api.methods()
    assert not channel_store.get_channel_by_pk(db, channel_pk).paused_reason  # type: ignore[union-attr]
    assert len(slack_api.calls_to("chat.postMessage")) >= 3
    del slack_api.channel_errors["C1"]
    clock.now += timedelta(hours=2)
    await outbox.drain()
    assert len(slack_api.messages["C1"]) == 1
