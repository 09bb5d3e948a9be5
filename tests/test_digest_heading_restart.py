"""A digest's heading posted before a restart still heads its cards held back after it: the
heading and the rows it counted are kept in the database (`bot.store.digest_headings`), so the
new process posts them under it, not under a second heading. Real SQLite file, reopened as a
restart does; real outbox and Slack adapter against the fake Web API."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from fakes.slack_api import BOT_TOKEN, FakeSlackAPI
from fakes.stories import add_channel, make_card_source, queue_story

from bot.adapters.slack.adapter import ChannelPacer, SlackAdapter
from bot.adapters.slack.settings import SlackSettings, make_client
from bot.delivery.outbox import Outbox, OutboxSettings
from bot.store import channels as channel_store
from bot.store import digest_headings
from bot.store.channels import ChannelRow
from bot.store.database import open_database

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WAIT = 30
RATE_LIMITED = {"status": 429, "body": {"ok": False, "error": "ratelimited"}}
PROMPT = 5.0


class Process:
    """One `newsdigest run`'s outbox and Slack adapter over the database file."""

    def __init__(self, path: Path, fake: FakeSlackAPI, now: datetime) -> None:
        self.db = open_database(path)
        self.now = now
        # Slack stamps what it posts with the time it is: the history lookup is bounded by it.
        fake.clock = lambda: self.now.timestamp()
        self.outbox = Outbox(
            self.db,
            make_card_source(self.db, T0),
            settings=OutboxSettings(pace=0),
            clock=lambda: self.now,
            sleep=self.sleep,
        )
        client = make_client(SlackSettings(bot_token=BOT_TOKEN, api_url=fake.api_url))
        self.outbox.register(SlackAdapter(client, pacer=ChannelPacer(0), sleep=self.sleep))

    async def sleep(self, seconds: float) -> None:
        """Return at once: the test moves `now` itself rather than waiting."""

    async def drain(self) -> None:
        await asyncio.wait_for(self.outbox.drain(), PROMPT)

    def queue(self, channel: ChannelRow, *stories: str) -> list[int]:
        return [queue_story(self.db, channel, story, now=self.now) for story in stories]

    def stop(self) -> None:
        self.db.close()


@pytest.fixture
def process(tmp_path: Path, slack_api: FakeSlackAPI) -> Process:
    """A process at T0 over a new database file."""
    return Process(tmp_path / "nd.db", slack_api, T0)


def queue_digest(process: Process) -> ChannelRow:
    """A digest of two cards, s1 and s2, queued for C1."""
    digest = add_channel(process.db, "C1", mode="digest")
    process.queue(digest, "s1", "s2")
    return digest


def rate_limit_next_post(fake: FakeSlackAPI) -> None:
    fake.script("chat.postMessage", headers={"Retry-After": str(WAIT)}, **RATE_LIMITED)


def shown(fake: FakeSlackAPI, channel: str) -> list[str]:
    """The channel as a person sees it: HEADING, or the story of each card."""
    return [
        m["metadata"]["event_payload"]["story_id"] if "metadata" in m else "HEADING"
        for m in fake.messages[channel]
    ]


async def held_after_heading(tmp_path: Path, fake: FakeSlackAPI) -> Process:
    """A digest of two cards whose heading landed and whose first card met a 429: both cards
    wait for its Retry-After."""
    first = Process(tmp_path / "nd.db", fake, T0)
    queue_digest(first)
    fake.script_usual("chat.postMessage")  # the heading lands
    rate_limit_next_post(fake)
    await first.drain()
    assert shown(fake, "C1") == ["HEADING"]
    return first


async def test_cards_held_after_their_heading_go_out_under_it_after_a_restart(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    held_after_heading_process = await held_after_heading(tmp_path, slack_api)
    held_after_heading_process.stop()

    # A new process over the same file, once the Retry-After is over.
    second = Process(tmp_path / "nd.db", slack_api, T0 + timedelta(seconds=WAIT))
    await second.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]

    # The next digest's cards, after another restart, get a heading of their own.
    second.stop()
    third = Process(tmp_path / "nd.db", slack_api, T0 + timedelta(hours=1))
    digest = add_channel(third.db, "C1", mode="digest")
    third.queue(digest, "s3", "s4")
    await third.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2", "HEADING", "s3", "s4"]


@pytest.mark.parametrize("restart", [False, True])
async def test_cards_held_for_hours_after_their_heading_still_go_out_under_it(
    tmp_path: Path, slack_api: FakeSlackAPI, restart: bool
) -> None:
    # An outage of two hours between the heading and its cards: they are still that digest's.
    process = await held_after_heading(tmp_path, slack_api)
    if restart:
        process.stop()
        process = Process(tmp_path / "nd.db", slack_api, T0)
    process.now = T0 + timedelta(hours=2)
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]

    # The next digest's heading meets a 429; its cards go out with a later digest's, under
    # one heading of their own: new rows are another digest.
    rate_limit_next_post(slack_api)
    digest = add_channel(process.db, "C1", mode="digest")
    process.queue(digest, "s3", "s4")
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    process.now += timedelta(hours=1)
    process.queue(digest, "s5")
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2", "HEADING", "s3", "s4", "s5"]


async def test_the_remembered_headings_stay_one_per_channel_and_go_with_it(
    db: sqlite_utils.Database,
) -> None:
    c1 = add_channel(db, "C1", mode="digest")
    c2 = add_channel(db, "C2", mode="digest")
    digest_headings.record(db, c1.id, ["n1", "n2"], T0)
    digest_headings.record(db, c1.id, ["n3", "n4"], T0 + timedelta(minutes=1))
    assert digest_headings.last(db, c1.id) == ({"n3", "n4"}, T0 + timedelta(minutes=1))
    assert db.execute("SELECT COUNT(*) FROM digest_headings").fetchone()[0] == 1

    # Another channel's heading, days later, leaves the first channel's as it is.
    digest_headings.record(db, c2.id, ["n5"], T0 + timedelta(days=3))
    assert digest_headings.last(db, c1.id) == ({"n3", "n4"}, T0 + timedelta(minutes=1))
    assert digest_headings.last(db, c2.id) == ({"n5"}, T0 + timedelta(days=3))
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("DELETE FROM channels WHERE id = ?", [c1.id])
    assert digest_headings.last(db, c1.id) is None
    assert db.execute("SELECT COUNT(*) FROM digest_headings").fetchone()[0] == 1


async def test_a_digest_given_the_ids_of_held_cards_dropped_since_gets_its_own_heading(
    process: Process, slack_api: FakeSlackAPI
) -> None:
    channel = add_channel(process.db, "C1", mode="digest")
    process.queue(channel, "s1", "s2", "s3")
    slack_api.script_usual("chat.postMessage")  # the heading
    slack_api.script_usual("chat.postMessage")  # s1
    rate_limit_next_post(slack_api)
    await process.drain()
    # While s2 and s3 wait out the Retry-After, the channel raises its minimum of sources:
    # they are dropped, their rows deleted, and SQLite gives their ids to the next rows. The
    # heading, "3 stories" over s1 alone, is deleted, as a digest of one card has none.
    channel_store.update_channel(process.db, channel.id, min_sources=5)
    process.now = T0 + timedelta(minutes=5)
    await process.drain()
    assert shown(slack_api, "C1") == ["s1"]
    channel_store.update_channel(process.db, channel.id, min_sources=1)
    process.now = T0 + timedelta(days=1)
    process.queue(channel, "s4", "s5")
    await process.drain()
    assert shown(slack_api, "C1") == ["s1", "HEADING", "s4", "s5"]


async def test_cards_held_under_a_heading_an_older_version_recorded_by_id_stay_under_it(
    tmp_path: Path, slack_api: FakeSlackAPI
) -> None:
    process = await held_after_heading(tmp_path, slack_api)
    ids = [row[0] for row in process.db.execute("SELECT id FROM deliveries")]
    process.db.execute("UPDATE digest_headings SET rows = ?", [json.dumps(ids)])
    process.db.conn.commit()
    process.now = T0 + timedelta(seconds=WAIT)
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]


async def test_a_heading_that_cannot_be_recorded_still_heads_its_cards(
    process: Process, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    # The write refused (a full disk, say): the heading is out all the same.
    process.db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON digest_headings"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    queue_digest(process)
    with caplog.at_level(logging.WARNING):
        await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    assert any("not recorded" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("restart", [False, True])
async def test_a_heading_that_failed_but_may_have_landed_still_heads_its_held_cards(
    tmp_path: Path, process: Process, slack_api: FakeSlackAPI, restart: bool
) -> None:
    queue_digest(process)
    # Slack's internal_error "may have succeeded"; here it did. The first card then meets a 429.
    slack_api.script("chat.postMessage", body={"ok": False, "error": "internal_error"}, landed=True)
    rate_limit_next_post(slack_api)
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING"]

    if restart:
        process.stop()
        process = Process(tmp_path / "nd.db", slack_api, T0)
    process.now = T0 + timedelta(seconds=WAIT)
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]


async def test_a_heading_refused_before_it_was_processed_heads_nothing(
    process: Process, slack_api: FakeSlackAPI
) -> None:
    queue_digest(process)
    # service_unavailable: refused before Slack processed it, so nothing shows.
    slack_api.script("chat.postMessage", body={"ok": False, "error": "service_unavailable"})
    rate_limit_next_post(slack_api)
    await process.drain()
    assert shown(slack_api, "C1") == []

    process.now = T0 + timedelta(seconds=WAIT)
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]


async def test_a_heading_whose_record_cannot_be_read_still_heads_its_cards(
    process: Process, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    # As a damaged database would read; the triggers that keep its rows in step go with it.
    process.db.execute("DROP TRIGGER digest_heading_row_gone")
    process.db.execute("DROP TRIGGER digest_heading_row_failed")
    process.db.execute("DROP TABLE digest_headings")
    queue_digest(process)
    with caplog.at_level(logging.WARNING):
        await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    assert any("not read" in r.getMessage() for r in caplog.records)


INTERNAL_ERROR = {"body": {"ok": False, "error": "internal_error"}}


def heading_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("digest heading")]


async def test_a_heading_whose_internal_error_never_landed_is_looked_for_and_posted_again(
    process: Process, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    queue_digest(process)
    # Slack's internal_error "may have succeeded"; this one did not.
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    with caplog.at_level(logging.INFO):
        await process.drain()
    # Not in the channel's history, so posted again before its cards: they are not left to
    # read as the previous digest's.
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    assert slack_api.calls_to("conversations.history")
    logs = heading_logs(caplog)
    assert len(logs) == 1 and "not in the channel): posting it again" in logs[0]


async def test_a_heading_whose_internal_error_landed_is_found_and_not_posted_again(
    process: Process, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    queue_digest(process)
    slack_api.script("chat.postMessage", landed=True, **INTERNAL_ERROR)
    with caplog.at_level(logging.INFO):
        await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
    logs = heading_logs(caplog)
    # It was posted: the log does not say otherwise.
    assert len(logs) == 1 and "had landed (found in the channel's history)" in logs[0]


async def test_a_heading_that_cannot_be_looked_for_heads_its_cards_as_if_shown(
    process: Process, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    queue_digest(process)
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    slack_api.script("conversations.history", **INTERNAL_ERROR)
    # The first card meets a 429: held back, it goes out later under no second heading.
    rate_limit_next_post(slack_api)
    with caplog.at_level(logging.INFO):
        await process.drain()
    process.now = T0 + timedelta(seconds=WAIT)
    await process.drain()
    # Nobody can tell whether it showed: taken as shown, so at most one heading (here none).
    assert shown(slack_api, "C1") == ["s1", "s2"]
    logs = heading_logs(caplog)
    assert len(logs) == 1
    assert "may not have been posted" in logs[0] and "looking for it failed" in logs[0]


async def test_a_heading_lost_twice_and_not_there_heads_its_held_cards_later(
    process: Process, slack_api: FakeSlackAPI, caplog: pytest.LogCaptureFixture
) -> None:
    queue_digest(process)
    # The heading's answer lost twice, and it never showed; the first card then meets a 429.
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    slack_api.script("chat.postMessage", **INTERNAL_ERROR)
    rate_limit_next_post(slack_api)
    with caplog.at_level(logging.INFO):
        await process.drain()
    assert shown(slack_api, "C1") == []
    assert len(slack_api.calls_to("conversations.history")) == 2
    logs = heading_logs(caplog)
    assert len(logs) == 2 and logs[1].endswith("not in the channel): its cards go without it")
    # Not recorded as shown: the held cards get their heading when they go.
    process.now = T0 + timedelta(seconds=WAIT)
    await process.drain()
    assert shown(slack_api, "C1") == ["HEADING", "s1", "s2"]
