"""Looking for a digest heading whose answer was lost (`bot.delivery.digest_heading._landed`):
only among the messages made since it was sent, less `LOOKUP_CLOCK_SKEW` for Slack's clock
being behind ours, so an earlier digest's heading of the same minute and count, from before
that, is not taken for it; and a lookup Slack rate limits counts as one that could not look,
holding nothing back. Real SQLite file, real outbox and Slack adapter against the fake Web API."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from fakes.slack_api import FakeSlackAPI
from fakes.stories import add_channel, queue_story
from test_digest_heading_restart import (
    INTERNAL_ERROR,
    RATE_LIMITED,
    T0,
    WAIT,
    Process,
    heading_logs,
    queue_digest,
    rate_limit_next_post,
    shown,
)

from bot.delivery.adapter import LOOKUP_CLOCK_SKEW
from bot.store.channels import ChannelRow


def lookups(fake: FakeSlackAPI) -> list[dict[str, object]]:
    return fake.calls_to("conversations.history")


def rate_limit_next_lookup(fake: FakeSlackAPI) -> None:
    fake.script("conversations.history", headers={"Retry-After": str(WAIT)}, **RATE_LIMITED)


async def first_digest_shown(tmp_path: Path, slack_api: FakeSlackAPI) -> tuple[Process, ChannelRow]:
    """A process whose digest channel C1 got its first digest, s1 and s2 under its heading, at
    T0: the earlier heading a later one of the same minute and count must not be taken for."""
    process = Process(tmp_path / "nd.db", slack_api, T0)
    digest = add_channel(process.db, "C1", mode="digest")
    process.queue(digest, "s1", "s2")
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    return process, digest


async def test_an_earlier_digests_heading_of_the_same_minute_and_count_is_not_taken_for_it(
    tmp_path: Path, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    process, digest = await first_digest_shown(tmp_path, slack_api)
    # A second digest of two cards queued in the same minute, so its heading reads as the
    # first's, held by an outage until after the lookup's margin; its post's answer is lost
    # though it never landed.
    for story in ("s3", "s4"):
        queue_story(process.db, digest, story, now=T0 + timedelta(seconds=40))
    process.now = T0 + LOOKUP_CLOCK_SKEW + timedelta(minutes=1)
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    with caplog.at_level(logging.INFO):
        await process.drain()
    # The first digest's heading is older than this one's post, less the margin: not there,
    # so posted again.
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2", "HEADING", "s3", "s4"]
    oldest = float(str(lookups(slack_api)[0]["oldest"]))
    assert oldest == (process.now - LOOKUP_CLOCK_SKEW).timestamp()
    logs = heading_logs(caplog)
    assert len(logs) == 1 and "not in the channel): posting it again" in logs[0]


async def test_a_second_digest_in_the_same_minute_does_not_take_the_firsts_heading(
    tmp_path: Path, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    process, digest = await first_digest_shown(tmp_path, slack_api)
    # A second digest of two cards 40 s later (a scheduled one, then /digest), well inside the
    # lookup's margin: its heading reads as the first's, and its answer is lost though it
    # never landed. The first's message is recorded as that heading: passed over.
    process.now = T0 + timedelta(seconds=40)
    for story in ("s3", "s4"):
        queue_story(process.db, digest, story, now=process.now)
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    with caplog.at_level(logging.INFO):
        await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2", "HEADING", "s3", "s4"]
    logs = heading_logs(caplog)
    assert len(logs) == 1 and "not in the channel): posting it again" in logs[0]


async def test_a_third_digest_in_the_same_minute_passes_over_the_seconds_found_heading(
    tmp_path: Path, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    # The second's heading landed though its answer was lost: found, its message is recorded,
    # so the third's lost heading is not taken for it either.
    process, digest = await first_digest_shown(tmp_path, slack_api)
    for seconds, stories in ((20, ("s3", "s4")), (40, ("s5", "s6"))):
        process.now = T0 + timedelta(seconds=seconds)
        for story in stories:
            queue_story(process.db, digest, story, now=process.now)
        slack_api.script("chat.postMessage", landed=seconds == 20, **INTERNAL_ERROR)
        await process.drain()
    assert shown(slack_api, "C1") == [
        *("HEADING", "s1", "s2"),
        *("HEADING", "s3", "s4"),
        *("HEADING", "s5", "s6"),
    ]


@pytest.mark.parametrize("behind", [2, 6, 120])
async def test_a_landed_heading_is_found_though_slacks_clock_is_behind_ours(
    tmp_path: Path, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture, behind: int
) -> None:
    process = Process(tmp_path / "nd.db", slack_api, T0)
    queue_digest(process)
    # Slack stamps the heading with its own clock, `behind` seconds behind ours: the message
    # reads as older than our send.
    slack_api.clock = lambda: process.now.timestamp() - behind
    slack_api.script("chat.postMessage", landed=True, **INTERNAL_ERROR)
    with caplog.at_level(logging.INFO):
        await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    logs = heading_logs(caplog)
    assert len(logs) == 1 and "had landed (found in the channel's history)" in logs[0]


@pytest.mark.parametrize("landed", [True, False])
async def test_a_rate_limited_lookup_counts_as_one_that_could_not_look(
    tmp_path: Path, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture, landed: bool
) -> None:
    process = Process(tmp_path / "nd.db", slack_api, T0)
    queue_digest(process)
    slack_api.script("chat.postMessage", landed=landed, **INTERNAL_ERROR)
    rate_limit_next_lookup(slack_api)
    with caplog.at_level(logging.INFO):
        await process.drain()
    # Nobody could tell whether it showed: its cards go at once, as under it, so they show
    # under one heading at most (none, when it never landed).
    assert shown(slack_api, "C1") == (["HEADING", "s1", "s2"] if landed else ["s1", "s2"])
    assert len(lookups(slack_api)) == 1
    logs = heading_logs(caplog)
    assert len(logs) == 1
    assert "may not have been posted" in logs[0] and "looking for it failed" in logs[0]
    # Nothing is left to look for later: the next drain asks and posts nothing more.
    process.now = T0 + timedelta(seconds=WAIT + 1)
    await process.drain()
    assert len(lookups(slack_api)) == 1
    assert shown(slack_api, "C1") == (["HEADING", "s1", "s2"] if landed else ["s1", "s2"])


@pytest.mark.parametrize("restart", [False, True])
async def test_a_heading_whose_lookup_was_rate_limited_shows_once_across_a_restart(
    tmp_path: Path, slack_api: FakeSlackAPI, restart: bool
) -> None:
    process = Process(tmp_path / "nd.db", slack_api, T0)
    queue_digest(process)
    # The heading lands but its answer is lost, looking for it meets a 429, and so does the
    # first card: the cards wait out the Retry-After.
    slack_api.script("chat.postMessage", landed=True, **INTERNAL_ERROR)
    rate_limit_next_lookup(slack_api)
    rate_limit_next_post(slack_api)
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING"]
    if restart:
        process.stop()
        process = Process(tmp_path / "nd.db", slack_api, T0)
    process.now = T0 + timedelta(seconds=WAIT + 1)
    await process.drain()
    # Recorded as shown in the database, so the new process adds no second heading.
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]


@pytest.mark.parametrize("meanwhile", ["switched to instant and back", "paused till they expired"])
async def test_the_next_digest_after_a_rate_limited_lookup_gets_its_heading(
    tmp_path: Path, slack_api: FakeSlackAPI, meanwhile: str
) -> None:
    process = Process(tmp_path / "nd.db", slack_api, T0)
    digest = queue_digest(process)
    # Both tries of the heading lose their answer and never land; the first lookup finds
    # nothing, the second meets a 429.
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    slack_api.script_usual("conversations.history")
    rate_limit_next_lookup(slack_api)
    await process.drain()
    # Then the digest's cards leave the queue some other way than under that heading.
    if meanwhile == "switched to instant and back":
        process.db.execute("UPDATE channels SET mode = 'instant' WHERE id = ?", [digest.id])
        process.now = T0 + timedelta(seconds=WAIT + 1)
        await process.drain()
        process.db.execute("UPDATE channels SET mode = 'digest' WHERE id = ?", [digest.id])
    else:
        process.db.execute("UPDATE channels SET paused_reason = 'away' WHERE id = ?", [digest.id])
        process.now = T0 + timedelta(hours=49)
        await process.drain()
        process.db.execute("UPDATE channels SET paused_reason = NULL WHERE id = ?", [digest.id])
    before = shown(slack_api, "C1")
    # The next day's digest has a heading of its own.
    process.now = T0 + timedelta(days=1)
    process.queue(digest, "s3", "s4")
    await process.drain()
    assert shown(slack_api, "C1") == [*before, "HEADING", "s3", "s4"]
