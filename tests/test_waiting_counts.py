"""/healthz counts the posts and card edits waiting or in flight from those rows alone, through
`deliveries_unfinished` (migration 42): counting every state read each post ever sent, 80-90 ms a
request on the event loop with six months of history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlite_utils
from _plans import plan_lines, table_scans
from fakes.stories import add_channel, queue_story

from bot.store import card_refreshes, delivery_counts
from bot.store import deliveries as delivery_store
from bot.store.channels import MUTED_ERROR

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _rows(db: sqlite_utils.Database) -> None:
    channel = add_channel(db, "C1")
    ids = [queue_story(db, channel, f"s{n}", now=NOW) for n in range(5)]
    delivery_store.claim(db, ids[0], NOW)  # sending
    for row_id in ids[1:3]:
        delivery_store.claim(db, row_id, NOW)
        delivery_store.mark_sent(
            db, row_id, message_ref="m", thread_ref=None, source_count=2, outlets=[], now=NOW
        )
    delivery_store.mark_failed(db, ids[3], now=NOW, error="refused")
    db.execute("UPDATE deliveries SET kind = ? WHERE id = ?", [card_refreshes.REFRESH, ids[2]])
    db.execute(
        "INSERT INTO deliveries (story_id, channel_pk, kind, state, nonce, created_at, updated_at)"
        " VALUES ('s1', ?, ?, 'pending', 'n', ?, ?)",
        [channel.id, card_refreshes.REFRESH, NOW.isoformat(), NOW.isoformat()],
    )


def test_only_the_unfinished_rows_are_counted(db: sqlite_utils.Database) -> None:
    _rows(db)
    assert delivery_counts.waiting_counts(db) == {"pending": 1, "sending": 1}
    assert card_refreshes.waiting_counts(db) == {"pending": 1, "sending": 0}
    for counts in (delivery_counts.waiting_counts, card_refreshes.waiting_counts):
        plan = plan_lines(db, lambda f=counts: f(db), "FROM deliveries")
        assert not table_scans(plan)
        assert plan[0].startswith("SEARCH deliveries USING COVERING INDEX deliveries_unfinished")


def test_the_posts_and_card_edits_failed_lately_are_counted_by_index(
    db: sqlite_utils.Database,
) -> None:
    # /healthz's failure signal (migration 43): the failed rows of the last day alone, posts
    # apart from card edits, an older failure out of the count.
    _rows(db)  # one post failed at NOW
    channel = add_channel(db, "C2")
    old, edit = (queue_story(db, channel, f"t{n}", now=NOW) for n in range(2))
    delivery_store.mark_failed(db, old, now=NOW - timedelta(days=2), error="refused")
    delivery_store.mark_failed(db, edit, now=NOW, error="refused")
    db.execute("UPDATE deliveries SET kind = ? WHERE id = ?", [card_refreshes.REFRESH, edit])
    since = NOW - timedelta(hours=24)
    assert delivery_counts.failed_since(db, since) == {"posts": 1, "card_edits": 1}
    plan = plan_lines(db, lambda: delivery_counts.failed_since(db, since), "FROM deliveries")
    assert not table_scans(plan)
    assert plan[0].startswith("SEARCH deliveries USING "), plan
    assert "INDEX deliveries_failed (updated_at>?)" in plan[0], plan


def test_posts_dropped_on_purpose_are_no_failure(db: sqlite_utils.Database) -> None:
    assert MUTED_ERROR in delivery_counts.DROPPED_ON_PURPOSE
    channel = add_channel(db, "C1")
    rows = [queue_story(db, channel, f"s{n}", now=NOW) for n in range(4)]
    errors = [MUTED_ERROR, "merged into s9, already queued", "story no longer exists", "refused"]
    for row_id, error in zip(rows, errors, strict=True):
        delivery_store.mark_failed(db, row_id, now=NOW, error=error)
    failed = delivery_counts.failed_since(db, NOW - timedelta(hours=1))
    assert failed == {"posts": 1, "card_edits": 0}
