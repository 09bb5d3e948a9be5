"""Migration 29 gives channels `paused_at`, when their pause began (`newsdigest channels list`
shows it): a channel paused before it is dated from its reason when the reason says (the
outbox's "... on 2027-05-03 10:00 UTC"), else left undated; a pause set or lifted since dates or
undates itself. Real SQLite files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.store import channels as channel_store
from bot.store.database import open_database


def test_old_pauses_are_dated_from_their_reason(tmp_path: Path) -> None:
    path = tmp_path / "nd.db"
    db = open_database(path)
    reasons = {
        "C1": "slack refused to post (Slack chat.postMessage: is_archived) on 2027-05-03 10:07 UTC",
        "C2": "slack refused to post (Slack chat.postMessage: not_in_channel)",  # a notice's
        "C3": None,
    }
    for channel_id, reason in reasons.items():
        row = channel_store.ensure_channel(db, "slack", channel_id)
        db.execute("UPDATE channels SET paused_reason = ? WHERE id = ?", [reason, row.id])
    # As a database from before migration 31 was.
    db.execute("ALTER TABLE channels DROP COLUMN paused_at")
    db.execute("DELETE FROM schema_migrations WHERE version = 31")
    db.conn.close()

    db = open_database(path)
    dated = {c.channel_id: c.paused_at for c in channel_store.list_channels(db)}
    assert dated == {"C1": datetime(2027, 5, 3, 10, 7, tzinfo=UTC), "C2": None, "C3": None}

    c3 = channel_store.get_channel(db, "slack", "C3")
    assert c3 is not None
    paused = channel_store.update_channel(db, c3.id, paused_reason="slack refused to post (x)")
    assert paused.paused_at is not None
    resumed = channel_store.update_channel(db, c3.id, paused_reason=None)
    assert resumed.paused_at is None
