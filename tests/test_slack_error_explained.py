"""Slack says which block it refused in `response_metadata.messages` ("[ERROR] must be less than
151 characters [json-pointer:/blocks/0/text/text]"), and the error kept only the code
("invalid_blocks"): the log, /healthz and the failed delivery row could not say which part of the
card was wrong. The explanation now follows the code, bounded, on one line, with any token taken
out.

The real outbox and Slack adapter (slack-sdk over HTTP) against the fake Slack Web API, whose
answer is scripted as Slack gives it; a real SQLite file."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
import sqlite_utils
from fakes.clock import Clock
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, add_story, make_card_source

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.errors import EXPLAINED_CHARS, EXPLAINED_LINES
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.runner import digests
from bot.store import deliveries as store

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
POINTER = "[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]"


async def refused_card(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI, body: dict[str, object]
) -> store.DeliveryRow:
    """One card for C1, its post refused with `body`; one attempt allowed, so the row fails."""
    clock = Clock(T0)
    settings = OutboxSettings(pace=0, max_attempts=1)
    outbox = Outbox(db, make_card_source(db, T0), settings=settings, clock=clock)
    client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=slack_api.api_url))
    outbox.register(SlackAdapter(client, pacer=ChannelPacer(0)))
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A", "B"], now=T0)
    digests.enqueue_digest(db, channel, now=T0)
    slack_api.script("chat.postMessage", body=body)
    await outbox.drain()
    row = store.story_post(db, "s1", channel.id)
    assert row is not None
    return row


async def test_the_failed_row_and_the_log_say_which_block_slack_refused(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    body = {"ok": False, "error": "invalid_blocks", "response_metadata": {"messages": [POINTER]}}
    row = await refused_card(db, slack_api, body)
    assert row.state == "failed"
    assert f"invalid_blocks ({POINTER})" in (row.last_error or "")
    said = "\n".join(r.getMessage() for r in caplog.records)
    assert "json-pointer:/blocks/0/text/text" in said


async def test_the_explanation_is_bounded_one_line_and_carries_no_token(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    messages = [
        "[ERROR] bad token xoxb-1234-5678-AbCdEf in [json-pointer:/blocks/1]",
        "[ERROR] a line\nbroken\x1b[31m in two [json-pointer:/blocks/2]",
        "[ERROR] " + "long " * 100,
        "[ERROR] fourth [json-pointer:/blocks/4]",
        "[ERROR] fifth [json-pointer:/blocks/5]",
    ]
    body = {"ok": False, "error": "invalid_blocks", "response_metadata": {"messages": messages}}
    row = await refused_card(db, slack_api, body)
    error = row.last_error or ""
    assert "xoxb-" not in error and "[token]" in error
    assert "\n" not in error and "\x1b" not in error
    assert "[json-pointer:/blocks/2]" in error
    explained = error[error.index("invalid_blocks (") + len("invalid_blocks (") : -1]
    lines = explained.split("; ")
    assert len(lines) == EXPLAINED_LINES + 1 and lines[-1] == "2 more"
    assert all(len(line) <= EXPLAINED_CHARS for line in lines)
    assert "fourth" not in error


async def test_a_refusal_without_an_explanation_reads_as_before(
    db: sqlite_utils.Database, slack_api: FakeSlackAPI
) -> None:
    row = await refused_card(db, slack_api, {"ok": False, "error": "invalid_blocks"})
    assert (row.last_error or "").endswith(": invalid_blocks")
