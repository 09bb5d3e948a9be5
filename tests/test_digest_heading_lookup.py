"""Looking for a digest heading whose answer was lost (`bot.delivery.digest_heading._landed`):
only among the messages made since it was sent, so an earlier digest's heading of the same
minute and count is not taken for it, and, when the lookup itself is rate limited, again once
the Retry-After is over, its cards waiting meanwhile. Real SQLite file, real outbox and Slack
adapter against the fake Web API."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_channel
from test_digest_heading_restart import (
    INTERNAL_ERROR,
    RATE_LIMITED,
    T0,
    WAIT,
    Process,
    heading_logs,
    shown,
)


def lookups(fake: FakeSlackAPI) -> list[dict[str, object]]:
    return fake.calls_to("conversations.history")


async def test_an_earlier_digests_heading_of_the_same_minute_and_count_is_not_taken_for_it(
    tmp_path: Path, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    process = Process(tmp_path / "nd.db", slack_api, T0)
    digest = add_channel(process.db, "C1", mode="digest")
    process.queue(digest, "s1", "s2")
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    # A second digest of two cards in the same minute: its heading reads as the first's, and
    # its post's answer is lost though it never landed.
    process.now = T0 + timedelta(seconds=20)
    process.queue(digest, "s3", "s4")
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    with caplog.at_level(logging.INFO):
        await process.drain()
    # The first digest's heading is older than this one's post: not there, so posted again.
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2", "HEADING", "s3", "s4"]
    oldest = float(str(lookups(slack_api)[0]["oldest"]))
    assert T0.timestamp() < oldest <= process.now.timestamp()
    logs = heading_logs(caplog)
    assert len(logs) == 1 and "not in the channel): posting it again" in logs[0]


async def test_a_heading_found_just_after_it_was_sent_by_a_clock_a_moment_behind(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    process = Process(tmp_path / "nd.db", slack_api, T0)
    digest = add_channel(process.db, "C1", mode="digest")
    process.queue(digest, "s1", "s2")
    # Slack's clock two seconds behind ours: the heading it stamps is older than our send.
    slack_api.clock = lambda: process.now.timestamp() - 2
    slack_api.script("chat.postMessage", landed=True, **INTERNAL_ERROR)
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]


async def test_a_rate_limited_lookup_holds_the_cards_and_looks_again_after_it(
    tmp_path: Path, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    process = Process(tmp_path / "nd.db", slack_api, T0)
    digest = add_channel(process.db, "C1", mode="digest")
    process.queue(digest, "s1", "s2")
    # The heading lands but its answer is lost; the lookup meets Slack's 429.
    slack_api.script("chat.postMessage", landed=True, **INTERNAL_ERROR)
    slack_api.script("conversations.history", headers={"Retry-After": str(WAIT)}, **RATE_LIMITED)
    with caplog.at_level(logging.INFO):
        await process.drain()
    # Not taken as "nobody can look": the cards wait, so the heading is known before they go.
    assert shown(slack_api, "C1") == ["HEADING"]
    logs = heading_logs(caplog)
    assert len(logs) == 1 and "looking for it was rate limited" in logs[0]
    assert "may not have been posted" in logs[0] and "looked for again" in logs[0]
    # Before the Retry-After is over, nothing is asked or posted.
    process.now = T0 + timedelta(seconds=WAIT / 2)
    await process.drain()
    assert len(lookups(slack_api)) == 1 and shown(slack_api, "C1") == ["HEADING"]
    process.now = T0 + timedelta(seconds=WAIT + 1)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        await process.drain()
    # Looked for again and found: its cards go under it, not under a second heading.
    assert len(lookups(slack_api)) == 2
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    logs = heading_logs(caplog)
    assert len(logs) == 1 and "had landed (found in the channel's history)" in logs[0]


async def test_a_rate_limited_lookup_of_a_heading_that_never_landed_posts_it_once_after_it(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    process = Process(tmp_path / "nd.db", slack_api, T0)
    digest = add_channel(process.db, "C1", mode="digest")
    process.queue(digest, "s1", "s2")
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    slack_api.script("conversations.history", headers={"Retry-After": str(WAIT)}, **RATE_LIMITED)
    await process.drain()
    assert shown(slack_api, "C1") == []
    process.now = T0 + timedelta(seconds=WAIT + 1)
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    # Its cards went once their heading showed; the next drain posts nothing more.
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
