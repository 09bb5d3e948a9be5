"""A story listed only in the backlog's own message (`bot.runner.overflow.Backlog`) is given to
the channel by that message, not by the list before it: it keeps its topic match once the
backlog's message is sent, and none if that message fails for good, whatever the list's fate
(`bot.store.topic_matches`). Real SQLite files, the real digest planner and outbox, a fake chat
platform."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from _kept_matches import drain
from fakes.chat import FakeChatAdapter
from fakes.stories import add_channel, add_story

from bot.delivery.outbox import OutboxSettings
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.store import channels as channel_store
from bot.store import topic_matches
from bot.store.channels import ChannelRow
from bot.store.database import open_database

MONDAY = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)
TUESDAY = MONDAY + timedelta(days=1)


def _stories(db: sqlite_utils.Database, prefix: str, count: int, *, now: datetime) -> list[str]:
    names = [f"{prefix}s{i:02}" for i in range(count)]
    for name in names:
        add_story(db, name, ["Gazette", "Courier"], now=now)
    return names


def _states(db: sqlite_utils.Database) -> dict[str, str]:
    """The state of Tuesday's notices, by kind: the list, the backlog's message."""
    return {
        key.split(":")[0]: state
        for key, state in db.execute("SELECT key, state FROM alerts ORDER BY id")
        if key.endswith(TUESDAY.isoformat()) or "backlog" in key
    }


def _backlog_listed(db: sqlite_utils.Database) -> list[str]:
    (text,) = [
        r[0] for r in db.execute("SELECT text FROM alerts WHERE key LIKE 'digest-backlog:%'")
    ]
    return [
        line.split(" · ")[0].removeprefix("• Story ")
        for line in text.splitlines()
        if line.startswith("• ")
    ]


def _backlog_on_tuesday(tmp_path: Path) -> tuple[sqlite_utils.Database, ChannelRow, list[str]]:
    """A channel following `story` (every headline here): Monday's digest has one card, lists
    ten and counts 15; Tuesday's lists ten of those, and its backlog's message the other five
    (kept already: Monday's list counted them), then four of Tuesday's own five stories, the
    other its card. Returns those four, listed nowhere but in the backlog's message."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    channel_store.upsert_topic(db, "news", "story", origin="chat")
    channel_store.follow(db, channel.id, "news", now=MONDAY - timedelta(days=1))
    first = _stories(db, "a", 1 + MAX_LISTED + 15, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    asyncio.run(drain(db, MONDAY))
    today = _stories(db, "b", 5, now=TUESDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=TUESDAY, scheduled_for=TUESDAY, default_size=1)
    carried = first[1 + MAX_LISTED + MAX_LISTED :]
    assert _backlog_listed(db) == [*carried, *today[1:]]
    # Not given yet: the backlog's message has not reached the channel.
    assert topic_matches.kept(db, channel.id, today[1:]) == {}
    return db, channel, today[1:]


def test_a_story_listed_in_the_sent_backlog_message_keeps_its_match(tmp_path: Path) -> None:
    db, channel, only_backlog = _backlog_on_tuesday(tmp_path)
    asyncio.run(drain(db, TUESDAY))
    assert _states(db) == {"digest-more": "sent", "digest-backlog": "sent"}
    assert topic_matches.kept(db, channel.id, only_backlog) == {s: {"news"} for s in only_backlog}
    assert set(only_backlog) <= set(topic_matches.kept_by_query(db, "story"))


@pytest.mark.parametrize("list_sent", [True, False])
def test_a_backlog_message_given_up_keeps_none_of_its_stories(
    tmp_path: Path, list_sent: bool
) -> None:
    db, channel, only_backlog = _backlog_on_tuesday(tmp_path)
    chat = FakeChatAdapter("slack")
    # Tuesday's card, then the list, then the backlog's message, which fails its only attempt.
    chat.failures = [None, None if list_sent else RuntimeError("refused"), RuntimeError("refused")]
    asyncio.run(drain(db, TUESDAY, chat, OutboxSettings(pace=0, max_attempts=1)))
    listed = "sent" if list_sent else "failed"
    assert _states(db) == {"digest-more": listed, "digest-backlog": "failed"}
    # The list going out does not give what only the backlog's message listed.
    assert topic_matches.kept(db, channel.id, only_backlog) == {}
