"""A story a failed notice listed waits for a line like a story a digest only counted: the
channel's next digests list it first, however long ago it was updated, and it is counted as
dropped once it has waited its longest. A notice fails when it goes stale (two days queued, as in
a channel paused over a weekend) or runs out of attempts; a weekly channel's next digest starts
after a story listed fresh, so without this the story was never listed nor counted again. Real
SQLite files through the real digest code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.stories import add_channel, add_story

from bot.pipeline.digest import MAX_LOOKBACK
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.store import alerts
from bot.store.channels import ChannelRow
from bot.store.database import open_database, transaction

MONDAY = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def _stories(db: sqlite_utils.Database, prefix: str, count: int, *, now: datetime) -> list[str]:
    names = [f"{prefix}{i:02}" for i in range(count)]
    for name in names:
        add_story(db, name, ["Gazette", "Courier"], now=now)
    return names


def _lines(text: str) -> list[str]:
    return [
        line.split(" · ")[0].removeprefix("• Story ")
        for line in text.splitlines()
        if line.startswith("• ")
    ]


def _texts(db: sqlite_utils.Database, prefix: str, at: datetime) -> list[str]:
    """The notices of the digest for the slot `at`: its list, and its backlog's message if any."""
    rows = db.execute(
        "SELECT text FROM alerts WHERE key IN (?, ?) ORDER BY id",
        [f"digest-more:{at.isoformat()}", f"digest-backlog:{at.isoformat()}"],
    )
    return [r[0] for r in rows if prefix == "" or r[0].startswith(prefix)]


def _digest(db: sqlite_utils.Database, channel: ChannelRow, at: datetime) -> list[str]:
    """The weekly digest at `at` (one card), then every notice still pending sent: the
    stories its notices list, in order."""
    digests.enqueue_digest(db, channel, now=at, scheduled_for=at, default_size=1)
    listed = [name for text in _texts(db, "", at) for name in _lines(text)]
    db.execute("UPDATE alerts SET state = 'sent' WHERE state = 'pending'")
    db.conn.commit()
    return listed


def _fail(db: sqlite_utils.Database, key: str) -> None:
    db.execute("UPDATE alerts SET state = 'failed', last_error = 'stale' WHERE key = ?", [key])
    db.conn.commit()


def test_a_failed_backlog_message_leaves_every_story_it_listed_waiting(tmp_path: Path) -> None:
    """Its fresh stories (never counted) too, a week later, though no digest window reaches them."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 * * 1")
    _stories(db, "a", 1 + MAX_LISTED + 15, now=MONDAY - timedelta(hours=1))
    _digest(db, channel, MONDAY)
    second = MONDAY + WEEK
    _stories(db, "b", 5, now=second - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=second, scheduled_for=second, default_size=1)
    [backlog] = _texts(db, "More without a card", second)
    in_backlog = _lines(backlog)
    # The five counted the list had no line for, then four of this week's.
    assert in_backlog[5:] == ["b01", "b02", "b03", "b04"]
    db.execute("UPDATE alerts SET state = 'sent' WHERE key LIKE 'digest-more:%'")
    _fail(db, f"digest-backlog:{second.isoformat()}")
    third = second + WEEK
    fresh = _stories(db, "c", 2, now=third - timedelta(hours=1))
    # Listed first, the longest waiting first, before this week's one without a card.
    assert _digest(db, channel, third) == [*in_backlog, *fresh[1:]]
    db.close()


def test_a_story_a_failed_list_listed_fresh_is_listed_first_next_week(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 * * 1")
    first = _stories(db, "a", 4, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    _fail(db, f"digest-more:{MONDAY.isoformat()}")
    later = MONDAY + WEEK
    fresh = _stories(db, "b", 3, now=later - timedelta(hours=1))
    assert _digest(db, channel, later) == [*first[1:], *fresh[1:]]
    db.close()


def test_a_story_listed_again_by_a_notice_that_failed_waits_again(tmp_path: Path) -> None:
    """Listed, sent, then grown and listed again by a notice that failed: the later listing
    replaced the first, so the story waits for a line again rather than being lost."""
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 * * 1")
    first = _stories(db, "a", 3, now=MONDAY - timedelta(hours=1))
    assert _digest(db, channel, MONDAY) == first[1:]
    later = MONDAY + WEEK
    add_story(db, first[2], ["Herald"], now=later - timedelta(hours=2))
    _stories(db, "b", 1, now=later - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=later, scheduled_for=later, default_size=1)
    assert [n for t in _texts(db, "", later) for n in _lines(t)] == [first[2]]
    _fail(db, f"digest-more:{later.isoformat()}")
    third = later + WEEK
    fresh = _stories(db, "c", 2, now=third - timedelta(hours=1))
    assert _digest(db, channel, third) == [first[2], *fresh[1:]]
    db.close()


def test_a_failed_listing_that_waited_its_longest_is_counted_as_dropped_once(
    tmp_path: Path,
) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 1 * *")
    _stories(db, "a", 3, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    _fail(db, f"digest-more:{MONDAY.isoformat()}")
    late = MONDAY + MAX_LOOKBACK + timedelta(hours=1)
    assert _digest(db, channel, late) == []
    [text] = _texts(db, "", late)
    assert text == (
        "2 stories matching this channel waited 8 days without a line and are no longer "
        "carried: /story <words> finds any story."
    )
    # Counted once: the next digest says nothing of them.
    later = late + timedelta(days=1)
    digests.enqueue_digest(db, channel, now=later, scheduled_for=later, default_size=1)
    assert _texts(db, "", later) == []
    db.close()


def test_retention_deleting_the_failed_notice_leaves_its_stories_waiting(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 * * 1")
    first = _stories(db, "a", 4, now=MONDAY - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=MONDAY, scheduled_for=MONDAY, default_size=1)
    _fail(db, f"digest-more:{MONDAY.isoformat()}")
    with transaction(db):
        assert alerts.delete_finished(db, before=MONDAY + timedelta(days=1), limit=10) == 1
    later = MONDAY + WEEK
    fresh = _stories(db, "b", 2, now=later - timedelta(hours=1))
    assert _digest(db, channel, later) == [*first[1:], *fresh[1:]]
    db.close()
