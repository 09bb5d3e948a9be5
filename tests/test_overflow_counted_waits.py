"""A story a digest only counted waits for the channel's next digests however long ago it was
last updated (up to MAX_LOOKBACK after it was counted), and keeps its place until the notice
listing it is sent: a weekly channel's counted story is listed next week, and one whose listing
notice failed is listed first again. Real SQLite files through the real digest code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils
from fakes.stories import add_channel, add_story

from bot.pipeline.digest import MAX_LOOKBACK
from bot.runner import digests
from bot.runner.overflow import MAX_LISTED
from bot.store import channels as channel_store
from bot.store.channels import ChannelRow
from bot.store.database import open_database

MONDAY = datetime(2027, 6, 7, 9, 0, tzinfo=UTC)


def _notice(db: sqlite_utils.Database) -> list[str]:
    text = str(db.execute("SELECT text FROM alerts ORDER BY id DESC LIMIT 1").fetchone()[0])
    return text.splitlines()


def _lines(db: sqlite_utils.Database) -> list[str]:
    """The stories the latest digest's notice has a line for, in its order."""
    return [
        line.split(" · ")[0].removeprefix("• Story ")
        for line in _notice(db)
        if line.startswith("• ")
    ]


def _stories(db: sqlite_utils.Database, prefix: str, count: int, *, now: datetime) -> list[str]:
    names = [f"{prefix}{i:02}" for i in range(count)]
    for name in names:
        add_story(db, name, ["Gazette"], now=now)
    return names


def _counted(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT story_id FROM counted_stories ORDER BY story_id")]


def _first_digest(
    db: sqlite_utils.Database, channel: ChannelRow, *, updated: datetime, at: datetime
) -> list[str]:
    """One card and 13 stories beyond it, last updated at `updated`: 10 listed, 3 counted."""
    old = _stories(db, "a", 1 + MAX_LISTED + 3, now=updated)
    assert digests.enqueue_digest(db, channel, now=at, scheduled_for=at, default_size=1) == 1
    counted = old[1 + MAX_LISTED :]
    assert _counted(db) == counted
    # Sent by the outbox before any later digest here: a notice not sent yet keeps the stories
    # it lists from a later digest's cards (`listed_stories.pending_lines`).
    _sent(db)
    return counted


def _sent(db: sqlite_utils.Database) -> None:
    db.execute("UPDATE alerts SET state = 'sent' WHERE state = 'pending'")
    db.conn.commit()


def test_a_weekly_channel_lists_last_weeks_counted_stories(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 * * 1")
    counted = _first_digest(db, channel, updated=MONDAY - timedelta(days=1), at=MONDAY)
    # Not updated for eight days by next Monday, far outside its 48 h floor: still listed first.
    later = MONDAY + timedelta(days=7)
    newer = _stories(db, "b", 5, now=later - timedelta(days=1))
    assert digests.enqueue_digest(db, channel, now=later, scheduled_for=later, default_size=1) == 1
    assert _lines(db) == counted + newer[1:]
    db.close()


def test_a_story_counted_when_a_day_and_a_half_old_is_listed_next_day(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    counted = _first_digest(db, channel, updated=MONDAY - timedelta(hours=36), at=MONDAY)
    later = MONDAY + timedelta(days=1)
    newer = _stories(db, "b", 3, now=later - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=later, scheduled_for=later, default_size=1)
    assert _lines(db)[: len(counted)] == counted
    assert _lines(db)[len(counted) :] == newer[1:]
    db.close()


def test_a_counted_story_waits_at_most_max_lookback(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 1 * *")
    counted = _first_digest(db, channel, updated=MONDAY - timedelta(hours=1), at=MONDAY)
    late = MONDAY + MAX_LOOKBACK + timedelta(hours=1)
    newer = _stories(db, "b", 3, now=late - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=late, scheduled_for=late, default_size=1)
    assert not set(counted) & set(_lines(db))
    assert _lines(db) == newer[1:]
    # Its row goes with the digest that no longer waits for it.
    assert _counted(db) == []
    db.close()


def test_a_counted_story_a_failed_notice_listed_is_listed_first_again(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    counted = _first_digest(db, channel, updated=MONDAY - timedelta(hours=1), at=MONDAY)
    second = MONDAY + timedelta(hours=6)
    digests.enqueue_digest(db, channel, now=second, default_size=1)
    assert _lines(db) == counted
    # Pending, the notice keeps the rows (it may fail) but settles them: no second listing.
    assert _counted(db) == counted
    db.execute("UPDATE alerts SET state = 'failed' WHERE id = (SELECT MAX(id) FROM alerts)")
    db.conn.commit()
    third = second + timedelta(hours=6)
    newer = _stories(db, "b", 12, now=third - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=third, default_size=1)
    assert _lines(db)[: len(counted)] == counted
    assert _lines(db)[len(counted) :] == newer[1 : 1 + MAX_LISTED - len(counted)]
    db.close()


def test_a_sent_listing_settles_the_counted_rows(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1")
    counted = _first_digest(db, channel, updated=MONDAY - timedelta(hours=1), at=MONDAY)
    second = MONDAY + timedelta(hours=6)
    digests.enqueue_digest(db, channel, now=second, default_size=1)
    assert _lines(db) == counted
    db.execute("UPDATE alerts SET state = 'sent' WHERE id = (SELECT MAX(id) FROM alerts)")
    db.conn.commit()
    third = second + timedelta(hours=6)
    newer = _stories(db, "b", 12, now=third - timedelta(hours=1))
    digests.enqueue_digest(db, channel, now=third, default_size=1)
    assert _lines(db) == newer[1 : 1 + MAX_LISTED]
    # The rows the sent notice settled are gone; the one left is this digest's own count.
    assert _counted(db) == newer[1 + MAX_LISTED :]
    db.close()


def test_a_counted_story_muted_since_is_not_listed(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 * * 1")
    counted = _first_digest(db, channel, updated=MONDAY - timedelta(days=1), at=MONDAY)
    channel_store.mute_story(db, channel.id, counted[0])
    later = MONDAY + timedelta(days=7)
    newer = _stories(db, "b", 2, now=later - timedelta(days=1))
    digests.enqueue_digest(db, channel, now=later, scheduled_for=later, default_size=1)
    assert _lines(db) == counted[1:] + newer[1:]
    db.close()


def test_a_counted_story_merged_into_an_old_one_brings_it_into_the_pool(tmp_path: Path) -> None:
    db = open_database(tmp_path / "nd.db")
    channel = add_channel(db, "C1", schedule="0 9 * * 1")
    add_story(db, "quay", ["Gazette"], now=MONDAY - timedelta(days=9))
    counted = _first_digest(db, channel, updated=MONDAY - timedelta(days=1), at=MONDAY)
    # The counted story is found to be the same as an older one, which survives the merge.
    db.execute("UPDATE stories SET merged_into = 'quay' WHERE id = ?", [counted[0]])
    db.conn.commit()
    later = MONDAY + timedelta(days=7)
    newer = _stories(db, "b", 2, now=later - timedelta(days=1))
    digests.enqueue_digest(db, channel, now=later, scheduled_for=later, default_size=1)
    # The survivor waits in the counted story's place (counted together, they go by id).
    assert _lines(db) == [*counted[1:], "quay", *newer[1:]]
    db.close()
