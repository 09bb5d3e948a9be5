"""Retention and plain notices (bot.store.retention, bot.store.alerts): finished notices (sent or
failed) go once older than the cutoff, so an instant channel's one notice a pass does not grow the
table for ever; a notice still to be sent stays whatever its age, and deleting a finished one does
not let the same notice be queued again. Real SQLite files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlite_utils
from fakes.stories import add_channel, add_story

from bot.runner.feed_alerts import alert_disabled_feeds
from bot.runner.retention import Pruner
from bot.store import alerts, retention
from bot.store.database import iso

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
LATER = T0 + timedelta(days=200)
KEEP = timedelta(days=180)
WINDOW = timedelta(hours=48)


def _prune(db: sqlite_utils.Database, *, dry_run: bool = False) -> retention.PruneCounts:
    return retention.prune(db, now=LATER, older_than=KEEP, window=WINDOW, dry_run=dry_run)


def _alert(
    db: sqlite_utils.Database, channel_pk: int, key: str, *, at: datetime, state: str
) -> None:
    """A notice queued at `at` and taken to `state` the way the outbox does."""
    assert alerts.enqueue_alert(db, channel_pk, key, "5 more stories qualified", now=at)
    (row,) = [a for a in alerts.due_alerts(db, at) if a.key == key]
    if state == "pending":
        return
    alerts.set_alert_state(db, row.id, "sending", now=at)
    if state != "sending":
        alerts.set_alert_state(db, row.id, state, now=at)


def _keys(db: sqlite_utils.Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT key FROM alerts")}


def test_finished_notices_older_than_the_cutoff_go_and_the_rest_stay(
    db: sqlite_utils.Database,
) -> None:
    channel = add_channel(db, "C1", mode="instant")
    for i in range(3):
        at = T0 + timedelta(minutes=15 * i)
        _alert(db, channel.id, f"instant-more:{iso(at)}", at=at, state="sent")
    _alert(db, channel.id, "old-failed", at=T0, state="failed")
    # Still the outbox's, however old: never deleted.
    _alert(db, channel.id, "old-pending", at=T0, state="pending")
    _alert(db, channel.id, "old-sending", at=T0, state="sending")
    _alert(db, channel.id, "recent-sent", at=LATER - timedelta(days=1), state="sent")

    counts = _prune(db)

    assert _keys(db) == {"old-pending", "old-sending", "recent-sent"}
    assert counts.alerts == 4
    assert _prune(db).alerts == 0


def test_a_notice_held_back_long_and_sent_recently_stays(db: sqlite_utils.Database) -> None:
    # A disabled feed's notice may wait while its channel is paused: counted from its sending.
    channel = add_channel(db, "C1")
    _alert(db, channel.id, "held", at=T0, state="pending")
    (row,) = alerts.due_alerts(db, LATER)
    alerts.set_alert_state(db, row.id, "sending", now=LATER - timedelta(days=1))
    alerts.set_alert_state(db, row.id, "sent", now=LATER - timedelta(days=1))

    assert _prune(db).alerts == 0
    assert _keys(db) == {"held"}


def test_a_dry_run_counts_finished_notices_and_deletes_none(db: sqlite_utils.Database) -> None:
    channel = add_channel(db, "C1")
    _alert(db, channel.id, "a", at=T0, state="sent")
    _alert(db, channel.id, "b", at=T0, state="failed")
    _alert(db, channel.id, "c", at=T0, state="pending")
    before = retention.cutoff(LATER, KEEP, WINDOW)

    dry = _prune(db, dry_run=True)

    assert dry.alerts == 2
    assert _keys(db) == {"a", "b", "c"}
    assert retention.backlog(db, before=before, now=LATER).alerts == 2
    assert _prune(db) == dry


def test_notices_are_deleted_in_batches_that_commit_one_by_one(
    db: sqlite_utils.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retention, "ALERT_BATCH", 2)
    channel = add_channel(db, "C1")
    for i in range(5):
        _alert(db, channel.id, f"k{i}", at=T0, state="sent")
    seen: list[int] = []
    for counts, examined in retention.prune_batches(db, now=LATER, older_than=KEEP, window=WINDOW):
        assert not db.conn.in_transaction  # the write lock is let go between batches
        assert counts.alerts == examined
        seen.append(examined)
    assert seen == [2, 2, 1]
    assert _keys(db) == set()


def test_a_deleted_disabled_feed_notice_is_not_queued_again(db: sqlite_utils.Database) -> None:
    channel = add_channel(db, "C1")
    add_story(db, "s1", ["A"], now=LATER - timedelta(days=1))
    db.execute(
        "INSERT INTO feeds (id, url, created_at, disabled_reason, disabled_at)"
        " VALUES (7, 'http://a.example/rss', ?, 'gone', ?)",
        [iso(T0), iso(T0)],
    )
    db.execute("UPDATE articles SET feed_id = 7")
    db.execute(
        "INSERT INTO deliveries (story_id, channel_pk, state, nonce, created_at, updated_at)"
        " VALUES ('s1', ?, 'sent', 'n', ?, ?)",
        [channel.id, iso(T0), iso(T0)],
    )
    assert alert_disabled_feeds(db, now=T0) == 1
    (row,) = alerts.due_alerts(db, T0)
    alerts.set_alert_state(db, row.id, "sending", now=T0)
    alerts.set_alert_state(db, row.id, "sent", now=T0)

    assert _prune(db).alerts == 1
    # The feed remembers its notice went out (`alert_sent_at`), not the deleted row.
    assert alert_disabled_feeds(db, now=LATER) == 0
    assert _keys(db) == set()


async def test_the_daily_prune_deletes_finished_notices(db: sqlite_utils.Database) -> None:
    channel = add_channel(db, "C1")
    _alert(db, channel.id, "a", at=T0, state="sent")
    pruner = Pruner(db, retention_days=180, window_hours=48, clock=lambda: LATER)

    counts = await pruner.run()

    assert counts is not None and counts.alerts == 1
    assert pruner.last_counts is not None and pruner.last_counts.as_dict()["alerts"] == 1
    assert _keys(db) == set()
